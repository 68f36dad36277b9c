/*
 * suite.c - `ringfire suite FILE|NAME [--dry-run] [--out DIR] [--resume DIR] [-q]`: load and
 * check a suite, then run it (runners/runner.c), saying what happens.
 */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "proc.h"
#include "runner.h"
#include "tools.h"

static int suite_main(int argc, char **argv);

const struct cli_command cli_suite_command = {
    "suite",
    "FILE|NAME [--dry-run] [--out DIR] [--resume DIR] [--repetitions N] [-q]",
    "run a benchmark suite (suites/FORMAT.md)",
    "  --repetitions N: every cell runs N times (e.g. as ringfire calibrate advises)",
    suite_main,
};

/* What the event printer needs. */
struct suite_ctx {
    const struct rs_suite *suite;
    int quiet;
};

static void suite_rate(double v, char *out, size_t n)
{
    if (v >= 1e6)
        snprintf(out, n, "%.2fM", v / 1e6);
    else if (v >= 1e3)
        snprintf(out, n, "%.1fk", v / 1e3);
    else
        snprintf(out, n, "%.0f", v);
}

/* Progress, said unless -q. */
static void suite_progress(const struct rs_event *ev, const struct rs_suite *s)
{
    char rate[32];
    if (ev->kind == RS_EV_BEGIN)
        fprintf(stderr,
                "ringfire suite: %s, %d cells, %u runs; client on CPU %s, targets on %s; results "
                "in %s\n",
                s->name, ev->ncells, ev->total, ev->client_cpus, ev->target_cpus, ev->dir);
    else if (ev->kind == RS_EV_TARGET)
        fprintf(stderr, "ringfire suite: target %s: install, build, start\n", ev->target);
    else if (ev->kind == RS_EV_KILLED)
        fprintf(stderr, "ringfire suite: target %s ignored SIGTERM; killed\n", ev->target);
    else if (ev->kind == RS_EV_RUN) {
        suite_rate(ev->rps, rate, sizeof(rate));
        fprintf(stderr, "[%u/%u] %s %s c=%u p=%u %s rep %u/%u · %s %s/s · ETA %dm%02ds", ev->done,
                ev->total, ev->target, ev->endpoint, ev->cell->connections, ev->cell->pipeline,
                rs_tool_name(ev->cell->tool), ev->rep, ev->cell->reps.max, rate,
                s->endpoints[ev->cell->endpoint].websocket ? "msg" : "req", (int)ev->eta_s / 60,
                (int)ev->eta_s % 60);
        if (ev->cell->rate.present) {
            char asked[32];
            suite_rate(ev->cell->rate.rps, asked, sizeof(asked));
            fprintf(stderr,
                    ev->cell->rate.search ? " (highest under the objective, below %s/s)"
                                          : " (asked %s/s)",
                    asked);
        }
        if (ev->eta_max_s > ev->eta_s) /* noisy cells may need more runs, up to their max */
            fprintf(stderr, " (at most %dm%02ds)", (int)ev->eta_max_s / 60,
                    (int)ev->eta_max_s % 60);
        fputc('\n', stderr);
    }
}

/* What the runner says, for people: failures and the end always, progress unless -q. */
static void suite_event(const struct rs_event *ev, void *arg)
{
    const struct suite_ctx *x = arg;
    switch (ev->kind) {
    case RS_EV_TARGET_FAILED:
        fprintf(stderr, "ringfire suite: target %s failed: %s\n", ev->target, ev->reason);
        break;
    case RS_EV_INVALID:
        fprintf(stderr, "ringfire suite: target %s, endpoint %s: %s\n", ev->target, ev->endpoint,
                ev->reason);
        break;
    case RS_EV_SAVE_FAILED:
        fprintf(stderr, "ringfire suite: %s\n", ev->reason);
        break;
    case RS_EV_END:
        fprintf(stderr,
                "ringfire suite: %u ok, %u failed, %u skipped%s%s; results: %s/results.json\n",
                ev->ok, ev->failed, ev->skipped, ev->pending ? ", unfinished: " : "",
                ev->pending ? "stopped early (finish with --resume)" : "", ev->dir);
        break;
    default:
        if (!x->quiet)
            suite_progress(ev, x->suite);
    }
}

static void suite_dry_run(const struct rs_suite *s, const struct rs_cell *cells, int n)
{
    double seconds = rs_suite_estimate(s, cells, n, 0), most = rs_suite_estimate(s, cells, n, 1);
    printf("suite %s (%s): %d cells\n", s->name, s->file, n);
    printf("%-48s %5s %9s\n", "cell (target/endpoint/tool/connections/pipeline/threads)", "reps",
           "duration");
    for (int i = 0; i < n; i++) {
        const struct rs_cell *c = &cells[i];
        char why[256];
        int runs = rs_tool_supports(c->tool, c, &s->endpoints[c->endpoint], why, sizeof(why));
        char reps[32];
        if (c->reps.min == c->reps.max)
            snprintf(reps, sizeof(reps), "%u", c->reps.max);
        else
            snprintf(reps, sizeof(reps), "%u-%u", c->reps.min, c->reps.max);
        printf("%-48s %5s %8.1fs%s%s\n", c->id, reps, (double)c->duration_ns / 1e9,
               runs ? "" : "  skipped: ", runs ? "" : why);
    }
    printf("estimated duration: %dm%02ds", (int)seconds / 60, (int)seconds % 60);
    if (most > seconds)
        printf(", at most %dm%02ds if every cell needs its max runs", (int)most / 60,
               (int)most % 60);
    printf(" (installation not included)\n");
}

/* The command line, for the results. */
static void suite_command(int argc, char **argv, char *cmd, size_t n)
{
    snprintf(cmd, n, "ringfire");
    for (int i = 0; i < argc; i++)
        snprintf(cmd + strlen(cmd), n - strlen(cmd), " %s", argv[i]);
}

int cli_suite_run(struct rs_suite *s, struct rs_cell *cells, int n, struct rs_run_opts *o,
                  int quiet)
{
    char ringfire[PATH_MAX], err[RS_ERR_MAX];
    ssize_t len = readlink("/proc/self/exe", ringfire, sizeof(ringfire) - 1);
    ringfire[len > 0 ? len : 0] = '\0';
    struct suite_ctx x = {s, quiet};
    o->ringfire = ringfire;
    o->event = suite_event;
    o->arg = &x;
    cli_catch_interrupts();
    int rc = rs_suite_run(s, cells, n, o, err);
    /* A message about a key of the suite (".cpus.client ...") names the suite's file. */
    if (rc == RS_RUN_INPUT || rc == RS_RUN_FAIL)
        fprintf(stderr, "%s: %s\n", err[0] == '.' ? s->file : "ringfire suite", err);
    return rc == RS_RUN_OK            ? RF_EXIT_OK
           : rc == RS_RUN_INTERRUPTED ? RF_EXIT_INTERRUPTED
           : rc == RS_RUN_INPUT       ? RF_EXIT_USAGE
                                      : RF_EXIT_FAIL;
}

static int suite_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dry-run", no_argument, NULL, 'n'},           {"out", required_argument, NULL, 'o'},
        {"resume", required_argument, NULL, 'r'},      {"quiet", no_argument, NULL, 'q'},
        {"repetitions", required_argument, NULL, 'R'}, {NULL, 0, NULL, 0},
    };
    struct rs_run_opts o = {0};
    int dry = 0, quiet = 0, c, status = RF_EXIT_USAGE, reps = 0;
    char *end;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":q", opts, NULL)) != -1) {
        if (c == 'n')
            dry = 1;
        else if (c == 'o')
            o.out_dir = optarg;
        else if (c == 'r')
            o.resume_dir = optarg;
        else if (c == 'q')
            quiet = 1;
        else if (c == 'R' && ((reps = (int)strtol(optarg, &end, 10)) < 1 || reps > 64 || *end))
            return cli_usage(&cli_suite_command,
                             "--repetitions '%s': give a whole number from 1 to 64", optarg);
        else if (c != 'R')
            return cli_usage(&cli_suite_command, "unknown option or missing value");
    }
    if (optind + 1 != argc)
        return cli_usage(&cli_suite_command,
                         "name one suite: a file, or a name from suites/ (smoke, tools, ...)");
    static struct rs_suite s;
    struct rs_cell *cells = NULL;
    char err[RS_ERR_MAX], cmd[2048];
    if (rs_suite_load(argv[optind], &s, err) < 0) {
        fprintf(stderr, "%s\n", err);
        goto out;
    }
    int n = rs_expand(&s, &cells);
    if (n <= 0) {
        fprintf(stderr, "%s: %s\n", s.file,
                n < 0 ? "out of memory expanding the matrix"
                      : "every cell is excluded: there is nothing to run");
        goto out;
    }
    for (int i = 0; reps && i < n; i++) /* ringfire calibrate's advice, for one run */
        cells[i].reps = (struct rs_reps){(unsigned)reps, (unsigned)reps, 0};
    if (dry) {
        suite_dry_run(&s, cells, n);
        status = RF_EXIT_OK;
        goto out;
    }
    suite_command(argc, argv, cmd, sizeof(cmd));
    o.command = cmd;
    status = cli_suite_run(&s, cells, n, &o, quiet);
out:
    free(cells);
    rs_suite_free(&s);
    return status;
}
