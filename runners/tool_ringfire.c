/*
 * tool_ringfire.c - the ringfire adapter: ringfire itself as a child process, its
 * ringfire.run/1 output read by the format's owner (schema/rundoc.c).
 */
#include "rundoc.h"
#include "tools.h"

int rs_ringfire_command(const struct rs_tool_ctx *ctx, int warmup, struct rs_argv *a)
{
    const struct rs_cell *c = ctx->cell;
    const struct rs_endpoint *e = &ctx->suite->endpoints[c->endpoint];
    (void)warmup; /* it warms up within the run (--warmup) */
    rs_arg(a, "%s", ctx->ringfire);
    rs_arg(a, "%s://%s%s", e->websocket ? "ws" : "http", ctx->authority, e->path);
    if (e->method)
        rs_flag(a, "-m", "%s", e->method);
    for (unsigned i = 0; i < e->nheaders; i++)
        rs_flag(a, "-H", "%s", e->headers[i]);
    if (e->request_body)
        rs_flag(a, "--body", "%s", e->request_body);
    rs_flag(a, "-c", "%u", c->connections);
    rs_flag(a, "-p", "%u", c->pipeline);
    if (ctx->suite->agents) /* each agent uses its own cores */
        rs_flag(a, "--agents", "%s", ctx->suite->agents);
    else
        rs_flag(a, "-t", "%u", rs_tool_threads(ctx));
    rs_flag(a, "-d", "%llums", (unsigned long long)(c->duration_ns / 1000000));
    rs_flag(a, "--warmup", "%llums", (unsigned long long)(ctx->suite->warmup_ns / 1000000));
    rs_flag(a, "--timeout", "%llums", (unsigned long long)(ctx->suite->timeout_ns / 1000000));
    if (e->websocket) {
        rs_flag(a, "--ws-size", "%u", c->ws_bytes);
    }
    if (c->rate.present) /* the runner fills in a fraction of the peak before the cell runs */
        rs_flag(a, "-R", "%.0f", c->rate.rps);
    rs_arg(a, "--json");
    rs_arg(a, "-q");
    return a->overflow ? -1 : 0;
}

int rs_ringfire_parse(const char *out, int expected_status, struct rr_run *run)
{
    return rr_rundoc_read(out, expected_status, run);
}
