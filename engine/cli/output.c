/*
 * output.c - a run's result for people (text in the manner of wrk) and for programs (JSON,
 * schema ringfire.run/1, numbers in base units: seconds, bytes, microseconds, requests/s).
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const double out_percentiles[] = {50, 75, 90, 99, 99.9, 99.99};
static const char *const out_percentile_keys[] = {"p50", "p75", "p90", "p99", "p99_9", "p99_99"};
#define OUT_NPCT (sizeof(out_percentiles) / sizeof(out_percentiles[0]))

const char *rf_ring_flags_text(unsigned flags)
{
    if ((flags & IORING_SETUP_SINGLE_ISSUER) && (flags & IORING_SETUP_DEFER_TASKRUN))
        return "SINGLE_ISSUER|DEFER_TASKRUN";
    if ((flags & IORING_SETUP_SINGLE_ISSUER) && (flags & IORING_SETUP_COOP_TASKRUN))
        return "SINGLE_ISSUER|COOP_TASKRUN";
    if (flags & IORING_SETUP_COOP_TASKRUN)
        return "COOP_TASKRUN";
    return "none";
}

static double out_rps(const struct rf_result *res)
{
    return res->duration_s > 0 ? (double)res->counts.responses / res->duration_s : 0.0;
}

static uint64_t out_class(const struct rf_counts *c, int lo)
{
    uint64_t n = 0;
    for (int s = lo; s < lo + 100; s++)
        n += c->status[s];
    return n;
}

/* ---- text -------------------------------------------------------------------------------- */

static void out_time(char *buf, size_t n, double ns)
{
    if (ns < 1e3)
        snprintf(buf, n, "%.0fns", ns);
    else if (ns < 1e6)
        snprintf(buf, n, "%.2fus", ns / 1e3);
    else if (ns < 1e9)
        snprintf(buf, n, "%.2fms", ns / 1e6);
    else
        snprintf(buf, n, "%.2fs", ns / 1e9);
}

static void out_bytes(char *buf, size_t n, double b)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < 4) {
        b /= 1024;
        u++;
    }
    snprintf(buf, n, u ? "%.2f %s" : "%.0f %s", b, units[u]);
}

static void out_status_line(FILE *out, const struct rf_counts *c)
{
    static const int classes[] = {100, 300, 400, 500};
    fprintf(out, "  Status 2xx %llu", (unsigned long long)out_class(c, 200));
    for (size_t i = 0; i < 4; i++)
        if (out_class(c, classes[i]))
            fprintf(out, ", %dxx %llu", classes[i] / 100,
                    (unsigned long long)out_class(c, classes[i]));
    if (c->status_other)
        fprintf(out, ", other %llu", (unsigned long long)c->status_other);
    fprintf(out, "\n");
}

void rf_print_text(FILE *out, const struct rf_cli_run *run, const struct rf_result *res)
{
    const struct rf_config *cfg = &run->config;
    const struct rf_counts *c = &res->counts;
    char a[32], b[32], d[32];

    const char *what = cfg->websocket ? "messages" : "requests";
    if (cfg->requests)
        fprintf(out, "Running %llu %s @ %s\n", (unsigned long long)cfg->requests, what,
                run->url_text);
    else
        fprintf(out, "Running %.2fs %stest @ %s\n", (double)cfg->duration_ns / 1e9,
                cfg->websocket ? "WebSocket " : "", run->url_text);
    fprintf(out, "  %u threads and %u connections, pipeline %u", res->threads, cfg->connections,
            cfg->pipeline);
    if (cfg->warmup_ns)
        fprintf(out, ", warm-up %.2fs", (double)cfg->warmup_ns / 1e9);
    fprintf(out, "\n  io_uring %s, %u x %u KiB receive buffers per thread\n",
            rf_ring_flags_text(res->env.ring_flags), res->env.buffers, res->env.buffer_size / 1024);
    if (res->env.ring_fallback[0])
        fprintf(out, "  note: %s\n", res->env.ring_fallback);

    const struct rf_hist *h = res->latency;
    out_time(a, sizeof(a), rf_hist_mean(h));
    out_time(b, sizeof(b), rf_hist_stdev(h));
    out_time(d, sizeof(d), (double)rf_hist_max(h));
    fprintf(out, "  Latency   mean %s   stdev %s   max %s\n", a, b, d);
    fprintf(out, "  Latency distribution\n");
    for (size_t i = 0; i < OUT_NPCT; i++) {
        out_time(a, sizeof(a), (double)rf_hist_percentile(h, out_percentiles[i]));
        fprintf(out, "    %7.3f%%  %s\n", out_percentiles[i], a);
    }
    out_bytes(a, sizeof(a), (double)c->bytes_received);
    out_bytes(b, sizeof(b), (double)c->bytes_sent);
    fprintf(out, "  %llu %s in %.2fs, %s read, %s written\n", (unsigned long long)c->responses,
            cfg->websocket ? "messages echoed" : "responses", res->duration_s, a, b);
    if (cfg->websocket)
        fprintf(out,
                "  WebSocket: %llu messages sent, %llu upgrades (%llu failed), %llu mismatches, "
                "%llu protocol errors, %llu pings answered, %llu server closes\n",
                (unsigned long long)c->requests, (unsigned long long)c->ws_upgrades,
                (unsigned long long)c->ws_upgrade_failed, (unsigned long long)c->ws_mismatches,
                (unsigned long long)c->ws_protocol_errors, (unsigned long long)c->ws_pings_answered,
                (unsigned long long)c->ws_closes);
    if (cfg->websocket) {
        fprintf(out, "  Upgrade answers:");
        for (int s = 100; s < 1000; s++)
            if (c->status[s])
                fprintf(out, " %d x%llu", s, (unsigned long long)c->status[s]);
        uint64_t malformed = c->status_other;
        for (int s = 600; s < 1000; s += 100)
            malformed -= out_class(c, s);
        if (malformed)
            fprintf(out, " malformed x%llu", (unsigned long long)malformed);
        fprintf(out, "\n");
    } else {
        out_status_line(out, c);
    }

    uint64_t errors = 0;
    for (int k = 0; k < RF_ERRK_COUNT_; k++)
        errors += c->errors[k];
    if (errors) {
        fprintf(out, "  Errors");
        const char *sep = " ";
        for (int k = 0; k < RF_ERRK_COUNT_; k++) {
            if (!c->errors[k])
                continue;
            fprintf(out, "%s%s %llu", sep, rf_error_kind_name((enum rf_error_kind)k),
                    (unsigned long long)c->errors[k]);
            sep = ", ";
        }
        fprintf(out, "; %llu requests lost, %llu reconnects\n", (unsigned long long)c->lost,
                (unsigned long long)c->reconnects);
    }
    if (res->established < cfg->connections)
        fprintf(out, "  Connections: %llu of %u ever established\n",
                (unsigned long long)res->established, cfg->connections);
    fprintf(out, "%s/sec: %.2f\n", cfg->websocket ? "Messages" : "Requests", out_rps(res));
    out_bytes(a, sizeof(a), res->duration_s > 0 ? (double)c->bytes_received / res->duration_s : 0);
    fprintf(out, "Transfer/sec: %s\n", a);
}

/* ---- JSON -------------------------------------------------------------------------------- */

static void out_hist_bucket(uint64_t value, uint64_t count, void *arg)
{
    cJSON *pair = cJSON_CreateArray();
    cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)value));
    cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)count));
    cJSON_AddItemToArray(arg, pair);
}

static cJSON *out_config(const struct rf_cli_run *run, const struct rf_result *res)
{
    const struct rf_config *cfg = &run->config;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "url", run->url_text);
    cJSON_AddNumberToObject(o, "connections", cfg->connections);
    cJSON_AddNumberToObject(o, "threads", res->threads);
    if (run->cpus_text)
        cJSON_AddStringToObject(o, "cpus", run->cpus_text);
    else
        cJSON_AddNullToObject(o, "cpus");
    cJSON_AddNumberToObject(o, "duration_s", (double)cfg->duration_ns / 1e9);
    cJSON_AddNumberToObject(o, "requests", (double)cfg->requests);
    cJSON_AddNumberToObject(o, "pipeline", cfg->pipeline);
    cJSON_AddNumberToObject(o, "refill", res->refill);
    cJSON_AddNumberToObject(o, "buffers", res->env.buffers);
    cJSON_AddNumberToObject(o, "warmup_s", (double)cfg->warmup_ns / 1e9);
    cJSON_AddNumberToObject(o, "timeout_s", (double)cfg->timeout_ns / 1e9);
    cJSON_AddStringToObject(o, "method", cfg->raw ? "" : cfg->method ? cfg->method : "GET");
    cJSON_AddBoolToObject(o, "websocket", cfg->websocket);
    cJSON *hs = cJSON_AddArrayToObject(o, "headers");
    for (unsigned i = 0; i < cfg->nheaders; i++)
        cJSON_AddItemToArray(hs, cJSON_CreateString(cfg->headers[i]));
    cJSON_AddNumberToObject(o, "body_bytes", (double)cfg->body_len);
    cJSON_AddNumberToObject(o, "raw_bytes", (double)cfg->raw_len);
    return o;
}

static cJSON *out_env(const struct rf_result *res)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ringfire", RF_VERSION);
    cJSON_AddStringToObject(o, "kernel", res->env.kernel);
    cJSON_AddStringToObject(o, "cpu_model", res->env.cpu_model);
    cJSON_AddNumberToObject(o, "cores", res->env.cores);
    cJSON_AddStringToObject(o, "ring_flags", rf_ring_flags_text(res->env.ring_flags));
    if (res->env.ring_fallback[0])
        cJSON_AddStringToObject(o, "ring_fallback", res->env.ring_fallback);
    else
        cJSON_AddNullToObject(o, "ring_fallback");
    cJSON_AddNumberToObject(o, "buffers_per_thread", res->env.buffers);
    cJSON_AddNumberToObject(o, "buffer_size", res->env.buffer_size);
    return o;
}

static cJSON *out_status(const struct rf_counts *c)
{
    cJSON *o = cJSON_CreateObject();
    static const char *const names[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    for (int i = 0; i < 5; i++)
        cJSON_AddNumberToObject(o, names[i], (double)out_class(c, (i + 1) * 100));
    cJSON_AddNumberToObject(o, "other", (double)c->status_other);
    cJSON *codes = cJSON_AddObjectToObject(o, "codes");
    for (int s = 100; s < 1000; s++) {
        if (!c->status[s])
            continue;
        char key[8];
        snprintf(key, sizeof(key), "%d", s);
        cJSON_AddNumberToObject(codes, key, (double)c->status[s]);
    }
    return o;
}

static cJSON *out_errors(const struct rf_counts *c)
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

static cJSON *out_latency(const struct rf_hist *h)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "mean", rf_hist_mean(h) / 1e3);
    cJSON_AddNumberToObject(o, "stdev", rf_hist_stdev(h) / 1e3);
    cJSON_AddNumberToObject(o, "min", (double)rf_hist_min(h) / 1e3);
    for (size_t i = 0; i < OUT_NPCT; i++)
        cJSON_AddNumberToObject(o, out_percentile_keys[i],
                                (double)rf_hist_percentile(h, out_percentiles[i]) / 1e3);
    cJSON_AddNumberToObject(o, "max", (double)rf_hist_max(h) / 1e3);
    return o;
}

int rf_print_json(FILE *out, const struct rf_cli_run *run, const struct rf_result *res)
{
    const struct rf_counts *c = &res->counts;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "schema", "ringfire.run/1");
    cJSON_AddItemToObject(o, "config", out_config(run, res));
    cJSON_AddItemToObject(o, "env", out_env(res));
    cJSON_AddNumberToObject(o, "duration_s", res->duration_s);
    cJSON_AddBoolToObject(o, "complete", res->complete);
    cJSON_AddBoolToObject(o, "interrupted", res->interrupted);
    cJSON_AddNumberToObject(o, "requests", (double)c->requests);
    cJSON_AddNumberToObject(o, "responses", (double)c->responses);
    cJSON_AddNumberToObject(o, "unanswered", (double)c->unanswered);
    cJSON_AddNumberToObject(o, "rps", out_rps(res));
    cJSON_AddNumberToObject(o, "bytes_sent", (double)c->bytes_sent);
    cJSON_AddNumberToObject(o, "bytes_received", (double)c->bytes_received);
    cJSON_AddItemToObject(o, "status", out_status(c));
    cJSON_AddItemToObject(o, "errors", out_errors(c));
    cJSON *conns = cJSON_AddObjectToObject(o, "connections");
    cJSON_AddNumberToObject(conns, "requested", res->connections);
    cJSON_AddNumberToObject(conns, "established", (double)res->established);
    cJSON_AddNumberToObject(conns, "reconnects", (double)c->reconnects);
    cJSON_AddNumberToObject(conns, "connects", (double)c->connects_ok);
    if (run->config.websocket) {
        cJSON *ws = cJSON_AddObjectToObject(o, "websocket");
        cJSON_AddNumberToObject(ws, "upgrades", (double)c->ws_upgrades);
        cJSON_AddNumberToObject(ws, "upgrade_failed", (double)c->ws_upgrade_failed);
        cJSON_AddNumberToObject(ws, "messages_sent", (double)c->requests);
        cJSON_AddNumberToObject(ws, "messages_received", (double)c->responses);
        cJSON_AddNumberToObject(ws, "bytes_sent", (double)c->bytes_sent);
        cJSON_AddNumberToObject(ws, "bytes_received", (double)c->bytes_received);
        cJSON_AddNumberToObject(ws, "protocol_errors", (double)c->ws_protocol_errors);
        cJSON_AddNumberToObject(ws, "mismatches", (double)c->ws_mismatches);
        cJSON_AddNumberToObject(ws, "pings_answered", (double)c->ws_pings_answered);
        cJSON_AddNumberToObject(ws, "closes", (double)c->ws_closes);
        cJSON_AddNumberToObject(ws, "reconnects", (double)c->reconnects);
        cJSON_AddNumberToObject(ws, "message_bytes", (double)run->config.ws_message_len);
        cJSON_AddBoolToObject(ws, "binary", run->config.ws_binary);
    }
    cJSON *io = cJSON_AddObjectToObject(o, "io");
    cJSON_AddNumberToObject(io, "enobufs", (double)c->enobufs);
    cJSON_AddNumberToObject(io, "short_sends", (double)c->short_sends);
    cJSON_AddNumberToObject(io, "rx_stamped", (double)c->rx_stamped);
    cJSON_AddNumberToObject(io, "rx_merged", (double)c->rx_merged);
    cJSON_AddItemToObject(o, "latency_us", out_latency(res->latency));
    cJSON *hist = cJSON_AddObjectToObject(o, "histogram");
    cJSON_AddStringToObject(hist, "unit", "ns");
    cJSON_AddNumberToObject(hist, "significant_digits", 3);
    cJSON *buckets = cJSON_AddArrayToObject(hist, "buckets");
    rf_hist_foreach(res->latency, out_hist_bucket, buckets);
    cJSON *tl = cJSON_AddArrayToObject(o, "timeline");
    for (unsigned s = 0; s < res->timeline_len; s++) {
        cJSON *sec = cJSON_CreateObject();
        cJSON_AddNumberToObject(sec, "second", s);
        cJSON_AddNumberToObject(sec, "responses", (double)res->timeline[s].responses);
        cJSON_AddNumberToObject(sec, "errors", (double)res->timeline[s].errors);
        cJSON_AddNumberToObject(sec, "bytes_received", (double)res->timeline[s].bytes_received);
        cJSON_AddItemToArray(tl, sec);
    }
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        return -ENOMEM;
    fprintf(out, "%s\n", text);
    free(text);
    return 0;
}
