/*
 * stats.h - summaries of repeated measurements: median, range, a bootstrap confidence
 * interval of the median, and the coefficient of variation.
 */
#ifndef RF_STATS_H
#define RF_STATS_H

#include <stdint.h>

#define RS_NOISY_CV 0.05 /* a cell whose runs vary more than 5% is marked noisy */

struct rs_summary {
    unsigned n;
    double median;
    double min;
    double max;
    double ci_low; /* 95% bootstrap interval of the median */
    double ci_high;
    double cv; /* stdev / mean */
    int noisy;
};

double rs_median(const double *v, unsigned n);
/* Summarizes n values; the bootstrap is seeded, so the same values give the same interval. */
void rs_summarize(const double *v, unsigned n, uint64_t seed, struct rs_summary *out);
/* The next number of a seeded xorshift64* generator. */
uint64_t rs_random(uint64_t *state);

#endif
