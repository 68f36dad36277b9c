/*
 * cell.c - one measured run of a cell (cell.h).
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cell.h"
#include "proc.h"
#include "tools.h"

#define CL_SLACK_S 30 /* a tool's run may take this much longer than planned */

static double cl_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The command line as one string, for the record. */
static char *cl_command(const struct rs_argv *a)
{
    size_t len = 1;
    for (int i = 0; i < a->n; i++)
        len += strlen(a->v[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (int i = 0; i < a->n; i++) {
        strcat(s, i ? " " : "");
        strcat(s, a->v[i]);
    }
    return s;
}

int rs_cell_run(const struct rs_cell_env *env, const struct rs_cell *c,
                const struct rs_running *target, unsigned rep, unsigned order, struct rr_run *run,
                char reason[RS_REASON_MAX])
{
    const struct rs_tool *tool = &rs_tools[c->tool];
    const char *own = env->suite->targets[c->target].ringfire;
    struct rs_tool_ctx ctx = {
        env->suite, c, target->authority, env->client_ncpus, own ? own : env->ringfire, env->dir};
    static struct rs_argv argv;
    char log[PATH_MAX + 64], *out = NULL;
    snprintf(log, sizeof(log), "%s/clients.log", env->dir);
    struct rs_proc p = {.cpus = env->client_cpus, .log = log};
    p.timeout_s = (int)((c->duration_ns + env->suite->warmup_ns) / 1000000000ULL) + CL_SLACK_S;
    rr_run_init(run);
    memset(&argv, 0, sizeof(argv));
    if (!(tool->flags & RS_OWN_WARMUP) && env->suite->warmup_ns &&
        tool->command(&ctx, 1, &argv) == 0) {
        rs_proc_run(argv.v, &p, &out, NULL);
        free(out);
        memset(&argv, 0, sizeof(argv));
    }
    if (tool->command(&ctx, 0, &argv) < 0) {
        snprintf(reason, RS_REASON_MAX, "could not prepare %s's command", tool->name);
        return -1;
    }
    char *command = cl_command(&argv);
    struct rs_usage client = {0};
    uint64_t target_rss = 0;
    double t0 = rs_target_cpu(target, NULL), start = cl_now();
    int status = rs_proc_run(argv.v, &p, &out, &client);
    double wall = cl_now() - start, target_cpu = rs_target_cpu(target, &target_rss) - t0;
    /* Processes of the target that ended during the run take their CPU time with them: the
     * difference is then no measurement (it can even be negative). */
    if (target_cpu < 0 || !rs_target_alive(target))
        target_cpu = NAN;
    if (rs_stopping()) {
        free(out);
        free(command);
        return RS_CELL_INTERRUPTED;
    }
    char why[200] = "";
    const struct rs_endpoint *e = &env->suite->endpoints[c->endpoint];
    if (tool->parse(out ? out : "", e->websocket ? 0 : e->status, run) < 0 ||
        rr_run_check(run, why, sizeof(why)) < 0) {
        snprintf(reason, RS_REASON_MAX,
                 "run %u: %s exited with status %d and printed no result it could read%s%s "
                 "(command: %.300s; its messages: %.400s)",
                 rep, tool->name, status, why[0] ? ": " : "", why, command ? command : "?", log);
        rr_run_free(run);
        free(out);
        free(command);
        return -1;
    }
    free(out);
    run->rep = rep;
    run->order = order;
    run->command = command;
    run->exit_status = status < 0 ? -1 : status; /* -1: killed, or it could not run */
    run->wall_s = wall;
    /* On agents the client is ssh here: its own CPU and memory are not measured. */
    run->client_cpu_s = env->suite->agents ? NAN : client.cpu_s;
    run->target_cpu_s = target_cpu;
    run->client_peak_rss_bytes = env->suite->agents ? NAN : (double)client.peak_rss;
    run->target_peak_rss_bytes = isnan(target_cpu) ? NAN : (double)target_rss;
    rr_run_derive(run, env->client_ncpus, env->target_ncpus);
    if (rr_run_check(run, why, sizeof(why)) < 0) {
        snprintf(reason, RS_REASON_MAX, "run %u: a figure out of range: %s", rep, why);
        rr_run_free(run);
        return -1;
    }
    return 0;
}
