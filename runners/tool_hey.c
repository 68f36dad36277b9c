/*
 * tool_hey.c - the hey adapter: its text summary read (it has no machine-readable output with
 * percentiles), its warm-up a separate run.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

int rs_hey_command(const struct rs_tool_ctx *ctx, int warmup, struct rs_argv *a)
{
    const struct rs_cell *c = ctx->cell;
    const struct rs_endpoint *e = &ctx->suite->endpoints[c->endpoint];
    uint64_t dur = warmup ? ctx->suite->warmup_ns : c->duration_ns;
    rs_arg(a, "hey");
    rs_flag(a, "-z", "%llums", (unsigned long long)(dur / 1000000));
    rs_flag(a, "-c", "%u", c->connections);
    rs_flag(a, "-cpus", "%u", rs_tool_threads(ctx));
    rs_flag(a, "-t", "%u", rs_tool_seconds(ctx->suite->timeout_ns));
    if (e->method)
        rs_flag(a, "-m", "%s", e->method);
    for (unsigned i = 0; i < e->nheaders; i++)
        rs_flag(a, "-H", "%s", e->headers[i]);
    if (e->request_body)
        rs_flag(a, "-d", "%s", e->request_body);
    rs_arg(a, "http://%s%s", ctx->authority, e->path);
    return a->overflow ? -1 : 0;
}

/* A "label:<spaces or tabs>number" value from a text summary, or NaN. */
static double hey_after(const char *out, const char *label)
{
    const char *p = strstr(out, label);
    double v = p ? strtod(p + strlen(label), NULL) : NAN;
    return isfinite(v) ? v : NAN;
}

/* "  [200]\t40862 responses" under "Status code distribution:" (answers with another status
 * than expected, any 2xx when it is 0, are status errors), and the counts under "Error
 * distribution:" ("  [20]\tGet ...: dial tcp ...: connect: connection refused"), by kind. */
static void hey_counts(const char *out, int expected, struct rr_run *run, cJSON *j)
{
    cJSON *codes = cJSON_AddObjectToObject(j, "status");
    struct rr_errors *e = &run->error_kinds;
    const char *p = strstr(out, "Status code distribution:"),
               *errs = strstr(out, "Error distribution:");
    e->status = e->connect = e->timeout = e->read = 0;
    while (p && (p = strstr(p, "\n  [")) != NULL && (!errs || p < errs)) {
        char code[8];
        double count;
        if (sscanf(p + 4, "%7[0-9]]%lf", code, &count) == 2 && isfinite(count) && count >= 0) {
            int status = atoi(code);
            cJSON_AddNumberToObject(codes, code, count);
            run->responses += count;
            if (expected ? status != expected : status < 200 || status > 299)
                e->status += count;
        }
        p += 4;
    }
    for (p = errs; p && (p = strstr(p, "\n  [")) != NULL; p += 4) {
        double n = strtod(p + 4, NULL);
        const char *eol = strchr(p + 1, '\n'), *line = p + 1;
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        if (!isfinite(n) || n <= 0)
            continue;
        if (memmem(line, len, "connect", 7))
            e->connect += n;
        else if (memmem(line, len, "imeout", 6) || memmem(line, len, "deadline", 8))
            e->timeout += n;
        else
            e->read += n;
    }
}

int rs_hey_parse(const char *out, int expected_status, struct rr_run *run)
{
    rr_run_init(run);
    if (!strstr(out, "Summary:") || !strstr(out, "Requests/sec:"))
        return -1;
    cJSON *j = cJSON_CreateObject();
    run->raw = j;
    run->duration_s = hey_after(out, "Total:");
    run->responses = 0;
    /* Latency distribution: "  50% in 0.0002 secs", in seconds. */
    static const int pct[] = {50, 75, 90, 99};
    static const char *const keys[] = {"p50", "p75", "p90", "p99"};
    cJSON *lat = cJSON_AddObjectToObject(j, "latency_us");
    for (int i = 0; i < 4; i++) {
        char label[16];
        snprintf(label, sizeof(label), "  %d%% in ", pct[i]);
        run->latency_us[i] = hey_after(out, label) * 1e6;
        cJSON_AddNumberToObject(lat, keys[i], run->latency_us[i]);
    }
    run->latency_us[RR_MAX] = hey_after(out, "Slowest:") * 1e6;
    cJSON_AddNumberToObject(lat, "max", run->latency_us[RR_MAX]);
    cJSON_AddNumberToObject(lat, "mean", hey_after(out, "Average:") * 1e6);
    hey_counts(out, expected_status, run, j);
    rr_run_tally(run);
    /* hey's own rate covers every request, errors too, over its exact time ("Total:" is
     * rounded to 0.1 ms): its share of right answers. */
    const struct rr_errors *e = &run->error_kinds;
    double rate = hey_after(out, "Requests/sec:"), ok = run->responses - e->status;
    double attempts = run->responses + e->connect + e->timeout + e->read;
    run->rps = attempts > 0 && !isnan(rate) ? rate * ok / attempts : run->rps;
    if (isnan(run->rps)) {
        rr_run_free(run);
        return -1;
    }
    return 0;
}
