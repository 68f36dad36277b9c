/*
 * charts.c - gnuplot charts from results: for each chart a .dat and a .gp file are written
 * and kept, and gnuplot (started with an argument vector, never a shell) draws a PNG and an
 * SVG.  A target has the same colour in every chart: its first-seen place picks it from one
 * palette.
 *
 * Names from the results never reach a script unquoted: file names are rr_slug()s, titles and
 * keys go through rp_gp_string(), and data-file labels lose their quotes and control bytes.
 */
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "charts.h"
#include "escape.h"
#include "index.h"

#define CH_TITLE_MAX 600

static const char *const ch_palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                         "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
#define CH_NPALETTE (sizeof(ch_palette) / sizeof(ch_palette[0]))

struct ch_ctx {
    struct rp_index ix;
    const char *dir;
    rp_plot_fn *plot;
    void *arg;
    int failed;
};

/* ---- gnuplot ------------------------------------------------------------------------------- */

extern char **environ;

/* Runs argv in dir with stdout to /dev/null and stderr appended to log (both relative to dir);
 * returns its exit status, or -1. */
static int ch_spawn(const char *dir, char *const argv[], const char *log)
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status = -1;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    if ((dir && posix_spawn_file_actions_addchdir_np(&fa, dir) != 0) ||
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0644) != 0 ||
        posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0)
        goto out;
    if (waitpid(pid, &status, 0) == pid)
        status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    else
        status = -1;
out:
    posix_spawn_file_actions_destroy(&fa);
    return status;
}

int rp_gnuplot(const char *dir, const char *script, void *arg)
{
    (void)arg;
    char *argv[] = {"gnuplot", (char *)script, NULL};
    return ch_spawn(dir, argv, "gnuplot.log") == 0 ? 0 : -1;
}

int rp_gnuplot_available(void)
{
    char *argv[] = {"gnuplot", "--version", NULL};
    return ch_spawn(NULL, argv, "/dev/null") == 0;
}

/* ---- files --------------------------------------------------------------------------------- */

static const char *ch_color(const struct ch_ctx *x, const char *target)
{
    long i = rp_index_target(&x->ix, target);
    return i < 0 ? "#000000" : ch_palette[(size_t)i % CH_NPALETTE];
}

static FILE *ch_open(const struct ch_ctx *x, const char *name, const char *ext)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s.%s", x->dir, name, ext);
    return fopen(path, "w");
}

/* Names the chart (name: RP_CHART_NAME_MAX bytes, from fmt) and opens its data and script
 * files; on failure closes what opened. */
__attribute__((format(printf, 5, 6))) static int ch_files(struct ch_ctx *x, char *name, FILE **dat,
                                                          FILE **gp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, RP_CHART_NAME_MAX, fmt, ap);
    va_end(ap);
    *dat = ch_open(x, name, "dat");
    *gp = ch_open(x, name, "gp");
    if (*dat && *gp)
        return 0;
    if (*dat)
        fclose(*dat);
    if (*gp)
        fclose(*gp);
    x->failed = 1;
    return -1;
}

/* Opens the data and script files of a chart of the kind given, when there is something to
 * draw (ok).  Returns the chart's name, or NULL. */
static const char *ch_start(struct ch_ctx *x, const struct rp_chart *ch, int kind, int ok,
                            FILE **dat, FILE **gp)
{
    char name[RP_CHART_NAME_MAX];
    if (!ok || ch_files(x, name, dat, gp, "%s", ch->files[kind]) < 0)
        return NULL;
    return ch->files[kind];
}

/* A label for a data file: inside double quotes, so without quotes or control bytes. */
static void ch_label(const char *in, char *out, size_t n)
{
    size_t o = 0;
    for (; *in && o + 1 < n; in++)
        out[o++] = (unsigned char)*in < 32 || *in == '"' || *in == 127 ? ' ' : *in;
    out[o] = '\0';
}

/* The head of every script: PNG first; ch_finish adds the SVG. */
static void ch_begin(FILE *gp, const char *name, const char *title, const char *xlabel,
                     const char *ylabel)
{
    char t[CH_TITLE_MAX * 2], xl[256], yl[256];
    rp_gp_string(title, t, sizeof(t));
    rp_gp_string(xlabel, xl, sizeof(xl));
    rp_gp_string(ylabel, yl, sizeof(yl));
    fprintf(gp, "# drawn by ringfire report; data in %s.dat\n", name);
    fprintf(gp, "set terminal pngcairo size 1000,560 font 'sans,10'\n");
    fprintf(gp, "set output '%s.png'\n", name);
    fprintf(gp, "set title %s\nset xlabel %s\nset ylabel %s\n", t, xl, yl);
    fprintf(gp, "set key outside right top\nset grid\nset border 3\nset tics nomirror\n");
}

/* Draws the script's plot as SVG too, closes it and has it plotted. */
static void ch_finish(struct ch_ctx *x, FILE *gp, const char *name)
{
    fprintf(gp, "set terminal svg size 1000,560 font 'sans,10' dynamic background '#ffffff'\n");
    fprintf(gp, "set output '%s.svg'\nreplot\n", name);
    if (fclose(gp) != 0) {
        x->failed = 1;
        return;
    }
    char script[RP_CHART_NAME_MAX + 4];
    snprintf(script, sizeof(script), "%s.gp", name);
    if (x->plot(x->dir, script, x->arg) < 0)
        x->failed = 1;
}

/* One clause of a plot command: data block `block` of name.dat, drawn with `with`, in a
 * colour, titled with a target's name. */
static void ch_clause(FILE *gp, const char *name, int block, const char *with, const char *color,
                      const char *target)
{
    char title[RR_NAME_MAX * 4];
    rp_gp_string(target, title, sizeof(title));
    fprintf(gp, "%s'%s.dat' index %d %s lc rgb '%s' title %s", block ? ", \\\n     " : "plot ",
            name, block, with, color, title);
}

/* ---- which cells --------------------------------------------------------------------------- */

/* By the target's first-seen place, then connections. */
static int ch_cmp_target(const void *a, const void *b, void *arg)
{
    const struct rr_cell *p = *(const struct rr_cell *const *)a,
                         *q = *(const struct rr_cell *const *)b;
    const struct rp_index *ix = arg;
    long rp = rp_index_target(ix, p->target), rq = rp_index_target(ix, q->target);
    if (rp != rq)
        return (rp > rq) - (rp < rq);
    return (p->connections > q->connections) - (p->connections < q->connections);
}

/* The measured ringfire cells of an endpoint at a pipeline depth (and, if connections is not
 * 0, at that many connections), by target then connections.  Returns how many (*out is
 * malloc'ed), or -1. */
static long ch_cells(struct ch_ctx *x, const char *endpoint, int pipeline, unsigned connections,
                     const struct rr_cell ***out)
{
    size_t first, end = rp_index_range(&x->ix, endpoint, "ringfire", &first), n = 0;
    const struct rr_cell **v = malloc((end - first + 1) * sizeof(*v));
    if (!v)
        return -1;
    for (size_t i = first; i < end; i++)
        if ((int)x->ix.ok[i]->pipeline == pipeline &&
            (!connections || x->ix.ok[i]->connections == connections))
            v[n++] = x->ix.ok[i];
    qsort_r(v, n, sizeof(*v), ch_cmp_target, &x->ix);
    *out = v;
    return (long)n;
}

/* ---- the charts ---------------------------------------------------------------------------- */

/* 1. Throughput against connections, one line per target, for one endpoint and pipeline. */
static void ch_rps(struct ch_ctx *x, const struct rp_chart *ch, const struct rr_cell **v, long n)
{
    char title[CH_TITLE_MAX];
    FILE *dat, *gp;
    const char *name = ch_start(x, ch, 0, n > 0, &dat, &gp);
    if (!name)
        return;
    snprintf(title, sizeof(title),
             "%s, pipeline %d: %s per second by connections (median, 95%% interval)", ch->endpoint,
             ch->pipeline, ch->websocket ? "messages" : "requests");
    ch_begin(gp, name, title, "connections (log scale)",
             ch->websocket ? "messages per second" : "requests per second");
    fprintf(gp, "set logscale x 2\nset format y '%%.1s%%c'\nset yrange [0:*]\n"
                "set offsets graph 0.04, graph 0.04, 0, 0\n");
    int block = 0;
    for (long i = 0; i < n; i++) {
        const struct rr_rps *r = &v[i]->summary.rps;
        if (i == 0 || strcmp(v[i - 1]->target, v[i]->target)) {
            char label[RR_NAME_MAX * 2];
            ch_label(v[i]->target, label, sizeof(label));
            fprintf(dat, "%s# %s: connections median ci_low ci_high\n", i ? "\n\n" : "", label);
        }
        fprintf(dat, "%u %.1f %.1f %.1f\n", v[i]->connections, r->median, r->ci[0], r->ci[1]);
        if (i + 1 == n || strcmp(v[i + 1]->target, v[i]->target))
            ch_clause(gp, name, block++, "using 1:2:3:4 with yerrorlines lw 2 pt 7",
                      ch_color(x, v[i]->target), v[i]->target);
    }
    fprintf(gp, "\n");
    fclose(dat);
    ch_finish(x, gp, name);
}

struct ch_bar {
    const struct rr_cell *cell;
    double median;
};

static int ch_bar_cmp(const void *a, const void *b)
{
    const struct ch_bar *p = a, *q = b;
    return p->median > q->median ? 1 : p->median < q->median ? -1 : 0;
}

/* 2. Sorted horizontal bars at the highest connection count. */
static void ch_bars(struct ch_ctx *x, const struct rp_chart *ch, const struct rr_cell **v, long n)
{
    char title[CH_TITLE_MAX];
    struct ch_bar *bars = malloc((size_t)(n + 1) * sizeof(*bars));
    int nb = 0;
    FILE *dat, *gp;
    for (long i = 0; bars && i < n; i++)
        if ((int)v[i]->connections == ch->connections)
            bars[nb++] = (struct ch_bar){v[i], v[i]->summary.rps.median};
    const char *name = ch_start(x, ch, 1, bars && nb > 0, &dat, &gp);
    if (!name) {
        free(bars);
        return;
    }
    qsort(bars, (size_t)nb, sizeof(*bars), ch_bar_cmp);
    fprintf(dat, "# position target median color\n");
    for (int i = 0; i < nb; i++) {
        char label[RR_NAME_MAX * 2];
        ch_label(bars[i].cell->target, label, sizeof(label));
        fprintf(dat, "%d \"%s\" %.1f 0x%s\n", i, label, bars[i].median,
                ch_color(x, bars[i].cell->target) + 1);
    }
    free(bars);
    fclose(dat);
    snprintf(title, sizeof(title), "%s at %d connections, pipeline %d: %s per second (median)",
             ch->endpoint, ch->connections, ch->pipeline, ch->websocket ? "messages" : "requests");
    ch_begin(gp, name, title, ch->websocket ? "messages per second" : "requests per second", "");
    fprintf(gp, "set style fill solid 0.85\nset key off\nset xrange [0:*]\nset format x "
                "'%%.1s%%c'\nset ytics scale 0\nset offsets 0,graph 0.08,0.5,0.5\n");
    fprintf(gp,
            "plot '%s.dat' using (0.5*$3):1:(0.5*$3):(0.35):4:ytic(2) with boxxyerror lc rgb "
            "variable, '' using ($3):1:(gprintf(' %%.1s%%c', $3)) with labels left notitle\n",
            name);
    ch_finish(x, gp, name);
}

static int ch_has_histogram(const struct rr_cell *c)
{
    for (size_t r = 0; r < c->nruns; r++)
        if (c->runs[r].nbuckets > 0)
            return 1;
    return 0;
}

static int ch_has_timeline(const struct rr_cell *c)
{
    return c->nruns && c->runs[0].ntimeline > 0;
}

/* Whether any of the cells at the chart's connections has what has() looks for. */
static int ch_any(const struct rp_chart *ch, const struct rr_cell **v, long n,
                  int (*has)(const struct rr_cell *))
{
    for (long i = 0; i < n; i++)
        if ((int)v[i]->connections == ch->connections && has(v[i]))
            return 1;
    return 0;
}

static int ch_bucket_cmp(const void *a, const void *b)
{
    const struct rr_bucket *p = a, *q = b;
    return (p->value_ns > q->value_ns) - (p->value_ns < q->value_ns);
}

/* Writes one cell's latency spectrum, its runs' histograms pooled, as a data block.  Returns 1
 * when it wrote one, 0 when the cell has no histogram. */
static int ch_spectrum(FILE *dat, const struct rr_cell *c)
{
    static const double ps[] = {0.5,   0.75,   0.9,    0.95,    0.99,   0.995,
                                0.999, 0.9995, 0.9999, 0.99995, 0.99999};
    size_t nb = 0, k = 0;
    double total = 0;
    for (size_t r = 0; r < c->nruns; r++)
        nb += c->runs[r].nbuckets;
    struct rr_bucket *all = malloc((nb ? nb : 1) * sizeof(*all));
    if (!all)
        return 0;
    for (size_t r = 0; r < c->nruns; r++)
        for (size_t i = 0; i < c->runs[r].nbuckets; i++) {
            all[k++] = c->runs[r].buckets[i];
            total += (double)c->runs[r].buckets[i].count;
        }
    if (total <= 0) {
        free(all);
        return 0;
    }
    qsort(all, nb, sizeof(*all), ch_bucket_cmp);
    char label[RR_NAME_MAX * 2];
    ch_label(c->target, label, sizeof(label));
    fprintf(dat, "# %s: percentile 1/(1-p) latency_ms\n", label);
    for (size_t q = 0; q < sizeof(ps) / sizeof(ps[0]); q++) {
        double seen = 0, want = ceil(ps[q] * total), v = (double)all[nb - 1].value_ns;
        for (size_t i = 0; i < nb; i++) {
            seen += (double)all[i].count;
            if (seen >= want) {
                v = (double)all[i].value_ns;
                break;
            }
        }
        fprintf(dat, "%g %g %g\n", ps[q] * 100, 1 / (1 - ps[q]), v / 1e6);
    }
    fprintf(dat, "\n\n");
    free(all);
    return 1;
}

/* 3. The latency percentile spectrum (HdrHistogram style) from the runs' histograms. */
static void ch_latency(struct ch_ctx *x, const struct rp_chart *ch, const struct rr_cell **v,
                       long n)
{
    char title[CH_TITLE_MAX];
    FILE *dat, *gp;
    const char *name = ch_start(x, ch, 2, ch_any(ch, v, n, ch_has_histogram), &dat, &gp);
    if (!name)
        return;
    snprintf(title, sizeof(title),
             "%s at %d connections, pipeline %d: latency by percentile (runs pooled)", ch->endpoint,
             ch->connections, ch->pipeline);
    ch_begin(gp, name, title, "percentile", "latency (ms, log scale)");
    fprintf(gp, "set logscale x 10\nset logscale y 10\n"
                "set xtics ('50%%%%' 2, '90%%%%' 10, '99%%%%' 100, '99.9%%%%' 1000, "
                "'99.99%%%%' 10000, '99.999%%%%' 100000)\n");
    int block = 0;
    for (long i = 0; i < n; i++)
        if ((int)v[i]->connections == ch->connections && ch_spectrum(dat, v[i]))
            ch_clause(gp, name, block++, "using 2:3 with linespoints lw 2 pt 7",
                      ch_color(x, v[i]->target), v[i]->target);
    fprintf(gp, "\n");
    fclose(dat);
    ch_finish(x, gp, name);
}

/* 4. Responses per second over time, from the first run's per-second timeline. */
static void ch_timeline(struct ch_ctx *x, const struct rp_chart *ch, const struct rr_cell **v,
                        long n)
{
    char title[CH_TITLE_MAX];
    FILE *dat, *gp;
    const char *name = ch_start(x, ch, 3, ch_any(ch, v, n, ch_has_timeline), &dat, &gp);
    if (!name)
        return;
    const char *what = ch->websocket ? "messages" : "responses";
    snprintf(title, sizeof(title), "%s at %d connections, pipeline %d: %s in each second (run 1)",
             ch->endpoint, ch->connections, ch->pipeline, what);
    ch_begin(gp, name, title, "second of the measured phase", what);
    fprintf(gp, "set format y '%%.1s%%c'\nset yrange [0:*]\n");
    int block = 0;
    for (long i = 0; i < n; i++) {
        const struct rr_cell *c = v[i];
        if ((int)c->connections != ch->connections || !c->nruns || !c->runs[0].ntimeline)
            continue;
        char label[RR_NAME_MAX * 2];
        ch_label(c->target, label, sizeof(label));
        fprintf(dat, "# %s: second responses\n", label);
        for (size_t s = 0; s < c->runs[0].ntimeline; s++)
            fprintf(dat, "%u %.0f\n", c->runs[0].timeline[s].second,
                    c->runs[0].timeline[s].responses);
        fprintf(dat, "\n\n");
        ch_clause(gp, name, block++, "using 1:2 with steps lw 2", ch_color(x, c->target),
                  c->target);
    }
    fprintf(gp, "\n");
    fclose(dat);
    ch_finish(x, gp, name);
}

/* The tool comparison's row for a ringfire cell: its median and the other tools' at the same
 * cell (NaN where not measured).  Returns how many other tools measured it. */
static int ch_tool_row(const struct ch_ctx *x, const struct rr_cell *rf, double *v)
{
    int others = 0;
    v[0] = rf->summary.rps.median;
    for (size_t k = 0; k < x->ix.ntools; k++) {
        const struct rr_cell *o = rp_index_find(&x->ix, rf->endpoint, x->ix.tools[k], rf->target,
                                                rf->connections, rf->pipeline);
        v[k + 1] = o ? o->summary.rps.median : NAN;
        others += o != NULL;
    }
    return others;
}

/* 5. The tool comparison: grouped bars, one group per cell measured by several tools.  A tool
 * that measured no such cell gets no bars and no key. */
static void ch_tools(struct ch_ctx *x)
{
    size_t nt = x->ix.ntools + 1;
    double *v = malloc(nt * sizeof(*v));
    int *seen = calloc(nt, sizeof(*seen));
    FILE *dat = NULL, *gp = NULL;
    char name[RP_CHART_NAME_MAX];
    for (size_t i = 0; v && seen && i < x->ix.doc->ncells; i++) {
        const struct rr_cell *rf = &x->ix.doc->cells[i];
        if (rf->status != RR_OK || strcmp(rf->tool, "ringfire") || !ch_tool_row(x, rf, v))
            continue;
        if (!dat && ch_files(x, name, &dat, &gp, "%s", RP_CHART_TOOLS) < 0)
            break;
        char label[RR_NAME_MAX * 3];
        snprintf(label, sizeof(label), "%s %s c%u p%u", rf->target, rf->endpoint, rf->connections,
                 rf->pipeline);
        ch_label(label, label, sizeof(label));
        fprintf(dat, "\"%s\"", label);
        for (size_t k = 0; k < nt; k++) {
            fprintf(dat, isnan(v[k]) ? " NaN" : " %.1f", v[k]);
            seen[k] |= !isnan(v[k]);
        }
        fprintf(dat, "\n");
    }
    if (dat) {
        fclose(dat);
        ch_begin(gp, name, "The same cells measured by each tool: requests per second (median)", "",
                 "requests per second");
        fprintf(gp, "set style data histograms\nset style histogram clustered gap 1\nset style "
                    "fill solid 0.85\nset xtics rotate by -30\nset format y '%%.1s%%c'\nset "
                    "yrange [0:*]\nset datafile missing 'NaN'\n");
        for (size_t k = 0, drawn = 0; k < nt; k++) {
            if (!seen[k])
                continue;
            char title[RR_NAME_MAX * 4];
            rp_gp_string(k ? x->ix.tools[k - 1] : "ringfire", title, sizeof(title));
            fprintf(gp, "%s'%s.dat' using %zu%s lc rgb '%s' title %s",
                    drawn++ ? ", \\\n     " : "plot ", name, k + 2, k ? "" : ":xtic(1)",
                    ch_palette[k % CH_NPALETTE], title);
        }
        fprintf(gp, "\n");
        ch_finish(x, gp, name);
    }
    free(v);
    free(seen);
}

/* The pipeline depths an endpoint's ringfire cells were measured at, ascending, into a chart
 * each (up to the list's room). */
static void ch_groups(struct ch_ctx *x, const struct rr_cell *ep, struct rp_chart_list *list)
{
    size_t first, end = rp_index_range(&x->ix, ep->endpoint, "ringfire", &first);
    unsigned last = 0;
    for (;;) {
        unsigned p = 0, cmax = 0; /* the next depth above last, and its most connections */
        for (size_t i = first; i < end; i++) {
            const struct rr_cell *c = x->ix.ok[i];
            if (c->pipeline > last && (p == 0 || c->pipeline < p)) {
                p = c->pipeline;
                cmax = 0;
            }
            if (c->pipeline == p && c->connections > cmax)
                cmax = c->connections;
        }
        if (p == 0)
            return;
        last = p;
        if (list->n == RP_MAX_CHARTS) {
            list->dropped++;
            continue;
        }
        struct rp_chart *ch = &list->charts[list->n++];
        char slug[RR_NAME_MAX + 16];
        rr_slug(ep->endpoint, slug, sizeof(slug));
        *ch = (struct rp_chart){ep->endpoint, (int)p, (int)cmax, ep->websocket, {{0}}};
        snprintf(ch->files[0], RP_CHART_NAME_MAX, "%s-p%u-rps", slug, p);
        snprintf(ch->files[1], RP_CHART_NAME_MAX, "%s-p%u-bars", slug, p);
        snprintf(ch->files[2], RP_CHART_NAME_MAX, "%s-c%u-p%u-latency", slug, cmax, p);
        snprintf(ch->files[3], RP_CHART_NAME_MAX, "%s-c%u-p%u-timeline", slug, cmax, p);
    }
}

int rp_charts(const struct rr_doc *doc, const char *dir, struct rp_chart_list *list,
              rp_plot_fn *plot, void *arg)
{
    struct ch_ctx x = {.dir = dir, .plot = plot ? plot : rp_gnuplot, .arg = arg};
    memset(list, 0, sizeof(*list));
    if (rp_index_build(&x.ix, doc) < 0)
        return -1;
    for (size_t e = 0; e < x.ix.nendpoints; e++)
        ch_groups(&x, x.ix.endpoints[e], list);
    for (int i = 0; i < list->n; i++) {
        const struct rp_chart *ch = &list->charts[i];
        const struct rr_cell **v;
        long n = ch_cells(&x, ch->endpoint, ch->pipeline, 0, &v);
        if (n < 0) {
            x.failed = 1;
            continue;
        }
        ch_rps(&x, ch, v, n);
        ch_bars(&x, ch, v, n);
        ch_latency(&x, ch, v, n);
        ch_timeline(&x, ch, v, n);
        free(v);
    }
    ch_tools(&x);
    rp_index_free(&x.ix);
    return x.failed ? -1 : 0;
}
