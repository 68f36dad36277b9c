/*
 * runner.c - `ringfire suite FILE|NAME`: load and check the suite, then for each target install,
 * build, start, validate, run its cells repetition by repetition (in an order shuffled per
 * repetition with a recorded seed), sample CPU of both sides, and rewrite results.json after
 * every run.  A target that fails is data: its cells are marked failed and the suite goes on.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "results.h"
#include "ringfire.h"
#include "runner.h"
#include "stats.h"
#include "target.h"
#include "tools.h"

#define RN_RUN_SLACK_S 30     /* a client run may take this much longer than planned */
#define RN_SATURATED 0.85     /* a side busier than this is where the bottleneck is */
#define RN_OVERHEAD_S 0.5     /* per run, for the estimate */
#define RN_TARGET_START_S 2.0 /* per target, for the estimate */

volatile sig_atomic_t rs_interrupted;

static void rn_on_signal(int sig)
{
    (void)sig;
    rs_interrupted = 1;
}

struct rn {
    struct rs_suite suite;
    struct rs_cell *cells;
    int ncells;
    cJSON *doc;
    char dir[PATH_MAX];
    char ringfire[600];
    char client_cpus[64];
    char target_cpus[64];
    unsigned client_ncpus;
    unsigned target_ncpus;
    int quiet;
    unsigned total_runs;
    unsigned done_runs;
    double run_seconds; /* spent in runs so far, for the ETA */
};

/* ---- set-up -------------------------------------------------------------------------------- */

/* The number of CPUs in a list the suite loader or rn_cpus has checked. */
static unsigned rn_count_cpus(const char *list)
{
    int cpus[1024];
    int n = rf_parse_cpu_list(list, cpus, 1024);
    return n > 0 ? (unsigned)n : 1;
}

/* A suite's CPU list that this process may not run on: its programs would run unpinned. */
static int rn_cpus_check(const char *list, const char *key, char *err, size_t n)
{
    int cpus[1024];
    char allowed[256];
    int k = rf_parse_cpu_list(list, cpus, 1024); /* the suite loader checked its form */
    if (k < 1 || rf_cpus_check(cpus, (unsigned)k, allowed, sizeof(allowed)) == 0)
        return 0;
    snprintf(err, n, "%s \"%s\": %s; pick from the CPUs it may use (%s)", key, list,
             rf_strerror(RF_ECPUS), allowed);
    return -1;
}

/* Client and target on separate CPUs where there is more than one: of the CPUs this process may
 * run on, the target gets the first half, the client the rest. */
static int rn_cpus(struct rn *R, char *err, size_t n)
{
    const struct rs_suite *s = &R->suite;
    if (s->client_cpus) {
        if (rn_cpus_check(s->client_cpus, ".cpus.client", err, n) < 0 ||
            rn_cpus_check(s->target_cpus, ".cpus.target", err, n) < 0)
            return -1;
        snprintf(R->client_cpus, sizeof(R->client_cpus), "%s", s->client_cpus);
        snprintf(R->target_cpus, sizeof(R->target_cpus), "%s", s->target_cpus);
    } else {
        int cpus[1024];
        int k = rf_cpus_allowed(cpus, 1024);
        if (k < 1)
            cpus[k++] = 0;
        int half = k / 2; /* 0 with one CPU: the two share it */
        rf_cpus_format(cpus, half ? half : k, R->target_cpus, sizeof(R->target_cpus));
        rf_cpus_format(cpus + half, k - half, R->client_cpus, sizeof(R->client_cpus));
    }
    R->client_ncpus = rn_count_cpus(R->client_cpus);
    R->target_ncpus = rn_count_cpus(R->target_cpus);
    return 0;
}

static void rn_git_version(char *out, size_t n)
{
    char *text = NULL;
    const char *argv[] = {"git", "describe", "--always", "--dirty", NULL};
    snprintf(out, n, "%s", RF_VERSION);
    if (rs_run_capture(argv, NULL, 10, NULL, &text, NULL, NULL) == 0 && text && text[0])
        snprintf(out, n, "%s (git %.*s)", RF_VERSION, (int)strcspn(text, "\n"), text);
    free(text);
}

static cJSON *rn_env(struct rn *R, int argc, char **argv, const char *sha)
{
    struct rf_env e;
    rf_env_read(&e);
    cJSON *env = cJSON_CreateObject();
    char buf[256];
    rn_git_version(buf, sizeof(buf));
    cJSON_AddStringToObject(env, "ringfire", buf);
    cJSON_AddStringToObject(env, "kernel", e.kernel);
    cJSON_AddStringToObject(env, "cpu_model", e.cpu_model);
    cJSON_AddNumberToObject(env, "cores", e.cores);
    cJSON_AddStringToObject(env, "client_cpus", R->client_cpus);
    cJSON_AddStringToObject(env, "target_cpus", R->target_cpus);
    cJSON_AddStringToObject(env, "suite_sha256", sha);
    cJSON_AddNumberToObject(env, "seed", (double)R->suite.seed);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON_AddStringToObject(env, "started", buf);
    char cmd[2048] = "ringfire";
    for (int i = 0; i < argc; i++)
        snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), " %s", argv[i]);
    cJSON_AddStringToObject(env, "command", cmd);
    cJSON *tools = cJSON_AddObjectToObject(env, "tools");
    for (unsigned i = 0; i < R->suite.ntools; i++) {
        rs_tool_version((enum rs_tool)R->suite.tools[i], R->ringfire, buf, sizeof(buf));
        cJSON_AddStringToObject(tools, rs_tool_name((enum rs_tool)R->suite.tools[i]), buf);
    }
    cJSON_AddObjectToObject(env, "targets");
    return env;
}

/* ---- cells --------------------------------------------------------------------------------- */

static void rn_set_status(cJSON *cell, const char *status, const char *reason)
{
    cJSON_ReplaceItemInObject(cell, "status", cJSON_CreateString(status));
    cJSON_ReplaceItemInObject(cell, "reason",
                              reason ? cJSON_CreateString(reason) : cJSON_CreateNull());
}

static const char *rn_status(const cJSON *cell)
{
    const cJSON *s = cJSON_GetObjectItem(cell, "status");
    return cJSON_IsString(s) ? s->valuestring : "pending";
}

static int rn_runs_done(const cJSON *cell)
{
    return cJSON_GetArraySize(cJSON_GetObjectItem(cell, "runs"));
}

static void rn_save(struct rn *R)
{
    int rc = rs_results_write(R->doc, R->dir);
    if (rc < 0)
        fprintf(stderr, "ringfire suite: cannot write %s/results.json: %s\n", R->dir,
                strerror(-rc));
}

/* Cells no tool can do here are skipped before anything starts. */
static void rn_skip_unrunnable(struct rn *R)
{
    for (int i = 0; i < R->ncells; i++) {
        const struct rs_cell *c = &R->cells[i];
        cJSON *cell = rs_results_cell(R->doc, c->id);
        char why[256];
        if (strcmp(rn_status(cell), "pending") != 0)
            continue;
        if (!rs_tool_supports(c->tool, c, &R->suite.endpoints[c->endpoint], why, sizeof(why)) ||
            !rs_tool_installed(c->tool, R->ringfire, why, sizeof(why)))
            rn_set_status(cell, "skipped", why);
    }
}

static void rn_fail_target(struct rn *R, unsigned target, int endpoint, const char *reason)
{
    for (int i = 0; i < R->ncells; i++) {
        const struct rs_cell *c = &R->cells[i];
        cJSON *cell = rs_results_cell(R->doc, c->id);
        if (c->target == target && (endpoint < 0 || c->endpoint == (unsigned)endpoint) &&
            strcmp(rn_status(cell), "pending") == 0)
            rn_set_status(cell, "failed", reason);
    }
}

static void rn_human_rate(double v, char *out, size_t n)
{
    if (v >= 1e6)
        snprintf(out, n, "%.2fM", v / 1e6);
    else if (v >= 1e3)
        snprintf(out, n, "%.1fk", v / 1e3);
    else
        snprintf(out, n, "%.0f", v);
}

static void rn_progress(struct rn *R, const struct rs_cell *c, unsigned rep, double rps)
{
    if (R->quiet)
        return;
    char rate[32];
    rn_human_rate(rps, rate, sizeof(rate));
    double left = R->done_runs ? R->run_seconds / R->done_runs * (R->total_runs - R->done_runs) : 0;
    const struct rs_suite *s = &R->suite;
    fprintf(stderr, "[%u/%u] %s %s c=%u p=%u %s rep %u/%u · %s %s/s · ETA %dm%02ds\n", R->done_runs,
            R->total_runs, s->targets[c->target].name, s->endpoints[c->endpoint].name,
            c->connections, c->pipeline, rs_tool_name(c->tool), rep, c->repetitions, rate,
            s->endpoints[c->endpoint].websocket ? "msg" : "req", (int)left / 60, (int)left % 60);
}

/* One measured run of a cell: the tool's figures, both sides' CPU, the verdict. */
static void rn_run_cell(struct rn *R, const struct rs_cell *c, const struct rs_running *t,
                        unsigned rep, unsigned order)
{
    cJSON *cell = rs_results_cell(R->doc, c->id);
    struct rs_tool_ctx ctx = {.suite = &R->suite,
                              .cell = c,
                              .port = t->port,
                              .client_cpus = R->client_cpus,
                              .client_ncpus = R->client_ncpus,
                              .ringfire = R->ringfire,
                              .dir = R->dir};
    char log[PATH_MAX + 64], storage[40][256];
    const char *argv[40];
    snprintf(log, sizeof(log), "%s/clients.log", R->dir);
    int timeout = (int)((c->duration_ns + R->suite.warmup_ns) / 1000000000ULL) + RN_RUN_SLACK_S;
    char *out = NULL;
    if ((c->tool == RS_TOOL_WRK || c->tool == RS_TOOL_HEY) && R->suite.warmup_ns &&
        rs_tool_command(&ctx, 1, argv, storage) > 0) {
        rs_run_capture(argv, R->client_cpus, timeout, log, &out, NULL, NULL);
        free(out);
    }
    struct rs_run run = {0};
    if (rs_tool_command(&ctx, 0, argv, storage) < 0) {
        rn_set_status(cell, "failed", "could not prepare the tool's command");
        return;
    }
    for (int i = 0; argv[i]; i++)
        snprintf(run.command + strlen(run.command), sizeof(run.command) - strlen(run.command),
                 "%s%s", i ? " " : "", argv[i]);
    double client_cpu = 0, t0 = rs_target_cpu(t, NULL);
    uint64_t client_rss = 0, target_rss = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int status = rs_run_capture(argv, R->client_cpus, timeout, log, &out, &client_cpu, &client_rss);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double wall = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    double target_cpu = rs_target_cpu(t, &target_rss) - t0;
    R->run_seconds += wall;
    R->done_runs++;
    if (rs_interrupted) {
        free(out);
        return;
    }
    if (rs_tool_parse(c->tool, out ? out : "", &run) < 0) {
        char reason[RS_REASON_MAX + PATH_MAX + RS_CMD_MAX];
        snprintf(reason, sizeof(reason),
                 "run %u: %s exited with status %d and printed no result it could read "
                 "(command: %s; its messages: %s)",
                 rep, rs_tool_name(c->tool), status, run.command, log);
        rn_set_status(cell, "failed", reason);
        free(out);
        return;
    }
    free(out);
    double client_util = client_cpu / (wall * R->client_ncpus);
    double target_util = target_cpu / (wall * R->target_ncpus);
    const char *verdict = fmax(client_util, target_util) < RN_SATURATED ? "neither"
                          : client_util >= target_util                  ? "client-bound"
                                                                        : "server-bound";
    cJSON *r = cJSON_CreateObject();
    cJSON_AddNumberToObject(r, "rep", rep);
    cJSON_AddNumberToObject(r, "order", order);
    cJSON_AddStringToObject(r, "command", run.command);
    cJSON_AddNumberToObject(r, "exit_status", status);
    cJSON_AddNumberToObject(r, "rps", run.rps);
    cJSON_AddNumberToObject(r, "duration_s", run.duration_s);
    cJSON_AddNumberToObject(r, "responses", run.responses);
    cJSON_AddNumberToObject(r, "errors", run.errors);
    cJSON *lat = cJSON_AddObjectToObject(r, "latency_us");
    for (int i = 0; i < RS_NLAT; i++) {
        if (isnan(run.latency_us[i]))
            cJSON_AddNullToObject(lat, rs_lat_keys[i]);
        else
            cJSON_AddNumberToObject(lat, rs_lat_keys[i], run.latency_us[i]);
    }
    cJSON_AddNumberToObject(r, "wall_s", wall);
    cJSON_AddNumberToObject(r, "client_cpu_s", client_cpu);
    cJSON_AddNumberToObject(r, "target_cpu_s", target_cpu);
    cJSON_AddNumberToObject(r, "client_peak_rss_bytes", (double)client_rss);
    cJSON_AddNumberToObject(r, "target_peak_rss_bytes", (double)target_rss);
    /* Both sides' CPU is counted over the whole run, start-up and warm-up included; scaled to
     * the measured phase (the load is steady over a run) it is divided by the responses of
     * that phase. */
    double measured = run.duration_s > 0 && run.duration_s < wall ? run.duration_s / wall : 1;
    cJSON *cpu = cJSON_AddObjectToObject(r, "cpu_us_per_response");
    if (run.responses > 0) {
        cJSON_AddNumberToObject(cpu, "client", client_cpu * measured * 1e6 / run.responses);
        cJSON_AddNumberToObject(cpu, "target", target_cpu * measured * 1e6 / run.responses);
    } else {
        cJSON_AddNullToObject(cpu, "client");
        cJSON_AddNullToObject(cpu, "target");
    }
    cJSON_AddNumberToObject(r, "client_utilization", client_util);
    cJSON_AddNumberToObject(r, "target_utilization", target_util);
    cJSON_AddStringToObject(r, "bottleneck", verdict);
    cJSON_AddItemToObject(r, "raw", run.raw);
    cJSON_AddItemToArray(cJSON_GetObjectItem(cell, "runs"), r);
    rs_results_summarize(cell, R->suite.seed ^ (uint64_t)rep);
    if ((unsigned)rn_runs_done(cell) >= c->repetitions)
        rn_set_status(cell, "ok", NULL);
    rn_progress(R, c, rep, run.rps);
}

/* ---- a target ------------------------------------------------------------------------------ */

static void rn_shuffle(int *v, int n, uint64_t *state)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(rs_random(state) % (uint64_t)(i + 1));
        int x = v[i];
        v[i] = v[j];
        v[j] = x;
    }
}

static void rn_target(struct rn *R, unsigned ti)
{
    const struct rs_target *t = &R->suite.targets[ti];
    int *todo = malloc((size_t)R->ncells * sizeof(int)), ntodo = 0;
    unsigned max_reps = 0;
    for (int i = 0; i < R->ncells; i++) {
        cJSON *cell = rs_results_cell(R->doc, R->cells[i].id);
        if (R->cells[i].target == ti && strcmp(rn_status(cell), "pending") == 0) {
            todo[ntodo++] = i;
            if (R->cells[i].repetitions > max_reps)
                max_reps = R->cells[i].repetitions;
        }
    }
    if (ntodo == 0 || rs_interrupted)
        goto out;

    char log[PATH_MAX + 64], reason[RS_REASON_MAX];
    snprintf(log, sizeof(log), "%s/%s.install.log", R->dir, t->name);
    if (!R->quiet)
        fprintf(stderr, "ringfire suite: target %s: install, build, start\n", t->name);
    struct rs_running run;
    if (rs_target_install(t, log, reason) < 0 || rs_target_build(t, log, reason) < 0 ||
        rs_target_start(t, R->target_cpus, R->dir, &run, reason) < 0) {
        rn_fail_target(R, ti, -1, reason);
        fprintf(stderr, "ringfire suite: target %s failed: %s\n", t->name, reason);
        rn_save(R);
        goto out;
    }
    cJSON_AddStringToObject(cJSON_GetObjectItem(cJSON_GetObjectItem(R->doc, "env"), "targets"),
                            t->name, run.version);
    for (unsigned e = 0; e < R->suite.nendpoints; e++) {
        int used = 0;
        for (int k = 0; k < ntodo && !used; k++)
            used = R->cells[todo[k]].endpoint == e;
        if (used && rs_target_validate(&run, &R->suite.endpoints[e], R->ringfire, reason) < 0) {
            char full[RS_REASON_MAX + 64];
            snprintf(full, sizeof(full), "validation failed: %s", reason);
            rn_fail_target(R, ti, (int)e, full);
            fprintf(stderr, "ringfire suite: target %s, endpoint %s: %s\n", t->name,
                    R->suite.endpoints[e].name, full);
        }
    }
    rn_save(R);

    /* Each repetition visits the cells in its own shuffled order, so that drift over time
     * (thermal, background load) spreads over the cells instead of biasing the last ones. */
    for (unsigned rep = 1; rep <= max_reps && !rs_interrupted; rep++) {
        uint64_t state = R->suite.seed * 0x9e3779b97f4a7c15ULL + rep * 1000003ULL + ti;
        rn_shuffle(todo, ntodo, &state);
        for (int k = 0; k < ntodo && !rs_interrupted; k++) {
            const struct rs_cell *c = &R->cells[todo[k]];
            cJSON *cell = rs_results_cell(R->doc, c->id);
            if (strcmp(rn_status(cell), "pending") != 0 || (unsigned)rn_runs_done(cell) >= rep ||
                rep > c->repetitions)
                continue;
            if (!rs_target_alive(&run)) {
                snprintf(reason, sizeof(reason), "the target died before this cell (see %s)",
                         run.log);
                rn_fail_target(R, ti, -1, reason);
                break;
            }
            rn_run_cell(R, c, &run, rep, (unsigned)k + 1);
            if (!rs_target_alive(&run) && strcmp(rn_status(cell), "failed") != 0) {
                snprintf(reason, sizeof(reason),
                         "the target died during run %u of this cell (see %s)", rep, run.log);
                rn_set_status(cell, "failed", reason);
                rn_fail_target(R, ti, -1, "the target died during another cell");
            }
            rn_save(R);
        }
    }
    if (rs_target_stop(&run, t->stop_timeout_ns) < 0 && !R->quiet)
        fprintf(stderr, "ringfire suite: target %s ignored SIGTERM; killed\n", t->name);
out:
    free(todo);
}

/* ---- the command ---------------------------------------------------------------------------- */

static void rn_dry_run(struct rn *R)
{
    const struct rs_suite *s = &R->suite;
    double seconds = RN_TARGET_START_S * s->ntargets;
    printf("suite %s (%s): %d cells\n", s->name, s->file, R->ncells);
    printf("%-48s %5s %9s\n", "cell (target/endpoint/tool/connections/pipeline/threads)", "reps",
           "duration");
    for (int i = 0; i < R->ncells; i++) {
        const struct rs_cell *c = &R->cells[i];
        char why[256];
        int runs = rs_tool_supports(c->tool, c, &s->endpoints[c->endpoint], why, sizeof(why));
        printf("%-48s %5u %8.1fs%s%s\n", c->id, c->repetitions, (double)c->duration_ns / 1e9,
               runs ? "" : "  skipped: ", runs ? "" : why);
        if (runs)
            seconds +=
                c->repetitions * ((double)(c->duration_ns + s->warmup_ns) / 1e9 + RN_OVERHEAD_S);
    }
    printf("estimated duration: %dm%02ds (installation not included)\n", (int)seconds / 60,
           (int)seconds % 60);
}

static int rn_usage(const char *msg)
{
    fprintf(stderr,
            "ringfire suite: %s\n"
            "usage: ringfire suite FILE|NAME [--dry-run] [--out DIR] [--resume DIR] [-q]\n",
            msg);
    return 2;
}

static int rn_mkdirs(const char *dir)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof(tmp), "%s", dir);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(tmp, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

int rs_suite_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dry-run", no_argument, NULL, 'n'},
        {"out", required_argument, NULL, 'o'},
        {"resume", required_argument, NULL, 'r'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    static struct rn R;
    memset(&R, 0, sizeof(R));
    int dry = 0, c, status = 0;
    const char *out_dir = NULL, *resume = NULL;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":q", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            dry = 1;
            break;
        case 'o':
            out_dir = optarg;
            break;
        case 'r':
            resume = optarg;
            break;
        case 'q':
            R.quiet = 1;
            break;
        default:
            return rn_usage("unknown option or missing value");
        }
    }
    if (optind + 1 != argc)
        return rn_usage("name one suite: a file, or a name from suites/ (smoke, tools, ...)");

    char err[RS_ERR_MAX];
    if (rs_suite_load(argv[optind], &R.suite, err) < 0) {
        fprintf(stderr, "%s\n", err);
        rs_suite_free(&R.suite);
        return 2;
    }
    R.ncells = rs_expand(&R.suite, &R.cells);
    if (R.ncells <= 0) {
        fprintf(stderr, "%s: every cell is excluded: there is nothing to run\n", R.suite.file);
        status = 2;
        goto out;
    }
    if (dry) {
        rn_dry_run(&R);
        goto out;
    }
    ssize_t n = readlink("/proc/self/exe", R.ringfire, sizeof(R.ringfire) - 1);
    R.ringfire[n > 0 ? n : 0] = '\0';
    if (R.suite.seed == 0)
        R.suite.seed = (uint64_t)time(NULL);
    if (rn_cpus(&R, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s: %s\n", R.suite.file, err);
        status = 2;
        goto out;
    }
    char sha[65] = "";
    rs_sha256_file(R.suite.file, sha);

    if (resume) {
        snprintf(R.dir, sizeof(R.dir), "%s", resume);
        R.doc = rs_results_load(resume, sha, err, sizeof(err));
        if (!R.doc) {
            fprintf(stderr, "ringfire suite: %s\n", err);
            status = 2;
            goto out;
        }
        const cJSON *seed = cJSON_GetObjectItem(cJSON_GetObjectItem(R.doc, "env"), "seed");
        if (cJSON_IsNumber(seed))
            R.suite.seed = (uint64_t)seed->valuedouble;
    } else {
        if (out_dir) {
            snprintf(R.dir, sizeof(R.dir), "%s", out_dir);
        } else {
            char stamp[32];
            time_t now = time(NULL);
            struct tm tm;
            gmtime_r(&now, &tm);
            strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
            snprintf(R.dir, sizeof(R.dir), "results/%s-%s", R.suite.name, stamp);
        }
        if (rn_mkdirs(R.dir) < 0) {
            fprintf(stderr, "ringfire suite: cannot create %s: %s\n", R.dir, strerror(errno));
            status = 1;
            goto out;
        }
        R.doc = rs_results_new(&R.suite, R.cells, R.ncells, rn_env(&R, argc, argv, sha));
    }
    /* Targets get {dir} absolute: servers resolve relative paths against their own prefix. */
    char abs[PATH_MAX];
    if (realpath(R.dir, abs))
        snprintf(R.dir, sizeof(R.dir), "%s", abs);
    rn_skip_unrunnable(&R);
    for (int i = 0; i < R.ncells; i++) {
        cJSON *cell = rs_results_cell(R.doc, R.cells[i].id);
        if (cell && strcmp(rn_status(cell), "pending") == 0)
            R.total_runs += R.cells[i].repetitions - (unsigned)rn_runs_done(cell);
    }
    rn_save(&R);
    if (!R.quiet)
        fprintf(stderr,
                "ringfire suite: %s, %d cells, %u runs; client on CPU %s, targets on %s;"
                " results in %s\n",
                R.suite.name, R.ncells, R.total_runs, R.client_cpus, R.target_cpus, R.dir);

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = rn_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    for (unsigned t = 0; t < R.suite.ntargets && !rs_interrupted; t++)
        rn_target(&R, t);
    rn_save(&R);

    unsigned ok = 0, failed = 0, skipped = 0, pending = 0;
    const cJSON *cell;
    cJSON_ArrayForEach(cell, cJSON_GetObjectItem(R.doc, "cells"))
    {
        const char *s = rn_status(cell);
        ok += strcmp(s, "ok") == 0;
        failed += strcmp(s, "failed") == 0;
        skipped += strcmp(s, "skipped") == 0;
        pending += strcmp(s, "pending") == 0;
    }
    fprintf(stderr, "ringfire suite: %u ok, %u failed, %u skipped%s%s; results: %s/results.json\n",
            ok, failed, skipped, pending ? ", unfinished: " : "",
            pending ? "interrupted (finish with --resume)" : "", R.dir);
    if (rs_interrupted)
        status = 130;
out:
    cJSON_Delete(R.doc);
    free(R.cells);
    rs_suite_free(&R.suite);
    return status;
}
