/*
 * tools.h - the load generators a suite can run on a cell, behind one adapter shape: whether
 * a tool can do the cell, the exact command, and its output read into one record.
 */
#ifndef RF_TOOLS_H
#define RF_TOOLS_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "suite.h"

#define RS_CMD_MAX 1024

/* The latencies every tool reports, in microseconds: p50 p75 p90 p99 p99.9 p99.99 max. */
#define RS_NLAT 7
extern const char *const rs_lat_keys[RS_NLAT];

struct rs_run {
    double rps;
    double duration_s;
    double responses;
    double errors;
    double latency_us[RS_NLAT]; /* NaN where the tool does not report one */
    cJSON *raw;                 /* the tool's own figures, as JSON */
    char command[RS_CMD_MAX];   /* the exact command line */
};

/* What a cell is run with: the target's port, the client's CPUs, where scripts go. */
struct rs_tool_ctx {
    const struct rs_suite *suite;
    const struct rs_cell *cell;
    unsigned port;
    const char *client_cpus;
    unsigned client_ncpus;
    const char *ringfire; /* path of the ringfire command */
    const char *dir;      /* the results directory, for generated scripts */
    const char *log;      /* the clients' stderr */
};

/* Whether the tool can measure the cell; if not, why (the cell is skipped). */
int rs_tool_supports(enum rs_tool tool, const struct rs_cell *cell, const struct rs_endpoint *e,
                     char *why, size_t n);
/* Whether the tool is installed; if not, what to install. */
int rs_tool_installed(enum rs_tool tool, const char *ringfire, char *why, size_t n);
/* The first line of `tool --version` (or its equivalent). */
void rs_tool_version(enum rs_tool tool, const char *ringfire, char *out, size_t n);

/* Builds the measured command into argv (pointers into storage).  Returns argc, or -1. */
int rs_tool_command(const struct rs_tool_ctx *ctx, int warmup, const char **argv,
                    char storage[][256]);

/* Reads a tool's output; the tool's own figures go into run->raw.  Returns 0, or -1 when the
 * output is not what that tool prints. */
int rs_parse_ringfire(const char *out, struct rs_run *run);
int rs_parse_wrk(const char *out, struct rs_run *run);
int rs_parse_hey(const char *out, struct rs_run *run);
int rs_parse_h2load(const char *out, struct rs_run *run);
int rs_tool_parse(enum rs_tool tool, const char *out, struct rs_run *run);

#endif
