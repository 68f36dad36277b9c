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
 *   other way round).  "No change" is said only when the whole interval lies within the
 *   threshold (an equivalence test, as in TOST): anything else is inconclusive, reported with the
 *   smallest change the runs could have called, never silently passed as "no change".
 * - That smallest change: an interval of half-width h (on the log scale) lies wholly beyond the
 *   threshold t when the estimate is beyond (1 + t) e^h, so a cell "could detect" changes
 *   beyond (1 + t) e^h - 1.  More repetitions shrink h by about the square root of their number.
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
#include "report.h"
#include "stats.h"

#define RUN_AT(member) offsetof(struct rr_run, member)
const struct rp_metric_info rp_metric_info[RP_NMETRICS] = {
    [RP_M_RPS] = {"rps", "req/s", "req/s", 1, RUN_AT(rps), "throughput"},
    [RP_M_P50] = {"p50", "p50 latency", "us", 0, RUN_AT(latency_us[RR_P50]), "latency-p50"},
    [RP_M_P99] = {"p99", "p99 latency", "us", 0, RUN_AT(latency_us[RR_P99]), "latency-p99"},
    [RP_M_CPU] = {"cpu", "server CPU per response", "us/response", 0,
                  RUN_AT(cpu_us_per_response.target), "server-cpu-per-response"},
    [RP_M_CLIENT_CPU] = {"client-cpu", "client CPU per response", "us/response", 0,
                         RUN_AT(cpu_us_per_response.client), "client-cpu-per-response"},
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

unsigned rp_cell_values(const struct rr_cell *cell, enum rp_metric m, double *v)
{
    unsigned n = 0;
    for (size_t i = 0; i < cell->nruns; i++) {
        double x = *(const double *)((const char *)&cell->runs[i] + rp_metric_info[m].offset);
        if (!isnan(x) && n < RP_RUNS_MAX)
            v[n++] = x;
    }
    return n;
}

/* The values of a metric in the runs of two cells, paired by repetition: runs of a repetition
 * that only one side measured are left out.  Returns the number of pairs. */
static unsigned df_pairs(const struct rr_cell *a, const struct rr_cell *b, enum rp_metric m,
                         double *va, double *vb)
{
    unsigned n = 0;
    size_t off = rp_metric_info[m].offset;
    for (size_t i = 0; i < a->nruns; i++)
        for (size_t k = 0; k < b->nruns; k++) {
            if (b->runs[k].rep != a->runs[i].rep)
                continue;
            double x = *(const double *)((const char *)&a->runs[i] + off);
            double y = *(const double *)((const char *)&b->runs[k] + off);
            if (!isnan(x) && !isnan(y) && n < RP_RUNS_MAX) {
                va[n] = x;
                vb[n++] = y;
            }
        }
    return n;
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

/* The reason of a cell that was not measured, for a line of text. */
static const char *df_reason(const struct rr_cell *cell)
{
    return cell->reason && cell->reason[0] ? cell->reason
           : cell->status == RR_PENDING    ? "not run: the suite stopped first"
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
    if (c->lo >= low && c->hi <= high)
        return RP_SAME;
    return RP_UNCLEAR;
}

/* One metric of a cell present on both sides: a change, or a note or problem saying why not. */
static int df_metric(struct rp_diff *d, const struct rr_cell *b, const struct rr_cell *c,
                     enum rp_metric m, unsigned min_runs)
{
    const char *id = b->id;
    char *line;
    struct rp_change tmp = {.id = id, .base = b, .cur = c, .metric = m};
    if (d->paired) {
        tmp.nbase = tmp.ncur = df_pairs(b, c, m, tmp.vbase, tmp.vcur);
    } else {
        tmp.nbase = rp_cell_values(b, m, tmp.vbase);
        tmp.ncur = rp_cell_values(c, m, tmp.vcur);
    }
    if (tmp.nbase == 0 && tmp.ncur == 0) {
        if (!(line = df_line(&d->notes, &d->nnotes)))
            return -1;
        snprintf(line, RP_LINE_MAX, "%s: %s is not measured by %s", id, rp_metric_info[m].name,
                 b->tool);
        return 0;
    }
    if (tmp.nbase == 0 || tmp.ncur == 0) {
        if (!(line = df_line(&d->problems, &d->nproblems)))
            return -1;
        snprintf(line, RP_LINE_MAX, "%s: %s is measured in the %s only", id, rp_metric_info[m].name,
                 tmp.nbase ? "baseline" : "current run");
        return 0;
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
        return 0;
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
    return 0;
}

/* One cell present on both sides: a change per metric, or the reason it cannot be compared. */
static int df_cell(struct rp_diff *d, const struct rr_cell *b, const struct rr_cell *c,
                   unsigned mask, unsigned min_runs)
{
    const char *id = b->id;
    char *line;
    if (b->status == RR_SKIPPED && c->status == RR_SKIPPED) {
        if (!(line = df_line(&d->notes, &d->nnotes)))
            return -1;
        snprintf(line, RP_LINE_MAX, "%s: skipped on both sides (%s)", id, df_reason(c));
        return 0;
    }
    if (b->status != RR_OK) {
        if (!(line = df_line(&d->problems, &d->nproblems)))
            return -1;
        snprintf(line, RP_LINE_MAX, "%s: the baseline has no result (%s: %s); refresh the baseline",
                 id, rr_status_name(b->status), df_reason(b));
        return 0;
    }
    if (c->status == RR_FAILED) {
        struct rp_change *ch = df_change(d, id);
        if (!ch)
            return -1;
        ch->base = b;
        ch->cur = c;
        ch->verdict = RP_FAILED;
        return 0;
    }
    if (c->status != RR_OK) {
        if (!(line = df_line(&d->problems, &d->nproblems)))
            return -1;
        snprintf(line, RP_LINE_MAX, "%s: the current run has no result (%s: %s)", id,
                 rr_status_name(c->status), df_reason(c));
        return 0;
    }
    for (int m = 0; m < RP_NMETRICS; m++)
        if ((mask & (1u << m)) && df_metric(d, b, c, (enum rp_metric)m, min_runs) < 0)
            return -1;
    return 0;
}

/* The cell of the other side: the same id (unpaired), or the same id of the other target. */
static const struct rr_cell *df_partner(const struct rr_doc *doc, const char *id, const char *from,
                                        const char *to)
{
    char other[512];
    if (!from)
        return rr_cell_find(doc, id);
    size_t n = strlen(from);
    if (strncmp(id, from, n) != 0 || id[n] != '/')
        return NULL;
    snprintf(other, sizeof(other), "%s%s", to, id + n);
    return rr_cell_find(doc, other);
}

static int df_note(struct rp_diff *d, const char *id, const char *what)
{
    char *line = df_line(&d->notes, &d->nnotes);
    if (!line)
        return -1;
    snprintf(line, RP_LINE_MAX, "%s: %s; not compared", id, what);
    return 0;
}

/* Each comparison's interval at the corrected level, then its verdict. */
static void df_decide_all(struct rp_diff *d)
{
    d->level = 1 - d->alpha / (d->ntests > 0 ? d->ntests : 1);
    d->min_pairs = 1;
    while (ldexp(1, (int)d->min_pairs) <= 2 / (1 - d->level) && d->min_pairs < RR_PAIRS_MAX)
        d->min_pairs++;
    for (int i = 0; i < d->nchanges; i++) {
        struct rp_change *ch = &d->changes[i];
        double coverage;
        if (ch->verdict != RP_SAME)
            continue;
        int rc = d->paired ? rr_paired_ratio_interval(ch->vbase, ch->vcur, ch->nbase, d->level,
                                                      &ch->ratio, &ch->lo, &ch->hi, &coverage)
                           : rr_ratio_interval(ch->vbase, ch->nbase, ch->vcur, ch->ncur, d->level,
                                               &ch->ratio, &ch->lo, &ch->hi);
        if (rc < 0) { /* fewer than 2 runs, or too few pairs for the level */
            ch->verdict = RP_FEW;
            continue;
        }
        ch->verdict = df_decide(ch, d->threshold);
        ch->detectable = (1 + d->threshold) * sqrt(ch->hi / ch->lo) - 1;
    }
}

int rp_diff(const struct rr_doc *base, const struct rr_doc *cur, const struct rp_diff_opts *o,
            struct rp_diff *out)
{
    memset(out, 0, sizeof(*out));
    out->threshold = o->threshold;
    out->alpha = o->alpha > 0 ? o->alpha : RP_ALPHA;
    out->paired = o->base_target != NULL;
    const char *from = o->base_target, *to = o->cur_target;
    for (size_t i = 0; i < base->ncells; i++) {
        const struct rr_cell *b = &base->cells[i];
        if (from && strcmp(b->target, from) != 0)
            continue;
        const struct rr_cell *match = df_partner(cur, b->id, from, to);
        if (!match) {
            if (df_note(out, b->id,
                        from ? "the candidate has no such cell"
                             : "in the baseline only (a cell removed)") < 0)
                return -1;
        } else if (df_cell(out, b, match, o->mask, o->min_runs) < 0) {
            return -1;
        }
    }
    for (size_t i = 0; i < cur->ncells; i++) {
        const struct rr_cell *c = &cur->cells[i];
        if (to && strcmp(c->target, to) != 0)
            continue;
        if (!df_partner(base, c->id, to, from) &&
            df_note(out, c->id,
                    to ? "the baseline has no such cell" : "in the current run only (a new cell)") <
                0)
            return -1;
    }
    df_decide_all(out); /* the correction needs the number of decisions: the intervals come last */
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

/* The versions of one group (tools or targets) that differ, with what only one side has. */
static int df_map_diff(char (*lines)[RP_LINE_MAX], int n, int max, const char *group,
                       const struct rr_map *a, const struct rr_map *b)
{
    char what[128];
    for (int side = 0; side < 2; side++) {
        const struct rr_map *m = side ? b : a, *other = side ? a : b;
        for (size_t i = 0; i < m->n; i++) {
            const char *theirs = "";
            int found = 0;
            for (size_t k = 0; k < other->n && !found; k++)
                if (strcmp(other->v[k].name, m->v[i].name) == 0) {
                    theirs = other->v[k].value;
                    found = 1;
                }
            if (side && found) /* said from the baseline's side already */
                continue;
            snprintf(what, sizeof(what), "%s %s", group, m->v[i].name);
            n = side ? df_env_line(lines, n, max, what, "", m->v[i].value)
                     : df_env_line(lines, n, max, what, m->v[i].value, theirs);
        }
    }
    return n;
}

/* The lowest and highest of an environment's CPU distances (results.h); 0 when none measured. */
static int df_distance(const struct rr_env *e, double *lo, double *hi)
{
    double v[2] = {e->cpu_distance_start_ns, e->cpu_distance_end_ns};
    int n = 0;
    for (int i = 0; i < 2; i++)
        if (v[i] > 0) {
            *lo = n && *lo < v[i] ? *lo : v[i];
            *hi = n && *hi > v[i] ? *hi : v[i];
            n++;
        }
    return n;
}

/* A line when every reading of one run is more than 2x every reading of the other: the two
 * runs' CPUs were placed apart differently throughout.  (A run whose own readings span more
 * than 2x says so in its report.) */
static int df_distance_line(char (*lines)[RP_LINE_MAX], int n, int max, const struct rr_env *eb,
                            const struct rr_env *ec)
{
    double bl, bh, cl, ch;
    if (n >= max || !df_distance(eb, &bl, &bh) || !df_distance(ec, &cl, &ch) ||
        (bl <= 2 * ch && cl <= 2 * bh))
        return n;
    snprintf(lines[n], RP_LINE_MAX,
             "the client's and the target's CPUs: a cache line's round trip of %.0f-%.0f ns in "
             "the baseline, %.0f-%.0f ns in the current run (a virtual machine's host placed them "
             "differently: every cost per request moves with that, whatever the change)",
             bl, bh, cl, ch);
    return n + 1;
}

int rp_env_diff(const struct rr_doc *base, const struct rr_doc *cur, char (*lines)[RP_LINE_MAX],
                int max)
{
    const struct rr_env *eb = &base->env, *ec = &cur->env;
    int n = 0;
    n = df_env_line(lines, n, max, "CPU", eb->cpu_model, ec->cpu_model);
    n = df_env_line(lines, n, max, "kernel", eb->kernel, ec->kernel);
    n = df_env_line(lines, n, max, "ringfire", eb->ringfire, ec->ringfire);
    n = df_env_line(lines, n, max, "client CPUs", eb->client_cpus, ec->client_cpus);
    n = df_env_line(lines, n, max, "target CPUs", eb->target_cpus, ec->target_cpus);
    char a[32], b[32];
    snprintf(a, sizeof(a), "%u", eb->cores);
    snprintf(b, sizeof(b), "%u", ec->cores);
    n = df_env_line(lines, n, max, "cores", a, b);
    n = df_distance_line(lines, n, max, eb, ec);
    n = df_map_diff(lines, n, max, "tools", &eb->tools, &ec->tools);
    return df_map_diff(lines, n, max, "targets", &eb->targets, &ec->targets);
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
