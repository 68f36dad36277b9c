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
#include "rank.h"

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
             "%s, pipeline %d: %s per second by connections (median and its interval)",
             ch->endpoint, ch->pipeline, ch->websocket ? "messages" : "requests");
    double lo, hi;
    ch_range(v, n, 0, &lo, &hi);
    int logy = ch_log(lo, hi);
    ch_begin(gp, name, title, "connections (log scale)",
             ch->websocket ? (logy ? "messages per second (log scale)" : "messages per second")
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
    double median;
};

static int ch_bar_cmp(const void *a, const void *b)
{
    const struct ch_bar *p = a, *q = b;
    return p->median > q->median ? 1 : p->median < q->median ? -1 : 0;
}

/* 2. Sorted horizontal bars at the highest connection count, with the interval of each median;
 * a row the report does not rank keeps its mark (rank.h) in its label. */
static void ch_bars(struct ch_ctx *x, const struct rp_chart *ch, const struct rr_cell **v, long n)
{
    static const char *const marks[] = {"", " (reference)", " (client-bound)", " (unresolved)"};
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
    double lo, hi;
    ch_range(v, n, ch->connections, &lo, &hi);
    int logx = ch_log(lo, hi);
    double floor = logx ? lo / 2 : 0;
    qsort(bars, (size_t)nb, sizeof(*bars), ch_bar_cmp);
    fprintf(dat, "# position target median color base ci_low ci_high\n");
    for (int i = 0; i < nb; i++) {
        const struct rr_rps *r = &bars[i].cell->summary.rps;
        char label[RR_NAME_MAX * 2 + 32];
        snprintf(label, sizeof(label), "%s%s", bars[i].cell->target,
                 marks[rp_unranked(bars[i].cell)]);
        ch_label(label, label, sizeof(label));
        fprintf(dat, "%d \"%s\" %.1f 0x%s %.1f %.1f %.1f\n", i, label, bars[i].median,
                ch_color(x, bars[i].cell->target) + 1, floor,
                isnan(r->ci[0]) ? r->median : r->ci[0], isnan(r->ci[1]) ? r->median : r->ci[1]);
    }
    free(bars);
    fclose(dat);
    snprintf(title, sizeof(title),
             "%s at %d connections, pipeline %d: %s per second (median and its interval)",
             ch->endpoint, ch->connections, ch->pipeline, ch->websocket ? "messages" : "requests");
    ch_begin(gp, name, title,
             logx ? (ch->websocket ? "messages per second (log scale)"
                                   : "requests per second (log scale)")
                  : (ch->websocket ? "messages per second" : "requests per second"),
             "");
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
    ch_begin(gp, name, title, "percentile", "latency (ms, log scale)");
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
    ch_begin(gp, name, title, "second of the measured phase", what);
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
            if (v[k] > 0) {
                lo = v[k] < lo ? v[k] : lo;
                hi = v[k] > hi ? v[k] : hi;
            }
        }
        fprintf(dat, "\n");
    }
    if (dat) {
        fclose(dat);
        ch_begin(gp, name, "The same cells measured by each tool: requests per second (median)", "",
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
