/*
 * ringfire.h - the public interface of the ringfire engine library.
 *
 * The engine is an io_uring HTTP/1.1 load generator: one worker thread per ring, provided
 * buffer rings, multishot receive and pre-built pipelined requests.  The library never prints,
 * never exits and never reads argv: it takes a struct rf_config, runs, and fills a struct
 * rf_result.  Functions return >= 0 on success and a negative errno or RF_E* code on failure;
 * rf_strerror() turns either into a sentence.
 */
#ifndef RINGFIRE_H
#define RINGFIRE_H

#include <stddef.h>
#include <stdint.h>

#define RF_VERSION "0.1.0"

/* Engine error codes, far below any errno.  One list makes the enum, the names and the texts. */
#define RF_ERRORS(X)                                                                               \
    X(RF_EURL_SCHEME, "the URL scheme is not supported (use http:// or ws://)")                    \
    X(RF_EURL, "the URL is malformed (expected http://HOST[:PORT][/PATH])")                        \
    X(RF_EURL_HOST, "the URL host is not a numeric IP address or localhost (no DNS lookups)")      \
    X(RF_EURL_PORT, "the URL port is not a number from 1 to 65535")                                \
    X(RF_EVALUE, "the value is malformed")                                                         \
    X(RF_ERANGE, "the value is out of range")                                                      \
    X(RF_EHEADER, "a header is malformed (expected 'Name: value' without CR or LF)")               \
    X(RF_EMETHOD, "the method is not a token (letters, digits and !#$%&'*+-.^_`|~)")               \
    X(RF_ENOFILE, "the open-file limit (RLIMIT_NOFILE) is too low for the connections asked for")  \
    X(RF_ERING, "the kernel refused to create an io_uring ring (a container's seccomp profile "    \
                "or the sysctl kernel.io_uring_disabled can block it)")                            \
    X(RF_EBUFRING, "the kernel refused to register a provided buffer ring (needs Linux 5.19+)")    \
    X(RF_ETARGET, "the target never accepted a connection")                                        \
    X(RF_ETHREAD, "a worker thread could not be started")                                          \
    X(RF_ECPUS, "a CPU to pin a worker to is not one this process may run on")                     \
    X(RF_EPORTS, "more connections to one address than the local port range gives each source "    \
                 "address (net.ipv4.ip_local_port_range)")                                         \
    X(RF_ESOURCE, "a source address is not of the target's family (IPv4 or IPv6)")                 \
    X(RF_ENOMEM, "out of memory")

enum rf_err {
    RF_ERR_BASE_ = -10000,
#define RF_X_ENUM(name, text) name,
    RF_ERRORS(RF_X_ENUM)
#undef RF_X_ENUM
        RF_ERR_END_
};

/* A sentence for an RF_E* code or a negative errno. */
const char *rf_strerror(int err);
/* The symbolic name ("RF_ETARGET", "ECONNREFUSED") of an RF_E* code or a negative errno. */
const char *rf_err_name(int err);

/* ---- values: URLs, durations, counts ---------------------------------------------------- */

enum rf_scheme {
    RF_SCHEME_HTTP = 1,
    RF_SCHEME_WS = 2,
};

struct rf_url {
    enum rf_scheme scheme;
    char host[64];      /* as written, without brackets: "127.0.0.1", "::1", "localhost" */
    char authority[72]; /* for the Host header: "127.0.0.1:8080", "[::1]:8080" */
    uint16_t port;
    char path[2048]; /* path and query, "/" when empty */
};

/* Parses an http:// or ws:// URL with a numeric IPv4/IPv6 host or "localhost".
 * Returns 0 or RF_EURL*. */
int rf_url_parse(const char *text, struct rf_url *url);

/* "500ms", "10s", "2m", "1h", "250us"; a bare number means seconds.  Returns 0 or
 * RF_EVALUE / RF_ERANGE (at most 24 hours). */
int rf_parse_duration(const char *text, uint64_t *ns);
/* A non-negative integer, with an optional k/M/G suffix (powers of 1000).  Returns 0 or
 * RF_EVALUE / RF_ERANGE (more than max). */
int rf_parse_count(const char *text, uint64_t max, uint64_t *out);
/* A byte size with an optional k/K/M/G suffix (powers of 1024). */
int rf_parse_size(const char *text, uint64_t max, uint64_t *out);
/* A request header "Name: value": 0 or RF_EHEADER. */
int rf_header_check(const char *header);
/* A request method (a token, RFC 9110 section 9.1): 0 or RF_EMETHOD. */
int rf_method_check(const char *method);
#define RF_MAX_STAGES 64

/* A stage of a changing rate: `from` requests/s at its start to `to` at its end, linearly (a
 * hold when they are equal). */
struct rf_stage {
    uint64_t duration_ns;
    double from;
    double to;
};

/* A rate in requests (messages) per second: "200", "50k", "1.5M" (powers of 1000), greater than
 * 0 and at most 1e9.  Returns 0 or RF_EVALUE / RF_ERANGE. */
int rf_parse_rate(const char *text, double *out);
/* Stages "10s:1k,30s:1k..20k,10s:20k": a duration and a rate, or a ramp FROM..TO, each; rates
 * may be 0 (a ramp from or to nothing, or a pause) but not all of them.  Returns the number of
 * stages, or RF_EVALUE / RF_ERANGE (more than max stages, or longer than 24 hours in all). */
int rf_parse_stages(const char *text, struct rf_stage *stages, unsigned max);

/* Source addresses: "127.0.0.2", a range "127.0.0.2-127.0.0.9" (IPv6: within the last 32
 * bits), or a comma-separated list of those, all of one family, into out (ports 0).  Returns
 * how many (>= 1) or RF_EVALUE / RF_ERANGE (more than max). */
struct sockaddr_storage;
int rf_parse_sources(const char *text, struct sockaddr_storage *out, unsigned max);
/* The local port range for outgoing connections (net.ipv4.ip_local_port_range): 0, or -1
 * when it cannot be read. */
int rf_local_ports(unsigned *lo, unsigned *hi);
struct rf_config;
/* The local ports the run needs from each source address towards its one target address. */
unsigned rf_ports_per_source(const struct rf_config *cfg);

/* "0,2-3" -> {0,2,3}.  Returns the number of CPUs written (>= 1) or RF_EVALUE / RF_ERANGE. */
int rf_parse_cpu_list(const char *text, int *cpus, int max_cpus);
/* The CPUs this process may run on (its affinity), ascending: returns how many were written. */
int rf_cpus_allowed(int *cpus, int max_cpus);
/* 0 when this process may run on every CPU of the list, else RF_ECPUS, and then, where allowed
 * is not NULL, the CPUs it may run on as text for the message ("0-3,6"). */
int rf_cpus_check(const int *cpus, unsigned n, char *allowed, size_t len);
/* An ascending list as text, "0-3,6" (truncated to fit). */
void rf_cpus_format(const int *cpus, int n, char *buf, size_t len);

/* ---- histogram: HdrHistogram layout, 3 significant digits, values in nanoseconds -------- */

struct rf_hist;

struct rf_hist *rf_hist_new(void);
void rf_hist_free(struct rf_hist *h);
void rf_hist_reset(struct rf_hist *h);
void rf_hist_record(struct rf_hist *h, uint64_t value_ns);
void rf_hist_record_n(struct rf_hist *h, uint64_t value_ns, uint64_t count);
void rf_hist_merge(struct rf_hist *into, const struct rf_hist *from);
uint64_t rf_hist_count(const struct rf_hist *h);
uint64_t rf_hist_min(const struct rf_hist *h);
uint64_t rf_hist_max(const struct rf_hist *h);
double rf_hist_mean(const struct rf_hist *h);
double rf_hist_stdev(const struct rf_hist *h);
/* The value at percentile p (0..100]: the highest value equivalent to the recorded one, never
 * above the recorded maximum.  0 when empty. */
uint64_t rf_hist_percentile(const struct rf_hist *h, double p);
/* Walks the non-empty buckets in value order: the lowest value of each bucket and its count.
 * Recording (value, count) pairs from the walk into another histogram rebuilds this one. */
typedef void rf_hist_visit_fn(uint64_t value_ns, uint64_t count, void *arg);
void rf_hist_foreach(const struct rf_hist *h, rf_hist_visit_fn *visit, void *arg);
/* The largest value the histogram keeps apart; larger ones are recorded as this value. */
uint64_t rf_hist_highest_trackable(void);
/* The counts array in HdrHistogram's own index order for a lowest discernible value of 1, 3
 * significant digits and rf_hist_highest_trackable(): what its encodings carry.  *n is the
 * length up to the last non-zero count. */
const uint64_t *rf_hist_counts(const struct rf_hist *h, size_t *n);
/* Adds count at an index of that order (as a decoder of those encodings reads them): 0, or -1
 * when the index is beyond the histogram. */
int rf_hist_add_at(struct rf_hist *h, size_t index, uint64_t count);
/* Visits every bucket whose count in h differs from snap's (the lowest value of the bucket
 * and the count added since), then makes snap's counts h's. */
void rf_hist_delta(const struct rf_hist *h, struct rf_hist *snap, rf_hist_visit_fn *visit,
                   void *arg);

/* ---- a run ------------------------------------------------------------------------------- */

#define RF_MAX_PIPELINE 1024
#define RF_MAX_CONNECTIONS 100000
#define RF_MAX_SOURCES 1024
#define RF_MAX_THREADS 256
#define RF_MAX_WS_MESSAGE (16u << 20)
#define RF_MIN_BUFFERS 8
#define RF_MAX_BUFFERS 32768

struct rf_progress {
    double elapsed_s; /* since the first traffic, warm-up included */
    double total_s;   /* planned warm-up + duration; 0 for -n runs without a limit */
    int warming_up;
    uint64_t responses; /* measured (after warm-up) so far */
    uint64_t errors;
    /* With config->live: the measured phase's histograms so far (service time; response time
     * and lag in the open model, else NULL), merged over the workers as each had them at its
     * last whole second; valid during the call.  NULL without config->live. */
    const struct rf_hist *latency, *response, *lag;
};

typedef void rf_progress_fn(const struct rf_progress *progress, void *arg);

/* One second of the measured phase: the histograms of the answers that came in it, merged
 * over the workers (response and lag are NULL in the closed loop). */
struct rf_interval {
    unsigned second; /* since the measured phase began */
    double length_s; /* 1, less for a short last second */
    const struct rf_hist *latency, *response, *lag;
};
typedef void rf_interval_fn(const struct rf_interval *interval, void *arg);

enum rf_arrivals {
    RF_ARRIVALS_UNIFORM, /* evenly spaced intended send times */
    RF_ARRIVALS_POISSON, /* exponential gaps (a Poisson process), seeded */
};

struct rf_config {
    struct rf_url url;
    unsigned connections;
    unsigned threads; /* 0: the CPUs this process may run on, at most connections */
    const int *cpus;  /* pin worker i to cpus[i % ncpus]; NULL: no pinning */
    unsigned ncpus;
    uint64_t duration_ns; /* with requests: the time limit */
    uint64_t warmup_ns;
    uint64_t requests; /* stop after exactly this many responses; 0: run for duration_ns */
    uint64_t timeout_ns;
    unsigned pipeline;
    unsigned refill;            /* free pipeline slots that trigger a send; 0: the pipeline */
    unsigned buffers;           /* provided receive buffers per worker, a power of two; 0: by -c */
    const char *method;         /* NULL: GET */
    const char *const *headers; /* "Name: value" */
    unsigned nheaders;
    const void *body;
    size_t body_len;
    const void *raw; /* a complete request as bytes; replaces method, headers and body */
    size_t raw_len;
    int websocket; /* WebSocket echo load (required for ws:// URLs): upgrade, then messages */
    const void *ws_message; /* the payload of every message */
    size_t ws_message_len;
    int ws_binary; /* binary frames; text otherwise (the payload must then be UTF-8) */
    /* The open model: requests (messages) are sent at intended times, whatever the answers, at
     * `rate` per second over all workers, or as `stages` say (duration_ns is then their sum).
     * 0 and no stages: the closed loop, where each connection sends again when answered. */
    double rate;
    const struct rf_stage *stages;
    unsigned nstages;
    enum rf_arrivals arrivals;
    uint64_t seed; /* of Poisson arrivals */
    /* One shard of a run split over machines: this run keeps the arrivals j of the whole
     * schedule with j mod nshards == shard (its connections and requests are given as its own
     * slice); nshards 0 or 1: the whole run. */
    unsigned shard, nshards;
    /* Local addresses the connections leave from, in turn (bound with IP_BIND_ADDRESS_NO_PORT,
     * so that each gets its own port range towards the target); NULL: the kernel's choice. */
    const struct sockaddr_storage *sources;
    unsigned nsources;
    /* The open model's schedule starts at this instant of the real-time clock (nanoseconds
     * since 1970), once the connections are open; 0: as soon as they are. */
    uint64_t start_at_ns;
    rf_progress_fn *progress; /* called about once a second from the calling thread */
    void *progress_arg;
    int live; /* progress carries the histograms so far (for live metrics) */
    /* Per-second histograms: each worker keeps its changes every second, and rf_run calls
     * this for each second, in order, from the calling thread before it returns. */
    rf_interval_fn *intervals;
    void *intervals_arg;
};

/* The target's failures, counted: they are data, not engine errors. */
enum rf_error_kind {
    RF_ERRK_CONNECT,
    RF_ERRK_READ,
    RF_ERRK_WRITE,
    RF_ERRK_TIMEOUT,
    RF_ERRK_PARSE,
    RF_ERRK_CLOSED, /* requests in flight when the peer closed the connection */
    RF_ERRK_COUNT_
};

const char *rf_error_kind_name(enum rf_error_kind kind);

#define RF_ERRNO_MAX 134 /* errno values counted one by one; larger ones are counted as 0 */

struct rf_counts {
    uint64_t requests; /* requests handed to the kernel */
    uint64_t responses;
    uint64_t bytes_sent;
    uint64_t bytes_received;
    uint64_t status[1000]; /* by exact code, 100..999 (the parser allows no others) */
    /* In no class: 600..999 (invalid, RFC 9110 section 15), and malformed upgrade answers. */
    uint64_t status_other;
    uint64_t errors[RF_ERRK_COUNT_];
    uint64_t errno_by_kind[RF_ERRK_COUNT_][RF_ERRNO_MAX + 1];
    uint64_t lost;       /* requests in flight on connections given up after a failure */
    uint64_t unanswered; /* requests still in flight when the run ended */
    uint64_t reconnects;
    uint64_t connects_ok; /* connections established, reconnections included */
    uint64_t enobufs;     /* receives that found the buffer ring empty and were re-armed */
    /* WebSocket: requests/responses count messages sent/echoed, status the upgrade answers */
    uint64_t ws_upgrades;
    uint64_t ws_upgrade_failed;
    uint64_t ws_protocol_errors; /* server frames breaking RFC 6455 section 5 */
    uint64_t ws_mismatches;      /* echoes whose length or bytes differ from what was sent */
    uint64_t ws_pings_answered;
    uint64_t ws_closes;   /* close frames from the server, answered; the connection re-opened */
    uint64_t short_sends; /* sends the kernel completed in part; the rest was resubmitted */
    uint64_t rx_stamped;  /* responses timed to the kernel's receive timestamp of their read */
    uint64_t rx_merged;   /* segments that shared a read with another, on connections checked */
    uint64_t tx_early_ns; /* over requests: how early their send stamps can be, at most */
    uint64_t waited;      /* open model: requests that were due while no connection had room */
};

struct rf_second {
    uint64_t responses;
    uint64_t errors;
    uint64_t bytes_received;
    uint64_t sent; /* requests handed to the kernel */
    double target; /* open model: the requests the schedule asked for in this second */
};

/* Whether an open-model run kept its schedule, and if not, what stopped it (rf_run's rule is
 * in docs/engine.md, "The verdict"). */
enum rf_verdict {
    RF_VERDICT_NONE,             /* the closed loop: no schedule to keep */
    RF_VERDICT_VALID,            /* the rate was met and the generator kept time */
    RF_VERDICT_GENERATOR_BOUND,  /* ringfire could not send on time */
    RF_VERDICT_CONNECTION_BOUND, /* every connection was busy: more -c (or -p) needed */
    RF_VERDICT_SERVER_BOUND,     /* the server answered slower than the schedule */
};

const char *rf_verdict_name(enum rf_verdict verdict);

/* The open model's account of a run. */
struct rf_rate {
    double target;           /* requests the schedule asked for in the measured phase */
    double target_rps;       /* the same per second */
    double sent_rps;         /* requests handed to the kernel per second */
    double completed_rps;    /* responses per second */
    double ratio;            /* completed / target */
    double tolerance;        /* how far ratio may be from 1 for the run to be valid */
    double worker_cpu;       /* the busiest worker's CPU time over the measured phase's */
    double wake_late_max_us; /* the latest a worker's timed wait ended after its time */
    double warm_fastest_us;  /* the warm-up's fastest service time (0: none), before queues grew */
    enum rf_verdict verdict;
    int stalled;      /* generator-bound because a wake-up came late, not from ringfire's load */
    char reason[320]; /* the verdict in a sentence, with its figures */
};

struct rf_env {
    char kernel[128];
    char cpu_model[128];
    unsigned cores;
    unsigned ring_flags;     /* IORING_SETUP_* flags in effect (the weakest a worker got) */
    char ring_fallback[160]; /* empty when the preferred flags were accepted */
    unsigned buffers;        /* provided buffers per worker */
    unsigned buffer_size;
};

/* When the schedule started, and how well this machine's clock knows the time (the kernel's
 * estimate for an NTP-disciplined clock), for runs started together on many machines. */
struct rf_start {
    uint64_t unix_ns;   /* the real-time instant the measured phase's clock counts from */
    uint64_t late_ns;   /* start_at given: how long after it the last worker's schedule began */
    int clock_synced;   /* the kernel's clock is disciplined (no STA_UNSYNC) */
    double esterror_us; /* its estimated error */
    double maxerror_us; /* and the bound of it */
};

struct rf_result {
    struct rf_counts counts;
    struct rf_hist *latency;    /* service time: actual send to the response's arrival */
    struct rf_hist *response;   /* open model: intended send to arrival (NULL in the closed loop) */
    struct rf_hist *lag;        /* open model: actual minus intended send (NULL likewise) */
    struct rf_rate rate;        /* open model */
    struct rf_second *timeline; /* one entry per second of the measured phase */
    unsigned timeline_len;
    double duration_s;    /* of the measured phase */
    unsigned threads;     /* workers actually started */
    unsigned refill;      /* in effect */
    unsigned connections; /* requested */
    uint64_t established; /* connections open at least once */
    int interrupted;      /* rf_stop() ended the run early */
    int complete;         /* with requests: all of them were answered */
    int target_errno;     /* with RF_ETARGET: why the first connection failed */
    struct rf_start start;
    struct rf_env env;
};

/* Runs a load test.  Returns 0 when the run took place (whatever the target did), or an
 * engine error: RF_ETARGET with the connect errno in *result's counts when the target never
 * accepted a connection before the run.  Fills result; free it with rf_result_free() (a run
 * that failed leaves nothing to free). */
int rf_run(const struct rf_config *config, struct rf_result *result);
void rf_result_free(struct rf_result *result);
/* Asks a running rf_run() to stop soon.  Async-signal-safe. */
void rf_stop(void);

/* Reads kernel, CPU model and core count. */
void rf_env_read(struct rf_env *env);
/* The ring set-up flags in effect, for people: "SINGLE_ISSUER|DEFER_TASKRUN", ..., "none". */
const char *rf_ring_flags_name(unsigned flags);

#endif
