/*
 * tools.c - the table of load generators and what is common to all of them (tools.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"
#include "tools.h"

/* The ringfire command itself, whatever its path. */
static const char RS_SELF[] = "(ringfire)";

static const char *const rs_ringfire_version[] = {RS_SELF, "--version", NULL};
static const char *const rs_wrk_version[] = {"wrk", "-v", NULL};
/* hey prints no version; Debian's package has one. */
static const char *const rs_hey_version[] = {"dpkg-query", "-W", "-f=hey ${Version}", "hey", NULL};
static const char *const rs_h2load_version[] = {"h2load", "--version", NULL};

const struct rs_tool rs_tools[] = {
    {"ringfire", NULL, rs_ringfire_version, RS_OWN_WARMUP, rs_ringfire_command, rs_ringfire_parse},
    {"wrk", "wrk", rs_wrk_version, RS_NO_WEBSOCKET | RS_NO_RATE, rs_wrk_command, rs_wrk_parse},
    {"hey", "hey", rs_hey_version, RS_NO_WEBSOCKET | RS_NO_PIPELINE | RS_NO_RATE, rs_hey_command,
     rs_hey_parse},
    {"h2load", "nghttp2-client", rs_h2load_version, RS_NO_WEBSOCKET | RS_OWN_WARMUP | RS_NO_RATE,
     rs_h2load_command, rs_h2load_parse},
};
const int rs_ntools = sizeof(rs_tools) / sizeof(rs_tools[0]);

__attribute__((format(printf, 2, 0))) static void rs_varg(struct rs_argv *a, const char *fmt,
                                                          va_list ap)
{
    if (a->n == RS_ARGV_MAX) {
        a->overflow = 1;
        return;
    }
    int len = vsnprintf(a->store[a->n], RS_ARG_MAX, fmt, ap);
    if (len < 0 || len >= RS_ARG_MAX) {
        a->overflow = 1;
        return;
    }
    a->v[a->n] = a->store[a->n];
    a->v[++a->n] = NULL;
}

void rs_arg(struct rs_argv *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rs_varg(a, fmt, ap);
    va_end(ap);
}

void rs_flag(struct rs_argv *a, const char *flag, const char *fmt, ...)
{
    va_list ap;
    rs_arg(a, "%s", flag);
    va_start(ap, fmt);
    rs_varg(a, fmt, ap);
    va_end(ap);
}

int rs_tool_find(const char *name)
{
    for (int t = 0; t < rs_ntools; t++)
        if (strcmp(name, rs_tools[t].name) == 0)
            return t;
    return -1;
}

const char *rs_tool_name(int tool)
{
    return tool >= 0 && tool < rs_ntools ? rs_tools[tool].name : "unknown";
}

const char *rs_tool_list(char *buf, size_t n)
{
    buf[0] = '\0';
    for (int t = 0; t < rs_ntools; t++)
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", t ? ", " : "", rs_tools[t].name);
    return buf;
}

int rs_tool_supports(int tool, const struct rs_cell *c, const struct rs_endpoint *e, char *why,
                     size_t n)
{
    unsigned flags = rs_tools[tool].flags;
    if (e->websocket && (flags & RS_NO_WEBSOCKET)) {
        snprintf(why, n, "%s has no WebSocket load", rs_tools[tool].name);
        return 0;
    }
    if (c->pipeline > 1 && (flags & RS_NO_PIPELINE)) {
        snprintf(why, n, "%s cannot pipeline requests (pipeline %u)", rs_tools[tool].name,
                 c->pipeline);
        return 0;
    }
    if (c->rate.present && (flags & RS_NO_RATE)) {
        snprintf(why, n, "%s does not send at a fixed rate here (only ringfire's -R does)",
                 rs_tools[tool].name);
        return 0;
    }
    return 1;
}

int rs_tool_installed(int tool, const char *ringfire, char *why, size_t n)
{
    const struct rs_tool *t = &rs_tools[tool];
    if (!t->package)
        return access(ringfire, X_OK) == 0;
    if (rs_which(t->name))
        return 1;
    snprintf(why, n, "%s is not installed (Debian package %s)", t->name, t->package);
    return 0;
}

void rs_tool_version(int tool, const char *ringfire, char *out, size_t n)
{
    const char *argv[8];
    int k = 0;
    for (const char *const *v = rs_tools[tool].version; *v && k < 7; v++)
        argv[k++] = *v == RS_SELF ? ringfire : *v;
    argv[k] = NULL;
    char *text = NULL;
    out[0] = '\0';
    /* wrk -v exits 1 after printing its version: what it printed counts. */
    rs_proc_run(argv, &(struct rs_proc){.timeout_s = 10}, &text, NULL);
    if (text) {
        size_t len = strcspn(text, "\n");
        char *cut = strstr(text, " Copyright");
        if (cut && (size_t)(cut - text) < len)
            len = (size_t)(cut - text);
        snprintf(out, n, "%.*s", (int)len, text);
        for (char *p = out; *p; p++)
            if (*p == '\t' || (unsigned char)*p < 32)
                *p = ' ';
    }
    free(text);
}

int rs_tool_body_file(const struct rs_tool_ctx *ctx, const struct rs_endpoint *e, char *out,
                      size_t n)
{
    if ((size_t)snprintf(out, n, "%s/body-%s.bin", ctx->dir, e->name) >= n)
        return -1;
    FILE *f = fopen(out, "w");
    if (!f)
        return -1;
    fputs(e->request_body, f);
    return fclose(f) == 0 ? 0 : -1;
}

unsigned rs_tool_threads(const struct rs_tool_ctx *ctx)
{
    unsigned t = ctx->cell->threads ? ctx->cell->threads : ctx->client_ncpus;
    if (t < 1)
        t = 1;
    return t > ctx->cell->connections ? ctx->cell->connections : t;
}

unsigned rs_tool_seconds(uint64_t ns)
{
    unsigned s = (unsigned)((ns + 999999999ULL) / 1000000000ULL);
    return s ? s : 1;
}
