/*
 * calibrate.h - what an A/A run says about a suite's noise (`ringfire calibrate`): per cell and
 * metric, how much two identical targets differ from run to run, and how many repetitions the
 * gate needs to call a given change; the A/A gate's own verdicts, as a check.
 */
#ifndef RF_CALIBRATE_H
#define RF_CALIBRATE_H

#include <stdio.h>

#include "diff.h"

/* The name of target T's twin in an A/A run: T with this suffix. */
#define RP_TWIN_SUFFIX ".aa"

struct rp_calib_opts {
    unsigned mask;                        /* the metrics */
    double change;                        /* the change to detect: 0.10 */
    double threshold;                     /* the gate's --max-regression: 0.05 */
    double alpha;                         /* the gate's --false-alarms: 0.05 */
    double power;                         /* the chance of calling that change: 0.9 */
    const char *base_target, *cur_target; /* the two to pair; NULL: every T with its twin */
};

struct rp_calib_row {
    const struct rp_change *change; /* the A/A comparison: its runs, ratio and verdict */
    double noise;        /* the spread of one pair's ratio (stdev of the log ratios, as e^s - 1) */
    double spread;       /* the spread of one side's runs (pooled stdev of the logs, as e^s - 1) */
    unsigned need_pairs; /* repetitions for an interleaved A/B gate (--ab); 0: over RP_RUNS_MAX */
    unsigned need_runs;  /* runs a side against a stored baseline; 0: over RP_RUNS_MAX */
};

struct rp_calibration {
    struct rp_diff *diffs; /* one per pair of targets */
    int ndiffs;
    struct rp_calib_row *rows;
    int nrows;
    double level;        /* each comparison's confidence: 1 - alpha / nrows */
    unsigned need_pairs; /* the most any row needs; 0: some row needs over RP_RUNS_MAX */
    unsigned need_runs;
    int false_alarms; /* A/A comparisons the gate called a regression or an improvement */
    int pairs_of_targets;
};

/* Calibrates from an A/A run's results.  Returns 0, or -1 when out of memory; no pairs of
 * targets (or no comparisons with 3 pairs or more) leave nrows 0. */
int rp_calibrate(const struct rr_doc *doc, const struct rp_calib_opts *o,
                 struct rp_calibration *out);
void rp_calibration_free(struct rp_calibration *c);

/* The table and its method, in markdown. */
void rp_calibration_markdown(FILE *out, const struct rp_calibration *c,
                             const struct rp_calib_opts *o);

#endif
