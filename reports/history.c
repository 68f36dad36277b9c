/*
 * history.c - change points in a suite's results over time.
 *
 * Each result of a series is one point: the median of its runs of one cell and metric.  Points
 * of different days differ by more than runs of one day do (the machine drifts in spells), so
 * the evidence is the points themselves, never their runs pooled.  The method follows Apache
 * Otava's (E-divisive means, with a permutation test and a minimum effect):
 *
 * - On the logarithms of a segment's points, every split with at least HS_MIN_SIDE points on
 *   each side is scored |mean(left) - mean(right)| * sqrt(l * r / (l + r)); the best split is the
 *   candidate.
 * - Its p-value is that of a permutation test: the share of HS_PERMS random orders of the same
 *   points (seeded) whose best split scores as high, searching every split in each order as in
 *   the real one, so looking at many splits is paid for.  A split of k points with r on one
 *   side has only C(k, r) distinct arrangements, so its p-value is at least about 1 / C(k, r):
 *   a shift needs enough points on its shorter side (and a series enough points) to reach the
 *   asked p-value at all.  The report says how many rather than calling a shift too early.
 * - A change point is kept when p <= p_max (default 0.001) and the shift of the median of the
 *   points, after / before, is at least min_effect (default 5%); then both sides are searched
 *   the same way (binary segmentation), up to RP_HIST_CHANGES per series.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "charts.h"
#include "escape.h"
#include "history.h"
#include "stats.h"

#define HS_MIN_SIDE 2
#define HS_PERMS 4999
#define HS_SEED 0x0a11ceULL

void rp_history_sort(struct rr_doc *docs, int n)
{
    for (int i = 1; i < n; i++) {
        struct rr_doc d = docs[i];
        const char *t = d.env.started ? d.env.started : "";
        int k = i;
        for (; k > 0 && strcmp(docs[k - 1].env.started ? docs[k - 1].env.started : "", t) > 0; k--)
            docs[k] = docs[k - 1];
        docs[k] = d;
    }
}

/* The best split of v[0..n) and its score; -1 when no split leaves HS_MIN_SIDE a side. */
static int hs_split(const double *v, int n, double *score)
{
    double total = 0, left = 0;
    int best = -1;
    *score = -1;
    for (int i = 0; i < n; i++)
        total += v[i];
    for (int s = 1; s < n; s++) {
        left += v[s - 1];
        if (s < HS_MIN_SIDE || n - s < HS_MIN_SIDE)
            continue;
        double l = s, r = n - s;
        double t = fabs(left / l - (total - left) / r) * sqrt(l * r / (l + r));
        if (t > *score) {
            *score = t;
            best = s;
        }
    }
    return best;
}

/* The permutation p-value of a score over the points v[0..n). */
static double hs_p(const double *v, int n, double score, uint64_t *seed)
{
    double w[RP_HIST_DOCS], t;
    int hits = 0;
    memcpy(w, v, (size_t)n * sizeof(*w));
    for (int k = 0; k < HS_PERMS; k++) {
        for (int i = n - 1; i > 0; i--) { /* Fisher-Yates */
            int j = (int)(rr_random(seed) % (uint64_t)(i + 1));
            double x = w[i];
            w[i] = w[j];
            w[j] = x;
        }
        hs_split(w, n, &t);
        hits += t >= score * (1 - 1e-12);
    }
    return (hits + 1.0) / (HS_PERMS + 1.0);
}

/* Binary segmentation of the series' logarithms lv[a..b). */
static void hs_segment(struct rp_hist_series *s, const double *lv, int a, int b,
                       const struct rp_hist_opts *o, uint64_t *seed)
{
    double score;
    int at = hs_split(lv + a, b - a, &score);
    if (at < 0 || s->nchanges == RP_HIST_CHANGES || !(score > 0))
        return;
    at += a;
    double before = exp(rr_median(lv + a, (unsigned)(at - a)));
    double after = exp(rr_median(lv + at, (unsigned)(b - at)));
    if (fabs(after / before - 1) < o->min_effect)
        return;
    double p = hs_p(lv + a, b - a, score, seed);
    if (p > o->p_max)
        return;
    s->changes[s->nchanges++] = (struct rp_hist_change){at, before, after, after / before - 1, p};
    hs_segment(s, lv, a, at, o, seed);
    hs_segment(s, lv, at, b, o, seed);
}

static int hs_change_cmp(const void *x, const void *y)
{
    return ((const struct rp_hist_change *)x)->at - ((const struct rp_hist_change *)y)->at;
}

/* The series of (id, metric), added when new; NULL when out of memory. */
static struct rp_hist_series *hs_series(struct rp_history *h, const struct rr_cell *c,
                                        enum rp_metric m)
{
    const char *id = c->id;
    for (int i = 0; i < h->nseries; i++)
        if (h->series[i].metric == m && strcmp(h->series[i].id, id) == 0)
            return &h->series[i];
    struct rp_hist_series *grown = realloc(h->series, (size_t)(h->nseries + 1) * sizeof(*grown));
    if (!grown)
        return NULL;
    h->series = grown;
    struct rp_hist_series *s = &h->series[h->nseries++];
    memset(s, 0, sizeof(*s));
    s->id = id;
    s->endpoint = c->endpoint;
    s->metric = m;
    return s;
}

/* Adds doc d's medians to the series. */
static int hs_add_doc(struct rp_history *h, int d)
{
    const struct rr_doc *doc = &h->docs[d];
    for (size_t i = 0; i < doc->ncells; i++)
        for (int m = 0; m < RP_NMETRICS; m++) {
            double v[RP_RUNS_MAX];
            unsigned n = (h->opts.mask >> m & 1) ? rp_cell_values(&doc->cells[i], m, v) : 0;
            double med = n ? rr_median(v, n) : NAN;
            if (!(med > 0))
                continue;
            struct rp_hist_series *s = hs_series(h, &doc->cells[i], (enum rp_metric)m);
            if (!s)
                return -1;
            s->doc[s->n] = d;
            s->value[s->n++] = med;
        }
    return 0;
}

/* C(n, r), as a double. */
static double hs_choose(int n, int r)
{
    double c = 1;
    for (int i = 1; i <= r; i++)
        c = c * (n - r + i) / i;
    return c;
}

int rp_history(const struct rr_doc *docs, int n, const struct rp_hist_opts *o,
               struct rp_history *out)
{
    memset(out, 0, sizeof(*out));
    out->docs = docs;
    out->ndocs = n < RP_HIST_DOCS ? n : RP_HIST_DOCS;
    out->opts = *o;
    for (out->fewest = 2 * HS_MIN_SIDE; out->fewest < RP_HIST_DOCS; out->fewest++)
        if (hs_choose(out->fewest, out->fewest / 2) * o->p_max >= 1)
            break;
    for (out->side = HS_MIN_SIDE; out->side <= out->ndocs / 2; out->side++)
        if (hs_choose(out->ndocs, out->side) * o->p_max >= 1)
            break;
    if (out->side > out->ndocs / 2)
        out->side = 0;
    for (int d = 0; d < out->ndocs; d++)
        if (hs_add_doc(out, d) < 0)
            return -1;
    uint64_t seed = HS_SEED;
    for (int i = 0; i < out->nseries; i++) {
        struct rp_hist_series *s = &out->series[i];
        double lv[RP_HIST_DOCS];
        for (int k = 0; k < s->n; k++)
            lv[k] = log(s->value[k]);
        if (s->n >= out->fewest)
            hs_segment(s, lv, 0, s->n, o, &seed);
        qsort(s->changes, (size_t)s->nchanges, sizeof(s->changes[0]), hs_change_cmp);
    }
    return 0;
}

void rp_history_free(struct rp_history *h)
{
    free(h->series);
    memset(h, 0, sizeof(*h));
}

/* ---- output ------------------------------------------------------------------------------- */

/* Markdown or HTML from the same calls. */
struct hs_out {
    FILE *f;
    int html;
};

static void hs_text(const struct hs_out *o, const char *s)
{
    (o->html ? rp_html_text : rp_md_text)(o->f, s);
}

static void hs_heading(const struct hs_out *o, const char *s)
{
    fputs(o->html ? "<h2>" : "\n## ", o->f);
    hs_text(o, s);
    fputs(o->html ? "</h2>\n" : "\n\n", o->f);
}

/* A row of n cells; the first row of a table is its head. */
static void hs_row(const struct hs_out *o, const char *const *cells, int n, int head)
{
    if (o->html && head)
        fputs("<table class=\"sortable\"><thead><tr>", o->f);
    else if (o->html)
        fputs("<tr>", o->f);
    for (int i = 0; i < n; i++) {
        fputs(o->html ? (head ? "<th>" : "<td>") : "| ", o->f);
        hs_text(o, cells[i]);
        fputs(o->html ? (head ? "</th>" : "</td>") : " ", o->f);
    }
    fputs(o->html ? (head ? "</tr></thead><tbody>\n" : "</tr>\n") : "|\n", o->f);
    for (int i = 0; !o->html && head && i < n; i++)
        fputs(i ? "---|" : "|---|", o->f);
    if (!o->html && head)
        fputc('\n', o->f);
}

static void hs_table_end(const struct hs_out *o)
{
    fputs(o->html ? "</tbody></table>\n" : "\n", o->f);
}

/* "2026-11-30 05:52" from a result's start time. */
static void hs_when(const struct rr_doc *d, char *out, size_t n)
{
    const char *t = d->env.started ? d->env.started : "";
    snprintf(out, n, "%.10s %.5s", t, strlen(t) > 11 ? t + 11 : "");
}

static void hs_intro(const struct hs_out *o, const struct rp_history *h)
{
    char first[32], last[32], line[1024], reach[256];
    hs_when(&h->docs[0], first, sizeof(first));
    hs_when(&h->docs[h->ndocs - 1], last, sizeof(last));
    if (h->side)
        snprintf(reach, sizeof(reach),
                 "Among %d results a shift needs %d results or more on each side to reach that "
                 "p-value: the newest %d cannot show one yet.",
                 h->ndocs, h->side, h->side - 1);
    else
        snprintf(reach, sizeof(reach),
                 "%d results are too few for any shift to reach that p-value: it takes %d, or a "
                 "larger --p-value.",
                 h->ndocs, h->fewest);
    snprintf(line, sizeof(line),
             "%d results from %s to %s. Each point is one result's median of its runs. A change "
             "point is where a series shifts: found by binary segmentation on the logarithms of "
             "the points, kept when the medians either side differ by at least %g%% and a "
             "permutation test of the segment (%d random orders, every split searched in each) "
             "gives p <= %g. %s Method: reports/history.c.",
             h->ndocs, first, last, h->opts.min_effect * 100, HS_PERMS, h->opts.p_max, reach);
    fputs(o->html ? "<p>" : "", o->f);
    hs_text(o, line);
    fputs(o->html ? "</p>\n" : "\n", o->f);
    hs_heading(o, "Results");
    static const char *const head[] = {"#", "started", "ringfire", "cells"};
    hs_row(o, head, 4, 1);
    for (int d = 0; d < h->ndocs; d++) {
        char num[16], when[32], cells[16];
        snprintf(num, sizeof(num), "%d", d + 1);
        hs_when(&h->docs[d], when, sizeof(when));
        snprintf(cells, sizeof(cells), "%zu", h->docs[d].ncells);
        const char *row[] = {num, when, h->docs[d].env.ringfire ? h->docs[d].env.ringfire : "?",
                             cells};
        hs_row(o, row, 4, 0);
    }
    hs_table_end(o);
}

static void hs_changes(const struct hs_out *o, const struct rp_history *h)
{
    static const char *const head[] = {"cell",   "metric", "from result", "before", "after",
                                       "change", "p"};
    int any = 0;
    hs_heading(o, "Change points");
    for (int i = 0; i < h->nseries; i++) {
        const struct rp_hist_series *s = &h->series[i];
        for (int k = 0; k < s->nchanges; k++) {
            const struct rp_hist_change *c = &s->changes[k];
            char from[64], before[32], after[32], change[32], p[32], when[32];
            hs_when(&h->docs[s->doc[c->at]], when, sizeof(when));
            snprintf(from, sizeof(from), "#%d (%s)", s->doc[c->at] + 1, when);
            rp_fmt_value(s->metric, c->before, before, sizeof(before));
            rp_fmt_value(s->metric, c->after, after, sizeof(after));
            rp_fmt_change(1 + c->effect, change, sizeof(change));
            snprintf(p, sizeof(p), "%.4f", c->p);
            const char *row[] = {s->id, rp_metric_info[s->metric].name, from, before, after, change,
                                 p};
            if (!any++)
                hs_row(o, head, 7, 1);
            hs_row(o, row, 7, 0);
        }
    }
    if (any)
        hs_table_end(o);
    else
        fprintf(o->f, o->html ? "<p>None found.</p>\n" : "None found.\n");
}

/* The chart of one metric at one endpoint: a line per cell over the results, change points
 * circled.  Returns 0, or -1 when a file could not be written or gnuplot failed. */
static int hs_chart(const struct rp_history *h, enum rp_metric m, const char *endpoint,
                    const char *dir, const char *name)
{
    char path[PATH_MAX + RP_CHART_NAME_MAX + 8], title[512], label[RR_NAME_MAX * 4 + 8];
    snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
    FILE *dat = fopen(path, "w");
    snprintf(path, sizeof(path), "%s/%s.gp", dir, name);
    FILE *gp = dat ? fopen(path, "w") : NULL;
    if (!gp) {
        if (dat)
            fclose(dat);
        return -1;
    }
    snprintf(title, sizeof(title), "%s over time: %s", rp_metric_info[m].label, endpoint);
    rp_chart_begin(gp, name, title, "result", rp_metric_info[m].unit);
    fprintf(gp, "set xtics rotate by -30 (");
    for (int d = 0; d < h->ndocs; d++) {
        char when[32];
        hs_when(&h->docs[d], when, sizeof(when));
        rp_gp_string(when, label, sizeof(label));
        fprintf(gp, "%s%s %d", d ? ", " : "", label, d + 1);
    }
    fprintf(gp, ")\nset xrange [0.5:%d.5]\n", h->ndocs);
    double lo = INFINITY, hi = 0;
    for (int i = 0; i < h->nseries; i++)
        for (int k = 0; h->series[i].metric == m && !strcmp(h->series[i].endpoint, endpoint) &&
                        k < h->series[i].n;
             k++) {
            lo = fmin(lo, h->series[i].value[k]);
            hi = fmax(hi, h->series[i].value[k]);
        }
    if (hi > lo * RP_LOG_SPAN) /* cells far apart (pipelined and not) on one chart */
        fprintf(gp, "set logscale y\n");
    int block = 0;
    for (int i = 0; i < h->nseries; i++) {
        const struct rp_hist_series *s = &h->series[i];
        if (s->metric != m || strcmp(s->endpoint, endpoint) != 0)
            continue;
        for (int k = 0; k < s->n; k++)
            fprintf(dat, "%d %.9g\n", s->doc[k] + 1, s->value[k]);
        fprintf(dat, "\n\n");
        rp_gp_string(s->id, label, sizeof(label));
        fprintf(gp, "%s'%s.dat' index %d with linespoints title %s",
                block ? ", \\\n     " : "plot ", name, block, label);
        block++;
    }
    for (int i = 0; i < h->nseries; i++) { /* the last block: every change point */
        const struct rp_hist_series *s = &h->series[i];
        for (int k = 0; s->metric == m && !strcmp(s->endpoint, endpoint) && k < s->nchanges; k++)
            fprintf(dat, "%d %.9g\n", s->doc[s->changes[k].at] + 1, s->value[s->changes[k].at]);
    }
    fprintf(dat, "-1 1\n"); /* never empty, outside the range */
    fprintf(gp,
            ", \\\n     '%s.dat' index %d with points pt 6 ps 3 lc rgb '#d62728' "
            "title 'change point'\n",
            name, block);
    rp_chart_svg(gp, name);
    int bad = ferror(dat) | ferror(gp);
    bad |= fclose(dat) != 0;
    bad |= fclose(gp) != 0;
    snprintf(path, sizeof(path), "%s.gp", name);
    return bad || rp_gnuplot(dir, path, NULL) < 0 ? -1 : 0;
}

/* Per metric: its charts (one per endpoint, in charts_path; drawn when draw is set) and a table
 * of its series. */
static int hs_metric(const struct hs_out *o, const struct rp_history *h, enum rp_metric m, int draw,
                     const char *charts_path)
{
    static const char *const head[] = {"cell",   "results", "first",        "last",
                                       "lowest", "highest", "change points"};
    int rc = 0, any = 0;
    for (int i = 0; i < h->nseries; i++) {
        const struct rp_hist_series *s = &h->series[i];
        if (s->metric != m)
            continue;
        int first_of_endpoint = 1;
        for (int k = 0; k < i && first_of_endpoint; k++)
            first_of_endpoint =
                h->series[k].metric != m || strcmp(h->series[k].endpoint, s->endpoint) != 0;
        if (!any++)
            hs_heading(o, rp_metric_info[m].label);
        char name[RP_CHART_NAME_MAX], slug[RR_NAME_MAX + 16];
        rr_slug(s->endpoint, slug, sizeof(slug));
        snprintf(name, sizeof(name), "history-%s-%s", rp_metric_info[m].name, slug);
        if (charts_path && first_of_endpoint) {
            rc |= draw ? hs_chart(h, m, s->endpoint, charts_path, name) : 0;
            if (o->html)
                rp_html_image(o->f, charts_path, name, rp_metric_info[m].label);
            else
                fprintf(o->f, "![%s over time](charts/%s.svg)\n\n", rp_metric_info[m].name, name);
        }
    }
    if (!any)
        return 0;
    hs_row(o, head, 7, 1);
    for (int i = 0; i < h->nseries; i++) {
        const struct rp_hist_series *s = &h->series[i];
        if (s->metric != m)
            continue;
        char cells[5][32], changes[256] = "none";
        double lo = INFINITY, hi = 0;
        for (int k = 0; k < s->n; k++) {
            lo = fmin(lo, s->value[k]);
            hi = fmax(hi, s->value[k]);
        }
        snprintf(cells[0], sizeof(cells[0]), "%d", s->n);
        rp_fmt_value(m, s->value[0], cells[1], sizeof(cells[1]));
        rp_fmt_value(m, s->value[s->n - 1], cells[2], sizeof(cells[2]));
        rp_fmt_value(m, lo, cells[3], sizeof(cells[3]));
        rp_fmt_value(m, hi, cells[4], sizeof(cells[4]));
        for (int k = 0; k < s->nchanges; k++) {
            char c[32];
            rp_fmt_change(1 + s->changes[k].effect, c, sizeof(c));
            snprintf(changes + (k ? strlen(changes) : 0),
                     sizeof(changes) - (k ? strlen(changes) : 0), "%s%s at #%d", k ? ", " : "", c,
                     s->doc[s->changes[k].at] + 1);
        }
        const char *row[] = {s->id, cells[0], cells[1], cells[2], cells[3], cells[4], changes};
        hs_row(o, row, 7, 0);
    }
    hs_table_end(o);
    return rc;
}

/* One page (markdown, or HTML) written whole to path.  Returns 0, -1 when a chart failed, or
 * -errno when the page could not be written. */
static int hs_page(const struct rp_history *h, const char *path, int html, const char *charts_path)
{
    char *text = NULL;
    size_t len = 0;
    struct hs_out o = {open_memstream(&text, &len), html};
    if (!o.f)
        return -ENOMEM;
    const char *suite = h->docs[0].suite.name ? h->docs[0].suite.name : "?";
    if (html) {
        rp_html_begin(o.f, "ringfire history: ", suite);
    } else {
        fputs("# ringfire history: ", o.f);
        rp_md_text(o.f, suite);
        fputs("\n\n", o.f);
    }
    hs_intro(&o, h);
    hs_changes(&o, h);
    int charts_rc = 0;
    for (int m = 0; m < RP_NMETRICS; m++)
        if (h->opts.mask >> m & 1)
            charts_rc |= hs_metric(&o, h, (enum rp_metric)m, !html, charts_path);
    if (html)
        rp_html_end(o.f);
    fclose(o.f);
    int rc = rr_write_atomic(path, text);
    free(text);
    return rc < 0 ? rc : charts_rc ? -1 : 0;
}

int rp_history_write(const struct rp_history *h, const char *dir, int charts, char err[RP_ERR_MAX])
{
    char charts_dir[PATH_MAX], page[PATH_MAX + 16];
    snprintf(charts_dir, sizeof(charts_dir), "%s/charts", dir);
    if (rp_make_dirs(dir, charts ? charts_dir : NULL, err) < 0)
        return RP_REPORT_FAILED;
    int status = RP_REPORT_OK;
    for (int html = 0; html < 2; html++) {
        snprintf(page, sizeof(page), "%s/history.%s", dir, html ? "html" : "md");
        /* the markdown draws the charts; the page inlines them */
        int rc = hs_page(h, page, html, charts ? charts_dir : NULL);
        if (rc < -1) {
            snprintf(err, RP_ERR_MAX, "cannot write %s: %s", page, strerror(-rc));
            return RP_REPORT_FAILED;
        }
        if (rc == -1) {
            snprintf(err, RP_ERR_MAX,
                     "gnuplot failed on a chart; its messages are in %s/gnuplot.log", charts_dir);
            status = RP_REPORT_CHARTS_FAILED;
        }
    }
    return status;
}
