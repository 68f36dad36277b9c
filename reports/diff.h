/*
 * diff.h - the change from one results file (the baseline) to another (the current run), cell
 * by cell and metric by metric, decided from the repetitions of both: the code that
 * `ringfire compare` and `ringfire gate` share.
 */
#ifndef RF_DIFF_H
#define RF_DIFF_H

#include <stddef.h>

#include "results.h"

#define RP_RUNS_MAX 64  /* repetitions read per cell and side */
#define RP_ALPHA 0.05   /* the default chance of a false alarm over all the decisions of a diff */
#define RP_LINE_MAX 512 /* one problem, note or environment difference */

enum rp_metric { RP_M_RPS, RP_M_P50, RP_M_P99, RP_M_CPU, RP_M_CLIENT_CPU, RP_NMETRICS };

struct rp_metric_info {
    const char *name;  /* on the command line: rps, p50, p99, cpu, client-cpu */
    const char *label; /* in tables */
    const char *unit;  /* req/s, us, us/response */
    int higher_is_better;
    size_t offset;    /* of the figure in struct rr_run */
    const char *slug; /* Bencher's measure */
};

extern const struct rp_metric_info rp_metric_info[RP_NMETRICS];

enum rp_verdict {
    RP_SAME,    /* no change: the interval lies wholly within the threshold */
    RP_WORSE,   /* the interval lies wholly beyond the threshold, the bad way: a regression */
    RP_BETTER,  /* the interval lies wholly beyond the threshold, the good way: an improvement */
    RP_UNCLEAR, /* inconclusive: the interval reaches across the threshold */
    RP_FEW,     /* too few runs on a side to decide */
    RP_FAILED,  /* measured in the baseline, failed in the current run */
};

struct rp_change {
    const char *id;
    const struct rr_cell *base, *cur;
    enum rp_metric metric;
    unsigned nbase, ncur;
    double vbase[RP_RUNS_MAX], vcur[RP_RUNS_MAX];
    double base_mean, cur_mean; /* geometric means of the runs */
    double ratio, lo, hi;       /* current / baseline, and its interval at the diff's level */
    double detectable; /* the smallest change these runs could call, either way (0.12: 12%) */
    enum rp_verdict verdict;
};

/* What to compare and how.  With targets set, one interleaved results document is compared
 * with itself: each cell of base_target with the same cell of cur_target, run by run of the
 * same repetition (paired); otherwise every cell of one document with the cell of the same id
 * in the other (unpaired). */
struct rp_diff_opts {
    unsigned mask;     /* the metrics */
    double threshold;  /* a fraction: 0.05 */
    unsigned min_runs; /* the fewest runs a side needs for a verdict (2 or more) */
    double alpha;      /* the chance of any false alarm over the whole diff; 0: RP_ALPHA */
    const char *base_target, *cur_target;
};

struct rp_diff {
    struct rp_change *changes;
    int nchanges;
    int ntests;   /* changes with a verdict from the statistics */
    double level; /* the confidence of each of them, after the correction */
    double alpha;
    int paired;
    unsigned min_pairs; /* paired: the fewest pairs whose interval can reach the level */
    double threshold;
    char (*problems)[RP_LINE_MAX]; /* cells or metrics that cannot be compared */
    int nproblems;
    char (*notes)[RP_LINE_MAX]; /* worth saying, not an error: cells added, removed, skipped */
    int nnotes;
};

/* Parses "rps,p99,cpu" into a bit mask of metrics.  Returns the mask, or -1 with the unknown
 * name in bad. */
int rp_metrics_parse(const char *list, char *bad, size_t n);

/* The values of a metric in the runs of a cell, at most RP_RUNS_MAX; runs that did not
 * measure it are left out.  Returns how many. */
unsigned rp_cell_values(const struct rr_cell *cell, enum rp_metric m, double *v);

/* Compares the cells (see rp_diff_opts) for the metrics in the mask.  A change counts when
 * the interval of the ratio lies wholly beyond the threshold, no change when it lies wholly
 * within it.  Unpaired, the ratio is of the runs' geometric means with Welch's interval; paired,
 * the Hodges-Lehmann ratio of the pairs with the Wilcoxon signed-rank interval.  Cells on one
 * side only are notes.  Returns 0, or -1 when memory runs out. */
int rp_diff(const struct rr_doc *base, const struct rr_doc *cur, const struct rp_diff_opts *o,
            struct rp_diff *out);
void rp_diff_free(struct rp_diff *d);

/* Lists how the environments of two results differ (CPU model, cores, kernel, ringfire, the
 * client's and target's CPUs' distance when more than 2x apart, tool and target versions), one
 * line each.  Returns the number of lines. */
int rp_env_diff(const struct rr_doc *base, const struct rr_doc *cur, char (*lines)[RP_LINE_MAX],
                int max);

/* "+4.2%", "-20.0%" */
void rp_fmt_change(double ratio, char *out, size_t n);
/* A metric's value for people, in its unit. */
void rp_fmt_value(enum rp_metric m, double v, char *out, size_t n);

#endif
