/*
 * runner.h - running a suite (`ringfire suite`): for each target install, build, start,
 * validate, then run its cells repetition by repetition in an order shuffled per repetition
 * with a recorded seed, and rewrite results.json after every run.  A target that fails is data:
 * its cells are marked failed and the suite goes on.  The runner prints nothing; it tells its
 * caller what happens through events.
 */
#ifndef RF_RUNNER_H
#define RF_RUNNER_H

#include "results.h"
#include "suite.h"

enum rs_event_kind {
    RS_EV_BEGIN,         /* the suite starts: ncells, total runs, CPUs, dir */
    RS_EV_TARGET,        /* a target is installed, built and started */
    RS_EV_TARGET_FAILED, /* it could not be: reason */
    RS_EV_INVALID,       /* an endpoint failed validation: endpoint, reason */
    RS_EV_RUN,           /* a run finished: cell, rep, rps, done of total, eta_s, eta_max_s */
    RS_EV_KILLED,        /* a target ignored SIGTERM and was killed */
    RS_EV_SAVE_FAILED,   /* results.json could not be written: reason */
    RS_EV_END,           /* the counts of cells by status */
};

struct rs_event {
    enum rs_event_kind kind;
    const char *target;
    const char *endpoint;
    const char *reason;
    const struct rs_cell *cell;
    unsigned rep;
    double rps;
    unsigned done, total;
    unsigned eta_s, eta_max_s; /* left with the planned runs; if every cell needs its max */
    int ncells;
    const char *dir, *client_cpus, *target_cpus;
    unsigned ok, failed, skipped, pending;
};

typedef void rs_event_fn(const struct rs_event *event, void *arg);

struct rs_run_opts {
    const char *out_dir;    /* NULL: results/NAME-UTCTIME */
    const char *resume_dir; /* finish the results there instead */
    const char *ringfire;   /* path of the ringfire command, for its runs */
    const char *command;    /* the command line, recorded in the results */
    rs_event_fn *event;
    void *arg;
};

enum rs_run_status {
    RS_RUN_OK = 0,          /* it ran (failed targets are data, in their cells) */
    RS_RUN_INTERRUPTED = 1, /* rs_stop() ended it; finished runs are kept */
    RS_RUN_INPUT = -1,      /* the suite or the results to resume are wrong: err */
    RS_RUN_FAIL = -2,       /* the results directory could not be made or written: err */
};

/* Runs the suite's cells (rs_expand), filling in the rates taken from a peak as the peak is
 * measured.  Returns an rs_run_status. */
int rs_suite_run(struct rs_suite *suite, struct rs_cell *cells, int ncells,
                 const struct rs_run_opts *opts, char err[RS_ERR_MAX]);

/* Seconds a run of the cells would take (installation not included), with each cell's min
 * runs, or its max when most is set. */
double rs_suite_estimate(const struct rs_suite *suite, const struct rs_cell *cells, int ncells,
                         int most);

#endif
