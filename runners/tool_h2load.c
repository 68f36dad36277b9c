/*
 * tool_h2load.c - the h2load adapter (HTTP/1.1 mode, --h1): its text summary read.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

int rs_h2load_command(const struct rs_tool_ctx *ctx, int warmup, struct rs_argv *a)
{
    const struct rs_cell *c = ctx->cell;
    const struct rs_endpoint *e = &ctx->suite->endpoints[c->endpoint];
    (void)warmup; /* it warms up within the run (--warm-up-time) */
    rs_arg(a, "h2load");
    rs_arg(a, "--h1");
    rs_flag(a, "-D", "%u", rs_tool_seconds(c->duration_ns));
    rs_arg(a, "--warm-up-time=%u", rs_tool_seconds(ctx->suite->warmup_ns));
    rs_flag(a, "-c", "%u", c->connections);
    rs_flag(a, "-m", "%u", c->pipeline);
    rs_flag(a, "-t", "%u", rs_tool_threads(ctx));
    if (e->method)
        rs_flag(a, "-H", ":method: %s", e->method);
    for (unsigned i = 0; i < e->nheaders; i++)
        rs_flag(a, "-H", "%s", e->headers[i]);
    char body[RS_ARG_MAX];
    if (e->request_body) {
        if (rs_tool_body_file(ctx, e, body, sizeof(body)) < 0)
            return -1;
        rs_flag(a, "-d", "%s", body);
    }
    rs_arg(a, "http://%s%s", ctx->authority, e->path);
    return a->overflow ? -1 : 0;
}

/* "24us", "3.86ms", "1.2s" in microseconds. */
static double h2_time(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (!isfinite(v))
        return NAN;
    if (strncmp(end, "us", 2) == 0)
        return v;
    if (strncmp(end, "ms", 2) == 0)
        return v * 1e3;
    if (*end == 's')
        return v * 1e6;
    return NAN;
}

/* h2load says the answers by status class ("status codes: 9 2xx, 0 3xx, 1 4xx, 0 5xx"): an
 * answer outside 2xx is a status error (it cannot tell an expected status apart within 2xx);
 * its errored requests are read errors. */
int rs_h2load_parse(const char *out, int expected_status, struct rr_run *run)
{
    rr_run_init(run);
    const char *fin = strstr(out, "finished in ");
    const char *req = strstr(out, "\nrequests: ");
    const char *codes = strstr(out, "\nstatus codes: ");
    double total, started, done, ok, failed, errored, timeout, c2, c3, c4, c5, rate;
    (void)expected_status;
    if (!fin || !req || !codes ||
        sscanf(fin, "finished in %lfs, %lf req/s", &run->duration_s, &rate) != 2 ||
        sscanf(req,
               "\nrequests: %lf total, %lf started, %lf done, %lf succeeded, %lf failed, "
               "%lf errored, %lf timeout",
               &total, &started, &done, &ok, &failed, &errored, &timeout) != 7 ||
        sscanf(codes, "\nstatus codes: %lf 2xx, %lf 3xx, %lf 4xx, %lf 5xx", &c2, &c3, &c4, &c5) !=
            4)
        return -1;
    run->responses = c2 + c3 + c4 + c5;
    run->error_kinds.status = c3 + c4 + c5;
    run->error_kinds.read = errored;
    run->error_kinds.timeout = timeout;
    rr_run_tally(run);
    cJSON *j = cJSON_CreateObject();
    run->raw = j;
    cJSON_AddNumberToObject(j, "succeeded", ok);
    cJSON_AddNumberToObject(j, "failed", failed);
    cJSON_AddNumberToObject(j, "errored", errored);
    cJSON_AddNumberToObject(j, "timeout", timeout);
    const char *t = strstr(out, "time for request:");
    char mn[32], mx[32], mean[32];
    if (t && sscanf(t, "time for request: %31s %31s %31s", mn, mx, mean) == 3) {
        run->latency_us[RR_MAX] = h2_time(mx);
        cJSON *lat = cJSON_AddObjectToObject(j, "latency_us");
        cJSON_AddNumberToObject(lat, "min", h2_time(mn));
        cJSON_AddNumberToObject(lat, "max", run->latency_us[RR_MAX]);
        cJSON_AddNumberToObject(lat, "mean", h2_time(mean));
    }
    return 0;
}
