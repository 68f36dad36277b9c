/*
 * stats.c - median, bootstrap confidence interval of the median, coefficient of variation.
 *
 * With the 3 to 10 repetitions a suite runs, a percentile bootstrap of the median (2000
 * resamples) gives an interval that needs no assumption about the distribution of the runs;
 * it is seeded so that results are reproducible.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define RS_RESAMPLES 2000

uint64_t rs_random(uint64_t *state)
{
    uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ULL;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static int st_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double rs_median(const double *v, unsigned n)
{
    if (n == 0)
        return 0;
    double *s = malloc(n * sizeof(*s));
    if (!s)
        return NAN;
    memcpy(s, v, n * sizeof(*s));
    qsort(s, n, sizeof(*s), st_cmp);
    double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    free(s);
    return m;
}

void rs_summarize(const double *v, unsigned n, uint64_t seed, struct rs_summary *out)
{
    memset(out, 0, sizeof(*out));
    out->n = n;
    if (n == 0)
        return;
    double sum = 0, sq = 0;
    out->min = out->max = v[0];
    for (unsigned i = 0; i < n; i++) {
        sum += v[i];
        if (v[i] < out->min)
            out->min = v[i];
        if (v[i] > out->max)
            out->max = v[i];
    }
    double mean = sum / n;
    for (unsigned i = 0; i < n; i++)
        sq += (v[i] - mean) * (v[i] - mean);
    out->cv = n > 1 && mean != 0 ? sqrt(sq / (n - 1)) / fabs(mean) : 0;
    out->noisy = out->cv > RS_NOISY_CV;
    out->median = rs_median(v, n);

    double *meds = malloc(RS_RESAMPLES * sizeof(*meds)), *sample = malloc(n * sizeof(*sample));
    if (!meds || !sample) {
        out->ci_low = out->min;
        out->ci_high = out->max;
        goto out;
    }
    uint64_t state = seed ^ 0x5851f42d4c957f2dULL;
    for (unsigned r = 0; r < RS_RESAMPLES; r++) {
        for (unsigned i = 0; i < n; i++)
            sample[i] = v[rs_random(&state) % n];
        meds[r] = rs_median(sample, n);
    }
    qsort(meds, RS_RESAMPLES, sizeof(*meds), st_cmp);
    out->ci_low = meds[(unsigned)(0.025 * RS_RESAMPLES)];
    out->ci_high = meds[(unsigned)(0.975 * RS_RESAMPLES) - 1];
out:
    free(meds);
    free(sample);
}
