/*
 * results.h - the results document (ringfire.results/3): its typed records, the one loader,
 * the one writer, the one summary.
 *
 * This module owns the format: the schema name and every key are written once, in the field
 * tables of results.c, and both the loader and the writer walk those tables.  The loader
 * checks every field's type and range as it builds the records, and the document as a whole
 * (names, ids, runs against repetitions); a file that breaks a rule gets a message naming the
 * file, the JSON path and the value, never a crash or a silent zero.  Readers (reports,
 * compare, the gate) take the records; nothing above this module reads results as JSON.
 *
 * Numbers are in base units (seconds, bytes, microseconds, requests per second).  A figure a
 * tool does not measure is NaN here and null in the file.
 */
#ifndef RF_SCHEMA_RESULTS_H
#define RF_SCHEMA_RESULTS_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#define RR_ERR_MAX 1024
#define RR_MAX_FILE ((size_t)1 << 30) /* the largest results.json the loader reads */

/* The latency figures of a run and of a summary: p50 p75 p90 p99 p99.9 p99.99 max. */
enum rr_lat { RR_P50, RR_P75, RR_P90, RR_P99, RR_P99_9, RR_P99_99, RR_MAX, RR_NLAT };

enum rr_status { RR_PENDING, RR_OK, RR_FAILED, RR_SKIPPED };
/* Which side's CPU was full (at least RR_SATURATED of its cores): the client, the server,
 * both, or neither (then the latency, the connections or a lock set the pace). */
enum rr_bottleneck { RR_NEITHER, RR_CLIENT_BOUND, RR_SERVER_BOUND, RR_BOTH_BOUND };

const char *rr_status_name(enum rr_status s);
const char *rr_bottleneck_name(enum rr_bottleneck b);

struct rr_bucket {
    uint64_t value_ns; /* the lowest value of a histogram bucket */
    uint64_t count;
};

struct rr_second {
    unsigned second; /* of the measured phase, from 0 */
    double responses;
    double errors;
    double bytes_received;
};

struct rr_cpu {
    double client;
    double target;
};

/* A run's failures by kind: transport errors (no answer) and answers whose status was not
 * the expected one (status).  NaN where the tool does not tell. */
struct rr_errors {
    double connect, read, write, timeout, parse, closed, status;
};
#define RR_NERROR_KINDS 7
/* The k-th kind's key (NULL past the last) and, in *value, its count in e (NaN: not recorded). */
const char *rr_error_kind(size_t k, const struct rr_errors *e, double *value);

/* A rate run's verdict (the engine's): whether it kept its schedule, and if not, why. */
enum rr_verdict { RR_V_VALID, RR_V_GENERATOR, RR_V_CONNECTION, RR_V_SERVER };
const char *rr_verdict_name(enum rr_verdict v);

/* What a run at a fixed rate measured beyond a closed-loop run; present is 0 for those. */
struct rr_run_rate {
    int present;
    double target_rps;    /* asked for */
    double completed_rps; /* answered */
    double rate_ratio;    /* completed over target */
    enum rr_verdict verdict;
    double lag_p99_us;       /* how late the generator sent, at p99 */
    double wake_late_max_us; /* the latest its timed wake-ups came after their time */
    int stalled; /* the engine's: generator-bound because a wake-up came late (its CPU taken) */
    double response_us[RR_NLAT]; /* response time: from the intended send */
};

/* One measured run of a cell. */
struct rr_run {
    unsigned rep;   /* the repetition, from 1 */
    unsigned order; /* its place in that repetition's shuffled order, from 1 */
    char *command;  /* the exact command line */
    int exit_status;
    double rps;        /* answers with the expected status per second of the measured phase */
    double duration_s; /* of the measured phase */
    double responses;  /* every answer, whatever its status */
    double errors;     /* transport errors plus answers with another status */
    struct rr_errors error_kinds;
    double unanswered; /* requests still in flight when the run ended */
    double latency_us[RR_NLAT];
    /* ringfire: how early a request's send stamp can be, the mean over its requests (its
     * io.tx_early_ns), so how much latency_us may overstate; NaN for the other tools */
    double send_early_us;
    double wall_s;       /* the tool's whole run, start-up and warm-up included */
    double client_cpu_s; /* user + system, over wall_s */
    double target_cpu_s;
    double client_peak_rss_bytes;
    double target_peak_rss_bytes;
    struct rr_cpu cpu_us_per_response; /* over the measured phase */
    double client_utilization;         /* CPU time over wall time and CPUs */
    double target_utilization;
    enum rr_bottleneck bottleneck;
    struct rr_run_rate rate; /* latency_us above is then service time, from the actual send */
    /* A search: the steps in order; rps is then the highest rate that met the objective, and the
     * other figures are those of its step.  stopped_by says what the lowest failing step broke. */
    struct rr_step *steps;
    size_t nsteps;
    char *stopped_by;
    /* The latency histogram (HdrHistogram layout, 3 significant digits, nanoseconds), in
     * value order, where the tool gives one; and the measured phase second by second. */
    int has_histogram;
    struct rr_bucket *buckets;
    size_t nbuckets;
    struct rr_second *timeline;
    size_t ntimeline;
    cJSON *raw; /* the tool's own figures that the record does not hold; NULL: none */
};

/* The runs of a cell summarized; present is 0 while a cell has no run. */
struct rr_summary {
    int present;
    struct rr_rps {
        double median;
        double ci[2];       /* the interval of the median (rr_median_interval) */
        double ci_coverage; /* its coverage: 0.95 or more, less with fewer than 6 runs */
        double min;
        double max;
        double cv;
        unsigned runs;
        int resolved; /* the interval reaches 95% and lies within the cell's target */
    } rps;
    double latency_us[RR_NLAT]; /* medians over the runs */
    struct rr_cpu cpu_us_per_response;
    struct rr_cpu utilization;    /* of each side's cores */
    struct rr_cpu peak_rss_bytes; /* medians over the runs */
    double errors;
    double error_rate; /* errors over answers and transport errors, over all runs */
    double unanswered;
    enum rr_bottleneck bottleneck; /* the verdict most runs gave */
};

/* A cell's fixed rate: requests (messages) per second, given or taken as a fraction of the
 * same cell's closed-loop peak; present is 0 for a closed-loop cell. */
struct rr_rate {
    int present;
    double rps;     /* NaN until the peak it is a fraction of is measured */
    double of_peak; /* the fraction; NaN for a rate given in requests per second */
    int search;     /* the highest rate under the suite's objective (env.slo), searched */
};

/* A service level objective: a percentile of response time at most limit_us, errors at most
 * max_error_rate of the requests; a search finds the highest rate that meets it to within
 * precision (a fraction).  present is 0 when the suite has none. */
struct rr_slo {
    int present;
    int percentile; /* an enum rr_lat, RR_P50 .. RR_P99_99 */
    double limit_us;
    double max_error_rate;
    double precision;
};
const char *rr_lat_name(enum rr_lat k); /* "p50" .. "p99_99", "max" */

/* One step of a search: a run at a rate, and whether it met the objective. */
struct rr_step {
    double rps;        /* asked */
    int passed;        /* valid, and within the objective */
    double latency_us; /* response time at the objective's percentile */
    double error_rate;
    enum rr_verdict verdict;
    double wake_late_max_us; /* the run's rate.wake_late_max_us */
    int stalled;             /* the run's rate.stalled */
};

/* One cell of a suite's matrix: a target, an endpoint and a tool at one point of the axes. */
struct rr_cell {
    char *id; /* rr_cell_id() of the fields below */
    char *target;
    char *endpoint;
    char *tool;
    unsigned connections;
    unsigned pipeline;
    unsigned threads; /* 0: one per client CPU */
    int websocket;
    unsigned ws_message_bytes; /* 0 for HTTP */
    unsigned repetitions;      /* at most */
    unsigned repetitions_min;  /* at least; more until the interval is within the target */
    double interval_target;    /* the largest distance of the interval from the median */
    int reference;             /* a reference target: shown, never ranked */
    double duration_s;
    struct rr_rate rate;
    enum rr_status status;
    char *reason; /* why failed or skipped; NULL otherwise */
    struct rr_run *runs;
    size_t nruns;
    struct rr_summary summary;
};

/* name -> text, for tool and target versions. */
struct rr_pair {
    char *name;
    char *value;
};

struct rr_map {
    struct rr_pair *v;
    size_t n;
};

struct rr_env {
    char *ringfire; /* version, with the git commit where known */
    char *kernel;
    char *cpu_model;
    unsigned cores;
    char *client_cpus;
    char *target_cpus;
    char *suite_sha256;
    uint64_t seed;
    char *started; /* UTC, RFC 3339 */
    char *command;
    struct rr_map tools;
    struct rr_map targets;
    /* the method: the machine and the suite's settings */
    char *distribution;
    double memory_bytes;
    unsigned threads_per_core; /* SMT: 2 when each core runs two CPUs */
    char *virtualization;      /* "none", or what systemd-detect-virt would say */
    char *governor;
    /* kernel threads that take a CPU for milliseconds on their own, by name ("kdamond.0": the
     * DAMON memory monitor), comma-separated; "" when none run; NULL: not read */
    char *cpu_takers;
    /* a cache line's round trip between the client's first CPU and the target's, in ns, when
     * the suite began and when it ended (NaN: not measured) */
    double cpu_distance_start_ns, cpu_distance_end_ns;
    struct rr_map tcp; /* sysctls that matter for loopback load */
    double warmup_s;
    double timeout_s;
    struct rr_map target_settings; /* each recipe's own words: workers, processes */
    struct rr_slo slo;
    int interleaved; /* the targets ran at once, taking turns cell by cell */
};

struct rr_doc {
    struct rr_suite_ref {
        char *name;
        char *file;
    } suite;
    struct rr_env env;
    struct rr_cell *cells;
    size_t ncells;
};

/* Loads a results directory (its results.json) or file.  Returns 0, or -1 with the reason in
 * err (RR_ERR_MAX bytes): the file and, for a bad value, its JSON path and the value. */
int rr_load(const char *path, struct rr_doc *doc, char *err);
/* The same from text in memory; name stands for the file in messages. */
int rr_parse(const char *name, const char *text, size_t len, struct rr_doc *doc, char *err);
/* The document as JSON text (malloc'ed, ending in a newline), or NULL when out of memory. */
char *rr_print(const struct rr_doc *doc);
/* Writes the document to path with rr_write_atomic.  Returns 0 or -errno. */
int rr_write(const struct rr_doc *doc, const char *path);
void rr_doc_free(struct rr_doc *doc);
void rr_run_free(struct rr_run *run);

/* Writes text to path through path.tmp, fsync() and rename(), so a reader never sees half a
 * file, and an interrupted write leaves the old one.  Returns 0 or -errno. */
int rr_write_atomic(const char *path, const char *text);

/* The cell with this id, or NULL. */
struct rr_cell *rr_cell_find(const struct rr_doc *doc, const char *id);
/* Appends a run to a cell, taking what it owns (run is emptied).  Returns 0 or -ENOMEM. */
int rr_cell_add_run(struct rr_cell *cell, struct rr_run *run);
/* A run with every figure not measured (NaN) and nothing owned. */
void rr_run_init(struct rr_run *run);
/* Whether a run built in code holds only numbers the loader accepts (finite, in range; NaN
 * only where a figure may be missing).  Returns 0, or -1 with the first bad one in why. */
int rr_run_check(const struct rr_run *run, char *why, size_t n);
/* Sets a cell's status and reason (copied; NULL for none).  Returns 0 or -ENOMEM. */
int rr_cell_set_status(struct rr_cell *cell, enum rr_status status, const char *reason);

/* ---- names (names.c) ------------------------------------------------------------------ */

#define RR_NAME_MAX 64

/* Whether a target, endpoint or tool name is one ringfire accepts: 1 to RR_NAME_MAX
 * characters of A-Z a-z 0-9 . _ -, starting with a letter or digit.  Such names are safe in
 * file names, scripts and tables; the loaders refuse any other. */
int rr_name_ok(const char *name);
/* The id of a cell: "target/endpoint/tool/cC/pP/tT", plus "/mBYTES" for WebSocket.  Returns
 * the length, or -1 when it does not fit. */
int rr_cell_id(char *out, size_t n, const char *target, const char *endpoint, const char *tool,
               unsigned connections, unsigned pipeline, unsigned threads, int websocket,
               unsigned ws_bytes);
/* Appends a rate cell's part to an id: "/r20000" (per second), "/r50%" (of the peak) or
 * "/rslo" (searched).
 * Returns the new length, or -1 when it does not fit. */
int rr_cell_id_rate(char *id, size_t n, const struct rr_rate *rate);
/* A file-name part for a name: the name itself when rr_name_ok, otherwise its safe
 * characters, '+' and 12 hex digits of a hash of the whole name (a '+' never appears in a
 * safe name, so the two kinds cannot collide).  Never empty, never '.' or '..', no '/'. */
void rr_slug(const char *name, char *out, size_t n);

/* ---- summaries and derived figures (summary.c) ---------------------------------------- */

#define RR_SATURATED 0.85 /* a side busier than this is where the bottleneck is */

struct rr_spread;

#define RR_INTERVAL_TARGET 0.05 /* a cell's interval_target when its suite gives none */

/* Recomputes a cell's summary from its runs. */
void rr_summarize(struct rr_cell *cell);
/* Whether a summary's interval is resolved for a target distance from the median. */
int rr_resolved(const struct rr_rps *rps, double target);
/* The spread (median, min, max, interval of the median, cv) over a cell's runs of the figure
 * at offset in struct rr_run (a double), leaving out runs that did not measure it.  out->n is
 * 0 when no run measured it. */
void rr_cell_spread(const struct rr_cell *cell, size_t offset, struct rr_spread *out);

/* From a run's responses, duration and error kinds: its errors (the kinds it knows, summed)
 * and its rate (answers with the expected status per second; NaN without a duration). */
void rr_run_tally(struct rr_run *run);
/* From a run's measured times (wall_s, client_cpu_s, target_cpu_s, duration_s, responses)
 * and the CPUs each side had: utilizations, CPU per response and the bottleneck verdict.  CPU
 * time covers the whole run; scaled to the measured phase (the load is steady over a run) it
 * is divided by the responses of that phase. */
void rr_run_derive(struct rr_run *run, unsigned client_cpus, unsigned target_cpus);

/* The median over a cell's runs of the figure at offset in struct rr_run (a double), leaving
 * out runs that did not measure it; NaN when none did. */
double rr_runs_median(const struct rr_cell *cell, size_t offset);

#endif
