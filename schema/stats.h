/*
 * stats.h - summaries of repeated measurements: median, range, a distribution-free confidence
 * interval of the median with the coverage it achieves, the coefficient of variation, and the
 * interval of the ratio of two sets of runs.
 */
#ifndef RF_SCHEMA_STATS_H
#define RF_SCHEMA_STATS_H

#include <stdint.h>

#define RR_LEVEL 0.95 /* the coverage asked of an interval of a median */

struct rr_spread {
    unsigned n;
    double median;
    double min;
    double max;
    double ci_low; /* rr_median_interval at RR_LEVEL */
    double ci_high;
    double coverage; /* what that interval achieves: RR_LEVEL or more, less with few runs */
    double cv;       /* stdev / mean */
};

double rr_median(const double *v, unsigned n);
/* Summarizes n values. */
void rr_describe(const double *v, unsigned n, struct rr_spread *out);
/* The interval of the median of n sorted values from two of them: the narrowest pair of order
 * statistics whose coverage is at least level, or, when no pair reaches it, the range; the
 * coverage achieved in *coverage (0 for one value). */
void rr_median_interval(const double *sorted, unsigned n, double level, double *lo, double *hi,
                        double *coverage);
/* The ratio of the geometric means of y and x, and its interval at the two-sided confidence
 * level (0.95, 0.999...) from Welch's t on the logarithms of the values.  Returns 0, or -1 when
 * a side has fewer than 2 values or a value is not positive. */
int rr_ratio_interval(const double *x, unsigned nx, const double *y, unsigned ny, double level,
                      double *ratio, double *lo, double *hi);
/* Paired runs: the ratio y/x from the Hodges-Lehmann estimate of the logarithms of y[i]/x[i]
 * (the median of their Walsh averages), and its distribution-free interval from the Wilcoxon
 * signed-rank distribution, exact, at the two-sided confidence level or more (the coverage it
 * achieves in *coverage).  Returns 0, or -1 when a value is not positive, n is above
 * RR_PAIRS_MAX, or n pairs are too few for the level (2^n must exceed 2 / (1 - level)). */
#define RR_PAIRS_MAX 64
int rr_paired_ratio_interval(const double *x, const double *y, unsigned n, double level,
                             double *ratio, double *lo, double *hi, double *coverage);
/* The p-quantile of Student's t distribution with df (not necessarily whole) degrees of
 * freedom; NaN outside 0 < p < 1, df > 0. */
double rr_t_quantile(double p, double df);
/* The next number of a seeded xorshift64* generator. */
uint64_t rr_random(uint64_t *state);

#endif
