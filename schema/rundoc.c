/*
 * rundoc.c - ringfire.run/1: the engine's result as JSON (rundoc.h).  Numbers are in base
 * units: seconds, bytes, microseconds (latency_us), requests per second.  The keys the reader
 * needs are named once below and used by both sides.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rundoc.h"

static const char RD_SCHEMA[] = "ringfire.run/1";
static const char K_SCHEMA[] = "schema", K_RPS[] = "rps", K_DURATION[] = "duration_s",
                  K_RESPONSES[] = "responses", K_ERRORS[] = "errors", K_WEBSOCKET[] = "websocket",
                  K_MISMATCHES[] = "mismatches", K_LATENCY[] = "latency_us",
                  K_HISTOGRAM[] = "histogram", K_BUCKETS[] = "buckets", K_TIMELINE[] = "timeline",
                  K_SECOND[] = "second", K_BYTES_RECEIVED[] = "bytes_received",
                  K_STATUS[] = "status", K_CODES[] = "codes", K_UNANSWERED[] = "unanswered",
                  K_RATE[] = "rate", K_RESPONSE_LATENCY[] = "response_time_us", K_LAG[] = "lag_us",
                  K_RESPONSE_HISTOGRAM[] = "response_histogram",
                  K_LAG_HISTOGRAM[] = "lag_histogram", K_SENT[] = "sent", K_TARGET[] = "target",
                  K_TARGET_RPS[] = "target_rps", K_COMPLETED_RPS[] = "completed_rps",
                  K_RATE_RATIO[] = "rate_ratio", K_VERDICT[] = "verdict";

/* The latency figures: key, percentile (0: the maximum), and the run record's slot. */
static const struct {
    const char *key;
    double percentile;
    enum rr_lat slot;
} rd_lat[] = {
    {"p50", 50, RR_P50}, {"p75", 75, RR_P75},       {"p90", 90, RR_P90},
    {"p99", 99, RR_P99}, {"p99_9", 99.9, RR_P99_9}, {"p99_99", 99.99, RR_P99_99},
    {"max", 0, RR_MAX},
};
#define RD_NLAT (sizeof(rd_lat) / sizeof(rd_lat[0]))

static uint64_t rd_class(const struct rf_counts *c, int lo)
{
    uint64_t n = 0;
    for (int s = lo; s < lo + 100; s++)
        n += c->status[s];
    return n;
}

/* ---- writing ------------------------------------------------------------------------------- */

static void rd_bucket(uint64_t value, uint64_t count, void *arg)
{
    double pair[2] = {(double)value, (double)count};
    cJSON_AddItemToArray(arg, cJSON_CreateDoubleArray(pair, 2));
}

static cJSON *rd_config(const struct rr_rundoc *d)
{
    const struct rf_config *cfg = d->config;
    const struct rf_result *res = d->result;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "url", d->url);
    cJSON_AddNumberToObject(o, "connections", cfg->connections);
    cJSON_AddNumberToObject(o, "threads", res->threads);
    if (d->cpus)
        cJSON_AddStringToObject(o, "cpus", d->cpus);
    else
        cJSON_AddNullToObject(o, "cpus");
    cJSON_AddNumberToObject(o, K_DURATION, (double)cfg->duration_ns / 1e9);
    cJSON_AddNumberToObject(o, "requests", (double)cfg->requests);
    cJSON_AddNumberToObject(o, "pipeline", cfg->pipeline);
    cJSON_AddNumberToObject(o, "refill", res->refill);
    cJSON_AddNumberToObject(o, "buffers", res->env.buffers);
    cJSON_AddNumberToObject(o, "warmup_s", (double)cfg->warmup_ns / 1e9);
    cJSON_AddNumberToObject(o, "timeout_s", (double)cfg->timeout_ns / 1e9);
    cJSON_AddStringToObject(o, "method", cfg->raw ? "" : cfg->method ? cfg->method : "GET");
    cJSON_AddBoolToObject(o, K_WEBSOCKET, cfg->websocket);
    cJSON *hs = cJSON_AddArrayToObject(o, "headers");
    for (unsigned i = 0; i < cfg->nheaders; i++)
        cJSON_AddItemToArray(hs, cJSON_CreateString(cfg->headers[i]));
    cJSON_AddNumberToObject(o, "body_bytes", (double)cfg->body_len);
    cJSON_AddNumberToObject(o, "raw_bytes", (double)cfg->raw_len);
    cJSON_AddNumberToObject(o, "rate", cfg->rate);
    cJSON *st = cJSON_AddArrayToObject(o, "stages");
    for (unsigned i = 0; i < cfg->nstages; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "duration_s", (double)cfg->stages[i].duration_ns / 1e9);
        cJSON_AddNumberToObject(e, "from", cfg->stages[i].from);
        cJSON_AddNumberToObject(e, "to", cfg->stages[i].to);
        cJSON_AddItemToArray(st, e);
    }
    cJSON_AddStringToObject(o, "arrivals",
                            cfg->arrivals == RF_ARRIVALS_POISSON ? "poisson" : "uniform");
    cJSON_AddNumberToObject(o, "seed", (double)cfg->seed);
    if (cfg->nshards > 1) {
        cJSON *sh = cJSON_AddObjectToObject(o, "shard");
        cJSON_AddNumberToObject(sh, "index", cfg->shard);
        cJSON_AddNumberToObject(sh, "count", cfg->nshards);
    } else {
        cJSON_AddNullToObject(o, "shard");
    }
    if (cfg->start_at_ns)
        cJSON_AddNumberToObject(o, "start_at", (double)cfg->start_at_ns / 1e9);
    else
        cJSON_AddNullToObject(o, "start_at");
    return o;
}

/* When the run (its schedule) started, and the clock's own account of its error. */
static cJSON *rd_start(const struct rf_result *res)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "unix_s", (double)res->start.unix_ns / 1e9);
    cJSON_AddNumberToObject(o, "late_us", (double)res->start.late_ns / 1e3);
    cJSON *clock = cJSON_AddObjectToObject(o, "clock");
    cJSON_AddBoolToObject(clock, "synchronized", res->start.clock_synced);
    cJSON_AddNumberToObject(clock, "esterror_us", res->start.esterror_us);
    cJSON_AddNumberToObject(clock, "maxerror_us", res->start.maxerror_us);
    return o;
}

static cJSON *rd_env(const struct rf_result *res)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ringfire", RF_VERSION);
    cJSON_AddStringToObject(o, "kernel", res->env.kernel);
    cJSON_AddStringToObject(o, "cpu_model", res->env.cpu_model);
    cJSON_AddNumberToObject(o, "cores", res->env.cores);
    cJSON_AddStringToObject(o, "ring_flags", rf_ring_flags_name(res->env.ring_flags));
    if (res->env.ring_fallback[0])
        cJSON_AddStringToObject(o, "ring_fallback", res->env.ring_fallback);
    else
        cJSON_AddNullToObject(o, "ring_fallback");
    cJSON_AddNumberToObject(o, "buffers_per_thread", res->env.buffers);
    cJSON_AddNumberToObject(o, "buffer_size", res->env.buffer_size);
    return o;
}

static cJSON *rd_status(const struct rf_counts *c)
{
    cJSON *o = cJSON_CreateObject();
    static const char *const names[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    for (int i = 0; i < 5; i++)
        cJSON_AddNumberToObject(o, names[i], (double)rd_class(c, (i + 1) * 100));
    cJSON_AddNumberToObject(o, "other", (double)c->status_other);
    cJSON *codes = cJSON_AddObjectToObject(o, K_CODES);
    for (int s = 100; s < 1000; s++) {
        if (!c->status[s])
            continue;
        char key[8];
        snprintf(key, sizeof(key), "%d", s);
        cJSON_AddNumberToObject(codes, key, (double)c->status[s]);
    }
    return o;
}

static cJSON *rd_errors(const struct rf_counts *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *detail = cJSON_CreateObject();
    for (int k = 0; k < RF_ERRK_COUNT_; k++) {
        const char *name = rf_error_kind_name((enum rf_error_kind)k);
        cJSON_AddNumberToObject(o, name, (double)c->errors[k]);
        cJSON *by = NULL;
        for (int e = 0; e <= RF_ERRNO_MAX; e++) {
            if (!c->errno_by_kind[k][e])
                continue;
            if (!by)
                by = cJSON_AddObjectToObject(detail, name);
            cJSON_AddNumberToObject(by, e ? rf_err_name(-e) : "other",
                                    (double)c->errno_by_kind[k][e]);
        }
    }
    cJSON_AddItemToObject(o, "errno", detail);
    cJSON_AddNumberToObject(o, "lost_requests", (double)c->lost);
    return o;
}

static cJSON *rd_websocket(const struct rr_rundoc *d)
{
    const struct rf_counts *c = &d->result->counts;
    cJSON *ws = cJSON_CreateObject();
    cJSON_AddNumberToObject(ws, "upgrades", (double)c->ws_upgrades);
    cJSON_AddNumberToObject(ws, "upgrade_failed", (double)c->ws_upgrade_failed);
    cJSON_AddNumberToObject(ws, "messages_sent", (double)c->requests);
    cJSON_AddNumberToObject(ws, "messages_received", (double)c->responses);
    cJSON_AddNumberToObject(ws, "bytes_sent", (double)c->bytes_sent);
    cJSON_AddNumberToObject(ws, K_BYTES_RECEIVED, (double)c->bytes_received);
    cJSON_AddNumberToObject(ws, "protocol_errors", (double)c->ws_protocol_errors);
    cJSON_AddNumberToObject(ws, K_MISMATCHES, (double)c->ws_mismatches);
    cJSON_AddNumberToObject(ws, "pings_answered", (double)c->ws_pings_answered);
    cJSON_AddNumberToObject(ws, "closes", (double)c->ws_closes);
    cJSON_AddNumberToObject(ws, "reconnects", (double)c->reconnects);
    cJSON_AddNumberToObject(ws, "message_bytes", (double)d->config->ws_message_len);
    cJSON_AddBoolToObject(ws, "binary", d->config->ws_binary);
    return ws;
}

/* The open model's account; null for the closed loop. */
static cJSON *rd_rate(const struct rf_result *res)
{
    if (!res->response)
        return cJSON_CreateNull();
    const struct rf_rate *r = &res->rate;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "target", r->target);
    cJSON_AddNumberToObject(o, K_TARGET_RPS, r->target_rps);
    cJSON_AddNumberToObject(o, "sent_rps", r->sent_rps);
    cJSON_AddNumberToObject(o, K_COMPLETED_RPS, r->completed_rps);
    cJSON_AddNumberToObject(o, K_RATE_RATIO, r->ratio);
    cJSON_AddNumberToObject(o, "tolerance", r->tolerance);
    cJSON_AddNumberToObject(o, "waited", (double)res->counts.waited);
    cJSON_AddNumberToObject(o, "worker_cpu", r->worker_cpu);
    cJSON_AddNumberToObject(o, "wake_late_max_us", r->wake_late_max_us);
    cJSON_AddStringToObject(o, K_VERDICT, rf_verdict_name(r->verdict));
    cJSON_AddBoolToObject(o, "stalled", r->stalled);
    cJSON_AddStringToObject(o, "reason", r->reason);
    return o;
}

static cJSON *rd_latency(const struct rf_hist *h)
{
    if (!h)
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "mean", rf_hist_mean(h) / 1e3);
    cJSON_AddNumberToObject(o, "stdev", rf_hist_stdev(h) / 1e3);
    cJSON_AddNumberToObject(o, "min", (double)rf_hist_min(h) / 1e3);
    for (size_t i = 0; i < RD_NLAT; i++) {
        uint64_t v =
            rd_lat[i].percentile ? rf_hist_percentile(h, rd_lat[i].percentile) : rf_hist_max(h);
        cJSON_AddNumberToObject(o, rd_lat[i].key, (double)v / 1e3);
    }
    return o;
}

/* A histogram's buckets with its layout; null when there is none. */
static cJSON *rd_histogram(const struct rf_hist *h)
{
    if (!h)
        return cJSON_CreateNull();
    cJSON *hist = cJSON_CreateObject();
    cJSON_AddStringToObject(hist, "unit", "ns");
    cJSON_AddNumberToObject(hist, "significant_digits", 3);
    rf_hist_foreach(h, rd_bucket, cJSON_AddArrayToObject(hist, K_BUCKETS));
    return hist;
}

static void rd_series(cJSON *o, const struct rf_result *res)
{
    cJSON_AddItemToObject(o, K_HISTOGRAM, rd_histogram(res->latency));
    cJSON_AddItemToObject(o, K_RESPONSE_HISTOGRAM, rd_histogram(res->response));
    cJSON_AddItemToObject(o, K_LAG_HISTOGRAM, rd_histogram(res->lag));
    cJSON *tl = cJSON_AddArrayToObject(o, K_TIMELINE);
    for (unsigned s = 0; s < res->timeline_len; s++) {
        cJSON *sec = cJSON_CreateObject();
        cJSON_AddNumberToObject(sec, K_SECOND, s);
        cJSON_AddNumberToObject(sec, K_RESPONSES, (double)res->timeline[s].responses);
        cJSON_AddNumberToObject(sec, K_ERRORS, (double)res->timeline[s].errors);
        cJSON_AddNumberToObject(sec, K_BYTES_RECEIVED, (double)res->timeline[s].bytes_received);
        cJSON_AddNumberToObject(sec, K_SENT, (double)res->timeline[s].sent);
        if (res->response)
            cJSON_AddNumberToObject(sec, K_TARGET, res->timeline[s].target);
        cJSON_AddItemToArray(tl, sec);
    }
}

char *rr_rundoc_print(const struct rr_rundoc *d)
{
    const struct rf_result *res = d->result;
    const struct rf_counts *c = &res->counts;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, K_SCHEMA, RD_SCHEMA);
    cJSON_AddItemToObject(o, "config", rd_config(d));
    cJSON_AddItemToObject(o, "env", rd_env(res));
    cJSON_AddNumberToObject(o, K_DURATION, res->duration_s);
    cJSON_AddItemToObject(o, "start", rd_start(res));
    cJSON_AddBoolToObject(o, "complete", res->complete);
    cJSON_AddBoolToObject(o, "interrupted", res->interrupted);
    cJSON_AddNumberToObject(o, "requests", (double)c->requests);
    cJSON_AddNumberToObject(o, K_RESPONSES, (double)c->responses);
    cJSON_AddNumberToObject(o, K_UNANSWERED, (double)c->unanswered);
    cJSON_AddNumberToObject(o, K_RPS,
                            res->duration_s > 0 ? (double)c->responses / res->duration_s : 0.0);
    cJSON_AddNumberToObject(o, "bytes_sent", (double)c->bytes_sent);
    cJSON_AddNumberToObject(o, K_BYTES_RECEIVED, (double)c->bytes_received);
    cJSON_AddItemToObject(o, K_STATUS, rd_status(c));
    cJSON_AddItemToObject(o, K_ERRORS, rd_errors(c));
    cJSON *conns = cJSON_AddObjectToObject(o, "connections");
    cJSON_AddNumberToObject(conns, "requested", res->connections);
    cJSON_AddNumberToObject(conns, "established", (double)res->established);
    cJSON_AddNumberToObject(conns, "reconnects", (double)c->reconnects);
    cJSON_AddNumberToObject(conns, "connects", (double)c->connects_ok);
    if (d->config->websocket)
        cJSON_AddItemToObject(o, K_WEBSOCKET, rd_websocket(d));
    cJSON *io = cJSON_AddObjectToObject(o, "io");
    cJSON_AddNumberToObject(io, "enobufs", (double)c->enobufs);
    cJSON_AddNumberToObject(io, "short_sends", (double)c->short_sends);
    cJSON_AddNumberToObject(io, "rx_stamped", (double)c->rx_stamped);
    cJSON_AddNumberToObject(io, "rx_merged", (double)c->rx_merged);
    cJSON_AddNumberToObject(io, "tx_early_ns", (double)c->tx_early_ns);
    cJSON_AddItemToObject(o, K_RATE, rd_rate(res));
    cJSON_AddItemToObject(o, K_LATENCY, rd_latency(res->latency));
    cJSON_AddItemToObject(o, K_RESPONSE_LATENCY, rd_latency(res->response));
    cJSON_AddItemToObject(o, K_LAG, rd_latency(res->lag));
    rd_series(o, res);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    size_t len = text ? strlen(text) : 0;
    char *line = text ? realloc(text, len + 2) : NULL;
    if (!line) {
        free(text);
        return NULL;
    }
    memcpy(line + len, "\n", 2);
    return line;
}

/* ---- reading ------------------------------------------------------------------------------- */

/* A finite number >= 0 at key, or NaN. */
static double rd_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble >= 0 ? v->valuedouble
                                                                                : NAN;
}

/* Room for an array's items: *out gets size bytes per item (at least one).  Returns 0, or -1
 * when a is not an array or memory runs out. */
static int rd_room(const cJSON *a, size_t size, void **out)
{
    if (!cJSON_IsArray(a))
        return -1;
    size_t n = (size_t)cJSON_GetArraySize(a);
    *out = calloc(n ? n : 1, size);
    return *out ? 0 : -1;
}

static int rd_read_buckets(const cJSON *hist, struct rr_run *run)
{
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(hist, K_BUCKETS), *pair;
    if (!hist)
        return 0;
    if (rd_room(b, sizeof(*run->buckets), (void **)&run->buckets) < 0)
        return -1;
    cJSON_ArrayForEach(pair, b)
    {
        const cJSON *v = cJSON_GetArrayItem(pair, 0), *c = cJSON_GetArrayItem(pair, 1);
        if (!cJSON_IsNumber(v) || !cJSON_IsNumber(c) || !(v->valuedouble >= 0) ||
            !(v->valuedouble < 9.007e15) || !(c->valuedouble >= 1) || !(c->valuedouble < 9.007e15))
            return -1;
        struct rr_bucket *k = &run->buckets[run->nbuckets];
        k->value_ns = (uint64_t)v->valuedouble;
        k->count = (uint64_t)c->valuedouble;
        if (run->nbuckets && k->value_ns <= k[-1].value_ns)
            return -1;
        run->nbuckets++;
    }
    return 0;
}

static int rd_read_timeline(const cJSON *tl, struct rr_run *run)
{
    const cJSON *sec;
    if (!tl)
        return 0;
    if (rd_room(tl, sizeof(*run->timeline), (void **)&run->timeline) < 0)
        return -1;
    cJSON_ArrayForEach(sec, tl)
    {
        struct rr_second *s = &run->timeline[run->ntimeline];
        double second = rd_num(sec, K_SECOND);
        s->responses = rd_num(sec, K_RESPONSES);
        s->errors = rd_num(sec, K_ERRORS);
        s->bytes_received = rd_num(sec, K_BYTES_RECEIVED);
        if (isnan(second) || second > 1e9 || isnan(s->responses) || isnan(s->errors))
            return -1;
        s->second = (unsigned)second;
        run->ntimeline++;
    }
    return 0;
}

/* The answers whose status was not the expected one (any 2xx when expected is 0); for
 * WebSocket, the echoes that differed from what was sent. */
static double rd_unexpected(const cJSON *j, int expected, double responses)
{
    const cJSON *ws = cJSON_GetObjectItemCaseSensitive(j, K_WEBSOCKET);
    if (cJSON_IsObject(ws)) {
        double bad = rd_num(ws, K_MISMATCHES);
        return isnan(bad) ? 0 : bad;
    }
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(j, K_STATUS);
    double ok;
    if (expected > 0) {
        char key[16];
        snprintf(key, sizeof(key), "%d", expected);
        ok = rd_num(cJSON_GetObjectItemCaseSensitive(status, K_CODES), key);
        ok = isnan(ok) ? 0 : ok;
    } else {
        ok = rd_num(status, "2xx");
    }
    return isnan(ok) || isnan(responses) ? NAN : responses - ok;
}

/* A rate run's account into the record: the rate, the verdict, response time and lag.
 * Returns 0 (also for a closed-loop run, which has none), or -1 when it is malformed. */
static int rd_read_rate(const cJSON *j, struct rr_run *run)
{
    const cJSON *rate = cJSON_GetObjectItemCaseSensitive(j, K_RATE);
    if (!cJSON_IsObject(rate))
        return 0;
    struct rr_run_rate *r = &run->rate;
    const cJSON *verdict = cJSON_GetObjectItemCaseSensitive(rate, K_VERDICT);
    static const enum rf_verdict engine[] = {
        [RR_V_VALID] = RF_VERDICT_VALID,
        [RR_V_GENERATOR] = RF_VERDICT_GENERATOR_BOUND,
        [RR_V_CONNECTION] = RF_VERDICT_CONNECTION_BOUND,
        [RR_V_SERVER] = RF_VERDICT_SERVER_BOUND,
    };
    int found = 0;
    for (int v = RR_V_VALID; v <= RR_V_SERVER && !found; v++)
        if (cJSON_IsString(verdict) &&
            strcmp(verdict->valuestring, rf_verdict_name(engine[v])) == 0) {
            r->verdict = (enum rr_verdict)v;
            found = 1;
        }
    r->target_rps = rd_num(rate, K_TARGET_RPS);
    r->completed_rps = rd_num(rate, K_COMPLETED_RPS);
    r->rate_ratio = rd_num(rate, K_RATE_RATIO);
    r->lag_p99_us = rd_num(cJSON_GetObjectItemCaseSensitive(j, K_LAG), "p99");
    r->wake_late_max_us = rd_num(rate, "wake_late_max_us");
    r->stalled = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rate, "stalled"));
    const cJSON *resp = cJSON_GetObjectItemCaseSensitive(j, K_RESPONSE_LATENCY);
    for (size_t i = 0; i < RD_NLAT; i++)
        r->response_us[rd_lat[i].slot] = rd_num(resp, rd_lat[i].key);
    r->present = 1;
    return found && !isnan(r->target_rps) ? 0 : -1;
}

int rr_rundoc_read(const char *text, int expected_status, struct rr_run *run)
{
    rr_run_init(run);
    cJSON *j = cJSON_Parse(text);
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(j, K_SCHEMA);
    if (!cJSON_IsString(schema) || strcmp(schema->valuestring, RD_SCHEMA) != 0)
        goto err;
    run->duration_s = rd_num(j, K_DURATION);
    run->responses = rd_num(j, K_RESPONSES);
    run->unanswered = rd_num(j, K_UNANSWERED);
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(j, K_ERRORS);
    struct rr_errors *e = &run->error_kinds;
    double *kinds[RF_ERRK_COUNT_] = {&e->connect, &e->read,  &e->write,
                                     &e->timeout, &e->parse, &e->closed};
    for (int k = 0; k < RF_ERRK_COUNT_; k++)
        *kinds[k] = rd_num(errors, rf_error_kind_name((enum rf_error_kind)k));
    e->status = rd_unexpected(j, expected_status, run->responses);
    rr_run_tally(run);
    const cJSON *lat = cJSON_GetObjectItemCaseSensitive(j, K_LATENCY);
    for (size_t i = 0; i < RD_NLAT; i++)
        run->latency_us[rd_lat[i].slot] = rd_num(lat, rd_lat[i].key);
    double early = rd_num(cJSON_GetObjectItemCaseSensitive(j, "io"), "tx_early_ns"),
           requests = rd_num(j, "requests");
    if (requests > 0) /* older outputs lack it: NaN, not recorded */
        run->send_early_us = early / requests / 1e3;
    if (isnan(run->rps) || isnan(run->errors) || isnan(e->status) ||
        rd_read_buckets(cJSON_GetObjectItemCaseSensitive(j, K_HISTOGRAM), run) < 0 ||
        rd_read_timeline(cJSON_GetObjectItemCaseSensitive(j, K_TIMELINE), run) < 0 ||
        rd_read_rate(j, run) < 0)
        goto err;
    /* The histogram and timeline are in the record; the rest is kept as the tool's own. */
    cJSON_DeleteItemFromObjectCaseSensitive(j, K_HISTOGRAM);
    cJSON_DeleteItemFromObjectCaseSensitive(j, K_TIMELINE);
    run->raw = j;
    return 0;
err:
    cJSON_Delete(j);
    rr_run_free(run);
    return -1;
}

/* ---- merging shards ------------------------------------------------------------------------ */

/* The settings every shard of one run shares (config keys); connections, requests and threads
 * are each shard's own slice. */
static const char *const rd_same[] = {"url",       "duration_s", "pipeline", "warmup_s",
                                      "timeout_s", "method",     "headers",  "body_bytes",
                                      "raw_bytes", "rate",       "stages",   "arrivals",
                                      "seed",      "start_at",   NULL};
/* Objects whose numbers are counts, added shard by shard (nested objects too). */
static const char *const rd_counted[] = {K_STATUS, K_ERRORS, "connections", "io", NULL};
static const char *const rd_added[] = {"requests",   K_RESPONSES,      K_UNANSWERED,
                                       "bytes_sent", K_BYTES_RECEIVED, NULL};

/* Sets o's key to v, replacing or adding it; v is freed when o cannot take it. */
static void rd_set(cJSON *o, const char *key, cJSON *v)
{
    if (!cJSON_IsObject(o) ||
        (!cJSON_ReplaceItemInObjectCaseSensitive(o, key, v) && !cJSON_AddItemToObject(o, key, v)))
        cJSON_Delete(v);
}

#define RD_MERGE_SECONDS 172800 /* the longest timeline merged: two days */

/* Adds every number of from into into, key by key, recursing into objects. */
static void rd_add(cJSON *into, const cJSON *from)
{
    const cJSON *f;
    if (!cJSON_IsObject(into))
        return;
    cJSON_ArrayForEach(f, from)
    {
        cJSON *t = cJSON_GetObjectItemCaseSensitive(into, f->string);
        if (cJSON_IsNumber(f) && cJSON_IsNumber(t))
            cJSON_SetNumberValue(t, t->valuedouble + f->valuedouble);
        else if (cJSON_IsNumber(f) && !t)
            cJSON_AddNumberToObject(into, f->string, f->valuedouble);
        else if (cJSON_IsObject(f) && cJSON_IsObject(t))
            rd_add(t, f);
        else if (cJSON_IsObject(f) && !t)
            cJSON_AddItemToObject(into, f->string, cJSON_Duplicate(f, 1));
    }
}

static cJSON *rd_get(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    return b ? cJSON_GetObjectItemCaseSensitive(x, b) : (cJSON *)x;
}

/* The shard's number (config.shard.index), or -1. */
static int rd_shard_index(const cJSON *doc, int *count)
{
    double i = rd_num(rd_get(doc, "config", "shard"), "index");
    double n = rd_num(rd_get(doc, "config", "shard"), "count");
    *count = isnan(n) || n < 1 || n > 100000 ? 0 : (int)n;
    return isnan(i) || !*count || i >= n ? -1 : (int)i;
}

/* Checks that the runs are shards of one run.  Returns 0, or -1 with the reason in err. */
static int rd_merge_check(cJSON **docs, const char *const *names, int n, char *err, size_t en)
{
    int count0, seen[RR_MERGE_MAX] = {0};
    for (int i = 0; i < n; i++) {
        const cJSON *schema = cJSON_GetObjectItemCaseSensitive(docs[i], K_SCHEMA);
        int count, index = rd_shard_index(docs[i], &count);
        if (!cJSON_IsString(schema) || strcmp(schema->valuestring, RD_SCHEMA) != 0) {
            snprintf(err, en, "%s: not a %s document (ringfire run --json)", names[i], RD_SCHEMA);
            return -1;
        }
        if (index < 0 || (i && count != count0) || count > RR_MERGE_MAX || seen[index]) {
            snprintf(err, en,
                     "%s: %s; merge the shards of one run (ringfire run --shard I/N), each once",
                     names[i],
                     index < 0     ? "not a shard"
                     : seen[index] ? "a shard given twice"
                                   : "a shard of another count");
            return -1;
        }
        count0 = count;
        seen[index] = 1;
        for (const char *const *k = rd_same; *k && i; k++) {
            const cJSON *a = rd_get(docs[0], "config", *k), *b = rd_get(docs[i], "config", *k);
            if (!cJSON_Compare(a, b, 1)) {
                char *ta = a ? cJSON_PrintUnformatted(a) : NULL,
                     *tb = b ? cJSON_PrintUnformatted(b) : NULL;
                snprintf(err, en,
                         "%s and %s are not shards of one run: config.%s is %.80s, not %.80s",
                         names[i], names[0], *k, tb ? tb : "missing", ta ? ta : "missing");
                free(ta);
                free(tb);
                return -1;
            }
        }
    }
    return 0;
}

static void rd_record(struct rf_hist *h, const cJSON *hist)
{
    const cJSON *pair;
    cJSON_ArrayForEach(pair, cJSON_GetObjectItemCaseSensitive(hist, K_BUCKETS))
    {
        double c = 0;
        const cJSON *a = cJSON_GetArrayItem(pair, 0), *b = cJSON_GetArrayItem(pair, 1);
        if (cJSON_IsNumber(a) && cJSON_IsNumber(b) && a->valuedouble >= 0 &&
            a->valuedouble < 9.007e15 && (c = b->valuedouble) >= 1 && c < 9.007e15)
            rf_hist_record_n(h, (uint64_t)a->valuedouble, (uint64_t)c);
    }
}

/* Each histogram rebuilt from every shard's buckets (one layout: exact), with its summary. */
static int rd_merge_hists(cJSON *out, cJSON **docs, int n)
{
    static const char *const hk[3][2] = {{K_HISTOGRAM, K_LATENCY},
                                         {K_RESPONSE_HISTOGRAM, K_RESPONSE_LATENCY},
                                         {K_LAG_HISTOGRAM, K_LAG}};
    for (int k = 0; k < 3; k++) {
        if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(out, hk[k][0])))
            continue;
        struct rf_hist *h = rf_hist_new();
        if (!h)
            return -1;
        for (int i = 0; i < n; i++)
            rd_record(h, cJSON_GetObjectItemCaseSensitive(docs[i], hk[k][0]));
        rd_set(out, hk[k][0], rd_histogram(h));
        rd_set(out, hk[k][1], rd_latency(h));
        rf_hist_free(h);
    }
    return 0;
}

/* The timelines added by wall-clock second: a shard that started s seconds after the earliest
 * adds its second k to the merged second k + s. */
static void rd_merge_timeline(cJSON *out, cJSON **docs, int n, double first)
{
    cJSON *tl = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        double ahead = rd_num(rd_get(docs[i], "start", NULL), "unix_s") - first;
        long shift = isfinite(ahead) && ahead < RD_MERGE_SECONDS ? lround(ahead) : 0;
        const cJSON *sec;
        cJSON_ArrayForEach(sec, cJSON_GetObjectItemCaseSensitive(docs[i], K_TIMELINE))
        {
            double s = rd_num(sec, K_SECOND) + (double)(shift > 0 ? shift : 0);
            if (isnan(s) || s > RD_MERGE_SECONDS)
                continue;
            while (cJSON_GetArraySize(tl) <= (int)s) {
                cJSON *e = cJSON_CreateObject();
                cJSON_AddNumberToObject(e, K_SECOND, cJSON_GetArraySize(tl));
                cJSON_AddItemToArray(tl, e);
            }
            cJSON *into = cJSON_GetArrayItem(tl, (int)s), *copy = cJSON_Duplicate(sec, 1);
            cJSON_DeleteItemFromObjectCaseSensitive(copy, K_SECOND);
            rd_add(into, copy);
            cJSON_Delete(copy);
        }
    }
    rd_set(out, K_TIMELINE, tl);
}

/* One shard's health: its rate, lag, CPU, verdict, clock and start. */
static cJSON *rd_health(const cJSON *doc, double first, double *late_us)
{
    int count;
    cJSON *o = cJSON_CreateObject();
    const cJSON *rate = cJSON_GetObjectItemCaseSensitive(doc, K_RATE),
                *st = rd_get(doc, "start", NULL);
    const cJSON *verdict = cJSON_GetObjectItemCaseSensitive(rate, K_VERDICT);
    const cJSON *clock = cJSON_GetObjectItemCaseSensitive(st, "clock");
    cJSON_AddNumberToObject(o, "index", rd_shard_index(doc, &count));
    cJSON_AddNumberToObject(o, "connections", rd_num(rd_get(doc, "config", NULL), "connections"));
    cJSON_AddNumberToObject(o, K_RESPONSES, rd_num(doc, K_RESPONSES));
    cJSON_AddNumberToObject(o, K_RATE_RATIO, rd_num(rate, K_RATE_RATIO));
    cJSON_AddNumberToObject(o, "lag_p99_us", rd_num(rd_get(doc, K_LAG, NULL), "p99"));
    cJSON_AddNumberToObject(o, "worker_cpu", rd_num(rate, "worker_cpu"));
    cJSON_AddStringToObject(o, K_VERDICT, cJSON_IsString(verdict) ? verdict->valuestring : "none");
    cJSON_AddBoolToObject(o, "clock_synchronized",
                          cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(clock, "synchronized")));
    cJSON_AddNumberToObject(o, "clock_esterror_us", rd_num(clock, "esterror_us"));
    cJSON_AddNumberToObject(o, "start_skew_us", (rd_num(st, "unix_s") - first) * 1e6);
    *late_us = rd_num(st, "late_us");
    cJSON_AddNumberToObject(o, "late_us", *late_us);
    return o;
}

/* The merged run's rate (the shards' targets and answers added) and the verdict on the whole:
 * valid when every shard of the run is there and valid, its clock synchronized and its start
 * within RR_MERGE_SKEW_US of the others'; invalid when the merged answers miss the target by
 * more than the shards' tolerance; degraded otherwise, saying which shard and why. */
static void rd_merge_verdict(cJSON *out, cJSON **docs, int n, cJSON *health, char *why, size_t wn)
{
    cJSON *rate = cJSON_GetObjectItemCaseSensitive(out, K_RATE);
    int count;
    rd_shard_index(docs[0], &count);
    double target = 0, target_rps = 0, sent = 0, done = 0, tol = INFINITY, cpu = 0, waited = 0,
           wake_late = NAN;
    int stalled = 0; /* a shard generator-bound because a wake-up of it came late */
    for (int i = 0; i < n; i++) {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(docs[i], K_RATE);
        target += rd_num(r, "target");
        target_rps += rd_num(r, K_TARGET_RPS);
        sent += rd_num(r, "sent_rps");
        done += rd_num(r, K_COMPLETED_RPS);
        waited += rd_num(r, "waited");
        tol = fmin(tol, rd_num(r, "tolerance"));
        cpu = fmax(cpu, rd_num(r, "worker_cpu"));
        wake_late = fmax(wake_late, rd_num(r, "wake_late_max_us")); /* NaN: not measured */
        stalled |= cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "stalled"));
    }
    const char *verdict = "valid", *engine = "valid";
    snprintf(why, wn,
             cJSON_IsObject(rate) ? "all %d shards valid, started together"
                                  : "all %d shards measured (a closed loop)",
             n);
    const cJSON *h;
    cJSON_ArrayForEach(h, health)
    {
        const char *v = cJSON_GetObjectItemCaseSensitive(h, K_VERDICT)->valuestring;
        double skew = rd_num(h, "start_skew_us"), late = rd_num(h, "late_us");
        int synced = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "clock_synchronized"));
        int apart = skew > RR_MERGE_SKEW_US || late > RR_MERGE_SKEW_US;
        if (!cJSON_IsObject(rate) || (strcmp(v, "valid") == 0 && synced && !apart))
            continue; /* a closed loop has no schedule to keep or start together */
        if (strcmp(engine, "valid") == 0 && strcmp(v, "valid") != 0)
            engine = v;
        snprintf(why, wn, "shard %g: %s", rd_num(h, "index"),
                 strcmp(v, "valid") != 0 ? v
                 : !synced ? "its clock is not synchronized (no NTP): its start may be off"
                           : "it started more than 1 ms apart from the others, or late");
        verdict = "degraded";
        break;
    }
    if (strcmp(verdict, "valid") == 0 && n < count) {
        snprintf(why, wn, "%d of %d shards given: the rest of the run is missing", n, count);
        verdict = "degraded";
    }
    if (rate && cJSON_IsObject(rate)) {
        double ratio = target_rps > 0 ? done / target_rps : 0;
        if (fabs(ratio - 1) > tol) {
            snprintf(why, wn,
                     "the shards together answered %.2f%% of their target (tolerance %.1f%%)",
                     ratio * 100, tol * 100);
            verdict = "invalid";
        }
        rd_set(rate, "target", cJSON_CreateNumber(target));
        rd_set(rate, K_TARGET_RPS, cJSON_CreateNumber(target_rps));
        rd_set(rate, "sent_rps", cJSON_CreateNumber(sent));
        rd_set(rate, K_COMPLETED_RPS, cJSON_CreateNumber(done));
        rd_set(rate, K_RATE_RATIO, cJSON_CreateNumber(ratio));
        rd_set(rate, "tolerance", cJSON_CreateNumber(tol));
        rd_set(rate, "waited", cJSON_CreateNumber(waited));
        rd_set(rate, "worker_cpu", cJSON_CreateNumber(cpu));
        if (!isnan(wake_late))
            rd_set(rate, "wake_late_max_us", cJSON_CreateNumber(wake_late));
        rd_set(rate, K_VERDICT, cJSON_CreateString(engine));
        rd_set(rate, "stalled", cJSON_CreateBool(stalled && !strcmp(engine, "generator-bound")));
        rd_set(rate, "reason", cJSON_CreateString(why));
    }
    cJSON *m = cJSON_AddObjectToObject(out, "merge");
    cJSON_AddNumberToObject(m, "shards", n);
    cJSON_AddNumberToObject(m, "of", count);
    cJSON_AddStringToObject(m, K_VERDICT, verdict);
    cJSON_AddStringToObject(m, "reason", why);
    cJSON_AddItemToObject(m, "health", health);
}

char *rr_rundoc_merge(const char *const *texts, const char *const *names, int n, char *err,
                      size_t en)
{
    cJSON *docs[RR_MERGE_MAX] = {0}, *out = NULL, *health = NULL;
    char *line = NULL, why[320];
    if (n < 1 || n > RR_MERGE_MAX) {
        snprintf(err, en, "give 1 to %d shards", RR_MERGE_MAX);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (!(docs[i] = cJSON_Parse(texts[i]))) {
            snprintf(err, en, "%s: not JSON (ringfire run --json writes one object)", names[i]);
            goto out;
        }
    if (rd_merge_check(docs, names, n, err, en) < 0)
        goto out;
    double first = INFINITY;
    for (int i = 0; i < n; i++)
        first = fmin(first, rd_num(rd_get(docs[i], "start", NULL), "unix_s"));
    out = cJSON_Duplicate(docs[0], 1);
    health = cJSON_CreateArray();
    if (!out || !health || rd_merge_hists(out, docs, n) < 0) {
        snprintf(err, en, "out of memory");
        goto out;
    }
    double duration = 0, late = 0, l;
    for (int i = 1; i < n; i++) {
        for (const char *const *k = rd_counted; *k; k++)
            rd_add(cJSON_GetObjectItemCaseSensitive(out, *k),
                   cJSON_GetObjectItemCaseSensitive(docs[i], *k));
        for (const char *const *k = rd_added; *k; k++) {
            cJSON *t = cJSON_GetObjectItemCaseSensitive(out, *k);
            if (cJSON_IsNumber(t))
                cJSON_SetNumberValue(t, t->valuedouble + rd_num(docs[i], *k));
        }
    }
    for (int i = 0; i < n; i++) {
        duration = fmax(duration, rd_num(docs[i], K_DURATION));
        cJSON_AddItemToArray(health, rd_health(docs[i], first, &l));
        late = fmax(late, l);
    }
    cJSON *cfg = rd_get(out, "config", NULL), *st = rd_get(out, "start", NULL);
    if (!cJSON_IsObject(cfg) || !cJSON_IsObject(st)) {
        snprintf(err, en, "%s: no config or start object", names[0]);
        goto out;
    }
    double conns = 0, requests = 0;
    for (int i = 0; i < n; i++) {
        conns += rd_num(rd_get(docs[i], "config", NULL), "connections");
        requests += rd_num(rd_get(docs[i], "config", NULL), "requests");
    }
    rd_set(cfg, "connections", cJSON_CreateNumber(conns));
    rd_set(cfg, "requests", cJSON_CreateNumber(requests));
    rd_set(cfg, "shard", cJSON_CreateNull());
    rd_set(out, K_DURATION, cJSON_CreateNumber(duration));
    rd_set(out, K_RPS, cJSON_CreateNumber(duration > 0 ? rd_num(out, K_RESPONSES) / duration : 0));
    rd_set(st, "unix_s", cJSON_CreateNumber(first));
    rd_set(st, "late_us", cJSON_CreateNumber(late));
    rd_merge_timeline(out, docs, n, first);
    rd_merge_verdict(out, docs, n, health, why, sizeof(why));
    health = NULL; /* the merge object holds it now */
    char *text = cJSON_PrintUnformatted(out);
    size_t len = text ? strlen(text) : 0;
    line = text ? realloc(text, len + 2) : NULL;
    if (line)
        memcpy(line + len, "\n", 2);
    else
        free(text);
    if (!line)
        snprintf(err, en, "out of memory");
out:
    for (int i = 0; i < n && i < RR_MERGE_MAX; i++)
        cJSON_Delete(docs[i]);
    cJSON_Delete(out);
    cJSON_Delete(health);
    return line;
}
