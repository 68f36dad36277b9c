/*
 * summary.c - what the results module derives from measured figures: a run's CPU per response,
 * utilizations and bottleneck verdict, and a cell's summary of its runs (median, bootstrap
 * interval, cv, latency and CPU medians, the verdict most runs gave).
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
    double c = isnan(run->client_utilization) ? 0 : run->client_utilization;
    double t = isnan(run->target_utilization) ? 0 : run->target_utilization;
    if (!(fmax(c, t) >= RR_SATURATED))
        run->bottleneck = RR_NEITHER;
    else
        run->bottleneck = c >= t ? RR_CLIENT_BOUND : RR_SERVER_BOUND;
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

uint64_t rr_summary_seed(const struct rr_doc *doc, const struct rr_cell *cell)
{
    return doc->env.seed ^ (uint64_t)cell->nruns;
}

void rr_cell_spread(const struct rr_doc *doc, const struct rr_cell *cell, size_t offset,
                    struct rr_spread *out)
{
    double v[1000];
    rr_describe(v, sm_values(cell, offset, v), rr_summary_seed(doc, cell), out);
}

void rr_summarize(const struct rr_doc *doc, struct rr_cell *cell)
{
    struct rr_summary *s = &cell->summary;
    memset(s, 0, sizeof(*s));
    if (cell->nruns == 0)
        return;
    struct rr_spread sp;
    rr_cell_spread(doc, cell, offsetof(struct rr_run, rps), &sp);
    s->present = 1;
    s->rps.median = sp.median;
    s->rps.ci95[0] = sp.ci_low;
    s->rps.ci95[1] = sp.ci_high;
    s->rps.min = sp.min;
    s->rps.max = sp.max;
    s->rps.cv = sp.cv;
    s->rps.noisy = sp.noisy;
    s->rps.runs = sp.n;
    for (int k = 0; k < RR_NLAT; k++)
        s->latency_us[k] =
            rr_runs_median(cell, offsetof(struct rr_run, latency_us) + (size_t)k * sizeof(double));
    s->cpu_us_per_response.client =
        rr_runs_median(cell, offsetof(struct rr_run, cpu_us_per_response.client));
    s->cpu_us_per_response.target =
        rr_runs_median(cell, offsetof(struct rr_run, cpu_us_per_response.target));
    s->errors = rr_runs_median(cell, offsetof(struct rr_run, errors));
    /* The verdict most runs gave; ties go to the first in the order below. */
    static const enum rr_bottleneck order[] = {RR_CLIENT_BOUND, RR_SERVER_BOUND, RR_NEITHER};
    unsigned votes[3] = {0}, best = 2;
    for (size_t i = 0; i < cell->nruns; i++)
        for (unsigned k = 0; k < 3; k++)
            votes[k] += cell->runs[i].bottleneck == order[k];
    for (unsigned k = 0; k < 3; k++)
        if (votes[k] > votes[best])
            best = k;
    s->bottleneck = order[best];
}
