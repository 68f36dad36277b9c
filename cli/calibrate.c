/*
 * calibrate.c - `ringfire calibrate`: run a suite A/A (each target beside a copy of itself,
 * interleaved) or read such a run, and say per cell how noisy it is and how many repetitions
 * the gate needs (reports/calibrate.c).  The table goes to stdout and to calibration.md in the
 * results directory.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calibrate.h"
#include "cli.h"
#include "gate.h"
#include "runner.h"

#define CALIB_METRICS "rps,p99,cpu"
#define CALIB_REPS 12 /* the fewest an A/A run gets: its noise is what the advice rests on */
#define CALIB_REPS_TEXT "12"

static int calibrate_main(int argc, char **argv);

const struct cli_command cli_calibrate_command = {
    "calibrate",
    "SUITE [--out DIR] [--repetitions N] | --results RESULTS [--targets A,B]\n"
    "                     [--change PCT] [--max-regression PCT] [--false-alarms PCT]\n"
    "                     [--power PCT] [--metrics LIST] [-q]",
    "the noise of each cell, and the repetitions the gate needs",
    "  SUITE runs with each target beside a copy of itself, interleaved (an A/A run);\n"
    "  --results reads such a run (or two identical targets of one, --targets); --change:\n"
    "  the change to detect (default 10%) beyond --max-regression (default 5%), in\n"
    "  --power of gates (default 90%), --false-alarms over all comparisons (default 5%);\n"
    "  --repetitions: of the A/A run (default the suite's, at least " CALIB_REPS_TEXT ")",
    calibrate_main,
};

struct calib_args {
    const char *suite, *results, *targets, *out;
    char base[RR_NAME_MAX + 1], cur[RR_NAME_MAX + 1];
    struct rp_calib_opts o;
    int quiet;
    unsigned reps;
};

static int calibrate_options(int argc, char **argv, struct calib_args *a)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"results", required_argument, NULL, 'r'},
        {"targets", required_argument, NULL, 't'},
        {"change", required_argument, NULL, 'c'},
        {"max-regression", required_argument, NULL, 'm'},
        {"false-alarms", required_argument, NULL, 'a'},
        {"power", required_argument, NULL, 'p'},
        {"metrics", required_argument, NULL, 'M'},
        {"quiet", no_argument, NULL, 'q'},
        {"repetitions", required_argument, NULL, 'R'},
        {NULL, 0, NULL, 0},
    };
    const struct cli_command *cmd = &cli_calibrate_command;
    char *end;
    const char *metrics = CALIB_METRICS;
    char bad[64];
    int c;
    memset(a, 0, sizeof(*a));
    a->o = (struct rp_calib_opts){.change = 0.10, .threshold = 0.05, .alpha = 0.05, .power = 0.9};
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
        double *pct = c == 'c'   ? &a->o.change
                      : c == 'm' ? &a->o.threshold
                      : c == 'a' ? &a->o.alpha
                      : c == 'p' ? &a->o.power
                                 : NULL;
        const char **text = c == 'o'   ? &a->out
                            : c == 'r' ? &a->results
                            : c == 't' ? &a->targets
                            : c == 'M' ? &metrics
                                       : NULL;
        if (pct && (cli_percent(optarg, pct) < 0 || *pct <= 0))
            return cli_usage(cmd, "%s '%s': give a percentage above 0 and below 100, e.g. 10%%",
                             argv[optind - 1], optarg);
        else if (text)
            *text = optarg;
        else if (c == 'q')
            a->quiet = 1;
        else if (c == 'R' && ((a->reps = (unsigned)strtoul(optarg, &end, 10)) < RP_GATE_MIN_RUNS ||
                              a->reps > RP_RUNS_MAX || *end || optarg[0] == '-'))
            return cli_usage(cmd, "--repetitions '%s': give a whole number from %d to %d", optarg,
                             RP_GATE_MIN_RUNS, RP_RUNS_MAX);
        else if (!pct && c != 'R')
            return cli_usage(cmd, "unknown option or missing value");
    }
    if ((optind < argc) == (a->results != NULL) || argc - optind > 1)
        return cli_usage(cmd, "name one suite to run, or --results with an A/A run's results");
    a->suite = optind < argc ? argv[optind] : NULL;
    if (a->o.change <= a->o.threshold)
        return cli_usage(cmd,
                         "--change %g%% is not beyond --max-regression %g%%: the gate calls "
                         "only changes beyond its threshold",
                         a->o.change * 100, a->o.threshold * 100);
    if (a->targets && !a->results)
        return cli_usage(cmd, "--targets goes with --results");
    if ((a->out || a->reps) && a->results)
        return cli_usage(cmd, "--out and --repetitions go with a suite to run");
    if (a->targets && (sscanf(a->targets, "%64[^,],%64s", a->base, a->cur) != 2))
        return cli_usage(cmd, "--targets '%s': give two target names, A,B", a->targets);
    if (a->targets) {
        a->o.base_target = a->base;
        a->o.cur_target = a->cur;
    }
    int mask = rp_metrics_parse(metrics, bad, sizeof(bad));
    if (mask < 0)
        return cli_usage(cmd, "--metrics: unknown metric '%s'", bad);
    a->o.mask = (unsigned)mask;
    return 0;
}

/* Runs the suite A/A into dir.  Returns the exit status. */
static int calibrate_run(const struct calib_args *a, const char *dir)
{
    static struct rs_suite s;
    struct rs_cell *cells = NULL;
    char err[RS_ERR_MAX], cmd[2 * PATH_MAX];
    int status = RF_EXIT_USAGE;
    if (rs_suite_load(a->suite, &s, err) < 0 || rs_suite_twin(&s, RP_TWIN_SUFFIX, err) < 0) {
        fprintf(stderr, "%s\n", err);
        goto out;
    }
    int n = rs_expand(&s, &cells);
    if (n <= 0) {
        fprintf(stderr, "%s: %s\n", s.file, n < 0 ? "out of memory" : "every cell is excluded");
        goto out;
    }
    for (int i = 0; i < n; i++) {
        unsigned reps = a->reps                          ? a->reps
                        : cells[i].reps.max > CALIB_REPS ? cells[i].reps.max
                                                         : CALIB_REPS;
        cells[i].reps = (struct rs_reps){reps, reps, 0};
    }
    snprintf(cmd, sizeof(cmd), "ringfire calibrate %s --out %s", a->suite, dir);
    struct rs_run_opts o = {.out_dir = dir, .command = cmd};
    status = cli_suite_run(&s, cells, n, &o, a->quiet);
out:
    free(cells);
    rs_suite_free(&s);
    return status;
}

/* The table on stdout, and for a run in its DIR/calibration.md.  Returns the exit status. */
static int calibrate_say(const struct calib_args *a, const char *results)
{
    char err[RR_ERR_MAX], *text = NULL;
    size_t len = 0;
    struct rr_doc doc = {0};
    struct rp_calibration c = {0};
    int status = RF_EXIT_USAGE;
    if (rr_load(results, &doc, err) < 0) {
        fprintf(stderr, "ringfire calibrate: %s\n", err);
        goto out;
    }
    status = RF_EXIT_FAIL;
    FILE *m = open_memstream(&text, &len);
    if (!m || rp_calibrate(&doc, &a->o, &c) < 0) {
        fprintf(stderr, "ringfire calibrate: out of memory\n");
        if (m)
            fclose(m);
        goto out;
    }
    if (c.nrows == 0) {
        fprintf(stderr,
                "ringfire calibrate: %s: no comparison of a target with its copy has %d "
                "repetitions or more%s\n",
                results, RP_GATE_MIN_RUNS,
                a->targets ? "" : " (run a suite with ringfire calibrate SUITE)");
        fclose(m);
        status = RF_EXIT_USAGE;
        goto out;
    }
    rp_calibration_markdown(m, &c, &a->o);
    fclose(m);
    fputs(text, stdout);
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/calibration.md", results);
    int rc = a->results ? 0 : rr_write_atomic(path, text); /* a run's table beside its results */
    if (rc < 0)
        fprintf(stderr, "ringfire calibrate: cannot write %s\n", path);
    status = rc < 0 ? RF_EXIT_FAIL : RF_EXIT_OK;
out:
    free(text);
    rp_calibration_free(&c);
    rr_doc_free(&doc);
    return status;
}

static int calibrate_main(int argc, char **argv)
{
    struct calib_args a;
    if (calibrate_options(argc, argv, &a) != 0)
        return RF_EXIT_USAGE;
    if (a.results)
        return calibrate_say(&a, a.results);
    char dir[PATH_MAX];
    if (a.out) {
        snprintf(dir, sizeof(dir), "%s", a.out);
    } else {
        char when[32];
        time_t now = time(NULL);
        strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", gmtime(&now));
        snprintf(dir, sizeof(dir), "results/calibrate-%s", when);
    }
    int status = calibrate_run(&a, dir);
    return status == RF_EXIT_OK ? calibrate_say(&a, dir) : status;
}
