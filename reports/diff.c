/*
 * diff.c - the change between two results, cell by cell and metric by metric.
 *
 * The rule, shared by `ringfire compare` and `ringfire gate`:
 *
 * - The estimate is the ratio of the geometric means of the runs, current / baseline: run-to-
 *   run noise in throughput and latency is a factor, not an offset, so it is averaged on the
 *   log scale.
 * - The evidence is Welch's t interval of that ratio (the difference of the mean logarithms),
 *   which allows the two sides different spreads.  With 3 runs a side its t quantile is large
 *   (the spread itself is uncertain), so a change has to be large against the noise to count.
 *   Two alternatives were tried and rejected: a rank test cannot reach significance with 3
 *   runs a side (its smallest one-sided p is 1/20), and a bootstrap interval of the ratio of
 *   medians never reaches beyond the runs' own range, so samples that happen not to overlap
 *   look different at any confidence: on 60 cells x 3 metrics of pure noise (5 runs a side,
 *   +-4%) it called 6 of 180 comparisons changed (2 cells, every metric), even with the
 *   correction below; Welch's interval calls none (tests/unit/test_gate.c).  One disturbed run
 * widens Welch's interval rather than moving a verdict, so it fails safe.
 * - A change counts when the whole interval lies beyond the threshold (for req/s: below
 *   1 - threshold is a regression, above 1 + threshold an improvement; for latency and CPU the
 *   other way round).  A ratio beyond the threshold without such an interval is "unclear":
 *   reported, with the advice to add repetitions, never a failure.
 * - A suite tests many cells and metrics at once; at 95% each, one in twenty unchanged ones
 *   would be called changed.  Each interval is therefore taken at 1 - 0.05/k for k decisions
 *   (Bonferroni), which keeps the chance of any false alarm in the whole diff under 5%.
 *   Bonferroni is conservative, and that is the point: a gate that cries wolf gets its
 *   threshold raised until it is useless.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "jsonx.h"
#include "report.h"
#include "stats.h"

const struct rp_metric_info rp_metric_info[RP_NMETRICS] = {
    [RP_M_RPS] = {"rps", "req/s", "req/s", 1},
    [RP_M_P50] = {"p50", "p50 latency", "us", 0},
    [RP_M_P99] = {"p99", "p99 latency", "us", 0},
    [RP_M_CPU] = {"cpu", "server CPU per response", "us/response", 0},
    [RP_M_CLIENT_CPU] = {"client-cpu", "client CPU per response", "us/response", 0},
};

int rp_metrics_parse(const char *list, char *bad, size_t n)
{
    int mask = 0;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        int found = -1;
        for (int m = 0; m < RP_NMETRICS && found < 0; m++)
            if (strlen(rp_metric_info[m].name) == len &&
                strncmp(p, rp_metric_info[m].name, len) == 0)
                found = m;
        if (found < 0) {
            snprintf(bad, n, "%.*s", (int)len, p);
            return -1;
        }
        mask |= 1 << found;
        p += len;
        if (*p == ',')
            p++;
    }
    if (mask == 0)
        snprintf(bad, n, "%s", list);
    return mask ? mask : -1;
}

static double df_run_value(const cJSON *run, enum rp_metric m)
{
    switch (m) {
    case RP_M_RPS:
        return rs_json_num(run, "rps");
    case RP_M_P50:
        return rs_json_num(cJSON_GetObjectItem(run, "latency_us"), "p50");
    case RP_M_P99:
        return rs_json_num(cJSON_GetObjectItem(run, "latency_us"), "p99");
    case RP_M_CPU:
        return rs_json_num(cJSON_GetObjectItem(run, "cpu_us_per_response"), "target");
    case RP_M_CLIENT_CPU:
        return rs_json_num(cJSON_GetObjectItem(run, "cpu_us_per_response"), "client");
    case RP_NMETRICS:
        break;
    }
    return NAN;
}

unsigned rp_cell_values(const cJSON *cell, enum rp_metric m, double *v)
{
    unsigned n = 0;
    const cJSON *run;
    cJSON_ArrayForEach(run, cJSON_GetObjectItem(cell, "runs"))
    {
        double x = df_run_value(run, m);
        if (!isnan(x) && n < RP_RUNS_MAX)
            v[n++] = x;
    }
    return n;
}

static const cJSON *df_find(const cJSON *doc, const char *id)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "cells"))
    {
        if (strcmp(rs_json_str(c, "id"), id) == 0)
            return c;
    }
    return NULL;
}

/* Grows a list of lines by one; returns the new line, or NULL when memory runs out. */
static char *df_line(char (**lines)[RP_LINE_MAX], int *n)
{
    char(*grown)[RP_LINE_MAX] = realloc(*lines, (size_t)(*n + 1) * sizeof(**lines));
    if (!grown)
        return NULL;
    *lines = grown;
    return grown[(*n)++];
}

static struct rp_change *df_change(struct rp_diff *d, const char *id)
{
    struct rp_change *grown = realloc(d->changes, (size_t)(d->nchanges + 1) * sizeof(*grown));
    if (!grown)
        return NULL;
    d->changes = grown;
    struct rp_change *c = &grown[d->nchanges++];
    memset(c, 0, sizeof(*c));
    c->id = id;
    return c;
}

static const char *df_status(const cJSON *cell)
{
    return rs_json_str(cell, "status");
}

/* The reason of a cell that was not measured, for a line of text. */
static const char *df_reason(const cJSON *cell)
{
    const char *r = rs_json_str(cell, "reason");
    return r[0]                                      ? r
           : strcmp(df_status(cell), "pending") == 0 ? "not run: the suite stopped first"
                                                     : "no reason recorded";
}

static double df_geomean(const double *v, unsigned n)
{
    double sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum += log(v[i]);
    return exp(sum / n);
}

static enum rp_verdict df_decide(const struct rp_change *c, double threshold)
{
    int up = rp_metric_info[c->metric].higher_is_better;
    double low = 1 - threshold, high = 1 + threshold;
    if (c->hi < low)
        return up ? RP_WORSE : RP_BETTER;
    if (c->lo > high)
        return up ? RP_BETTER : RP_WORSE;
    if (threshold > 0 && (c->ratio < low || c->ratio > high))
        return RP_UNCLEAR;
    return RP_SAME;
}

/* One cell present on both sides: a change per metric, or the reason it cannot be compared. */
static int df_cell(struct rp_diff *d, const cJSON *b, const cJSON *c, unsigned mask,
                   unsigned min_runs)
{
    const char *id = rs_json_str(b, "id");
    const char *bs = df_status(b), *cs = df_status(c);
    char *line;
    if (strcmp(bs, "skipped") == 0 && strcmp(cs, "skipped") == 0) {
        if (!(line = df_line(&d->notes, &d->nnotes)))
            return -1;
        snprintf(line, RP_LINE_MAX, "%s: skipped on both sides (%s)", id, df_reason(c));
        return 0;
    }
    if (strcmp(bs, "ok") != 0) {
        if (!(line = df_line(&d->problems, &d->nproblems)))
            return -1;
        snprintf(line, RP_LINE_MAX, "%s: the baseline has no result (%s: %s); refresh the baseline",
                 id, bs, df_reason(b));
        return 0;
    }
    if (strcmp(cs, "failed") == 0) {
        struct rp_change *ch = df_change(d, id);
        if (!ch)
            return -1;
        ch->base = b;
        ch->cur = c;
        ch->verdict = RP_FAILED;
        return 0;
    }
    if (strcmp(cs, "ok") != 0) {
        if (!(line = df_line(&d->problems, &d->nproblems)))
            return -1;
        snprintf(line, RP_LINE_MAX, "%s: the current run has no result (%s: %s)", id, cs,
                 df_reason(c));
        return 0;
    }
    for (int m = 0; m < RP_NMETRICS; m++) {
        if (!(mask & (1u << m)))
            continue;
        struct rp_change tmp = {.id = id, .base = b, .cur = c, .metric = (enum rp_metric)m};
        tmp.nbase = rp_cell_values(b, tmp.metric, tmp.vbase);
        tmp.ncur = rp_cell_values(c, tmp.metric, tmp.vcur);
        if (tmp.nbase == 0 && tmp.ncur == 0) {
            if (!(line = df_line(&d->notes, &d->nnotes)))
                return -1;
            snprintf(line, RP_LINE_MAX, "%s: %s is not measured by %s", id, rp_metric_info[m].name,
                     rs_json_str(b, "tool"));
            continue;
        }
        if (tmp.nbase == 0 || tmp.ncur == 0) {
            if (!(line = df_line(&d->problems, &d->nproblems)))
                return -1;
            snprintf(line, RP_LINE_MAX, "%s: %s is measured in the %s only", id,
                     rp_metric_info[m].name, tmp.nbase ? "baseline" : "current run");
            continue;
        }
        int positive = 1;
        for (unsigned i = 0; i < tmp.nbase; i++)
            positive &= tmp.vbase[i] > 0;
        for (unsigned i = 0; i < tmp.ncur; i++)
            positive &= tmp.vcur[i] > 0;
        if (!positive) {
            if (!(line = df_line(&d->notes, &d->nnotes)))
                return -1;
            snprintf(line, RP_LINE_MAX, "%s: %s is 0 in a run; not compared", id,
                     rp_metric_info[m].name);
            continue;
        }
        struct rp_change *ch = df_change(d, id);
        if (!ch)
            return -1;
        *ch = tmp;
        ch->base_mean = df_geomean(ch->vbase, ch->nbase);
        ch->cur_mean = df_geomean(ch->vcur, ch->ncur);
        ch->ratio = ch->cur_mean / ch->base_mean;
        ch->lo = ch->hi = NAN;
        ch->verdict = ch->nbase < min_runs || ch->ncur < min_runs ? RP_FEW : RP_SAME;
        d->ntests += ch->verdict == RP_SAME;
    }
    return 0;
}

int rp_diff(const cJSON *base, const cJSON *cur, unsigned mask, double threshold, unsigned min_runs,
            struct rp_diff *out)
{
    memset(out, 0, sizeof(*out));
    out->threshold = threshold;
    const cJSON *b, *c;
    char *line;
    cJSON_ArrayForEach(b, cJSON_GetObjectItem(base, "cells"))
    {
        const char *id = rs_json_str(b, "id");
        const cJSON *match = df_find(cur, id);
        if (!match) {
            if (!(line = df_line(&out->problems, &out->nproblems)))
                return -1;
            snprintf(line, RP_LINE_MAX, "%s: in the baseline only", id);
        } else if (df_cell(out, b, match, mask, min_runs) < 0) {
            return -1;
        }
    }
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(cur, "cells"))
    {
        const char *id = rs_json_str(c, "id");
        if (!df_find(base, id)) {
            if (!(line = df_line(&out->problems, &out->nproblems)))
                return -1;
            snprintf(line, RP_LINE_MAX, "%s: in the current run only", id);
        }
    }
    /* The correction needs the number of decisions, so the intervals come last. */
    out->level = 1 - RP_ALPHA / (out->ntests > 0 ? out->ntests : 1);
    for (int i = 0; i < out->nchanges; i++) {
        struct rp_change *ch = &out->changes[i];
        if (ch->verdict != RP_SAME)
            continue;
        if (rs_ratio_interval(ch->vbase, ch->nbase, ch->vcur, ch->ncur, out->level, &ch->ratio,
                              &ch->lo, &ch->hi) < 0)
            ch->verdict = RP_FEW; /* fewer than 2 runs: min_runs was below 2 */
        else
            ch->verdict = df_decide(ch, threshold);
    }
    return 0;
}

void rp_diff_free(struct rp_diff *d)
{
    free(d->changes);
    free(d->problems);
    free(d->notes);
    memset(d, 0, sizeof(*d));
}

static int df_env_line(char (*lines)[RP_LINE_MAX], int n, int max, const char *what, const char *a,
                       const char *b)
{
    if (strcmp(a, b) == 0 || n >= max)
        return n;
    snprintf(lines[n], RP_LINE_MAX, "%s: baseline %s, current %s", what, a[0] ? a : "(none)",
             b[0] ? b : "(none)");
    return n + 1;
}

int rp_env_diff(const cJSON *base, const cJSON *cur, char (*lines)[RP_LINE_MAX], int max)
{
    const cJSON *eb = cJSON_GetObjectItem(base, "env"), *ec = cJSON_GetObjectItem(cur, "env");
    static const char *const keys[][2] = {{"cpu_model", "CPU"},
                                          {"kernel", "kernel"},
                                          {"ringfire", "ringfire"},
                                          {"client_cpus", "client CPUs"},
                                          {"target_cpus", "target CPUs"}};
    int n = 0;
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        n = df_env_line(lines, n, max, keys[k][1], rs_json_str(eb, keys[k][0]),
                        rs_json_str(ec, keys[k][0]));
    char a[32], b[32];
    snprintf(a, sizeof(a), "%g", rs_json_num(eb, "cores"));
    snprintf(b, sizeof(b), "%g", rs_json_num(ec, "cores"));
    n = df_env_line(lines, n, max, "cores", a, b);
    static const char *const groups[] = {"tools", "targets"};
    for (int g = 0; g < 2; g++) {
        const cJSON *gb = cJSON_GetObjectItem(eb, groups[g]),
                    *gc = cJSON_GetObjectItem(ec, groups[g]);
        const cJSON *v;
        char what[128];
        cJSON_ArrayForEach(v, gb)
        {
            snprintf(what, sizeof(what), "%s %s", groups[g], v->string);
            n = df_env_line(lines, n, max, what, rs_json_str(gb, v->string),
                            rs_json_str(gc, v->string));
        }
        cJSON_ArrayForEach(v, gc)
        {
            if (cJSON_GetObjectItem(gb, v->string))
                continue;
            snprintf(what, sizeof(what), "%s %s", groups[g], v->string);
            n = df_env_line(lines, n, max, what, "", rs_json_str(gc, v->string));
        }
    }
    return n;
}

void rp_fmt_change(double ratio, char *out, size_t n)
{
    if (isnan(ratio))
        snprintf(out, n, "–");
    else
        snprintf(out, n, "%+.1f%%", (ratio - 1) * 100);
}

void rp_fmt_value(enum rp_metric m, double v, char *out, size_t n)
{
    if (m == RP_M_RPS)
        rp_fmt_rate(v, out, n);
    else if (m == RP_M_P50 || m == RP_M_P99)
        rp_fmt_time(v, out, n);
    else if (isnan(v))
        snprintf(out, n, "–");
    else
        snprintf(out, n, "%.2f µs", v);
}
