/*
 * tools.h - the load generators a suite can run on a cell: one row per tool in rs_tools[]
 * (name, Debian package, version command, what it cannot do, command builder, output
 * parser).  Adding a tool is a row here and its two functions in tool_NAME.c.
 */
#ifndef RF_TOOLS_H
#define RF_TOOLS_H

#include <stddef.h>

#include "results.h"
#include "suite.h"

#define RS_ARGV_MAX 48
#define RS_ARG_MAX 512

/* A command line being built: argv points into store. */
struct rs_argv {
    const char *v[RS_ARGV_MAX + 1];
    char store[RS_ARGV_MAX][RS_ARG_MAX];
    int n;
    int overflow; /* an argument did not fit: the line is not usable */
};

/* Appends one argument (printf-style); one that does not fit sets a->overflow. */
__attribute__((format(printf, 2, 3))) void rs_arg(struct rs_argv *a, const char *fmt, ...);
/* Appends an option and its value: "-c", "64". */
__attribute__((format(printf, 3, 4))) void rs_flag(struct rs_argv *a, const char *flag,
                                                   const char *fmt, ...);

/* What a cell is run with. */
struct rs_tool_ctx {
    const struct rs_suite *suite;
    const struct rs_cell *cell;
    const char *authority; /* the target's HOST:PORT */
    unsigned client_ncpus;
    const char *ringfire; /* path of the ringfire command */
    const char *dir;      /* the results directory, for generated scripts */
};

#define RS_NO_WEBSOCKET 1
#define RS_NO_PIPELINE 2
#define RS_OWN_WARMUP 4 /* it warms up within its run; others get a separate warm-up run */
#define RS_NO_RATE 8    /* it cannot send at a fixed rate (the open model) */

struct rs_tool {
    const char *name;
    const char *package;        /* the Debian package; NULL: ringfire itself */
    const char *const *version; /* argv printing its version on the first line */
    unsigned flags;
    /* Builds the measured command (warmup 0) or the warm-up command (1).  Returns 0 or -1. */
    int (*command)(const struct rs_tool_ctx *ctx, int warmup, struct rs_argv *argv);
    /* Reads the tool's output into a run record (responses, errors by kind, the rate of the
     * answers with the expected status (any 2xx when it is 0), latency, the tool's own figures
     * in raw).  Returns 0, or -1 when the output is not what it prints. */
    int (*parse)(const char *out, int expected_status, struct rr_run *run);
};

extern const struct rs_tool rs_tools[];
extern const int rs_ntools;

/* A tool's place in rs_tools[], or -1. */
int rs_tool_find(const char *name);
/* A tool's name ("unknown" for a bad place). */
const char *rs_tool_name(int tool);
/* "ringfire, wrk, hey, h2load", for messages. */
const char *rs_tool_list(char *buf, size_t n);

/* Whether the tool can measure the cell; if not, why (the cell is skipped). */
int rs_tool_supports(int tool, const struct rs_cell *cell, const struct rs_endpoint *e, char *why,
                     size_t n);
/* Whether the tool is installed; if not, what to install. */
int rs_tool_installed(int tool, const char *ringfire, char *why, size_t n);
/* The first line of its version, cleaned for a table (no tabs, no copyright notice). */
void rs_tool_version(int tool, const char *ringfire, char *out, size_t n);

/* The endpoint's request body in a file of the results directory, for tools that read one
 * (path in out).  Returns 0, or -1 when it cannot be written. */
int rs_tool_body_file(const struct rs_tool_ctx *ctx, const struct rs_endpoint *e, char *out,
                      size_t n);
/* Threads for a cell: the cell's, or one per client CPU; at most one per connection. */
unsigned rs_tool_threads(const struct rs_tool_ctx *ctx);
/* Whole seconds, at least 1, for tools that take no fractions. */
unsigned rs_tool_seconds(uint64_t ns);

/* The adapters (tool_*.c). */
int rs_ringfire_command(const struct rs_tool_ctx *ctx, int warmup, struct rs_argv *argv);
int rs_ringfire_parse(const char *out, int expected_status, struct rr_run *run);
int rs_wrk_command(const struct rs_tool_ctx *ctx, int warmup, struct rs_argv *argv);
int rs_wrk_parse(const char *out, int expected_status, struct rr_run *run);
int rs_hey_command(const struct rs_tool_ctx *ctx, int warmup, struct rs_argv *argv);
int rs_hey_parse(const char *out, int expected_status, struct rr_run *run);
int rs_h2load_command(const struct rs_tool_ctx *ctx, int warmup, struct rs_argv *argv);
int rs_h2load_parse(const char *out, int expected_status, struct rr_run *run);

#endif
