/*
 * test_schedule.c - the open model's intended send times and its verdict: uniform arrivals
 * evenly spaced across workers, Poisson arrivals that pass a goodness-of-fit test, ramps that
 * follow their integral, shards that add up to the whole schedule, the rate and stage syntax,
 * and the verdict rule case by case.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../says.h"
#include "rate.h"
#include "ringfire.h"
#include "schedule.h"

#define START 1000000000ULL /* a schedule's start on a made-up monotonic clock */

static struct rf_config rate_config(double rate, uint64_t duration_ns)
{
    struct rf_config c;
    memset(&c, 0, sizeof(c));
    c.rate = rate;
    c.duration_ns = duration_ns;
    c.seed = 1;
    return c;
}

/* Every intended time of worker w of n, in order; returns how many (at most max). */
static size_t times_of(const struct rf_config *c, unsigned w, unsigned n, uint64_t *t, size_t max)
{
    struct rf__schedule s;
    rf__sched_init(&s, c, START, START, w, n);
    size_t k = 0;
    for (uint64_t at = s.next_ns; at != UINT64_MAX && k < max; at = rf__sched_advance(&s))
        t[k++] = at;
    return k;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

Test(schedule, uniform_arrivals_of_three_workers_make_one_even_schedule)
{
    struct rf_config c = rate_config(3000, 1000000000ULL); /* one second at 3000/s */
    uint64_t *t = calloc(4000, sizeof(*t));
    size_t n = 0;
    for (unsigned w = 0; w < 3; w++) {
        size_t k = times_of(&c, w, 3, t + n, 4000 - n);
        cr_assert(eq(sz, k, 1000), "worker %u has its third", w);
        n += k;
    }
    qsort(t, n, sizeof(*t), cmp_u64);
    cr_assert(eq(u64, t[0], START));
    for (size_t i = 1; i < n; i++) {
        uint64_t gap = t[i] - t[i - 1];
        cr_assert(le(u64, gap > 333333 ? gap - 333333 : 333333 - gap, 1), "gap %zu is %llu ns", i,
                  (unsigned long long)gap);
    }
    free(t);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/*
 * Poisson arrivals: the gaps of one worker, and of the union of four, are exponential with the
 * rate's mean.  The Kolmogorov-Smirnov statistic of the gaps against that distribution must be
 * under the 0.1% critical value, 1.95 / sqrt(n); a uniform schedule, or gaps of the wrong mean,
 * are far above it.
 */
static double ks_exponential(const uint64_t *t, size_t n, double rate)
{
    size_t m = n - 1;
    double *gap = malloc(m * sizeof(*gap)), d = 0;
    for (size_t i = 0; i < m; i++)
        gap[i] = (double)(t[i + 1] - t[i]) / 1e9;
    qsort(gap, m, sizeof(*gap), cmp_double);
    for (size_t i = 0; i < m; i++) {
        double f = 1 - exp(-rate * gap[i]);
        double lo = f - (double)i / (double)m, hi = (double)(i + 1) / (double)m - f;
        d = fmax(d, fmax(lo, hi));
    }
    free(gap);
    return d;
}

/* Shards on machines with different numbers of workers (1, 2 and 3) keep, together, exactly
 * the one machine's schedule; each expects its third of the arrivals. */
Test(schedule, shards_of_a_rate_make_the_whole_schedule)
{
    struct rf_config whole = rate_config(6000, 1000000000ULL);
    uint64_t *one = calloc(7000, sizeof(*one)), *all = calloc(7000, sizeof(*all));
    size_t n1 = times_of(&whole, 0, 1, one, 7000), n = 0;
    cr_assert(eq(sz, n1, 6000));
    for (unsigned shard = 0; shard < 3; shard++) {
        struct rf_config c = whole;
        c.shard = shard;
        c.nshards = 3;
        for (unsigned w = 0; w <= shard; w++)
            n += times_of(&c, w, shard + 1, all + n, 7000 - n);
        struct rf__schedule s;
        rf__sched_init(&s, &c, START, START, 0, shard + 1);
        cr_assert(le(dbl, fabs(rf__sched_expected(&s, START, START + 1000000000ULL) - 2000), 1e-6),
                  "a shard expects its share");
    }
    cr_assert(eq(sz, n, n1));
    qsort(all, n, sizeof(*all), cmp_u64);
    for (size_t i = 0; i < n; i++)
        cr_assert(eq(u64, all[i], one[i]), "arrival %zu", i);
    free(one);
    free(all);
}

Test(schedule, poisson_gaps_are_exponential)
{
    struct rf_config c = rate_config(20000, 1000000000ULL);
    c.arrivals = RF_ARRIVALS_POISSON;
    size_t max = 30000;
    uint64_t *t = calloc(max, sizeof(*t));
    size_t n = times_of(&c, 0, 1, t, max);
    cr_assert(le(dbl, fabs((double)n - 20000), 3 * sqrt(20000)), "%zu arrivals", n);
    double d = ks_exponential(t, n, 20000);
    cr_assert(lt(dbl, d, 1.95 / sqrt((double)n - 1)), "KS statistic %g", d);
    /* The same test must reject what is not Poisson: the uniform schedule. */
    c.arrivals = RF_ARRIVALS_UNIFORM;
    n = times_of(&c, 0, 1, t, max);
    cr_assert(gt(dbl, ks_exponential(t, n, 20000), 0.3));
    /* Four workers' streams add up to one Poisson process of the whole rate. */
    c.arrivals = RF_ARRIVALS_POISSON;
    n = 0;
    uint64_t *all = calloc(4 * max, sizeof(*all));
    for (unsigned w = 0; w < 4; w++)
        n += times_of(&c, w, 4, all + n, 4 * max - n);
    qsort(all, n, sizeof(*all), cmp_u64);
    d = ks_exponential(all, n, 20000);
    cr_assert(lt(dbl, d, 1.95 / sqrt((double)n - 1)), "KS statistic %g of the union", d);
    free(t);
    free(all);
}

Test(schedule, a_seed_repeats_its_arrivals_and_another_does_not)
{
    struct rf_config c = rate_config(1000, 100000000ULL);
    c.arrivals = RF_ARRIVALS_POISSON;
    uint64_t a[200], b[200], d[200];
    size_t na = times_of(&c, 0, 1, a, 200), nb = times_of(&c, 0, 1, b, 200);
    c.seed = 2;
    size_t nd = times_of(&c, 0, 1, d, 200);
    cr_assert(eq(sz, na, nb));
    cr_assert(eq(int, memcmp(a, b, na * sizeof(*a)), 0));
    cr_assert(not(eq(int, nd == na && memcmp(a, d, na * sizeof(*a)) == 0, 1)));
}

/* A hold at 1k/s for 1 s, then a ramp to 5k/s over 2 s: 1000, then 2000 and 4000 arrivals in
 * the ramp's two seconds (the rate's integral), with a warm-up of 0.5 s at the first rate. */
Test(schedule, stages_follow_the_integral_of_their_rate)
{
    struct rf_stage st[2] = {{1000000000ULL, 1000, 1000}, {2000000000ULL, 1000, 5000}};
    struct rf_config c = rate_config(0, 0);
    c.stages = st;
    c.nstages = 2;
    uint64_t warm = START + 500000000ULL;
    struct rf__schedule s;
    rf__sched_init(&s, &c, START, warm, 0, 1);
    cr_assert(eq(dbl, rf__sched_expected(&s, START, warm), 500));
    static const double want[] = {1000, 2000, 4000};
    double count[3] = {0};
    for (uint64_t at = s.next_ns; at != UINT64_MAX; at = rf__sched_advance(&s))
        if (at >= warm)
            count[(at - warm) / 1000000000ULL]++;
    for (int k = 0; k < 3; k++) {
        uint64_t a = warm + (uint64_t)k * 1000000000ULL;
        cr_assert(le(dbl, fabs(rf__sched_expected(&s, a, a + 1000000000ULL) - want[k]), 1e-6));
        cr_assert(le(dbl, fabs(count[k] - want[k]), 1), "second %d: %g", k, count[k]);
    }
}

Test(schedule, rates_and_stages_as_people_type_them)
{
    double r;
    cr_assert(eq(int, rf_parse_rate("20k", &r), 0));
    cr_assert(eq(dbl, r, 20000));
    cr_assert(eq(int, rf_parse_rate("1.5M", &r), 0));
    cr_assert(eq(dbl, r, 1500000));
    cr_assert(eq(int, rf_parse_rate("250", &r), 0));
    static const char *const bad_rates[] = {"0", "-5", "abc", "", "5x", "2G", "1e3", NULL};
    for (const char *const *b = bad_rates; *b; b++)
        cr_assert(lt(int, rf_parse_rate(*b, &r), 0), "'%s'", *b);

    struct rf_stage st[RF_MAX_STAGES];
    cr_assert(eq(int, rf_parse_stages("10s:1k,30s:1k..20k,10s:20k", st, RF_MAX_STAGES), 3));
    cr_assert(eq(u64, st[1].duration_ns, 30000000000ULL));
    cr_assert(eq(dbl, st[1].from, 1000));
    cr_assert(eq(dbl, st[1].to, 20000));
    cr_assert(eq(dbl, st[2].from, st[2].to));
    cr_assert(eq(int, rf_parse_stages("5s:0..1k", st, RF_MAX_STAGES), 1), "a ramp from zero");
    static const char *const bad_stages[] = {
        "",       "5s",     "5s:",          ":1k",         "0s:1k",
        "5s:1k,", ",5s:1k", "5s:1k,,2s:2k", "5s:1k..",     "5s:1k..2k..3k",
        "5s:0",   "5s:-1k", "25h:1k",       "5s:1k;2s:2k", NULL};
    for (const char *const *b = bad_stages; *b; b++)
        cr_assert(lt(int, rf_parse_stages(*b, st, RF_MAX_STAGES), 0), "'%s'", *b);
    cr_assert(lt(int, rf_parse_stages("1s:1k,1s:1k,1s:1k", st, 2), 0), "more stages than room");
}

/* The verdict of made-up runs: one case for each branch of the rule (rate.c). */
struct verdict_case {
    const char *what;
    double completed, sent, waited;  /* of a target of 100000 */
    uint64_t lag_ns;                 /* every request's lag */
    uint64_t fastest_ns, typical_ns; /* service times: one fastest, the rest typical */
    double cpu;
    enum rf_verdict want;
    const char *says;
    double wake_late_us;    /* the latest timed wake-up */
    double warm_fastest_us; /* the warm-up's fastest service time */
};

static const struct verdict_case verdicts[] = {
    {"on time", 100000, 100000, 0, 20000, 40000, 50000, 0.5, RF_VERDICT_VALID, "tolerance 1.0%"},
    {"short by 0.5%", 99500, 99500, 0, 20000, 40000, 50000, 0.5, RF_VERDICT_VALID, "99.50%"},
    {"late", 100000, 100000, 0, 5000000, 40000, 50000, 0.5, RF_VERDICT_GENERATOR_BOUND,
     "descheduled"},
    {"late, woken late", 100000, 100000, 0, 5000000, 40000, 50000, 0.5, RF_VERDICT_GENERATOR_BOUND,
     "a timed wake-up of it came 4.2 ms late", 4200},
    {"late, woken just under the bound", 100000, 100000, 0, 5000000, 40000, 50000, 0.5,
     RF_VERDICT_GENERATOR_BOUND, "descheduled", 999},
    {"busy", 80000, 80000, 0, 5000000, 40000, 50000, 0.97, RF_VERDICT_GENERATOR_BOUND,
     "used 97% of a CPU"},
    {"busy, and woken late", 80000, 80000, 0, 5000000, 40000, 50000, 0.97,
     RF_VERDICT_GENERATOR_BOUND, "used 97% of a CPU", 3000},
    {"few connections", 60000, 60000, 40000, 5000000, 50000000, 50000000, 0.2,
     RF_VERDICT_CONNECTION_BOUND, "raise -c"},
    {"slow server", 60000, 60000, 40000, 5000000, 40000, 800000, 0.5, RF_VERDICT_SERVER_BOUND,
     "answers slowed"},
    {"a server saturated from the warm-up on: even its fastest measured answer queued", 60000,
     60000, 40000, 5000000, 900000, 1000000, 0.5, RF_VERDICT_SERVER_BOUND, "answers slowed", 0,
     140},
    {"a stall", 100000, 100000, 5000, 5000000, 40000, 50000, 0.5, RF_VERDICT_SERVER_BOUND,
     "answers stalled"},
    {"a stall of ringfire's", 100000, 100000, 5000, 5000000, 40000, 50000, 0.5,
     RF_VERDICT_GENERATOR_BOUND, "the 10000 requests due meanwhile went at once", 100000},
    {"a stall, ringfire's too short to explain it", 100000, 100000, 5000, 5000000, 40000, 50000,
     0.5, RF_VERDICT_SERVER_BOUND, "answers stalled", 2000},
    {"unanswered", 90000, 100000, 0, 20000, 40000, 50000, 0.5, RF_VERDICT_SERVER_BOUND,
     "only 90.0% were answered"},
};

Test(schedule, the_verdict_follows_its_rule)
{
    for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
        const struct verdict_case *v = &verdicts[i];
        struct rf_result res;
        memset(&res, 0, sizeof(res));
        res.duration_s = 1;
        res.rate.wake_late_max_us = v->wake_late_us;
        res.rate.warm_fastest_us = v->warm_fastest_us;
        res.counts.responses = (uint64_t)v->completed;
        res.counts.requests = (uint64_t)v->sent;
        res.counts.waited = (uint64_t)v->waited;
        res.latency = rf_hist_new();
        res.response = rf_hist_new();
        res.lag = rf_hist_new();
        rf_hist_record(res.latency, v->fastest_ns);
        for (int k = 0; k < 1000; k++) {
            rf_hist_record(res.latency, v->typical_ns);
            rf_hist_record(res.lag, v->lag_ns);
        }
        struct rf_config c = rate_config(100000, 1000000000ULL);
        c.connections = 100;
        c.pipeline = 1;
        rf__rate_account(&res, &c, 100000, v->cpu);
        cr_assert(
            eq(str, (char *)rf_verdict_name(res.rate.verdict), (char *)rf_verdict_name(v->want)),
            "%s: %s", v->what, res.rate.reason);
        assert_says(res.rate.reason, v->says);
        /* Stalled: a late wake-up, not ringfire's load, decided it (the report says so). */
        int stalled =
            v->want == RF_VERDICT_GENERATOR_BOUND && v->cpu < 0.9 && v->wake_late_us >= 1000;
        cr_assert(eq(int, res.rate.stalled, stalled), "%s: %s", v->what, res.rate.reason);
        rf_result_free(&res);
    }
}

Test(schedule, poisson_widens_the_tolerance_by_its_own_spread)
{
    struct rf_result res;
    memset(&res, 0, sizeof(res));
    res.duration_s = 1;
    res.counts.responses = res.counts.requests = 970;
    res.latency = rf_hist_new();
    res.response = rf_hist_new();
    res.lag = rf_hist_new();
    struct rf_config c = rate_config(1000, 1000000000ULL);
    c.arrivals = RF_ARRIVALS_POISSON;
    rf__rate_account(&res, &c, 1000, 0.1);
    cr_assert(le(dbl, fabs(res.rate.tolerance - 3 / sqrt(1000)), 1e-12));
    cr_assert(eq(int, res.rate.verdict, RF_VERDICT_VALID), "3%% short of 1000 is within 9.5%%");
    rf_result_free(&res);
}
