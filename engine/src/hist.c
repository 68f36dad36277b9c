/*
 * hist.c - a latency histogram in the HdrHistogram layout.
 *
 * Three significant digits: values are kept in buckets whose width is at most 1/1024 of their
 * value, so any percentile read back is within 0.1% of the recorded one.  Values below 2048
 * are exact; bucket b >= 1 covers [1024 << b, 2048 << b) in 1024 sub-buckets of width 1 << b.
 * With 33 buckets the range is 1 ns .. 2^43 ns (about 2.4 hours).  Recording is O(1): one
 * count-leading-zeros and a shift.  Histograms merge by adding counts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ringfire.h"

#define HIST_SUB_BITS 11 /* 2048 sub-buckets: 3 significant decimal digits */
#define HIST_SUB_COUNT (1u << HIST_SUB_BITS)
#define HIST_HALF (HIST_SUB_COUNT / 2)
#define HIST_BUCKETS 33
#define HIST_LEN ((HIST_BUCKETS + 1) * HIST_HALF)
#define HIST_MAX_VALUE (((uint64_t)HIST_SUB_COUNT << (HIST_BUCKETS - 1)) - 1)

struct rf_hist {
    uint64_t total;
    uint64_t min;
    uint64_t max;
    double sum;
    double sum_sq;
    uint64_t counts[HIST_LEN];
};

static unsigned hist_index(uint64_t v)
{
    /* Bucket: how many bits the value has above the sub-bucket range. */
    unsigned bucket =
        (unsigned)(63 - __builtin_clzll(v | (HIST_SUB_COUNT - 1))) - (HIST_SUB_BITS - 1);
    unsigned sub = (unsigned)(v >> bucket);
    return (bucket << (HIST_SUB_BITS - 1)) + sub;
}

/* Bucket 0 is counts[0..2047], width 1; bucket b >= 1 is counts[(b + 1) * 1024 ..], width 2^b. */
static unsigned hist_bucket_of(unsigned index)
{
    return index < HIST_SUB_COUNT ? 0 : (index >> (HIST_SUB_BITS - 1)) - 1;
}

/* The lowest value that lands in counts[index]. */
static uint64_t hist_value_at(unsigned index)
{
    unsigned bucket = hist_bucket_of(index);
    if (bucket == 0)
        return index;
    return (uint64_t)((index & (HIST_HALF - 1)) + HIST_HALF) << bucket;
}

static uint64_t hist_highest_equivalent(unsigned index)
{
    return hist_value_at(index) + ((uint64_t)1 << hist_bucket_of(index)) - 1;
}

uint64_t rf_hist_highest_trackable(void)
{
    return HIST_MAX_VALUE;
}

struct rf_hist *rf_hist_new(void)
{
    struct rf_hist *h = malloc(sizeof(*h));
    if (h)
        rf_hist_reset(h);
    return h;
}

void rf_hist_free(struct rf_hist *h)
{
    free(h);
}

void rf_hist_reset(struct rf_hist *h)
{
    memset(h, 0, sizeof(*h));
    h->min = UINT64_MAX;
}

void rf_hist_record_n(struct rf_hist *h, uint64_t v, uint64_t count)
{
    if (count == 0)
        return;
    if (v > HIST_MAX_VALUE)
        v = HIST_MAX_VALUE;
    h->counts[hist_index(v)] += count;
    h->total += count;
    if (v < h->min)
        h->min = v;
    if (v > h->max)
        h->max = v;
    h->sum += (double)v * (double)count;
    h->sum_sq += (double)v * (double)v * (double)count;
}

void rf_hist_record(struct rf_hist *h, uint64_t v)
{
    rf_hist_record_n(h, v, 1);
}

void rf_hist_merge(struct rf_hist *into, const struct rf_hist *from)
{
    if (from->total == 0)
        return;
    for (unsigned i = 0; i < HIST_LEN; i++)
        into->counts[i] += from->counts[i];
    into->total += from->total;
    into->sum += from->sum;
    into->sum_sq += from->sum_sq;
    if (from->min < into->min)
        into->min = from->min;
    if (from->max > into->max)
        into->max = from->max;
}

uint64_t rf_hist_count(const struct rf_hist *h)
{
    return h->total;
}

uint64_t rf_hist_min(const struct rf_hist *h)
{
    return h->total ? h->min : 0;
}

uint64_t rf_hist_max(const struct rf_hist *h)
{
    return h->max;
}

double rf_hist_mean(const struct rf_hist *h)
{
    return h->total ? h->sum / (double)h->total : 0.0;
}

double rf_hist_stdev(const struct rf_hist *h)
{
    if (h->total < 2)
        return 0.0;
    double mean = h->sum / (double)h->total;
    double var = h->sum_sq / (double)h->total - mean * mean;
    return var > 0 ? sqrt(var) : 0.0;
}

uint64_t rf_hist_percentile(const struct rf_hist *h, double p)
{
    if (h->total == 0)
        return 0;
    if (p > 100.0)
        p = 100.0;
    /* The rank of the value at p: the smallest k with k >= p% of the total, at least 1. */
    uint64_t rank = (uint64_t)ceil(p / 100.0 * (double)h->total);
    if (rank == 0)
        rank = 1;
    uint64_t seen = 0;
    for (unsigned i = 0; i < HIST_LEN; i++) {
        seen += h->counts[i];
        if (seen >= rank) {
            uint64_t v = hist_highest_equivalent(i);
            return v > h->max ? h->max : v;
        }
    }
    return h->max;
}

void rf_hist_foreach(const struct rf_hist *h, rf_hist_visit_fn *visit, void *arg)
{
    for (unsigned i = 0; i < HIST_LEN; i++)
        if (h->counts[i])
            visit(hist_value_at(i), h->counts[i], arg);
}

const uint64_t *rf_hist_counts(const struct rf_hist *h, size_t *n)
{
    size_t len = HIST_LEN;
    while (len && !h->counts[len - 1])
        len--;
    *n = len;
    return h->counts;
}

int rf_hist_add_at(struct rf_hist *h, size_t index, uint64_t count)
{
    if (index >= HIST_LEN)
        return -1;
    rf_hist_record_n(h, hist_value_at((unsigned)index), count);
    return 0;
}

void rf_hist_delta(const struct rf_hist *h, struct rf_hist *snap, rf_hist_visit_fn *visit,
                   void *arg)
{
    for (unsigned i = 0; i < HIST_LEN; i++) {
        if (h->counts[i] == snap->counts[i])
            continue;
        visit(hist_value_at(i), h->counts[i] - snap->counts[i], arg);
        snap->counts[i] = h->counts[i];
    }
}
