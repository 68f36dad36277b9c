/*
 * gate.h - the performance regression gate for CI pipelines (`ringfire gate`): from the
 * repetitions both results already hold, whether the current run is slower than the baseline
 * by more than a threshold *and* beyond the noise (the rule is in diff.c); its log lines, its
 * pull-request summary, and the current run exported for dashboards.
 */
#ifndef RF_GATE_H
#define RF_GATE_H

#include <stdio.h>

#include "diff.h"

#define RP_GATE_MIN_RUNS 3

struct rp_gate {
    struct rp_diff diff;
    unsigned mask;
    int regressions; /* worse beyond the noise, or failed where the baseline measured */
    int improvements;
    int unclear; /* inconclusive: the interval reaches across the threshold */
    int same;    /* no change: the interval lies within the threshold */
    int few;     /* comparisons with fewer than RP_GATE_MIN_RUNS runs on a side */
};

/* Decides every comparison (o's min_runs is the gate's own).  Returns 0, or -1 when out of
 * memory. */
int rp_gate_run(const struct rr_doc *base, const struct rr_doc *cur, const struct rp_diff_opts *o,
                struct rp_gate *g);
void rp_gate_free(struct rp_gate *g);
/* The median of the smallest changes the inconclusive comparisons could have called (NaN when
 * there are none). */
#define RP_DETECT_MAX 4096
double rp_gate_detectable(const struct rp_gate *g);
/* The input problems the gate cannot decide past: cells that do not match, too few runs. */
int rp_gate_problems(const struct rp_gate *g);

/* One decision as a line of the CI log, with its evidence. */
void rp_gate_line(FILE *out, const struct rp_gate *g, const struct rp_change *c);
/* A line for a comparison with too few runs, saying what to change. */
void rp_gate_few_line(FILE *out, const struct rp_diff *d, const struct rp_change *c);
/* The summary a pull-request comment shows. */
void rp_gate_markdown(FILE *out, const struct rp_gate *g, const struct rr_doc *base,
                      const struct rr_doc *cur);

enum rp_export {
    RP_EXPORT_GITHUB_BIGGER,  /* github-action-benchmark customBiggerIsBetter */
    RP_EXPORT_GITHUB_SMALLER, /* github-action-benchmark customSmallerIsBetter */
    RP_EXPORT_BMF,            /* Bencher's metric format */
};

/* The current run's measured cells in a dashboard's format, as JSON text (malloc'ed), or NULL
 * when out of memory. */
char *rp_gate_export(const struct rr_doc *cur, unsigned mask, enum rp_export kind);

#endif
