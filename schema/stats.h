/*
 * stats.h - summaries of repeated measurements: median, range, a bootstrap confidence
 * interval of the median, the coefficient of variation, and the interval of the ratio of two
 * sets of runs.
 */
#ifndef RF_SCHEMA_STATS_H
#define RF_SCHEMA_STATS_H

#include <stdint.h>

#define RR_NOISY_CV 0.05 /* a cell whose runs vary more than 5% is marked noisy */

struct rr_spread {
    unsigned n;
    double median;
    double min;
    double max;
    double ci_low; /* 95% bootstrap interval of the median */
    double ci_high;
    double cv; /* stdev / mean */
    int noisy;
};

double rr_median(const double *v, unsigned n);
/* Summarizes n values; the bootstrap is seeded, so the same values give the same interval. */
void rr_describe(const double *v, unsigned n, uint64_t seed, struct rr_spread *out);
/* The ratio of the geometric means of y and x, and its interval at the two-sided confidence
 * level (0.95, 0.999...) from Welch's t on the logarithms of the values.  Returns 0, or -1 when
 * a side has fewer than 2 values or a value is not positive. */
int rr_ratio_interval(const double *x, unsigned nx, const double *y, unsigned ny, double level,
                      double *ratio, double *lo, double *hi);
/* The p-quantile of Student's t distribution with df (not necessarily whole) degrees of
 * freedom; NaN outside 0 < p < 1, df > 0. */
double rr_t_quantile(double p, double df);
/* The next number of a seeded xorshift64* generator. */
uint64_t rr_random(uint64_t *state);

#endif
