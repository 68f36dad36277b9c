/*
 * calibrate.c - repetitions from an A/A run.
 *
 * Two copies of one target run interleaved measure exactly what an A/B gate is up against: the
 * noise of a pair's ratio, with the machine's shared drift cancelled.  How many pairs the gate
 * needs to call a change of d beyond its threshold t is found by simulating the gate itself:
 * n pairs drawn (with a seeded generator) from the A/A run's log ratios, centred on their
 * median and shifted by ln(1 + d), then the gate's exact signed-rank interval at its corrected
 * level; the answer is the fewest n whose interval lies wholly beyond 1 + t in at least the
 * asked share of CB_SIMS draws.  Simulating rather than using a normal formula matters at the
 * few pairs a gate runs: there the exact interval reaches the extreme pairs, and one disturbed
 * pair in the A/A run widens it as it would in a real gate.
 *
 * Against a stored baseline (unpaired, Welch's interval), the same is done with n runs a side
 * drawn from one side's runs; that figure does not include the drift between the baseline's day
 * and the current one, which an A/A run cannot see.
 *
 * The spreads shown (pair noise, run spread) are robust standard deviations: 1.4826 times the
 * median absolute deviation of the logs.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "gate.h"
#include "stats.h"

#define CB_SIMS 400
#define CB_SEED 0x5eedca1bULL

/* 1.4826 times the median absolute deviation from the median: a standard deviation that one
 * disturbed run does not set. */
static double cb_scale(const double *v, unsigned n)
{
    double dev[2 * RP_RUNS_MAX];
    double mid = rr_median(v, n);
    for (unsigned i = 0; i < n; i++)
        dev[i] = fabs(v[i] - mid);
    return n > 1 ? 1.4826 * rr_median(dev, n) : NAN;
}

/* What the simulation draws from: the A/A values (log ratios, or logs of runs), centred. */
struct cb_noise {
    double v[2 * RP_RUNS_MAX];
    unsigned n;
    int paired;
};

/* The share of simulated gates of n repetitions that call a change of shift (a log). */
static double cb_power(const struct cb_noise *z, unsigned n, double shift, double level,
                       double threshold, uint64_t *seed)
{
    double x[RP_RUNS_MAX], y[RP_RUNS_MAX], ratio, lo, hi, coverage;
    int hits = 0;
    for (int s = 0; s < CB_SIMS; s++) {
        for (unsigned i = 0; i < n; i++) {
            x[i] = z->paired ? 1 : exp(z->v[rr_random(seed) % z->n]);
            y[i] = exp(z->v[rr_random(seed) % z->n] + shift);
        }
        int rc = z->paired ? rr_paired_ratio_interval(x, y, n, level, &ratio, &lo, &hi, &coverage)
                           : rr_ratio_interval(x, n, y, n, level, &ratio, &lo, &hi);
        hits += rc == 0 && lo > 1 + threshold;
    }
    return (double)hits / CB_SIMS;
}

/* The fewest repetitions from lowest whose simulated gates call the change often enough; 0
 * when even RP_RUNS_MAX do not.  Grows by a quarter, then bisects back. */
static unsigned cb_need(const struct cb_noise *z, unsigned lowest, double level,
                        const struct rp_calib_opts *o)
{
    uint64_t seed = CB_SEED;
    double shift = log1p(o->change);
    unsigned fail = lowest - 1, pass = 0;
    for (unsigned n = lowest; !pass && fail < RP_RUNS_MAX;) {
        if (cb_power(z, n, shift, level, o->threshold, &seed) >= o->power)
            pass = n;
        else
            fail = n;
        n = n + (n / 4 > 1 ? n / 4 : 1) < RP_RUNS_MAX ? n + (n / 4 > 1 ? n / 4 : 1) : RP_RUNS_MAX;
    }
    while (pass && pass - fail > 1) {
        unsigned mid = (pass + fail) / 2;
        if (cb_power(z, mid, shift, level, o->threshold, &seed) >= o->power)
            pass = mid;
        else
            fail = mid;
    }
    return pass;
}

/* The A/A values of a comparison, centred: the pairs' log ratios, or the logs of both sides'
 * runs. */
static void cb_noise_of(const struct rp_change *ch, int paired, struct cb_noise *z)
{
    z->paired = paired;
    z->n = 0;
    double a[RP_RUNS_MAX], b[RP_RUNS_MAX];
    for (unsigned i = 0; i < ch->nbase; i++) {
        a[i] = log(ch->vbase[i]);
        b[i] = log(ch->vcur[i]);
    }
    double ma = rr_median(a, ch->nbase), mb = rr_median(b, ch->ncur);
    if (paired) {
        for (unsigned i = 0; i < ch->nbase; i++)
            z->v[z->n++] = b[i] - a[i];
        double m = rr_median(z->v, z->n);
        for (unsigned i = 0; i < z->n; i++)
            z->v[i] -= m;
        return;
    }
    for (unsigned i = 0; i < ch->nbase; i++)
        z->v[z->n++] = a[i] - ma;
    for (unsigned i = 0; i < ch->ncur; i++)
        z->v[z->n++] = b[i] - mb;
}

static int cb_row(struct rp_calibration *c, const struct rp_change *ch)
{
    if (ch->nbase < RP_GATE_MIN_RUNS) /* too few for the A/A verdict still tells the noise */
        return 0;
    struct rp_calib_row *grown = realloc(c->rows, (size_t)(c->nrows + 1) * sizeof(*grown));
    if (!grown)
        return -1;
    c->rows = grown;
    struct cb_noise pairs, runs;
    cb_noise_of(ch, 1, &pairs);
    cb_noise_of(ch, 0, &runs);
    c->rows[c->nrows++] = (struct rp_calib_row){
        .change = ch,
        .noise = exp(cb_scale(pairs.v, pairs.n)) - 1,
        .spread = exp(cb_scale(runs.v, runs.n)) - 1,
    };
    c->false_alarms += ch->verdict == RP_WORSE || ch->verdict == RP_BETTER;
    return 0;
}

/* The A/A diff of one target and its twin (or of the two named), its rows added. */
static int cb_pair(struct rp_calibration *c, const struct rr_doc *doc,
                   const struct rp_calib_opts *o, const char *base, const char *cur)
{
    struct rp_diff *grown = realloc(c->diffs, (size_t)(c->ndiffs + 1) * sizeof(*grown));
    if (!grown)
        return -1;
    c->diffs = grown;
    struct rp_diff_opts d = {o->mask, o->threshold, RP_GATE_MIN_RUNS, o->alpha, base, cur};
    if (rp_diff(doc, doc, &d, &c->diffs[c->ndiffs]) < 0)
        return -1;
    c->ndiffs++;
    c->pairs_of_targets++;
    return 0;
}

/* Every target T of the cells with a twin T.aa among them. */
static int cb_twins(struct rp_calibration *c, const struct rr_doc *doc,
                    const struct rp_calib_opts *o)
{
    const size_t suffix = strlen(RP_TWIN_SUFFIX);
    for (size_t i = 0; i < doc->ncells; i++) {
        const char *twin = doc->cells[i].target;
        size_t len = strlen(twin), first = 0, found = 0;
        if (len <= suffix || strcmp(twin + len - suffix, RP_TWIN_SUFFIX) != 0)
            continue;
        while (strcmp(doc->cells[first].target, twin) != 0)
            first++;
        char base[RR_NAME_MAX + 1];
        snprintf(base, sizeof(base), "%.*s", (int)(len - suffix), twin);
        for (size_t k = 0; k < doc->ncells && !found; k++)
            found = strcmp(doc->cells[k].target, base) == 0;
        if (first == i && found && cb_pair(c, doc, o, base, twin) < 0)
            return -1;
    }
    return 0;
}

int rp_calibrate(const struct rr_doc *doc, const struct rp_calib_opts *o,
                 struct rp_calibration *out)
{
    memset(out, 0, sizeof(*out));
    if (o->base_target ? cb_pair(out, doc, o, o->base_target, o->cur_target) < 0
                       : cb_twins(out, doc, o) < 0)
        return -1;
    for (int k = 0; k < out->ndiffs; k++)
        for (int i = 0; i < out->diffs[k].nchanges; i++)
            if (cb_row(out, &out->diffs[k].changes[i]) < 0)
                return -1;
    double alpha = o->alpha / (out->nrows > 0 ? out->nrows : 1);
    unsigned fewest = 1;
    while (ldexp(1, (int)fewest) <= 2 / alpha && fewest < RP_RUNS_MAX)
        fewest++;
    out->level = 1 - alpha;
    out->need_pairs = out->nrows ? fewest : 0;
    out->need_runs = out->nrows ? RP_GATE_MIN_RUNS : 0;
    for (int i = 0; i < out->nrows; i++) {
        struct rp_calib_row *r = &out->rows[i];
        struct cb_noise z;
        cb_noise_of(r->change, 1, &z);
        r->need_pairs = cb_need(&z, fewest, out->level, o);
        cb_noise_of(r->change, 0, &z);
        r->need_runs = cb_need(&z, RP_GATE_MIN_RUNS, out->level, o);
        /* 0 (more than can be run) wins over any number */
        if (out->need_pairs && (!r->need_pairs || r->need_pairs > out->need_pairs))
            out->need_pairs = r->need_pairs;
        if (out->need_runs && (!r->need_runs || r->need_runs > out->need_runs))
            out->need_runs = r->need_runs;
    }
    return 0;
}

void rp_calibration_free(struct rp_calibration *c)
{
    for (int k = 0; k < c->ndiffs; k++)
        rp_diff_free(&c->diffs[k]);
    free(c->diffs);
    free(c->rows);
    memset(c, 0, sizeof(*c));
}

static void cb_count(FILE *out, unsigned n)
{
    if (n)
        fprintf(out, "%u", n);
    else
        fprintf(out, "over %d", RP_RUNS_MAX);
}

void rp_calibration_markdown(FILE *out, const struct rp_calibration *c,
                             const struct rp_calib_opts *o)
{
    static const char *const verdicts[] = {
        "no change",    "FALSE ALARM (worse)", "FALSE ALARM (better)",
        "inconclusive", "too few runs",        "failed"};
    fprintf(out,
            "## Calibration (A/A)\n\n"
            "Each target ran beside a copy of itself, interleaved. *Pair noise*: the spread of "
            "one pair's ratio (what `ringfire gate --ab` is up against); *run spread*: that of "
            "one side's runs (what a stored baseline is up against, drift between days not "
            "included). Repetitions to call a %g%% change beyond the gate's %g%% threshold in "
            "%g%% of gates, with %g%% false alarms over these %d comparisons (each at %.2f%%); "
            "method in reports/calibrate.c.\n\n",
            o->change * 100, o->threshold * 100, o->power * 100, o->alpha * 100, c->nrows,
            c->level * 100);
    fprintf(out, "| cell | metric | pairs | pair noise | run spread | A/A ratio | A/A verdict | "
                 "repetitions (--ab) | runs a side (stored baseline) |\n"
                 "|---|---|--:|--:|--:|--:|---|--:|--:|\n");
    for (int i = 0; i < c->nrows; i++) {
        const struct rp_calib_row *r = &c->rows[i];
        char ratio[32];
        rp_fmt_change(r->change->ratio, ratio, sizeof(ratio));
        fprintf(out, "| %s | %s | %u | ±%.1f%% | ±%.1f%% | %s | %s | ", r->change->id,
                rp_metric_info[r->change->metric].name, r->change->nbase, r->noise * 100,
                r->spread * 100, ratio, verdicts[r->change->verdict]);
        cb_count(out, r->need_pairs);
        fprintf(out, " | ");
        cb_count(out, r->need_runs);
        fprintf(out, " |\n");
    }
    fprintf(out, "\nRepetitions for the gate: **");
    cb_count(out, c->need_pairs);
    fprintf(out, "** interleaved (--ab), ");
    cb_count(out, c->need_runs);
    fprintf(out, " a side against a stored baseline (the most any comparison needs); by metric, "
                 "interleaved:");
    for (int m = 0, said = 0; m < RP_NMETRICS; m++) {
        unsigned most = 1, seen = 0;
        for (int i = 0; i < c->nrows; i++)
            if (c->rows[i].change->metric == (enum rp_metric)m) {
                seen = 1;
                most = !most || !c->rows[i].need_pairs ? 0
                       : c->rows[i].need_pairs > most  ? c->rows[i].need_pairs
                                                       : most;
            }
        if (seen) {
            fprintf(out, "%s %s ", said++ ? "," : "", rp_metric_info[m].name);
            cb_count(out, most);
        }
    }
    fprintf(out, ". A/A false alarms: %d of %d comparisons.\n", c->false_alarms, c->nrows);
}
