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

#include "board.h"
#include "charts.h"
#include "escape.h"
#include "index.h"
#include "rank.h"
#include "report.h"
#include "stats.h"

#define CH_TITLE_MAX 600

static const char *const ch_palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                         "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
#define CH_NPALETTE (sizeof(ch_palette) / sizeof(ch_palette[0]))

struct ch_ctx {
    struct rp_index ix;
    struct rp_chart_list *list;
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
    ((struct rp_chart *)ch)->drawn[kind] = 1;
    return ch->files[kind];
}

/* Whether values from lo to hi need a log axis to be read (a reference target many times the
 * others would flatten them on a linear one). */
static int ch_log(double lo, double hi)
{
    return lo > 0 && hi / lo > RP_LOG_SPAN;
}

/* The smallest and largest median of the cells (at connections, when not 0). */
static void ch_range(const struct rr_cell **v, long n, int connections, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = 0;
    for (long i = 0; i < n; i++)
        if (!connections || (int)v[i]->connections == connections) {
            double m = v[i]->summary.rps.median;
            if (m > 0 && m < *lo)
                *lo = m;
            if (m > *hi)
                *hi = m;
        }
}

/* A label for a data file: inside double quotes, so without quotes or control bytes. */
static void ch_label(const char *in, char *out, size_t n)
{
    size_t o = 0;
    for (; *in && o + 1 < n; in++)
        out[o++] = (unsigned char)*in < 32 || *in == '"' || *in == 127 ? ' ' : *in;
    out[o] = '\0';
}

void rp_chart_begin(FILE *gp, const char *name, const char *title, const char *xlabel,
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

void rp_chart_svg(FILE *gp, const char *name)
{
    fprintf(gp, "set terminal svg size 1000,560 font 'sans,10' dynamic background '#ffffff'\n");
    fprintf(gp, "set output '%s.svg'\nreplot\n", name);
}

/* Draws the script's plot as SVG too, closes it and has it plotted. */
static void ch_finish(struct ch_ctx *x, FILE *gp, const char *name)
{
    rp_chart_svg(gp, name);
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
    int counts = 0; /* a line needs two connection counts at least */
    for (long i = 1; i < n && !counts; i++)
        counts = v[i]->connections != v[0]->connections;
    const char *name = ch_start(x, ch, 0, counts, &dat, &gp);
    if (!name)
        return;
    snprintf(title, sizeof(title),
             "%s, pipeline %d: %s per second by connections (median and its interval)",
             ch->endpoint, ch->pipeline, ch->websocket ? "messages" : "requests");
    double lo, hi;
    ch_range(v, n, 0, &lo, &hi);
    int logy = ch_log(lo, hi);
    rp_chart_begin(gp, name, title, "connections (log scale)",
                   ch->websocket
                       ? (logy ? "messages per second (log scale)" : "messages per second")
                       : (logy ? "requests per second (log scale)" : "requests per second"));
    fprintf(gp,
            "set logscale x 2\nset format y '%%.1s%%c'\n%s\n"
            "set offsets graph 0.04, graph 0.04, 0, 0\n",
            logy ? "set logscale y 10" : "set yrange [0:*]");
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
    double median, lo, hi; /* the figure and its interval */
};

static int ch_bar_cmp(const void *a, const void *b)
{
    const struct ch_bar *p = a, *q = b;
    return p->median > q->median ? 1 : p->median < q->median ? -1 : 0;
}

/* Sorted horizontal bars of a figure with its interval; a row the report does not rank keeps
 * its mark (rank.h) in its label.  Draws into name's files, which ch_files opened. */
static void ch_hbars(struct ch_ctx *x, const char *name, FILE *dat, FILE *gp, const char *title,
                     const char *xlabel, struct ch_bar *bars, int nb)
{
    static const char *const marks[] = {"", " (reference)", " (client-bound)", " (unresolved)"};
    double lo = INFINITY, hi = 0;
    for (int i = 0; i < nb; i++)
        if (bars[i].median > 0) {
            lo = bars[i].median < lo ? bars[i].median : lo;
            hi = bars[i].median > hi ? bars[i].median : hi;
        }
    int logx = ch_log(lo, hi);
    double floor = logx ? lo / 2 : 0;
    char xl[256];
    snprintf(xl, sizeof(xl), "%s%s", xlabel, logx ? " (log scale)" : "");
    qsort(bars, (size_t)nb, sizeof(*bars), ch_bar_cmp);
    fprintf(dat, "# position target median color base ci_low ci_high\n");
    for (int i = 0; i < nb; i++) {
        char label[RR_NAME_MAX * 2 + 32];
        snprintf(label, sizeof(label), "%s%s", bars[i].cell->target,
                 marks[rp_unranked(bars[i].cell)]);
        ch_label(label, label, sizeof(label));
        fprintf(dat, "%d \"%s\" %.6g 0x%s %.6g %.6g %.6g\n", i, label, bars[i].median,
                ch_color(x, bars[i].cell->target) + 1, floor,
                isnan(bars[i].lo) ? bars[i].median : bars[i].lo,
                isnan(bars[i].hi) ? bars[i].median : bars[i].hi);
    }
    fclose(dat);
    rp_chart_begin(gp, name, title, xl, "");
    fprintf(gp,
            "set style fill solid 0.85\nset key off\n%s\nset format x '%%.1s%%c'\n"
            "set ytics scale 0\nset offsets 0,graph 0.12,0.5,0.5\n",
            logx ? "set logscale x 10" : "set xrange [0:*]");
    fprintf(gp,
            "plot '%s.dat' using (($5+$3)/2):1:5:3:($1-0.35):($1+0.35):4 with boxxyerror lc rgb "
            "variable, \\\n     '' using 3:1:6:7:ytic(2) with xerrorbars lc rgb '#333333' pt 0, "
            "\\\n     '' using 7:1:(gprintf(' %%.1s%%c', $3)) with labels left notitle\n",
            name);
    ch_finish(x, gp, name);
}

/* 2. Sorted horizontal bars at the highest connection count, with the interval of each median. */
static void ch_bars(struct ch_ctx *x, const struct rp_chart *ch, const struct rr_cell **v, long n)
{
    char title[CH_TITLE_MAX];
    struct ch_bar *bars = malloc((size_t)(n + 1) * sizeof(*bars));
    int nb = 0;
    FILE *dat, *gp;
    for (long i = 0; bars && i < n; i++)
        if ((int)v[i]->connections == ch->connections) {
            const struct rr_rps *r = &v[i]->summary.rps;
            bars[nb++] = (struct ch_bar){v[i], r->median, r->ci[0], r->ci[1]};
        }
    const char *name = ch_start(x, ch, 1, bars && nb > 0, &dat, &gp);
    if (name) {
        snprintf(title, sizeof(title),
                 "%s at %d connections, pipeline %d: %s per second (median and its interval)",
                 ch->endpoint, ch->connections, ch->pipeline,
                 ch->websocket ? "messages" : "requests");
        ch_hbars(x, name, dat, gp, title,
                 ch->websocket ? "messages per second" : "requests per second", bars, nb);
    }
    free(bars);
}

static int ch_has_histogram(const struct rr_cell *c)
{
    for (size_t r = 0; r < c->nruns; r++)
        if (c->runs[r].nbuckets > 0)
            return 1;
    return 0;
}

/* A timeline of fewer seconds than RP_TIMELINE_MIN_S says nothing (one point draws no step). */
static int ch_has_timeline(const struct rr_cell *c)
{
    return c->nruns && c->runs[0].ntimeline >= RP_TIMELINE_MIN_S;
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

/* Writes one run's latency spectrum as a data block.  Returns 1 when it wrote one, 0 when the
 * run has no histogram. */
static int ch_spectrum(FILE *dat, const struct rr_cell *c, const struct rr_run *run)
{
    static const double ps[] = {0.5,   0.75,   0.9,    0.95,    0.99,   0.995,
                                0.999, 0.9995, 0.9999, 0.99995, 0.99999};
    double total = 0;
    for (size_t i = 0; i < run->nbuckets; i++)
        total += (double)run->buckets[i].count;
    if (total <= 0)
        return 0;
    char label[RR_NAME_MAX * 2];
    ch_label(c->target, label, sizeof(label));
    fprintf(dat, "# %s, run %u: percentile 1/(1-p) latency_ms\n", label, run->rep);
    for (size_t q = 0; q < sizeof(ps) / sizeof(ps[0]); q++) {
        double seen = 0, want = ceil(ps[q] * total);
        double v = (double)run->buckets[run->nbuckets - 1].value_ns;
        for (size_t i = 0; i < run->nbuckets; i++) {
            seen += (double)run->buckets[i].count;
            if (seen >= want) {
                v = (double)run->buckets[i].value_ns;
                break;
            }
        }
        fprintf(dat, "%g %g %g\n", ps[q] * 100, 1 / (1 - ps[q]), v / 1e6);
    }
    fprintf(dat, "\n\n");
    return 1;
}

/* One target's runs as thin lines of its colour (the first titled), and the report's p99 (the
 * median of the runs' p99) as a diamond.  Returns the next block. */
static int ch_spectra(struct ch_ctx *x, FILE *dat, FILE *gp, const char *name,
                      const struct rr_cell *c, int block)
{
    int first = 1;
    for (size_t r = 0; r < c->nruns; r++) {
        if (!ch_spectrum(dat, c, &c->runs[r]))
            continue;
        fprintf(gp, "%s'%s.dat' index %d using 2:3 with lines lw 1 lc rgb '%s' ",
                block ? ", \\\n     " : "plot ", name, block, ch_color(x, c->target));
        if (first) {
            char title[RR_NAME_MAX * 4];
            rp_gp_string(c->target, title, sizeof(title));
            fprintf(gp, "title %s", title);
        } else {
            fputs("notitle", gp);
        }
        block++;
        first = 0;
    }
    double p99 = c->summary.latency_us[RR_P99];
    if (!first && !isnan(p99)) {
        fprintf(dat, "# the report's p99\n100 %g\n\n\n", p99 / 1e3);
        fprintf(gp,
                ", \\\n     '%s.dat' index %d using 1:2 with points pt 13 ps 1.6 lc rgb '%s' "
                "notitle",
                name, block++, ch_color(x, c->target));
    }
    return block;
}

/* 3. The latency percentile spectrum (HdrHistogram style) of each run. */
static void ch_latency(struct ch_ctx *x, const struct rp_chart *ch, const struct rr_cell **v,
                       long n)
{
    char title[CH_TITLE_MAX];
    FILE *dat, *gp;
    const char *name = ch_start(x, ch, 2, ch_any(ch, v, n, ch_has_histogram), &dat, &gp);
    if (!name)
        return;
    snprintf(title, sizeof(title),
             "%s at %d connections, pipeline %d: latency by percentile, each run (diamond: the "
             "table's p99)",
             ch->endpoint, ch->connections, ch->pipeline);
    rp_chart_begin(gp, name, title, "percentile", "latency (ms, log scale)");
    fprintf(gp, "set logscale x 10\nset logscale y 10\n"
                "set xtics ('50%%%%' 2, '90%%%%' 10, '99%%%%' 100, '99.9%%%%' 1000, "
                "'99.99%%%%' 10000, '99.999%%%%' 100000)\n");
    int block = 0;
    for (long i = 0; i < n; i++)
        if ((int)v[i]->connections == ch->connections)
            block = ch_spectra(x, dat, gp, name, v[i], block);
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
    rp_chart_begin(gp, name, title, "second of the measured phase", what);
    fprintf(gp, "set format y '%%.1s%%c'\nset yrange [0:*]\n");
    int block = 0;
    for (long i = 0; i < n; i++) {
        const struct rr_cell *c = v[i];
        if ((int)c->connections != ch->connections || !ch_has_timeline(c))
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
    double lo = INFINITY, hi = 0;
    for (size_t i = 0; v && seen && i < x->ix.doc->ncells; i++) {
        const struct rr_cell *rf = &x->ix.doc->cells[i];
        if (rf->status != RR_OK || strcmp(rf->tool, "ringfire") || rf->rate.present ||
            !ch_tool_row(x, rf, v))
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
            if (v[k] > 0) {
                lo = v[k] < lo ? v[k] : lo;
                hi = v[k] > hi ? v[k] : hi;
            }
        }
        fprintf(dat, "\n");
    }
    if (dat) {
        fclose(dat);
        rp_chart_begin(gp, name,
                       "The same cells measured by each tool: requests per second (median)", "",
                       "requests per second");
        fprintf(gp,
                "set terminal pngcairo size 1400,700 font 'sans,10'\nset bmargin 12\n"
                "set style data histograms\nset style histogram clustered gap 1\nset style "
                "fill solid 0.85\nset xtics rotate by -50 font ',8'\nset format y "
                "'%%.1s%%c'\n%s\nset datafile missing 'NaN'\n",
                ch_log(lo, hi) ? "set logscale y 10\nset ylabel 'requests per second (log "
                                 "scale)'"
                               : "set yrange [0:*]");
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

/* ---- boards at a fixed rate ------------------------------------------------------------------ */

const char *const rp_rate_chart_kinds[RP_RATE_CHART_KINDS] = {"slo-latency", "slo-bars", "cpu",
                                                              "curve"};

void rp_rate_chart_name(const struct rp_rate_board *b, int k, char *out, size_t n)
{
    const struct rr_cell *c = b->cells[0];
    char slug[RR_NAME_MAX + 16];
    out[0] = '\0';
    if ((k < 2 && !b->search) || (k == 2 && !b->absolute) || (k == 3 && (b->search || b->absolute)))
        return;
    rr_slug(c->endpoint, slug, sizeof(slug));
    if (b->search || !b->absolute)
        snprintf(out, n, "%s-c%u-p%u-t%u-%s", slug, c->connections, c->pipeline, c->threads,
                 rp_rate_chart_kinds[k]);
    else
        snprintf(out, n, "%s-c%u-p%u-t%u-r%.0f-%s", slug, c->connections, c->pipeline, c->threads,
                 c->rate.rps, rp_rate_chart_kinds[k]);
}

static int ch_step_cmp(const void *a, const void *b)
{
    const struct rr_step *p = a, *q = b;
    return p->rps > q->rps ? 1 : p->rps < q->rps ? -1 : 0;
}

/* Response time at the objective's percentile against the rate of every step of every search,
 * one line per target; the limit as a dashed line, each target's answer (the median) as a
 * dotted one in its colour. */
static void ch_slo_latency(struct ch_ctx *x, const struct rp_rate_board *b, const char *name)
{
    FILE *dat, *gp;
    char file[RP_CHART_NAME_MAX], title[CH_TITLE_MAX], limit[32];
    const char *pct = rr_lat_name((enum rr_lat)b->slo->percentile);
    size_t points = 0;
    for (size_t i = 0; i < b->n; i++)
        for (size_t r = 0; r < b->cells[i]->nruns; r++)
            for (size_t k = 0; k < b->cells[i]->runs[r].nsteps; k++)
                points += b->cells[i]->runs[r].steps[k].latency_us > 0;
    if (points == 0 || ch_files(x, file, &dat, &gp, "%s", name) < 0)
        return;
    rp_fmt_time(b->slo->limit_us, limit, sizeof(limit));
    snprintf(title, sizeof(title),
             "%s, %u connections, pipeline %u: response time %s at each step of the search "
             "(objective: at most %s)",
             b->cells[0]->endpoint, b->cells[0]->connections, b->cells[0]->pipeline, pct, limit);
    rp_chart_begin(gp, name, title,
                   b->cells[0]->websocket ? "messages per second asked"
                                          : "requests per second asked",
                   "response time (µs, log scale)");
    fprintf(gp, "set logscale y 10\nset format x '%%.1s%%c'\n");
    fprintf(gp,
            "set arrow from graph 0, first %.6g to graph 1, first %.6g nohead dt 2 lw 2 "
            "lc rgb '#555555'\n",
            b->slo->limit_us, b->slo->limit_us);
    for (size_t i = 0; i < b->n; i++) {
        const struct rr_cell *c = b->cells[i];
        size_t n = 0;
        for (size_t r = 0; r < c->nruns; r++)
            n += c->runs[r].nsteps;
        struct rr_step *all = malloc((n ? n : 1) * sizeof(*all));
        char label[RR_NAME_MAX * 2];
        if (!all) {
            x->failed = 1;
            continue;
        }
        n = 0;
        for (size_t r = 0; r < c->nruns; r++)
            for (size_t k = 0; k < c->runs[r].nsteps; k++)
                all[n++] = c->runs[r].steps[k];
        qsort(all, n, sizeof(*all), ch_step_cmp);
        ch_label(c->target, label, sizeof(label));
        fprintf(dat, "%s# %s: rate latency_us passed\n", i ? "\n\n" : "", label);
        for (size_t k = 0; k < n; k++)
            if (all[k].latency_us > 0)
                fprintf(dat, "%.6g %.6g %d\n", all[k].rps, all[k].latency_us, all[k].passed);
        free(all);
        if (c->summary.rps.median > 0)
            fprintf(gp, "set arrow from %.6g, graph 0 to %.6g, graph 1 nohead dt 3 lc rgb '%s'\n",
                    c->summary.rps.median, c->summary.rps.median, ch_color(x, c->target));
    }
    for (size_t i = 0; i < b->n; i++)
        ch_clause(gp, name, (int)i, "using 1:2 with linespoints lw 2 pt 7",
                  ch_color(x, b->cells[i]->target), b->cells[i]->target);
    fprintf(gp, "\n");
    fclose(dat);
    ch_finish(x, gp, name);
}

/* Bars of a board: a search's answers with their intervals, or the server's CPU per answer at
 * one rate with the interval of its median over the runs. */
static void ch_rate_bars(struct ch_ctx *x, const struct rp_rate_board *b, const char *name)
{
    FILE *dat, *gp;
    char file[RP_CHART_NAME_MAX], title[CH_TITLE_MAX], rate[32];
    struct ch_bar *bars = malloc((b->n + 1) * sizeof(*bars));
    int any = 0;
    if (!bars) {
        x->failed = 1;
        return;
    }
    const struct rr_cell *c0 = b->cells[0];
    for (size_t i = 0; i < b->n; i++) {
        const struct rr_cell *c = b->cells[i];
        if (b->search) {
            bars[i] = (struct ch_bar){c, c->summary.rps.median, c->summary.rps.ci[0],
                                      c->summary.rps.ci[1]};
            continue;
        }
        double v[1000];
        unsigned n = 0;
        for (size_t r = 0; r < c->nruns && n < 1000; r++)
            if (!isnan(c->runs[r].cpu_us_per_response.target))
                v[n++] = c->runs[r].cpu_us_per_response.target;
        struct rr_spread s;
        rr_describe(v, n, &s);
        bars[i] = (struct ch_bar){c, n ? s.median : NAN, s.ci_low, s.ci_high};
    }
    for (size_t i = 0; i < b->n; i++)
        any |= bars[i].median > 0;
    if (!any || ch_files(x, file, &dat, &gp, "%s", name) < 0) { /* nothing to draw */
        free(bars);
        return;
    }
    rp_fmt_rate(c0->rate.rps, rate, sizeof(rate));
    if (b->search)
        snprintf(title, sizeof(title),
                 "%s, %u connections, pipeline %u: the highest rate under the objective (median "
                 "and its interval)",
                 c0->endpoint, c0->connections, c0->pipeline);
    else
        snprintf(title, sizeof(title),
                 "%s, %u connections, pipeline %u, at %s/s: the server's CPU per answer (median "
                 "and its interval)",
                 c0->endpoint, c0->connections, c0->pipeline, rate);
    ch_hbars(x, name, dat, gp, title,
             b->search ? (c0->websocket ? "messages per second" : "requests per second")
                       : "server CPU per answer (µs)",
             bars, (int)b->n);
    free(bars);
}

/* A target's knee on the curve, as a dotted line in its colour: the highest rate achieved whose
 * p99 is still within twice the p99 at its lowest rate (the board's cells of the target end at
 * cell last). */
static void ch_knee(struct ch_ctx *x, FILE *gp, const struct rp_rate_board *b, size_t last)
{
    const size_t p99 = offsetof(struct rr_run, rate.response_us) + RR_P99 * sizeof(double);
    size_t first = last;
    while (first > 0 && strcmp(b->cells[first - 1]->target, b->cells[last]->target) == 0)
        first--;
    double base = rr_runs_median(b->cells[first], p99), knee = NAN;
    for (size_t i = first; i <= last && base > 0; i++)
        if (rr_runs_median(b->cells[i], p99) <= 2 * base)
            knee = b->cells[i]->summary.rps.median;
    if (knee > 0 && last > first)
        fprintf(gp, "set arrow from %.6g, graph 0 to %.6g, graph 1 nohead dt 3 lc rgb '%s'\n", knee,
                knee, ch_color(x, b->cells[last]->target));
}

/* Response time (p50 dotted, p99 solid, p99.9 dashed: medians of the runs) against the rate
 * achieved, one colour per target, at each fraction of its peak; each target's knee (ch_knee)
 * dotted. */
static void ch_curve(struct ch_ctx *x, const struct rp_rate_board *b, const char *name)
{
    static const struct {
        enum rr_lat k;
        const char *with;
    } lines[] = {{RR_P50, "dt 3"}, {RR_P99, "dt 1"}, {RR_P99_9, "dt 2"}};
    FILE *dat, *gp;
    char file[RP_CHART_NAME_MAX], title[CH_TITLE_MAX];
    if (ch_files(x, file, &dat, &gp, "%s", name) < 0)
        return;
    const struct rr_cell *c0 = b->cells[0];
    snprintf(title, sizeof(title),
             "%s, c=%u p=%u: response time p50 (dotted), p99, p99.9 (dashed) by rate achieved; "
             "knees dotted",
             c0->endpoint, c0->connections, c0->pipeline);
    rp_chart_begin(gp, name, title,
                   c0->websocket ? "messages per second achieved" : "requests per second achieved",
                   "response time (µs, log scale)");
    fprintf(gp, "set logscale y 10\nset format x '%%.1s%%c'\n");
    if (x->ix.doc->env.slo.present)
        fprintf(gp,
                "set arrow from graph 0, first %.6g to graph 1, first %.6g nohead dt 2 lw 2 "
                "lc rgb '#555555'\n",
                x->ix.doc->env.slo.limit_us, x->ix.doc->env.slo.limit_us);
    for (size_t i = 0; i < b->n; i++) /* the knees first: arrows go before the plot */
        if (i + 1 == b->n || strcmp(b->cells[i + 1]->target, b->cells[i]->target) != 0)
            ch_knee(x, gp, b, i);
    int block = 0;
    for (size_t i = 0; i < b->n; i++) { /* a board's cells are grouped by target, rate ascending */
        const struct rr_cell *c = b->cells[i];
        if (i == 0 || strcmp(b->cells[i - 1]->target, c->target)) {
            char label[RR_NAME_MAX * 2];
            ch_label(c->target, label, sizeof(label));
            fprintf(dat, "%s# %s: achieved p50 p99 p99_9\n", i ? "\n\n" : "", label);
        }
        fprintf(dat, "%.6g", c->summary.rps.median);
        for (size_t k = 0; k < 3; k++)
            fprintf(dat, " %.6g",
                    rr_runs_median(c, offsetof(struct rr_run, rate.response_us) +
                                          (size_t)lines[k].k * sizeof(double)));
        fprintf(dat, "\n");
        if (i + 1 < b->n && strcmp(b->cells[i + 1]->target, c->target) == 0)
            continue;
        for (size_t k = 0; k < 3; k++) {
            char with[64];
            snprintf(with, sizeof(with), "using 1:%zu with linespoints lw 2 pt 7 %s", k + 2,
                     lines[k].with);
            fprintf(gp, "%s'%s.dat' index %d %s lc rgb '%s' %s",
                    block || k ? ", \\\n     " : "plot ", name, block, with, ch_color(x, c->target),
                    k == 1 ? "" : "notitle");
            if (k == 1) {
                char t[RR_NAME_MAX * 4];
                rp_gp_string(c->target, t, sizeof(t));
                fprintf(gp, "title %s", t);
            }
        }
        block++;
    }
    fprintf(gp, "\n");
    fclose(dat);
    ch_finish(x, gp, name);
}

int rp_rate_chart_drawn(const struct rp_chart_list *list, const char *name)
{
    for (int i = 0; list && i < list->nrate; i++)
        if (strcmp(list->rate[i], name) == 0)
            return 1;
    return 0;
}

static void ch_rate_board(const struct rp_grid *g, void *arg)
{
    const struct rp_rate_board *b = g->rate;
    struct ch_ctx *x = arg;
    char name[RP_CHART_NAME_MAX];
    for (int k = 0; k < RP_RATE_CHART_KINDS; k++) {
        rp_rate_chart_name(b, k, name, sizeof(name));
        if (!name[0] || x->list->nrate == RP_MAX_CHARTS)
            continue;
        int failed = x->failed;
        x->failed = 0;
        if (k == 0)
            ch_slo_latency(x, b, name);
        else if (k == 3)
            ch_curve(x, b, name);
        else
            ch_rate_bars(x, b, name);
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s.png", x->dir, name);
        if (!x->failed && access(path, R_OK) == 0)
            snprintf(x->list->rate[x->list->nrate++], RP_CHART_NAME_MAX, "%s", name);
        x->failed |= failed;
    }
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
    struct ch_ctx x = {.dir = dir, .plot = plot ? plot : rp_gnuplot, .arg = arg, .list = list};
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
    if (rp_rate_boards(doc, ch_rate_board, &x) < 0)
        x.failed = 1;
    rp_index_free(&x.ix);
    return x.failed ? -1 : 0;
}
