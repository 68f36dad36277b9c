/*
 * test_stats.c - the statistics of repeated runs: medians and spreads, the interval of the
 * median from order statistics with the coverage it claims (checked by simulation), when a
 * cell's interval is resolved, and the signed-rank interval of paired runs (exact on a known
 * case, its coverage checked by simulation).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>

#include "results.h"
#include "stats.h"

Test(stats, summaries)
{
    double same[] = {100, 100, 100};
    struct rr_spread s;
    rr_describe(same, 3, &s);
    cr_assert(eq(dbl, s.median, 100));
    cr_assert(eq(dbl, s.ci_low, 100));
    cr_assert(eq(dbl, s.ci_high, 100));
    cr_assert(eq(dbl, s.cv, 0));
    double spread[] = {110, 90, 100};
    rr_describe(spread, 3, &s);
    cr_assert(eq(dbl, s.median, 100));
    cr_assert(eq(dbl, s.min, 90));
    cr_assert(eq(dbl, s.max, 110));
    cr_assert(le(dbl, fabs(s.cv - 0.1), 1e-12), "stdev 10 over mean 100");
    double even[] = {4, 1, 3, 2};
    cr_assert(eq(dbl, rr_median(even, 4), 2.5));
}

/* The interval and its coverage, n by n: the range below 6 runs with its own coverage
 * (1 - 2 / 2^n), then the narrowest pair of order statistics that reaches 95%. */
Test(stats, the_interval_of_the_median_says_its_coverage)
{
    static const struct {
        unsigned n, k; /* the interval is [x(k), x(n+1-k)] */
        double coverage;
    } want[] = {
        {1, 1, 0},          {2, 1, 0.5},        {3, 1, 0.75},        {4, 1, 0.875},
        {5, 1, 0.9375},     {6, 1, 0.96875},    {8, 1, 0.9921875},   {9, 2, 0.9609375},
        {12, 3, 0.9614258}, {20, 6, 0.9586105}, {30, 10, 0.9572261},
    };
    double v[64];
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        unsigned n = want[i].n;
        for (unsigned k = 0; k < n; k++)
            v[k] = k + 1; /* sorted: x(k) = k */
        double lo, hi, cov;
        rr_median_interval(v, n, 0.95, &lo, &hi, &cov);
        cr_assert(eq(dbl, lo, want[i].k), "n %u: low x(%g)", n, lo);
        cr_assert(eq(dbl, hi, n + 1 - want[i].k), "n %u: high x(%g)", n, hi);
        cr_assert(le(dbl, fabs(cov - want[i].coverage), 1e-6), "n %u: coverage %g", n, cov);
    }
}

/* An exponential variate (a skewed distribution, median ln 2). */
static double expo(uint64_t *state)
{
    double u = ((double)(rr_random(state) >> 11) + 1.0) / 9007199254740993.0;
    return -log(u);
}

/*
 * Simulated: for each n, 20000 samples of n runs from a skewed distribution; the share of
 * intervals that hold the true median must be the coverage rr_describe claims, within four
 * standard errors of a proportion (about 1.2 percentage points).
 */
Test(stats, the_claimed_coverage_holds_on_simulated_runs)
{
    static const unsigned ns[] = {3, 5, 6, 9, 15, 25};
    const int trials = 20000;
    uint64_t state = 2026;
    double v[32];
    for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
        unsigned n = ns[i], held = 0;
        double claimed = 0;
        for (int t = 0; t < trials; t++) {
            for (unsigned k = 0; k < n; k++)
                v[k] = expo(&state);
            struct rr_spread s;
            rr_describe(v, n, &s);
            held += s.ci_low <= M_LN2 && M_LN2 <= s.ci_high;
            claimed = s.coverage;
        }
        double share = (double)held / trials, se = sqrt(claimed * (1 - claimed) / trials);
        cr_assert(le(dbl, fabs(share - claimed), 4 * se + 1e-9),
                  "n %u: %.4f of intervals held the median, %.4f claimed", n, share, claimed);
    }
}

Test(stats, an_interval_is_resolved_within_its_target_at_95_percent)
{
    struct rr_rps r = {.median = 100, .ci = {97, 104}, .ci_coverage = 0.96, .runs = 6};
    cr_assert(eq(int, rr_resolved(&r, 0.05), 1));
    cr_assert(eq(int, rr_resolved(&r, 0.03), 0), "104 is 4%% above the median");
    r.ci_coverage = 0.9375;
    cr_assert(eq(int, rr_resolved(&r, 0.05), 0), "5 runs: the range covers only 93.75%%");
}

Test(stats, the_signed_rank_interval_of_paired_runs)
{
    /* n = 10 at 95%: the table's critical value is 8, so the interval runs from the 9th to the
     * 47th of the 55 Walsh averages, covering 1 - 2 * 25/1024. */
    double x[10], y[10], ratio, lo, hi, coverage;
    for (int i = 0; i < 10; i++) {
        x[i] = 100 + 10 * i; /* the drift both sides share cancels in the pairs */
        y[i] = x[i] * 0.9;
    }
    cr_assert(eq(int, rr_paired_ratio_interval(x, y, 10, 0.95, &ratio, &lo, &hi, &coverage), 0));
    cr_assert(lt(dbl, fabs(ratio - 0.9), 1e-12));
    cr_assert(lt(dbl, fabs(lo - 0.9), 1e-12));
    cr_assert(lt(dbl, fabs(hi - 0.9), 1e-12));
    cr_assert(lt(dbl, fabs(coverage - (1 - 50.0 / 1024)), 1e-12), "%.6f", coverage);
    /* 5 pairs cannot reach 95%: the smallest two-sided p is 2/32. */
    cr_assert(eq(int, rr_paired_ratio_interval(x, y, 5, 0.95, &ratio, &lo, &hi, &coverage), -1));
    y[3] = -1;
    cr_assert(eq(int, rr_paired_ratio_interval(x, y, 10, 0.95, &ratio, &lo, &hi, &coverage), -1));
}

Test(stats, the_signed_rank_coverage_holds_on_simulated_pairs)
{
    static const unsigned ns[] = {6, 10, 16};
    const int trials = 20000;
    uint64_t state = 7;
    double x[16], y[16];
    for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
        unsigned n = ns[i], held = 0;
        double claimed = 0, ratio, lo, hi;
        for (int t = 0; t < trials; t++) {
            for (unsigned k = 0; k < n; k++) {
                double drift = 1 + (double)(rr_random(&state) % 1000) / 1000; /* shared */
                double noise = ((double)(rr_random(&state) % 20001) - 10000) / 100000;
                x[k] = 1000 * drift;
                y[k] = 1000 * drift * 0.95 * exp(noise); /* symmetric around 0.95 on log scale */
            }
            cr_assert(
                eq(int, rr_paired_ratio_interval(x, y, n, 0.9, &ratio, &lo, &hi, &claimed), 0));
            held += lo <= 0.95 && 0.95 <= hi;
        }
        double share = (double)held / trials, se = sqrt(claimed * (1 - claimed) / trials);
        cr_assert(le(dbl, fabs(share - claimed), 4 * se + 1e-9),
                  "n %u: %.4f of intervals held the ratio, %.4f claimed", n, share, claimed);
    }
}
