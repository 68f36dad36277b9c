/*
 * summary.c - what the results module derives from measured figures: a run's CPU per response,
 * utilizations and bottleneck verdict, and a cell's summary of its runs (median, the interval
 * of the median and its coverage, whether it is resolved, cv, latency, CPU and memory medians,
 * the error rate, the verdict most runs gave).
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "results.h"
#include "stats.h"

void rr_run_derive(struct rr_run *run, unsigned client_cpus, unsigned target_cpus)
{
    double wall = run->wall_s;
    run->client_utilization =
        wall > 0 ? run->client_cpu_s / (wall * (client_cpus ? client_cpus : 1)) : NAN;
    run->target_utilization =
        wall > 0 ? run->target_cpu_s / (wall * (target_cpus ? target_cpus : 1)) : NAN;
    double measured = run->duration_s > 0 && run->duration_s < wall ? run->duration_s / wall : 1;
    if (run->responses > 0) {
        run->cpu_us_per_response.client = run->client_cpu_s * measured * 1e6 / run->responses;
        run->cpu_us_per_response.target = run->target_cpu_s * measured * 1e6 / run->responses;
    } else {
        run->cpu_us_per_response.client = run->cpu_us_per_response.target = NAN;
    }
    /* A side whose CPU was not measured cannot be called the bottleneck. */
    int c = run->client_utilization >= RR_SATURATED, t = run->target_utilization >= RR_SATURATED;
    run->bottleneck = c && t ? RR_BOTH_BOUND
                      : c    ? RR_CLIENT_BOUND
                      : t    ? RR_SERVER_BOUND
                             : RR_NEITHER;
}

void rr_run_tally(struct rr_run *run)
{
    const struct rr_errors *e = &run->error_kinds;
    const double kinds[] = {e->connect, e->read,   e->write, e->timeout,
                            e->parse,   e->closed, e->status};
    double sum = 0;
    int any = 0;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
        if (!isnan(kinds[k])) {
            sum += kinds[k];
            any = 1;
        }
    run->errors = any ? sum : NAN;
    double ok = run->responses - (isnan(e->status) ? 0 : e->status);
    run->rps = run->duration_s > 0 && !isnan(ok) ? ok / run->duration_s : NAN;
}

/* The values of the figure at offset over a cell's runs, leaving out those not measured;
 * repetitions are at most 1000, so v holds them all. */
static unsigned sm_values(const struct rr_cell *cell, size_t offset, double v[1000])
{
    unsigned n = 0;
    for (size_t i = 0; i < cell->nruns && n < 1000; i++) {
        double x = *(const double *)((const char *)&cell->runs[i] + offset);
        if (!isnan(x))
            v[n++] = x;
    }
    return n;
}

double rr_runs_median(const struct rr_cell *cell, size_t offset)
{
    double v[1000];
    unsigned n = sm_values(cell, offset, v);
    return n ? rr_median(v, n) : NAN;
}

void rr_cell_spread(const struct rr_cell *cell, size_t offset, struct rr_spread *out)
{
    double v[1000];
    rr_describe(v, sm_values(cell, offset, v), out);
}

int rr_resolved(const struct rr_rps *rps, double target)
{
    return rps->runs > 0 && rps->ci_coverage >= RR_LEVEL &&
           rps->ci[0] >= rps->median * (1 - target) && rps->ci[1] <= rps->median * (1 + target);
}

/* Errors over answers and transport errors, over all of a cell's runs that say both. */
static double sm_error_rate(const struct rr_cell *cell)
{
    double errors = 0, attempts = 0;
    for (size_t i = 0; i < cell->nruns; i++) {
        const struct rr_run *r = &cell->runs[i];
        if (isnan(r->errors) || isnan(r->responses))
            continue;
        double status = isnan(r->error_kinds.status) ? 0 : r->error_kinds.status;
        errors += r->errors;
        attempts += r->responses + r->errors - status;
    }
    return attempts > 0 ? errors / attempts : NAN;
}

#define SM_MEDIAN(cell, member) rr_runs_median(cell, offsetof(struct rr_run, member))

void rr_summarize(struct rr_cell *cell)
{
    struct rr_summary *s = &cell->summary;
    memset(s, 0, sizeof(*s));
    if (cell->nruns == 0)
        return;
    struct rr_spread sp;
    rr_cell_spread(cell, offsetof(struct rr_run, rps), &sp);
    s->present = 1;
    s->rps = (struct rr_rps){
        sp.median, {sp.ci_low, sp.ci_high}, sp.coverage, sp.min, sp.max, sp.cv, sp.n, 0};
    s->rps.resolved = rr_resolved(&s->rps, cell->interval_target > 0 ? cell->interval_target
                                                                     : RR_INTERVAL_TARGET);
    for (int k = 0; k < RR_NLAT; k++)
        s->latency_us[k] =
            rr_runs_median(cell, offsetof(struct rr_run, latency_us) + (size_t)k * sizeof(double));
    s->cpu_us_per_response.client = SM_MEDIAN(cell, cpu_us_per_response.client);
    s->cpu_us_per_response.target = SM_MEDIAN(cell, cpu_us_per_response.target);
    s->utilization.client = SM_MEDIAN(cell, client_utilization);
    s->utilization.target = SM_MEDIAN(cell, target_utilization);
    s->peak_rss_bytes.client = SM_MEDIAN(cell, client_peak_rss_bytes);
    s->peak_rss_bytes.target = SM_MEDIAN(cell, target_peak_rss_bytes);
    s->errors = SM_MEDIAN(cell, errors);
    s->error_rate = sm_error_rate(cell);
    s->unanswered = SM_MEDIAN(cell, unanswered);
    /* The verdict most runs gave; ties go to the first in the order below. */
    static const enum rr_bottleneck order[] = {RR_BOTH_BOUND, RR_CLIENT_BOUND, RR_SERVER_BOUND,
                                               RR_NEITHER};
    unsigned votes[4] = {0}, best = 0;
    for (size_t i = 0; i < cell->nruns; i++)
        for (unsigned k = 0; k < 4; k++)
            votes[k] += cell->runs[i].bottleneck == order[k];
    for (unsigned k = 1; k < 4; k++)
        if (votes[k] > votes[best])
            best = k;
    s->bottleneck = order[best];
}
