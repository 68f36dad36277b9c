/*
 * results.c - ringfire.results/3: the field tables, and the loader and writer that walk them.
 *
 * Each record type is one table of fields {key, kind, place in the struct, rules}; the loader
 * checks a value against its field's rules as it stores it, the writer prints the struct in
 * table order, so the two cannot drift apart and a key is spelt in one place.  Document-wide
 * rules (ids, names, runs against repetitions) are checked after the records are built.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "results.h"
#include "ringfire.h"

#define RR_SCHEMA "ringfire.results/3"
#define RR_BIG 9007199254740992.0 /* 2^53: every whole number up to it is exact in a double */
#define RR_MAX_LIST (1u << 22)    /* cells, runs, buckets or seconds in one list */

enum rr_kind {
    K_STR,
    K_UINT,
    K_INT,
    K_U64,
    K_NUM,
    K_BOOL,
    K_ENUM,
    K_OBJ,
    K_PAIR,
    K_MAP,
    K_LIST,
    K_BUCKETS,
    K_RAW
};

#define F_REQ 1   /* must be given */
#define F_NULL 2  /* a string may be null (NULL); an object may be null or absent (present 0) */
#define F_NAME 4  /* a string that rr_name_ok accepts */
#define F_WHOLE 8 /* a number that is a whole number */

struct rr_table;

struct rr_field {
    const char *key;
    enum rr_kind kind;
    size_t off;
    size_t off_n; /* K_LIST, K_BUCKETS: where the count is */
    unsigned flags;
    double lo, hi;
    const void *sub; /* K_OBJ, K_LIST: a table; K_ENUM: its names, NULL-terminated */
};

struct rr_table {
    const struct rr_field *f;
    size_t n;
    size_t size;    /* of the record, for lists */
    size_t present; /* offset + 1 of an int set when the object is there; 0: always there */
};

#define TABLE(fields, type, present)                                                               \
    {                                                                                              \
        fields, sizeof(fields) / sizeof(fields[0]), sizeof(type), present                          \
    }
#define NUM(key, type, member, lo, hi)                                                             \
    {                                                                                              \
        key, K_NUM, offsetof(type, member), 0, 0, lo, hi, NULL                                     \
    }

static const char *const rr_status_names[] = {"pending", "ok", "failed", "skipped", NULL};
static const char *const rr_verdict_names[] = {"valid", "generator-bound", "connection-bound",
                                               "server-bound", NULL};
static const char *const rr_bottleneck_names[] = {"neither", "client-bound", "server-bound", "both",
                                                  NULL};

const char *rr_status_name(enum rr_status s)
{
    return s <= RR_SKIPPED ? rr_status_names[s] : "?";
}

const char *rr_bottleneck_name(enum rr_bottleneck b)
{
    return b <= RR_BOTH_BOUND ? rr_bottleneck_names[b] : "?";
}

/* ---- the tables ---------------------------------------------------------------------------- */

#define LAT(key, i)                                                                                \
    {                                                                                              \
        key, K_NUM, (i) * sizeof(double), 0, 0, 0, RR_BIG, NULL                                    \
    }
static const struct rr_field lat_f[] = {
    LAT("p50", RR_P50),     LAT("p75", RR_P75),       LAT("p90", RR_P90), LAT("p99", RR_P99),
    LAT("p99_9", RR_P99_9), LAT("p99_99", RR_P99_99), LAT("max", RR_MAX),
};
static const struct rr_table lat_t = TABLE(lat_f, double[RR_NLAT], 0);

/* The percentiles an objective may name, in enum rr_lat order. */
static const char *const rr_pct_names[] = {"p50", "p75", "p90", "p99", "p99_9", "p99_99", NULL};

const char *rr_lat_name(enum rr_lat k)
{
    return k < RR_MAX ? rr_pct_names[k] : k == RR_MAX ? "max" : "?";
}

static const struct rr_field cpu_f[] = {
    NUM("client", struct rr_cpu, client, 0, RR_BIG),
    NUM("target", struct rr_cpu, target, 0, RR_BIG),
};
static const struct rr_table cpu_t = TABLE(cpu_f, struct rr_cpu, 0);

#define ERR(key, member)                                                                           \
    {                                                                                              \
        key, K_NUM, offsetof(struct rr_errors, member), 0, F_WHOLE, 0, RR_BIG, NULL                \
    }
static const struct rr_field errors_f[] = {
    ERR("connect", connect), ERR("read", read),     ERR("write", write),   ERR("timeout", timeout),
    ERR("parse", parse),     ERR("closed", closed), ERR("status", status),
};
static const struct rr_table errors_t = TABLE(errors_f, struct rr_errors, 0);

const char *rr_error_kind(size_t k, const struct rr_errors *e, double *value)
{
    if (k >= sizeof(errors_f) / sizeof(errors_f[0]))
        return NULL;
    *value = *(const double *)((const char *)e + errors_f[k].off);
    return errors_f[k].key;
}

const char *rr_verdict_name(enum rr_verdict v)
{
    return v <= RR_V_SERVER ? rr_verdict_names[v] : "?";
}

static const struct rr_field run_rate_f[] = {
    NUM("target_rps", struct rr_run_rate, target_rps, 0, RR_BIG),
    NUM("completed_rps", struct rr_run_rate, completed_rps, 0, RR_BIG),
    NUM("rate_ratio", struct rr_run_rate, rate_ratio, 0, 1e6),
    {"verdict", K_ENUM, offsetof(struct rr_run_rate, verdict), 0, F_REQ, 0, 0, rr_verdict_names},
    NUM("lag_p99_us", struct rr_run_rate, lag_p99_us, 0, RR_BIG),
    NUM("wake_late_max_us", struct rr_run_rate, wake_late_max_us, 0, RR_BIG),
    {"stalled", K_BOOL, offsetof(struct rr_run_rate, stalled), 0, 0, 0, 0, NULL},
    {"response_time_us", K_OBJ, offsetof(struct rr_run_rate, response_us), 0, 0, 0, 0, &lat_t},
};
static const struct rr_table run_rate_t =
    TABLE(run_rate_f, struct rr_run_rate, offsetof(struct rr_run_rate, present) + 1);

static const struct rr_field rate_f[] = {
    NUM("rps", struct rr_rate, rps, 0, RR_BIG),
    NUM("of_peak", struct rr_rate, of_peak, 0, 100),
    {"search", K_BOOL, offsetof(struct rr_rate, search), 0, 0, 0, 0, NULL},
};
static const struct rr_table rate_t =
    TABLE(rate_f, struct rr_rate, offsetof(struct rr_rate, present) + 1);

static const struct rr_field step_f[] = {
    NUM("rps", struct rr_step, rps, 0, RR_BIG),
    {"passed", K_BOOL, offsetof(struct rr_step, passed), 0, F_REQ, 0, 0, NULL},
    NUM("latency_us", struct rr_step, latency_us, 0, RR_BIG),
    NUM("error_rate", struct rr_step, error_rate, 0, 1),
    {"verdict", K_ENUM, offsetof(struct rr_step, verdict), 0, 0, 0, 0, rr_verdict_names},
    NUM("wake_late_max_us", struct rr_step, wake_late_max_us, 0, RR_BIG),
    {"stalled", K_BOOL, offsetof(struct rr_step, stalled), 0, 0, 0, 0, NULL},
};
static const struct rr_table step_t = TABLE(step_f, struct rr_step, 0);

static const struct rr_field slo_f[] = {
    {"percentile", K_ENUM, offsetof(struct rr_slo, percentile), 0, F_REQ, 0, 0, rr_pct_names},
    NUM("limit_us", struct rr_slo, limit_us, 0, RR_BIG),
    NUM("max_error_rate", struct rr_slo, max_error_rate, 0, 1),
    NUM("precision", struct rr_slo, precision, 0, 1),
};
static const struct rr_table slo_t =
    TABLE(slo_f, struct rr_slo, offsetof(struct rr_slo, present) + 1);

static const struct rr_field second_f[] = {
    {"second", K_UINT, offsetof(struct rr_second, second), 0, F_REQ, 0, 1e9, NULL},
    {"responses", K_NUM, offsetof(struct rr_second, responses), 0, F_WHOLE, 0, RR_BIG, NULL},
    {"errors", K_NUM, offsetof(struct rr_second, errors), 0, F_WHOLE, 0, RR_BIG, NULL},
    {"bytes_received", K_NUM, offsetof(struct rr_second, bytes_received), 0, F_WHOLE, 0, RR_BIG,
     NULL},
};
static const struct rr_table second_t = TABLE(second_f, struct rr_second, 0);

#define RUN(key, kind, member, flags, lo, hi, sub)                                                 \
    {                                                                                              \
        key, kind, offsetof(struct rr_run, member), 0, flags, lo, hi, sub                          \
    }
static const struct rr_field run_f[] = {
    RUN("rep", K_UINT, rep, F_REQ, 1, 1000, NULL),
    RUN("order", K_UINT, order, 0, 0, 1e9, NULL),
    RUN("command", K_STR, command, 0, 0, 0, NULL),
    RUN("exit_status", K_INT, exit_status, 0, -1, 255, NULL),
    RUN("rps", K_NUM, rps, F_REQ, 0, RR_BIG, NULL),
    RUN("duration_s", K_NUM, duration_s, 0, 0, 1e9, NULL),
    RUN("responses", K_NUM, responses, F_WHOLE, 0, RR_BIG, NULL),
    RUN("errors", K_NUM, errors, F_WHOLE, 0, RR_BIG, NULL),
    RUN("error_kinds", K_OBJ, error_kinds, 0, 0, 0, &errors_t),
    RUN("unanswered", K_NUM, unanswered, F_WHOLE, 0, RR_BIG, NULL),
    RUN("latency_us", K_OBJ, latency_us, 0, 0, 0, &lat_t),
    RUN("send_early_us", K_NUM, send_early_us, 0, 0, 1e12, NULL),
    RUN("wall_s", K_NUM, wall_s, 0, 0, 1e9, NULL),
    RUN("client_cpu_s", K_NUM, client_cpu_s, 0, 0, 1e12, NULL),
    RUN("target_cpu_s", K_NUM, target_cpu_s, 0, 0, 1e12, NULL),
    RUN("client_peak_rss_bytes", K_NUM, client_peak_rss_bytes, F_WHOLE, 0, RR_BIG, NULL),
    RUN("target_peak_rss_bytes", K_NUM, target_peak_rss_bytes, F_WHOLE, 0, RR_BIG, NULL),
    RUN("cpu_us_per_response", K_OBJ, cpu_us_per_response, 0, 0, 0, &cpu_t),
    RUN("client_utilization", K_NUM, client_utilization, 0, 0, 1e6, NULL),
    RUN("target_utilization", K_NUM, target_utilization, 0, 0, 1e6, NULL),
    RUN("bottleneck", K_ENUM, bottleneck, 0, 0, 0, rr_bottleneck_names),
    RUN("rate", K_OBJ, rate, F_NULL, 0, 0, &run_rate_t),
    {"steps", K_LIST, offsetof(struct rr_run, steps), offsetof(struct rr_run, nsteps), 0, 0, 0,
     &step_t},
    RUN("stopped_by", K_STR, stopped_by, F_NULL, 0, 0, NULL),
    {"histogram_ns", K_BUCKETS, offsetof(struct rr_run, buckets), offsetof(struct rr_run, nbuckets),
     0, 0, 0, NULL},
    {"timeline", K_LIST, offsetof(struct rr_run, timeline), offsetof(struct rr_run, ntimeline), 0,
     0, 0, &second_t},
    RUN("raw", K_RAW, raw, 0, 0, 0, NULL),
};
static const struct rr_table run_t = TABLE(run_f, struct rr_run, 0);

static const struct rr_field rps_f[] = {
    NUM("median", struct rr_rps, median, 0, RR_BIG),
    {"ci", K_PAIR, offsetof(struct rr_rps, ci), 0, 0, 0, RR_BIG, NULL},
    NUM("ci_coverage", struct rr_rps, ci_coverage, 0, 1),
    NUM("min", struct rr_rps, min, 0, RR_BIG),
    NUM("max", struct rr_rps, max, 0, RR_BIG),
    NUM("cv", struct rr_rps, cv, 0, 1e6),
    {"runs", K_UINT, offsetof(struct rr_rps, runs), 0, 0, 0, 1000, NULL},
    {"resolved", K_BOOL, offsetof(struct rr_rps, resolved), 0, 0, 0, 0, NULL},
};
static const struct rr_table rps_t = TABLE(rps_f, struct rr_rps, 0);

#define SUM(key, kind, member, flags, lo, hi, sub)                                                 \
    {                                                                                              \
        key, kind, offsetof(struct rr_summary, member), 0, flags, lo, hi, sub                      \
    }
static const struct rr_field summary_f[] = {
    SUM("rps", K_OBJ, rps, F_REQ, 0, 0, &rps_t),
    SUM("latency_us", K_OBJ, latency_us, 0, 0, 0, &lat_t),
    SUM("cpu_us_per_response", K_OBJ, cpu_us_per_response, 0, 0, 0, &cpu_t),
    SUM("utilization", K_OBJ, utilization, 0, 0, 0, &cpu_t),
    SUM("peak_rss_bytes", K_OBJ, peak_rss_bytes, 0, 0, 0, &cpu_t),
    SUM("errors", K_NUM, errors, 0, 0, RR_BIG, NULL),
    SUM("error_rate", K_NUM, error_rate, 0, 0, 1, NULL),
    SUM("unanswered", K_NUM, unanswered, 0, 0, RR_BIG, NULL),
    SUM("bottleneck", K_ENUM, bottleneck, 0, 0, 0, rr_bottleneck_names),
};
static const struct rr_table summary_t =
    TABLE(summary_f, struct rr_summary, offsetof(struct rr_summary, present) + 1);

#define CELL(key, kind, member, flags, lo, hi, sub)                                                \
    {                                                                                              \
        key, kind, offsetof(struct rr_cell, member), 0, flags, lo, hi, sub                         \
    }
static const struct rr_field cell_f[] = {
    CELL("id", K_STR, id, F_REQ, 0, 0, NULL),
    CELL("target", K_STR, target, F_REQ | F_NAME, 0, 0, NULL),
    CELL("endpoint", K_STR, endpoint, F_REQ | F_NAME, 0, 0, NULL),
    CELL("tool", K_STR, tool, F_REQ | F_NAME, 0, 0, NULL),
    CELL("connections", K_UINT, connections, F_REQ, 1, RF_MAX_CONNECTIONS, NULL),
    CELL("pipeline", K_UINT, pipeline, F_REQ, 1, RF_MAX_PIPELINE, NULL),
    CELL("threads", K_UINT, threads, 0, 0, RF_MAX_THREADS, NULL),
    CELL("websocket", K_BOOL, websocket, 0, 0, 0, NULL),
    CELL("ws_message_bytes", K_UINT, ws_message_bytes, 0, 0, RF_MAX_WS_MESSAGE, NULL),
    CELL("repetitions", K_UINT, repetitions, F_REQ, 1, 1000, NULL),
    CELL("repetitions_min", K_UINT, repetitions_min, 0, 0, 1000, NULL),
    CELL("interval_target", K_NUM, interval_target, 0, 0, 1, NULL),
    CELL("reference", K_BOOL, reference, 0, 0, 0, NULL),
    CELL("duration_s", K_NUM, duration_s, 0, 0, 86400, NULL),
    CELL("rate", K_OBJ, rate, F_NULL, 0, 0, &rate_t),
    CELL("status", K_ENUM, status, F_REQ, 0, 0, rr_status_names),
    CELL("reason", K_STR, reason, F_NULL, 0, 0, NULL),
    {"runs", K_LIST, offsetof(struct rr_cell, runs), offsetof(struct rr_cell, nruns), 0, 0, 0,
     &run_t},
    CELL("summary", K_OBJ, summary, F_NULL, 0, 0, &summary_t),
};
static const struct rr_table cell_t = TABLE(cell_f, struct rr_cell, 0);

#define ENV(key, kind, member, lo, hi)                                                             \
    {                                                                                              \
        key, kind, offsetof(struct rr_env, member), 0, 0, lo, hi, NULL                             \
    }
static const struct rr_field env_f[] = {
    ENV("ringfire", K_STR, ringfire, 0, 0),
    ENV("kernel", K_STR, kernel, 0, 0),
    ENV("cpu_model", K_STR, cpu_model, 0, 0),
    ENV("cores", K_UINT, cores, 0, 1e6),
    ENV("client_cpus", K_STR, client_cpus, 0, 0),
    ENV("target_cpus", K_STR, target_cpus, 0, 0),
    ENV("suite_sha256", K_STR, suite_sha256, 0, 0),
    ENV("seed", K_U64, seed, 0, RR_BIG),
    ENV("started", K_STR, started, 0, 0),
    ENV("command", K_STR, command, 0, 0),
    ENV("tools", K_MAP, tools, 0, 0),
    ENV("targets", K_MAP, targets, 0, 0),
    ENV("distribution", K_STR, distribution, 0, 0),
    ENV("memory_bytes", K_NUM, memory_bytes, 0, RR_BIG),
    ENV("threads_per_core", K_UINT, threads_per_core, 0, 64),
    ENV("virtualization", K_STR, virtualization, 0, 0),
    ENV("governor", K_STR, governor, 0, 0),
    ENV("cpu_takers", K_STR, cpu_takers, 0, 0),
    ENV("cpu_distance_start_ns", K_NUM, cpu_distance_start_ns, 0, 1e9),
    ENV("cpu_distance_end_ns", K_NUM, cpu_distance_end_ns, 0, 1e9),
    ENV("tcp", K_MAP, tcp, 0, 0),
    ENV("warmup_s", K_NUM, warmup_s, 0, 86400),
    ENV("timeout_s", K_NUM, timeout_s, 0, 86400),
    ENV("target_settings", K_MAP, target_settings, 0, 0),
    ENV("interleaved", K_BOOL, interleaved, 0, 0),
    {"slo", K_OBJ, offsetof(struct rr_env, slo), 0, F_NULL, 0, 0, &slo_t},
};
static const struct rr_table env_t = TABLE(env_f, struct rr_env, 0);

static const struct rr_field suite_f[] = {
    {"name", K_STR, offsetof(struct rr_suite_ref, name), 0, F_REQ | F_NAME, 0, 0, NULL},
    {"file", K_STR, offsetof(struct rr_suite_ref, file), 0, 0, 0, 0, NULL},
};
static const struct rr_table suite_t = TABLE(suite_f, struct rr_suite_ref, 0);

static const struct rr_field doc_f[] = {
    {"suite", K_OBJ, offsetof(struct rr_doc, suite), 0, F_REQ, 0, 0, &suite_t},
    {"env", K_OBJ, offsetof(struct rr_doc, env), 0, F_REQ, 0, 0, &env_t},
    {"cells", K_LIST, offsetof(struct rr_doc, cells), offsetof(struct rr_doc, ncells), F_REQ, 0, 0,
     &cell_t},
};
static const struct rr_table doc_t = TABLE(doc_f, struct rr_doc, 0);

/* ---- helpers ------------------------------------------------------------------------------- */

#define AT(rec, off, type) ((type *)((char *)(rec) + (off)))

static int rr_present(const struct rr_table *t, const void *rec)
{
    return t->present == 0 || *AT(rec, t->present - 1, const int);
}

/* The values a record has before its keys are read: NaN for numbers, nothing owned. */
static void rr_defaults(const struct rr_table *t, void *rec)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct rr_field *f = &t->f[i];
        if (f->kind == K_NUM)
            *AT(rec, f->off, double) = NAN;
        else if (f->kind == K_PAIR)
            AT(rec, f->off, double)[0] = AT(rec, f->off, double)[1] = NAN;
        else if (f->kind == K_OBJ)
            rr_defaults(f->sub, AT(rec, f->off, void));
    }
}

static void rr_free_record(const struct rr_table *t, void *rec);

static void rr_free_field(const struct rr_field *f, void *rec)
{
    switch (f->kind) {
    case K_STR:
        free(*AT(rec, f->off, char *));
        break;
    case K_OBJ:
        rr_free_record(f->sub, AT(rec, f->off, void));
        break;
    case K_MAP: {
        struct rr_map *m = AT(rec, f->off, struct rr_map);
        for (size_t k = 0; k < m->n; k++) {
            free(m->v[k].name);
            free(m->v[k].value);
        }
        free(m->v);
        break;
    }
    case K_LIST: {
        const struct rr_table *e = f->sub;
        char *v = *AT(rec, f->off, char *);
        for (size_t k = 0; k < *AT(rec, f->off_n, size_t); k++)
            rr_free_record(e, v + k * e->size);
        free(v);
        break;
    }
    case K_BUCKETS:
        free(*AT(rec, f->off, void *));
        break;
    case K_RAW:
        cJSON_Delete(*AT(rec, f->off, cJSON *));
        break;
    default:
        break;
    }
}

static void rr_free_record(const struct rr_table *t, void *rec)
{
    for (size_t i = 0; i < t->n; i++)
        rr_free_field(&t->f[i], rec);
}

void rr_doc_free(struct rr_doc *doc)
{
    rr_free_record(&doc_t, doc);
    memset(doc, 0, sizeof(*doc));
}

void rr_run_free(struct rr_run *run)
{
    rr_free_record(&run_t, run);
    rr_run_init(run);
}

void rr_run_init(struct rr_run *run)
{
    memset(run, 0, sizeof(*run));
    rr_defaults(&run_t, run);
}

/* ---- loading ------------------------------------------------------------------------------- */

static int rr_take_record(struct rj_ctx *L, const cJSON *obj, const char *path,
                          const struct rr_table *t, void *rec);

/* A number within [lo, hi], whole where asked. */
static int rr_number(struct rj_ctx *L, const cJSON *v, const char *path, double lo, double hi,
                     int whole, double *out)
{
    char got[64];
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < lo ||
        v->valuedouble > hi || (whole && v->valuedouble != floor(v->valuedouble)))
        return rj_fail(L, path, "expected %s from %.0f to %.0f, got %s",
                       whole ? "a whole number" : "a number", lo, hi, rj_repr(v, got, sizeof(got)));
    *out = v->valuedouble;
    return 0;
}

static int rr_take_string(struct rj_ctx *L, const struct rr_field *f, const cJSON *v,
                          const char *path, void *rec)
{
    char got[64];
    if (cJSON_IsNull(v) && (f->flags & F_NULL))
        return 0;
    if (!cJSON_IsString(v))
        return rj_fail(L, path, "expected a string, got %s", rj_repr(v, got, sizeof(got)));
    if ((f->flags & F_NAME) && !rr_name_ok(v->valuestring))
        return rj_fail(L, path,
                       "expected a name of 1 to %d characters from A-Z a-z 0-9 . _ - starting "
                       "with a letter or digit, got %s",
                       RR_NAME_MAX, rj_repr(v, got, sizeof(got)));
    char **dst = AT(rec, f->off, char *);
    free(*dst);
    *dst = strdup(v->valuestring);
    return *dst ? 0 : rj_fail(L, path, "out of memory");
}

static int rr_take_enum(struct rj_ctx *L, const struct rr_field *f, const cJSON *v,
                        const char *path, void *rec)
{
    const char *const *names = f->sub;
    for (int k = 0; cJSON_IsString(v) && names[k]; k++)
        if (strcmp(v->valuestring, names[k]) == 0) {
            *AT(rec, f->off, int) = k;
            return 0;
        }
    char got[64], list[200] = "";
    for (int k = 0; names[k]; k++)
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s\"%s\"", k ? ", " : "",
                 names[k]);
    return rj_fail(L, path, "expected one of %s, got %s", list, rj_repr(v, got, sizeof(got)));
}

static int rr_take_pair(struct rj_ctx *L, const struct rr_field *f, const cJSON *v,
                        const char *path, void *rec)
{
    char got[64], p[300];
    double *d = AT(rec, f->off, double);
    if (cJSON_IsNull(v))
        return 0; /* not measured: stays [NaN, NaN] */
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2)
        return rj_fail(L, path, "expected [low, high], got %s", rj_repr(v, got, sizeof(got)));
    for (int k = 0; k < 2; k++) {
        rj_path_index(p, sizeof(p), path, (size_t)k);
        if (rr_number(L, cJSON_GetArrayItem(v, k), p, f->lo, f->hi, 0, &d[k]) < 0)
            return -1;
    }
    return d[0] <= d[1] ? 0 : rj_fail(L, path, "expected low <= high, got [%g, %g]", d[0], d[1]);
}

static int rr_take_map(struct rj_ctx *L, const struct rr_field *f, const cJSON *v, const char *path,
                       void *rec)
{
    char got[64], p[300];
    struct rr_map *m = AT(rec, f->off, struct rr_map);
    if (!cJSON_IsObject(v))
        return rj_fail(L, path, "expected an object of names to strings, got %s",
                       rj_repr(v, got, sizeof(got)));
    int n = cJSON_GetArraySize(v);
    m->v = calloc((size_t)n + 1, sizeof(*m->v));
    if (!m->v)
        return rj_fail(L, path, "out of memory");
    const cJSON *item;
    cJSON_ArrayForEach(item, v)
    {
        rj_path_key(p, sizeof(p), path, item->string);
        if (!rr_name_ok(item->string))
            return rj_fail(L, p, "expected a tool or target name (A-Z a-z 0-9 . _ -)");
        if (!cJSON_IsString(item))
            return rj_fail(L, p, "expected a string, got %s", rj_repr(item, got, sizeof(got)));
        for (size_t k = 0; k < m->n; k++)
            if (strcmp(m->v[k].name, item->string) == 0)
                return rj_fail(L, p, "given twice");
        struct rr_pair *e = &m->v[m->n++];
        e->name = strdup(item->string);
        e->value = strdup(item->valuestring);
        if (!e->name || !e->value)
            return rj_fail(L, p, "out of memory");
    }
    return 0;
}

static int rr_take_list(struct rj_ctx *L, const struct rr_field *f, const cJSON *v,
                        const char *path, void *rec)
{
    char got[64], p[300];
    const struct rr_table *e = f->sub;
    if (!cJSON_IsArray(v))
        return rj_fail(L, path, "expected an array, got %s", rj_repr(v, got, sizeof(got)));
    size_t n = (size_t)cJSON_GetArraySize(v);
    if (n > RR_MAX_LIST)
        return rj_fail(L, path, "more than %u entries", RR_MAX_LIST);
    char *arr = calloc(n ? n : 1, e->size);
    if (!arr)
        return rj_fail(L, path, "out of memory");
    *AT(rec, f->off, char *) = arr;
    size_t *count = AT(rec, f->off_n, size_t);
    const cJSON *item;
    cJSON_ArrayForEach(item, v)
    {
        rj_path_index(p, sizeof(p), path, *count);
        void *elem = arr + *count * e->size;
        rr_defaults(e, elem);
        (*count)++; /* counted first: a half-read record is freed with the rest */
        if (rr_take_record(L, item, p, e, elem) < 0)
            return -1;
    }
    return 0;
}

static int rr_take_buckets(struct rj_ctx *L, const struct rr_field *f, const cJSON *v,
                           const char *path, void *rec)
{
    char got[64], p[300];
    if (cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsArray(v))
        return rj_fail(L, path, "expected an array of [value_ns, count] pairs, got %s",
                       rj_repr(v, got, sizeof(got)));
    size_t n = (size_t)cJSON_GetArraySize(v);
    if (n > RR_MAX_LIST)
        return rj_fail(L, path, "more than %u buckets", RR_MAX_LIST);
    struct rr_bucket *b = calloc(n ? n : 1, sizeof(*b));
    if (!b)
        return rj_fail(L, path, "out of memory");
    *AT(rec, f->off, struct rr_bucket *) = b;
    size_t *count = AT(rec, f->off_n, size_t);
    const cJSON *item;
    cJSON_ArrayForEach(item, v)
    {
        double value, num;
        rj_path_index(p, sizeof(p), path, *count);
        if (!cJSON_IsArray(item) || cJSON_GetArraySize(item) != 2)
            return rj_fail(L, p, "expected [value_ns, count], got %s",
                           rj_repr(item, got, sizeof(got)));
        if (rr_number(L, cJSON_GetArrayItem(item, 0), p, 0, RR_BIG, 1, &value) < 0 ||
            rr_number(L, cJSON_GetArrayItem(item, 1), p, 1, RR_BIG, 1, &num) < 0)
            return -1;
        if (*count > 0 && (uint64_t)value <= b[*count - 1].value_ns)
            return rj_fail(L, p, "bucket values must rise, got %.0f after %llu", value,
                           (unsigned long long)b[*count - 1].value_ns);
        b[*count].value_ns = (uint64_t)value;
        b[(*count)++].count = (uint64_t)num;
    }
    return 0;
}

static int rr_take_field(struct rj_ctx *L, const struct rr_field *f, const cJSON *v,
                         const char *path, void *rec)
{
    char got[64];
    double d;
    int whole = f->kind != K_NUM || (f->flags & F_WHOLE);
    switch (f->kind) {
    case K_STR:
        return rr_take_string(L, f, v, path, rec);
    case K_UINT:
    case K_INT:
    case K_U64:
        if (rr_number(L, v, path, f->lo, f->hi, whole, &d) < 0)
            return -1;
        if (f->kind == K_UINT)
            *AT(rec, f->off, unsigned) = (unsigned)d;
        else if (f->kind == K_INT)
            *AT(rec, f->off, int) = (int)d;
        else
            *AT(rec, f->off, uint64_t) = (uint64_t)d;
        return 0;
    case K_NUM:
        if (cJSON_IsNull(v) && !(f->flags & F_REQ))
            return 0; /* not measured: stays NaN */
        return rr_number(L, v, path, f->lo, f->hi, whole, AT(rec, f->off, double));
    case K_BOOL:
        if (!cJSON_IsBool(v))
            return rj_fail(L, path, "expected true or false, got %s", rj_repr(v, got, sizeof(got)));
        *AT(rec, f->off, int) = cJSON_IsTrue(v);
        return 0;
    case K_ENUM:
        return rr_take_enum(L, f, v, path, rec);
    case K_OBJ:
        if (cJSON_IsNull(v) && (f->flags & F_NULL))
            return 0;
        return rr_take_record(L, v, path, f->sub, AT(rec, f->off, void));
    case K_PAIR:
        return rr_take_pair(L, f, v, path, rec);
    case K_MAP:
        return rr_take_map(L, f, v, path, rec);
    case K_LIST:
        return rr_take_list(L, f, v, path, rec);
    case K_BUCKETS:
        return rr_take_buckets(L, f, v, path, rec);
    case K_RAW:
        if (cJSON_IsNull(v))
            return 0;
        if (!cJSON_IsObject(v))
            return rj_fail(L, path, "expected an object, got %s", rj_repr(v, got, sizeof(got)));
        *AT(rec, f->off, cJSON *) = cJSON_Duplicate(v, 1);
        return *AT(rec, f->off, cJSON *) ? 0 : rj_fail(L, path, "out of memory");
    }
    return -1;
}

static int rr_take_record(struct rj_ctx *L, const cJSON *obj, const char *path,
                          const struct rr_table *t, void *rec)
{
    char got[64], p[300];
    if (!cJSON_IsObject(obj))
        return rj_fail(L, path, "expected an object, got %s", rj_repr(obj, got, sizeof(got)));
    const char *known[40];
    for (size_t i = 0; i < t->n; i++)
        known[i] = t->f[i].key;
    known[t->n] = NULL;
    if (rj_keys(L, obj, path, known) < 0)
        return -1;
    if (t->present)
        *AT(rec, t->present - 1, int) = 1;
    for (size_t i = 0; i < t->n; i++) {
        const struct rr_field *f = &t->f[i];
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, f->key);
        rj_path_key(p, sizeof(p), path, f->key);
        if (!v && (f->flags & F_REQ))
            return rj_fail(L, p, "missing");
        if (!v && f->kind == K_STR && !(f->flags & F_NULL)) {
            *AT(rec, f->off, char *) = strdup("");
            if (!*AT(rec, f->off, char *))
                return rj_fail(L, p, "out of memory");
        }
        if (v && rr_take_field(L, f, v, p, rec) < 0)
            return -1;
    }
    return 0;
}

/* ---- rules across records ------------------------------------------------------------------ */

static int rr_check_cell(struct rj_ctx *L, const struct rr_cell *c, const char *path)
{
    char p[300], id[512];
    if (rr_cell_id(id, sizeof(id), c->target, c->endpoint, c->tool, c->connections, c->pipeline,
                   c->threads, c->websocket, c->ws_message_bytes) < 0 ||
        (c->rate.present && rr_cell_id_rate(id, sizeof(id), &c->rate) < 0) ||
        strcmp(id, c->id) != 0) {
        rj_path_key(p, sizeof(p), path, "id");
        char got[200];
        rj_printable(c->id, strlen(c->id) < 160 ? strlen(c->id) : 160, got, sizeof(got));
        return rj_fail(L, p, "\"%s\" does not match the cell's fields, which make \"%s\"", got, id);
    }
    if (!c->websocket && c->ws_message_bytes) {
        rj_path_key(p, sizeof(p), path, "ws_message_bytes");
        return rj_fail(L, p, "%u on a cell that is not WebSocket", c->ws_message_bytes);
    }
    if (c->repetitions_min > c->repetitions) {
        rj_path_key(p, sizeof(p), path, "repetitions_min");
        return rj_fail(L, p, "%u, above the %u repetitions", c->repetitions_min, c->repetitions);
    }
    if (c->nruns > c->repetitions) {
        rj_path_key(p, sizeof(p), path, "runs");
        return rj_fail(L, p, "%zu runs, more than the %u repetitions", c->nruns, c->repetitions);
    }
    for (size_t k = 0; k < c->nruns; k++)
        if (c->runs[k].rep > c->repetitions) {
            char rp[300];
            rj_path_index(rp, sizeof(rp), path, k);
            rj_path_key(p, sizeof(p), rp, "rep");
            return rj_fail(L, p, "%u, above the %u repetitions", c->runs[k].rep, c->repetitions);
        }
    rj_path_key(p, sizeof(p), path, "runs");
    if (c->status == RR_OK && c->nruns == 0)
        return rj_fail(L, p, "a cell with status \"ok\" needs its runs");
    return 0;
}

static int rr_cmp_cell_id(const void *a, const void *b)
{
    return strcmp((*(const struct rr_cell *const *)a)->id, (*(const struct rr_cell *const *)b)->id);
}

/* No two cells with one id: sorted by id, neighbours differ (n log n for large documents). */
static int rr_check_ids(struct rj_ctx *L, const struct rr_doc *doc)
{
    const struct rr_cell **v = malloc((doc->ncells ? doc->ncells : 1) * sizeof(*v));
    if (!v)
        return rj_fail(L, ".cells", "out of memory");
    for (size_t i = 0; i < doc->ncells; i++)
        v[i] = &doc->cells[i];
    qsort(v, doc->ncells, sizeof(*v), rr_cmp_cell_id);
    int rc = 0;
    for (size_t i = 1; i < doc->ncells && rc == 0; i++)
        if (strcmp(v[i - 1]->id, v[i]->id) == 0) {
            char p[300];
            size_t a = (size_t)(v[i - 1] - doc->cells), b = (size_t)(v[i] - doc->cells);
            rj_path_index(p, sizeof(p), ".cells", a > b ? a : b);
            rc = rj_fail(L, p, "the id \"%s\" is also the id of .cells[%zu]", v[i]->id,
                         a < b ? a : b);
        }
    free(v);
    return rc;
}

static int rr_check_doc(struct rj_ctx *L, const struct rr_doc *doc)
{
    char p[300];
    for (size_t i = 0; i < doc->ncells; i++) {
        rj_path_index(p, sizeof(p), ".cells", i);
        if (rr_check_cell(L, &doc->cells[i], p) < 0)
            return -1;
    }
    return rr_check_ids(L, doc);
}

int rr_parse(const char *name, const char *text, size_t len, struct rr_doc *doc, char *err)
{
    memset(doc, 0, sizeof(*doc));
    rr_defaults(&doc_t, doc);
    cJSON *root = rj_parse(name, text, len, err);
    if (!root)
        return -1;
    struct rj_ctx L = {.file = name, .err = err};
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    char got[64];
    int rc = -1;
    if (!cJSON_IsString(schema) || strcmp(schema->valuestring, RR_SCHEMA) != 0) {
        snprintf(err, RR_ERR_MAX,
                 "%s: schema %s, expected %s (results from another version of ringfire, or not "
                 "a results file)",
                 name, rj_repr(schema, got, sizeof(got)), RR_SCHEMA);
        goto out;
    }
    cJSON *copy = cJSON_DetachItemViaPointer(root, (cJSON *)schema);
    rc = rr_take_record(&L, root, "", &doc_t, doc);
    cJSON_AddItemToObject(root, "schema", copy);
    if (rc == 0)
        rc = rr_check_doc(&L, doc);
    /* A summary is derived data: the runs are what was measured, and every summary is the
     * current rule's, whatever the file said. */
    for (size_t i = 0; rc == 0 && i < doc->ncells; i++)
        rr_summarize(&doc->cells[i]);
out:
    cJSON_Delete(root);
    if (rc < 0)
        rr_doc_free(doc);
    return rc;
}

int rr_load(const char *path, struct rr_doc *doc, char *err)
{
    char file[PATH_MAX];
    struct stat st;
    memset(doc, 0, sizeof(*doc));
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* A published results folder may keep them compressed. */
        snprintf(file, sizeof(file), "%s/results.json", path);
        if (access(file, F_OK) != 0)
            snprintf(file, sizeof(file), "%s/results.json.gz", path);
    } else {
        snprintf(file, sizeof(file), "%s", path);
    }
    char *text;
    size_t len;
    if (rj_read_file(file, RR_MAX_FILE, &text, &len, err) < 0) {
        if (strstr(err, "cannot read"))
            snprintf(err + strlen(err), RR_ERR_MAX - strlen(err),
                     " (give a results directory, or its results.json or results.json.gz)");
        return -1;
    }
    int rc = rr_parse(file, text, len, doc, err);
    free(text);
    return rc;
}

/* ---- checking a record built in code ----------------------------------------------------- */

/* The numbers of a record against their fields' rules, as the loader would check them. */
static int rr_check_numbers(const struct rr_table *t, const void *rec, char *why, size_t n)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct rr_field *f = &t->f[i];
        if (f->kind == K_OBJ && rr_present(f->sub, AT(rec, f->off, const void)) &&
            rr_check_numbers(f->sub, AT(rec, f->off, const void), why, n) < 0)
            return -1;
        if (f->kind != K_NUM)
            continue;
        double v = *AT(rec, f->off, const double);
        if (isnan(v) && !(f->flags & F_REQ))
            continue;
        if (!(v >= f->lo && v <= f->hi) || ((f->flags & F_WHOLE) && v != floor(v))) {
            snprintf(why, n, "%s is %g, outside %.0f to %.0f", f->key, v, f->lo, f->hi);
            return -1;
        }
    }
    return 0;
}

int rr_run_check(const struct rr_run *run, char *why, size_t n)
{
    return rr_check_numbers(&run_t, run, why, n);
}

/* ---- writing ------------------------------------------------------------------------------- */

static cJSON *rr_emit_record(const struct rr_table *t, const void *rec);

/* The shortest decimal that reads back as exactly v: cJSON's own printing settles for 15 digits
 * that read back merely close, and a figure derived from a value that moved by one bit on
 * reloading would then print differently (found by fuzz_results). */
static cJSON *rr_emit_number(double v)
{
    if (isnan(v))
        return cJSON_CreateNull();
    char text[32];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof(text), "%.*g", digits, v);
        if (strtod(text, NULL) == v)
            break;
    }
    return cJSON_CreateRaw(text);
}

static cJSON *rr_emit_list(const struct rr_field *f, const void *rec)
{
    const struct rr_table *e = f->sub;
    const char *v = *AT(rec, f->off, char *const);
    cJSON *arr = cJSON_CreateArray();
    for (size_t k = 0; arr && k < *AT(rec, f->off_n, const size_t); k++)
        cJSON_AddItemToArray(arr, rr_emit_record(e, v + k * e->size));
    return arr;
}

/* The pairs as one piece of text: a histogram has thousands of buckets, and a tree of three
 * values per bucket made saving a suite's results after every run its slowest part. */
static cJSON *rr_emit_buckets(const struct rr_bucket *b, size_t n)
{
    size_t cap = 2 + n * 44, len = 0; /* "[%llu,%llu]," is at most 44 bytes */
    char *text = malloc(cap);
    if (!text)
        return NULL;
    text[len++] = '[';
    for (size_t k = 0; k < n; k++)
        len += (size_t)snprintf(text + len, cap - len, "%s[%llu,%llu]", k ? "," : "",
                                (unsigned long long)b[k].value_ns, (unsigned long long)b[k].count);
    snprintf(text + len, cap - len, "]");
    cJSON *raw = cJSON_CreateRaw(text);
    free(text);
    return raw;
}

static cJSON *rr_emit_field(const struct rr_field *f, const void *rec)
{
    switch (f->kind) {
    case K_STR: {
        const char *s = *AT(rec, f->off, char *const);
        return s                     ? cJSON_CreateString(s)
               : (f->flags & F_NULL) ? cJSON_CreateNull()
                                     : cJSON_CreateString("");
    }
    case K_UINT:
        return cJSON_CreateNumber(*AT(rec, f->off, const unsigned));
    case K_INT:
        return cJSON_CreateNumber(*AT(rec, f->off, const int));
    case K_U64:
        return cJSON_CreateNumber((double)*AT(rec, f->off, const uint64_t));
    case K_NUM:
        return rr_emit_number(*AT(rec, f->off, const double));
    case K_BOOL:
        return cJSON_CreateBool(*AT(rec, f->off, const int));
    case K_ENUM:
        return cJSON_CreateString(((const char *const *)f->sub)[*AT(rec, f->off, const int)]);
    case K_OBJ:
        return rr_present(f->sub, AT(rec, f->off, const void))
                   ? rr_emit_record(f->sub, AT(rec, f->off, const void))
                   : cJSON_CreateNull();
    case K_PAIR: {
        const double *d = AT(rec, f->off, const double);
        if (isnan(d[0]) || isnan(d[1]))
            return cJSON_CreateNull();
        cJSON *a = cJSON_CreateArray();
        for (int k = 0; a && k < 2; k++)
            cJSON_AddItemToArray(a, rr_emit_number(d[k]));
        return a;
    }
    case K_MAP: {
        const struct rr_map *m = AT(rec, f->off, const struct rr_map);
        cJSON *o = cJSON_CreateObject();
        for (size_t k = 0; o && k < m->n; k++)
            cJSON_AddStringToObject(o, m->v[k].name, m->v[k].value);
        return o;
    }
    case K_LIST:
        return rr_emit_list(f, rec);
    case K_BUCKETS: {
        const struct rr_bucket *b = *AT(rec, f->off, struct rr_bucket *const);
        size_t n = *AT(rec, f->off_n, const size_t);
        if (!n)
            return cJSON_CreateNull();
        return rr_emit_buckets(b, n);
    }
    case K_RAW: {
        const cJSON *raw = *AT(rec, f->off, cJSON *const);
        return raw ? cJSON_Duplicate(raw, 1) : NULL;
    }
    }
    return NULL;
}

static cJSON *rr_emit_record(const struct rr_table *t, const void *rec)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o && i < t->n; i++) {
        cJSON *v = rr_emit_field(&t->f[i], rec);
        if (v)
            cJSON_AddItemToObject(o, t->f[i].key, v);
        else if (t->f[i].kind != K_RAW) /* a missing raw is left out; anything else: no memory */
            return cJSON_Delete(o), NULL;
    }
    return o;
}

char *rr_print(const struct rr_doc *doc)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *body = rr_emit_record(&doc_t, doc);
    if (!root || !body || !cJSON_AddStringToObject(root, "schema", RR_SCHEMA)) {
        cJSON_Delete(root);
        cJSON_Delete(body);
        return NULL;
    }
    /* "schema" first, then the document's fields in table order. */
    while (body->child) {
        cJSON *item = cJSON_DetachItemViaPointer(body, body->child);
        cJSON_AddItemToObject(root, item->string, item);
    }
    cJSON_Delete(body);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    size_t len = text ? strlen(text) : 0;
    char *line = text ? realloc(text, len + 2) : NULL; /* the file ends with a newline */
    if (!line) {
        free(text);
        return NULL;
    }
    memcpy(line + len, "\n", 2);
    return line;
}

int rr_write_atomic(const char *path, const char *text)
{
    char tmp[PATH_MAX + 8];
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
        return -ENAMETOOLONG;
    int rc = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    size_t len = strlen(text), off = 0;
    if (fd < 0)
        return -errno;
    while (rc == 0 && off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno != EINTR)
            rc = -errno;
        if (w > 0)
            off += (size_t)w;
    }
    if (rc == 0 && fsync(fd) < 0)
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(tmp, path) < 0)
        rc = -errno;
    if (rc < 0)
        unlink(tmp);
    return rc;
}

int rr_write(const struct rr_doc *doc, const char *path)
{
    char *text = rr_print(doc);
    if (!text)
        return -ENOMEM;
    int rc = rr_write_atomic(path, text);
    free(text);
    return rc;
}

/* ---- editing ------------------------------------------------------------------------------- */

struct rr_cell *rr_cell_find(const struct rr_doc *doc, const char *id)
{
    for (size_t i = 0; i < doc->ncells; i++)
        if (strcmp(doc->cells[i].id, id) == 0)
            return &doc->cells[i];
    return NULL;
}

int rr_cell_add_run(struct rr_cell *cell, struct rr_run *run)
{
    struct rr_run *grown = realloc(cell->runs, (cell->nruns + 1) * sizeof(*grown));
    if (!grown)
        return -ENOMEM;
    cell->runs = grown;
    grown[cell->nruns++] = *run;
    rr_run_init(run);
    return 0;
}

int rr_cell_set_status(struct rr_cell *cell, enum rr_status status, const char *reason)
{
    char *copy = reason ? strdup(reason) : NULL;
    if (reason && !copy)
        return -ENOMEM;
    free(cell->reason);
    cell->reason = copy;
    cell->status = status;
    return 0;
}
