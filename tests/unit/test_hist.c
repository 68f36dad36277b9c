/*
 * test_hist.c - the latency histogram against exact percentiles of sorted random data, and its
 * HdrHistogram encoding read back (schema/hdrlog.c).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdrlog.h"
#include "ringfire.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The exact value at percentile p of sorted data: the smallest value with at least p% of the
 * data at or below it. */
static uint64_t exact(const uint64_t *sorted, size_t n, double p)
{
    size_t rank = (size_t)ceil(p / 100.0 * (double)n);
    return sorted[rank ? rank - 1 : 0];
}

static void check_against_sorted(uint64_t *values, size_t n)
{
    struct rf_hist *h = rf_hist_new();
    cr_assert(not(eq(ptr, h, NULL)));
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        rf_hist_record(h, values[i]);
        sum += (double)values[i];
    }
    qsort(values, n, sizeof(*values), cmp_u64);
    static const double ps[] = {1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100};
    for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
        uint64_t want = exact(values, n, ps[i]);
        uint64_t got = rf_hist_percentile(h, ps[i]);
        double err = fabs((double)got - (double)want) / (double)want;
        cr_assert(le(dbl, err, 0.001), "p%g: got %llu, exact %llu (error %.5f%%)", ps[i],
                  (unsigned long long)got, (unsigned long long)want, err * 100);
    }
    cr_assert(eq(u64, rf_hist_count(h), n));
    cr_assert(eq(u64, rf_hist_min(h), values[0]));
    cr_assert(eq(u64, rf_hist_max(h), values[n - 1]));
    cr_assert(le(dbl, fabs(rf_hist_mean(h) - sum / (double)n), 1e-6 * sum / (double)n));
    rf_hist_free(h);
}

Test(hist, log_uniform_latencies_within_0_1_percent)
{
    size_t n = 1000000;
    uint64_t *v = malloc(n * sizeof(*v));
    for (size_t i = 0; i < n; i++) /* 1 us .. 10 s, spread over every bucket */
        v[i] = (uint64_t)exp(log(1e3) + (double)(rng() % 1000000) / 1e6 * (log(1e10) - log(1e3)));
    check_against_sorted(v, n);
    free(v);
}

Test(hist, narrow_latencies_within_0_1_percent)
{
    size_t n = 200000;
    uint64_t *v = malloc(n * sizeof(*v));
    for (size_t i = 0; i < n; i++) /* 50 us +- 5 us: one bucket's neighbourhood */
        v[i] = 45000 + rng() % 10000;
    check_against_sorted(v, n);
    free(v);
}

Test(hist, small_values_are_exact)
{
    struct rf_hist *h = rf_hist_new();
    for (uint64_t v = 0; v < 2048; v++)
        rf_hist_record(h, v);
    cr_assert(eq(u64, rf_hist_percentile(h, 50), 1023));
    cr_assert(eq(u64, rf_hist_percentile(h, 100), 2047));
    cr_assert(eq(u64, rf_hist_min(h), 0));
    rf_hist_free(h);
}

Test(hist, merge_equals_recording_into_one)
{
    struct rf_hist *a = rf_hist_new(), *b = rf_hist_new(), *all = rf_hist_new();
    for (int i = 0; i < 100000; i++) {
        uint64_t v = rng() % 100000000;
        rf_hist_record(i % 3 ? a : b, v);
        rf_hist_record(all, v);
    }
    rf_hist_merge(a, b);
    cr_assert(eq(u64, rf_hist_count(a), rf_hist_count(all)));
    cr_assert(eq(u64, rf_hist_min(a), rf_hist_min(all)));
    cr_assert(eq(u64, rf_hist_max(a), rf_hist_max(all)));
    for (double p = 0.5; p <= 100; p += 0.5)
        cr_assert(eq(u64, rf_hist_percentile(a, p), rf_hist_percentile(all, p)), "p%g", p);
    rf_hist_free(a);
    rf_hist_free(b);
    rf_hist_free(all);
}

static void rebuild(uint64_t value, uint64_t count, void *arg)
{
    rf_hist_record_n(arg, value, count);
}

Test(hist, foreach_rebuilds_the_distribution)
{
    struct rf_hist *h = rf_hist_new(), *copy = rf_hist_new();
    for (int i = 0; i < 50000; i++)
        rf_hist_record(h, rng() % 5000000000ULL);
    rf_hist_foreach(h, rebuild, copy);
    cr_assert(eq(u64, rf_hist_count(copy), rf_hist_count(h)));
    for (double p = 1; p <= 99.9; p += 1.7) {
        double a = (double)rf_hist_percentile(h, p), b = (double)rf_hist_percentile(copy, p);
        cr_assert(le(dbl, fabs(a - b) / a, 0.001), "p%g: %g vs %g", p, a, b);
    }
    rf_hist_free(h);
    rf_hist_free(copy);
}

Test(hist, extremes)
{
    struct rf_hist *h = rf_hist_new();
    cr_assert(eq(u64, rf_hist_percentile(h, 99), 0), "empty histogram");
    cr_assert(eq(dbl, rf_hist_mean(h), 0.0));
    uint64_t top = rf_hist_highest_trackable();
    cr_assert(ge(u64, top, 3600ULL * 1000000000ULL), "at least one hour in nanoseconds");
    rf_hist_record(h, 1);
    rf_hist_record(h, UINT64_MAX); /* clamped to the top */
    cr_assert(eq(u64, rf_hist_max(h), top));
    cr_assert(eq(u64, rf_hist_percentile(h, 100), top));
    cr_assert(eq(u64, rf_hist_percentile(h, 50), 1));
    rf_hist_reset(h);
    cr_assert(eq(u64, rf_hist_count(h), 0));
    rf_hist_free(h);
}

static int same_counts(const struct rf_hist *a, const struct rf_hist *b)
{
    size_t na, nb;
    const uint64_t *ca = rf_hist_counts(a, &na), *cb = rf_hist_counts(b, &nb);
    return na == nb && memcmp(ca, cb, na * sizeof(*ca)) == 0;
}

Test(hist, the_hdr_encoding_decodes_to_the_same_counts)
{
    struct rf_hist *h = rf_hist_new(), *back = rf_hist_new();
    for (int i = 0; i < 100000; i++)
        rf_hist_record(h, rng() % 50000000 + 1);
    rf_hist_record(h, rf_hist_highest_trackable());
    char *text = rr_hdr_encode(h);
    cr_assert(eq(int, rr_hdr_decode(text, strlen(text), back), 0));
    cr_assert(same_counts(h, back), "every bucket back where it was");
    cr_assert(eq(u64, rf_hist_count(back), 100001));
    cr_assert(eq(int, rr_hdr_decode(text, strlen(text) - 4, back), -1), "cut short");
    text[10] = text[10] == 'A' ? 'B' : 'A';
    cr_assert(eq(int, rr_hdr_decode(text, strlen(text), back), -1), "corrupted");
    cr_assert(eq(int, rr_hdr_decode("not base64!", 11, back), -1));
    free(text);
    rf_hist_free(h);
    rf_hist_free(back);
}

/* Two shards' logs: intervals of one start and tag are added, the others kept, in order. */
Test(hist, interval_logs_merge_interval_by_interval)
{
    struct rf_hist *a = rf_hist_new(), *b = rf_hist_new(), *sum = rf_hist_new();
    char *logs[2];
    size_t len;
    for (int k = 0; k < 2; k++) {
        FILE *f = open_memstream(&logs[k], &len);
        rr_hdrlog_header(f, 1700000000.0);
        for (int sec = 0; sec < 2 + k; sec++) {
            rf_hist_reset(a);
            for (int i = 0; i < 1000; i++)
                rf_hist_record(a, rng() % 1000000 + 1);
            if (sec == 1)
                rf_hist_merge(sum, a);
            rr_hdrlog_interval(f, "service", sec, 1, a);
        }
        fclose(f);
    }
    char err[256];
    const char *names[] = {"a.hlog", "b.hlog"};
    char *merged = rr_hdrlog_merge((const char *const *)logs, names, 2, err, sizeof(err));
    cr_assert(not(eq(ptr, merged, NULL)), "%s", err);
    cr_assert(not(eq(ptr, strstr(merged, "#[BaseTime: 1700000000.000"), NULL)));
    int lines = 0;
    for (const char *p = merged; (p = strstr(p, "Tag=service,")); p++)
        lines++;
    cr_assert(eq(int, lines, 3), "seconds 0 and 1 added, 2 from the longer log alone");
    const char *second = strstr(merged, "Tag=service,1.000,1.000,");
    cr_assert(not(eq(ptr, (void *)second, NULL)), "%s", merged);
    char line[65536];
    snprintf(line, sizeof(line), "%.*s", (int)strcspn(second, "\n"), second);
    const char *payload = strrchr(line, ',') + 1;
    rf_hist_reset(b);
    cr_assert(eq(int, rr_hdr_decode(payload, strlen(payload), b), 0));
    cr_assert(same_counts(b, sum), "second 1 is both shards' second 1, bucket by bucket");
    cr_assert(eq(
        ptr, rr_hdrlog_merge((const char *const[]){logs[0], logs[0]}, names, 2, err, sizeof(err)),
        NULL));
    cr_assert(not(eq(ptr, strstr(err, "the same log"), NULL)), "%s", err);
    cr_assert(eq(ptr,
                 rr_hdrlog_merge((const char *const[]){"#[BaseTime: 1.0]\nTag=x,1,1,1\n"}, names, 1,
                                 err, sizeof(err)),
                 NULL));
    cr_assert(not(eq(ptr, strstr(err, "a.hlog: line 2: not an interval"), NULL)), "%s", err);
    /* A start beyond any clock's (found by fuzz_hdrlog) is refused, not wrapped around. */
    char huge[65536];
    const char *at = strstr(logs[0], "Tag=service,0.000") + 12;
    snprintf(huge, sizeof(huge), "%.*s8888888888888888888888%s", (int)(at - logs[0]), logs[0], at);
    cr_assert(
        eq(ptr, rr_hdrlog_merge((const char *const[]){huge}, names, 1, err, sizeof(err)), NULL));
    cr_assert(not(eq(ptr, strstr(err, "not an interval"), NULL)), "%s", err);
    free(merged);
    free(logs[0]);
    free(logs[1]);
    rf_hist_free(a);
    rf_hist_free(b);
    rf_hist_free(sum);
}
