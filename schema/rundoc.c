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
    cJSON_AddStringToObject(o, K_VERDICT, rf_verdict_name(r->verdict));
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
