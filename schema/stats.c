/*
 * stats.c - median, a distribution-free confidence interval of the median, the coefficient of
 * variation, and the Welch interval of the ratio of two runs' geometric means (for compare and
 * the gate).
 *
 * The interval of the median is made of two order statistics of the runs: [x(k), x(n+1-k)]
 * covers the true median unless at least n+1-k runs fall on one side of it, so its coverage is
 * 1 - 2 P(Bin(n, 1/2) <= k - 1) whatever the distribution of the runs.  k is the largest whose
 * coverage reaches the level asked for; below 6 runs even the range [min, max] falls short (75%
 * for 3 runs, 94% for 5), and the interval is the range with its own coverage, said as such.
 * A percentile bootstrap of a handful of runs also returns the range, but claims 95%.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

uint64_t rr_random(uint64_t *state)
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

/* Sorts v in place (insertion sort: the samples are a handful of runs) and returns its median. */
static double st_median_inplace(double *v, unsigned n)
{
    if (n > 64) {
        qsort(v, n, sizeof(*v), st_cmp);
    } else {
        for (unsigned i = 1; i < n; i++) {
            double x = v[i];
            unsigned j = i;
            for (; j > 0 && v[j - 1] > x; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
    }
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double rr_median(const double *v, unsigned n)
{
    if (n == 0)
        return 0;
    double *s = malloc(n * sizeof(*s));
    if (!s)
        return NAN;
    memcpy(s, v, n * sizeof(*s));
    double m = st_median_inplace(s, n);
    free(s);
    return m;
}

/* P(Bin(n, 1/2) <= k), by its terms in logarithms (n is at most a few thousand). */
static double st_binomial_half_cdf(unsigned n, unsigned k)
{
    double sum = 0;
    for (unsigned i = 0; i <= k && i <= n; i++)
        sum += exp(lgamma(n + 1.0) - lgamma(i + 1.0) - lgamma(n - i + 1.0) - n * M_LN2);
    return sum > 1 ? 1 : sum;
}

void rr_median_interval(const double *sorted, unsigned n, double level, double *lo, double *hi,
                        double *coverage)
{
    if (n == 0) {
        *lo = *hi = *coverage = NAN;
        return;
    }
    unsigned k = 1;
    while (k + 1 <= (n + 1) / 2 && 1 - 2 * st_binomial_half_cdf(n, k) >= level)
        k++;
    *lo = sorted[k - 1];
    *hi = sorted[n - k];
    *coverage = n == 1 ? 0 : 1 - 2 * st_binomial_half_cdf(n, k - 1);
}

void rr_describe(const double *v, unsigned n, struct rr_spread *out)
{
    memset(out, 0, sizeof(*out));
    out->n = n;
    out->ci_low = out->ci_high = out->coverage = NAN;
    if (n == 0)
        return;
    double *s = malloc(n * sizeof(*s)), sum = 0, sq = 0;
    if (!s) {
        out->median = out->min = out->max = out->cv = NAN;
        return;
    }
    memcpy(s, v, n * sizeof(*s));
    out->median = st_median_inplace(s, n);
    out->min = s[0];
    out->max = s[n - 1];
    for (unsigned i = 0; i < n; i++)
        sum += v[i];
    double mean = sum / n;
    for (unsigned i = 0; i < n; i++)
        sq += (v[i] - mean) * (v[i] - mean);
    out->cv = n > 1 && mean != 0 ? sqrt(sq / (n - 1)) / fabs(mean) : 0;
    rr_median_interval(s, n, RR_LEVEL, &out->ci_low, &out->ci_high, &out->coverage);
    free(s);
}

/* The regularized incomplete beta function I_x(a, b), by its continued fraction (modified
 * Lentz), on the side of x where the fraction converges quickly. */
static double st_betai(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    if (x > (a + 1) / (a + b + 2))
        return 1 - st_betai(b, a, 1 - x);
    double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)) / a;
    double f = 1, c = 1, d = 0;
    for (int i = 0; i <= 400; i++) {
        int m = i / 2;
        double num = i == 0       ? 1
                     : i % 2 == 0 ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
                                  : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
        d = 1 + num * d;
        d = fabs(d) < 1e-300 ? 1e-300 : d;
        d = 1 / d;
        c = 1 + num / c;
        c = fabs(c) < 1e-300 ? 1e-300 : c;
        double cd = c * d;
        f *= cd;
        if (fabs(1 - cd) < 1e-12)
            break;
    }
    return front * (f - 1);
}

double rr_t_quantile(double p, double df)
{
    if (!(p > 0 && p < 1) || !(df > 0))
        return NAN;
    if (p < 0.5)
        return -rr_t_quantile(1 - p, df);
    /* P(T > t) = I_{df/(df+t^2)}(df/2, 1/2) / 2, which falls as t grows: bisect on it. */
    double want = 1 - p, lo = 0, hi = 1;
    while (st_betai(df / 2, 0.5, df / (df + hi * hi)) / 2 > want && hi < 1e12)
        hi *= 2;
    for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
        double mid = (lo + hi) / 2;
        if (st_betai(df / 2, 0.5, df / (df + mid * mid)) / 2 > want)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

int rr_paired_ratio_interval(const double *x, const double *y, unsigned n, double level,
                             double *ratio, double *lo, double *hi, double *coverage)
{
    if (n < 1 || n > RR_PAIRS_MAX)
        return -1;
    double d[RR_PAIRS_MAX];
    for (unsigned i = 0; i < n; i++) {
        if (!(x[i] > 0) || !(y[i] > 0))
            return -1;
        d[i] = log(y[i] / x[i]);
    }
    /* The signed-rank statistic's null distribution: count[t] of the 2^n sign patterns whose
     * positive ranks add up to t (ranks 1..n). */
    unsigned top = n * (n + 1) / 2;
    double *count = calloc(top + 1, sizeof(double));
    double *walsh = malloc((size_t)top * sizeof(double));
    if (!count || !walsh) {
        free(count);
        free(walsh);
        return -1;
    }
    count[0] = 1;
    for (unsigned r = 1; r <= n; r++)
        for (unsigned t = r * (r + 1) / 2; t >= r; t--)
            count[t] += count[t - r];
    /* The interval is [W(k), W(top + 1 - k)] of the sorted Walsh averages, with k the largest
     * whose tail P(T < k) stays within (1 - level) / 2. */
    double total = ldexp(1, (int)n), tail = 0, alpha = (1 - level) / 2;
    unsigned k = 0;
    while (k < top && (tail + count[k]) / total <= alpha)
        tail += count[k++];
    free(count);
    if (k == 0) {
        free(walsh);
        return -1;
    }
    unsigned w = 0;
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = i; j < n; j++)
            walsh[w++] = (d[i] + d[j]) / 2;
    qsort(walsh, top, sizeof(double), st_cmp);
    double est = top % 2 ? walsh[top / 2] : (walsh[top / 2 - 1] + walsh[top / 2]) / 2;
    *ratio = exp(est);
    *lo = exp(walsh[k - 1]);
    *hi = exp(walsh[top - k]);
    *coverage = 1 - 2 * tail / total;
    free(walsh);
    return 0;
}

int rr_ratio_interval(const double *x, unsigned nx, const double *y, unsigned ny, double level,
                      double *ratio, double *lo, double *hi)
{
    if (nx < 2 || ny < 2)
        return -1;
    double mx = 0, my = 0, vx = 0, vy = 0;
    for (unsigned i = 0; i < nx; i++) {
        if (!(x[i] > 0))
            return -1;
        mx += log(x[i]) / nx;
    }
    for (unsigned i = 0; i < ny; i++) {
        if (!(y[i] > 0))
            return -1;
        my += log(y[i]) / ny;
    }
    for (unsigned i = 0; i < nx; i++)
        vx += (log(x[i]) - mx) * (log(x[i]) - mx) / (nx - 1);
    for (unsigned i = 0; i < ny; i++)
        vy += (log(y[i]) - my) * (log(y[i]) - my) / (ny - 1);
    double ex = vx / nx, ey = vy / ny, se = sqrt(ex + ey);
    *ratio = exp(my - mx);
    if (se == 0) { /* every run of both sides alike: the ratio is exact */
        *lo = *hi = *ratio;
        return 0;
    }
    /* Welch-Satterthwaite degrees of freedom: the two sides may vary by different amounts. */
    double df = (ex + ey) * (ex + ey) / (ex * ex / (nx - 1) + ey * ey / (ny - 1));
    double t = rr_t_quantile(1 - (1 - level) / 2, df);
    *lo = exp(my - mx - t * se);
    *hi = exp(my - mx + t * se);
    return 0;
}
