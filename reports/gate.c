/*
 * gate.c - the regression gate (gate.h): its decisions from the diff, its log lines and
 * pull-request summary, and the exports for dashboards (github-action-benchmark, Bencher).
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "escape.h"
#include "gate.h"
#include "report.h"
#include "stats.h"

int rp_gate_run(const struct rr_doc *base, const struct rr_doc *cur, const struct rp_diff_opts *o,
                struct rp_gate *g)
{
    struct rp_diff_opts with = *o;
    memset(g, 0, sizeof(*g));
    g->mask = o->mask;
    with.min_runs = RP_GATE_MIN_RUNS;
    if (rp_diff(base, cur, &with, &g->diff) < 0)
        return -1;
    for (int i = 0; i < g->diff.nchanges; i++) {
        enum rp_verdict v = g->diff.changes[i].verdict;
        g->regressions += v == RP_WORSE || v == RP_FAILED;
        g->improvements += v == RP_BETTER;
        g->unclear += v == RP_UNCLEAR;
        g->same += v == RP_SAME;
        g->few += v == RP_FEW;
    }
    return 0;
}

double rp_gate_detectable(const struct rp_gate *g)
{
    double v[RP_DETECT_MAX];
    unsigned n = 0;
    for (int i = 0; i < g->diff.nchanges && n < RP_DETECT_MAX; i++)
        if (g->diff.changes[i].verdict == RP_UNCLEAR)
            v[n++] = g->diff.changes[i].detectable;
    return n ? rr_median(v, n) : NAN;
}

void rp_gate_free(struct rp_gate *g)
{
    rp_diff_free(&g->diff);
}

int rp_gate_problems(const struct rp_gate *g)
{
    return g->diff.nproblems + g->few;
}

static void gt_runs(FILE *out, enum rp_metric m, const double *v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        char s[32];
        rp_fmt_value(m, v[i], s, sizeof(s));
        fprintf(out, "%s%s", i ? " " : "", s);
    }
}

void rp_gate_line(FILE *out, const struct rp_gate *g, const struct rp_change *c)
{
    static const char *const word[] = {
        [RP_SAME] = "no change",       [RP_WORSE] = "REGRESSION", [RP_BETTER] = "improvement",
        [RP_UNCLEAR] = "inconclusive", [RP_FEW] = "too few runs", [RP_FAILED] = "REGRESSION",
    };
    const struct rp_diff *d = &g->diff;
    if (c->verdict == RP_FAILED) {
        fprintf(out, "%s %s: measured in the baseline, failed in the current run: %s\n",
                word[c->verdict], c->id, c->cur->reason ? c->cur->reason : "");
        return;
    }
    const struct rp_metric_info *mi = &rp_metric_info[c->metric];
    char b[32], cur[32], ch[32];
    rp_fmt_value(c->metric, c->base_mean, b, sizeof(b));
    rp_fmt_value(c->metric, c->cur_mean, cur, sizeof(cur));
    rp_fmt_change(c->ratio, ch, sizeof(ch));
    fprintf(out, "%s %s %s: baseline %s, current %s, %s; ", word[c->verdict], c->id, mi->name, b,
            cur, ch);
    double edge = c->ratio < 1 ? 1 - d->threshold : 1 + d->threshold;
    if (c->verdict == RP_UNCLEAR)
        fprintf(out,
                "the %.2f%% interval of the ratio, %.3f-%.3f, reaches across %.3f-%.3f: these "
                "runs could only call changes beyond ±%.1f%%; add repetitions to decide",
                d->level * 100, c->lo, c->hi, 1 - d->threshold, 1 + d->threshold,
                c->detectable * 100);
    else if (c->verdict == RP_SAME)
        fprintf(out, "the %.2f%% interval of the ratio, %.3f-%.3f, lies within %.3f-%.3f",
                d->level * 100, c->lo, c->hi, 1 - d->threshold, 1 + d->threshold);
    else
        fprintf(out, "the %.2f%% interval of the ratio, %.3f-%.3f, lies %s %.3f", d->level * 100,
                c->lo, c->hi, c->hi < 1 ? "below" : "above", edge);
    fprintf(out, " (runs: baseline ");
    gt_runs(out, c->metric, c->vbase, c->nbase);
    fprintf(out, "; current ");
    gt_runs(out, c->metric, c->vcur, c->ncur);
    fprintf(out, ")\n");
}

void rp_gate_few_line(FILE *out, const struct rp_diff *d, const struct rp_change *c)
{
    if (d->paired && c->nbase >= RP_GATE_MIN_RUNS)
        fprintf(out,
                "%s %s: %u pairs of runs; at %.2f%% confidence the signed-rank interval needs at "
                "least %u: set \"repetitions\" to %u or more in the suite (or compare fewer "
                "cells or metrics)\n",
                c->id, rp_metric_info[c->metric].name, c->nbase, d->level * 100, d->min_pairs,
                d->min_pairs);
    else
        fprintf(out,
                "%s %s: %u runs in the baseline and %u in the current run; the gate needs at "
                "least %d on each side to tell a change from noise: set \"repetitions\" to %d or "
                "more in the suite\n",
                c->id, rp_metric_info[c->metric].name, c->nbase, c->ncur, RP_GATE_MIN_RUNS,
                RP_GATE_MIN_RUNS);
}

void rp_gate_markdown(FILE *out, const struct rp_gate *g, const struct rr_doc *base,
                      const struct rr_doc *cur)
{
    const struct rp_diff *d = &g->diff;
    int problems = rp_gate_problems(g);
    if (problems)
        fprintf(out, "## ⚠️ ringfire gate: %d problem%s with the input\n\n", problems,
                problems == 1 ? "" : "s");
    else if (g->regressions)
        fprintf(out, "## ❌ ringfire gate: %d regression%s\n\n", g->regressions,
                g->regressions == 1 ? "" : "s");
    else if (g->unclear)
        fprintf(
            out,
            "## ❔ ringfire gate: no regression found, but %d of %d comparisons inconclusive\n\n",
            g->unclear, d->ntests);
    else
        fprintf(out, "## ✅ ringfire gate: no regression: every comparison within ±%g%%\n\n",
                d->threshold * 100);
    fprintf(out, "%d comparison%s, metrics ", d->ntests, d->ntests == 1 ? "" : "s");
    for (int m = 0, first = 1; m < RP_NMETRICS; m++)
        if (g->mask & (1u << m)) {
            fprintf(out, "%s%s", first ? "" : ", ", rp_metric_info[m].name);
            first = 0;
        }
    fprintf(out,
            "; threshold ±%g%%: %d regression%s, %d improvement%s, %d no change, %d "
            "inconclusive.",
            d->threshold * 100, g->regressions, g->regressions == 1 ? "" : "s", g->improvements,
            g->improvements == 1 ? "" : "s", g->same, g->unclear);
    if (g->unclear)
        fprintf(out,
                " The inconclusive ones could only have called changes beyond ±%.1f%% "
                "(their median); more repetitions narrow that.",
                rp_gate_detectable(g) * 100);
    fputs("\n\n", out);
    rp_env_warnings(out, base, cur);
    rp_diff_intro(out, d);
    rp_diff_table(out, d, 1);
    rp_diff_lists(out, d);
    fprintf(out, "<details><summary>Every comparison</summary>\n\n");
    rp_diff_table(out, d, 0);
    fprintf(out, "</details>\n");
}

/* The current run's median of a metric and the interval of that median, for the dashboards,
 * spread as the results module spreads every figure. */
static int gt_current(const struct rr_cell *cell, enum rp_metric m, struct rr_spread *s)
{
    if (cell->status != RR_OK)
        return -1;
    rr_cell_spread(cell, rp_metric_info[m].offset, s);
    return s->n ? 0 : -1;
}

/* Bencher's metric format: {benchmark: {measure: {value, lower_value, upper_value}}}, times in
 * nanoseconds as its built-in latency measure. */
static void gt_bmf(cJSON *doc, const char *id, enum rp_metric m, const struct rr_spread *s)
{
    double scale = m == RP_M_RPS ? 1 : 1000; /* µs to ns */
    cJSON *bench = cJSON_GetObjectItemCaseSensitive(doc, id);
    if (!bench)
        bench = cJSON_AddObjectToObject(doc, id);
    cJSON *measure = cJSON_AddObjectToObject(bench, rp_metric_info[m].slug);
    cJSON_AddNumberToObject(measure, "value", s->median * scale);
    cJSON_AddNumberToObject(measure, "lower_value", s->ci_low * scale);
    cJSON_AddNumberToObject(measure, "upper_value", s->ci_high * scale);
}

/* A number as people write it: no exponent, digits that matter. */
static void gt_plain(char *out, size_t n, double v)
{
    if (fabs(v) >= 100)
        snprintf(out, n, "%.0f", v);
    else
        snprintf(out, n, "%.3g", v);
}

/* github-action-benchmark's custom formats: an array of {name, unit, value, range, extra}. */
static void gt_github(cJSON *doc, const char *id, enum rp_metric m, const struct rr_spread *s)
{
    const struct rp_metric_info *mi = &rp_metric_info[m];
    char name[RP_LINE_MAX], range[64], extra[128];
    snprintf(name, sizeof(name), "%s %s", id, mi->name);
    char lo[32], hi[32], half[32];
    gt_plain(lo, sizeof(lo), s->ci_low);
    gt_plain(hi, sizeof(hi), s->ci_high);
    gt_plain(half, sizeof(half), (s->ci_high - s->ci_low) / 2);
    snprintf(range, sizeof(range), "± %s", half);
    if (s->coverage >= RR_LEVEL)
        snprintf(extra, sizeof(extra), "median of %u runs; %.0f%% interval of the median %s-%s",
                 s->n, s->coverage * 100, lo, hi);
    else
        snprintf(extra, sizeof(extra), "median of %u runs; range of the runs %s-%s", s->n, lo, hi);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "name", name);
    cJSON_AddStringToObject(e, "unit", mi->unit);
    cJSON_AddNumberToObject(e, "value", s->median);
    cJSON_AddStringToObject(e, "range", range);
    cJSON_AddStringToObject(e, "extra", extra);
    cJSON_AddItemToArray(doc, e);
}

char *rp_gate_export(const struct rr_doc *cur, unsigned mask, enum rp_export kind)
{
    cJSON *doc = kind == RP_EXPORT_BMF ? cJSON_CreateObject() : cJSON_CreateArray();
    for (size_t i = 0; doc && i < cur->ncells; i++) {
        const struct rr_cell *cell = &cur->cells[i];
        for (int m = 0; m < RP_NMETRICS; m++) {
            struct rr_spread s;
            if (!(mask & (1u << m)) || gt_current(cell, (enum rp_metric)m, &s) < 0)
                continue;
            if (kind == RP_EXPORT_BMF)
                gt_bmf(doc, cell->id, (enum rp_metric)m, &s);
            else if ((kind == RP_EXPORT_GITHUB_BIGGER) == rp_metric_info[m].higher_is_better)
                gt_github(doc, cell->id, (enum rp_metric)m, &s);
        }
    }
    char *text = doc ? cJSON_Print(doc) : NULL;
    cJSON_Delete(doc);
    return text;
}
