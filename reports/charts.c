/*
 * charts.c - gnuplot charts from results: for each chart a .dat and a .gp file are written
 * and kept, and gnuplot (called as a program) draws a PNG and an SVG.  A target has the same
 * colour in every chart: its place in the suite's order picks it from one palette.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "charts.h"
#include "jsonx.h"

#define CH_MAX 64
#define CH_NAME_MAX 256

static const char *const ch_palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                         "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
#define CH_NPALETTE (sizeof(ch_palette) / sizeof(ch_palette[0]))

struct ch_ctx {
    const cJSON *doc;
    const char *dir;
    const char *targets[CH_MAX]; /* in first-seen order: the colour index */
    int ntargets;
    int failed;
};

static const char *ch_color(const struct ch_ctx *x, const char *target)
{
    for (int i = 0; i < x->ntargets; i++)
        if (strcmp(x->targets[i], target) == 0)
            return ch_palette[i % CH_NPALETTE];
    return "#000000";
}

static int ch_ok(const cJSON *c, const char *endpoint, const char *tool)
{
    return strcmp(rs_json_str(c, "status"), "ok") == 0 &&
           (!endpoint || !strcmp(rs_json_str(c, "endpoint"), endpoint)) &&
           (!tool || strcmp(rs_json_str(c, "tool"), tool) == 0);
}

static FILE *ch_open(const struct ch_ctx *x, const char *name, const char *ext)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s.%s", x->dir, name, ext);
    return fopen(path, "w");
}

/* Opens name.dat and name.gp in the charts directory; on failure closes what opened. */
/* Names the chart (name: CH_NAME_MAX bytes, from fmt) and opens its data and script files. */
__attribute__((format(printf, 5, 6))) static int ch_files(struct ch_ctx *x, char *name, FILE **dat,
                                                          FILE **gp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, CH_NAME_MAX, fmt, ap);
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

/* Closes the data file; with no line drawn, closes the script too and returns -1 (no chart). */
static int ch_data_done(FILE *dat, FILE *gp, int lines)
{
    fclose(dat);
    if (lines)
        return 0;
    fclose(gp);
    return -1;
}

/* A measured ringfire cell of this endpoint at this load. */
static int ch_at(const cJSON *c, const char *endpoint, int connections, int pipeline)
{
    return ch_ok(c, endpoint, "ringfire") && (int)rs_json_num(c, "connections") == connections &&
           (int)rs_json_num(c, "pipeline") == pipeline;
}

/* The head of every script: PNG first; ch_finish adds the SVG. */
static void ch_begin(FILE *gp, const char *name, const char *title, const char *xlabel,
                     const char *ylabel)
{
    fprintf(gp, "# drawn by ringfire report; data in %s.dat\n", name);
    fprintf(gp, "set terminal pngcairo size 1000,560 font 'sans,10'\n");
    fprintf(gp, "set output '%s.png'\n", name);
    fprintf(gp, "set title \"%s\"\n", title);
    fprintf(gp, "set xlabel \"%s\"\nset ylabel \"%s\"\n", xlabel, ylabel);
    fprintf(gp, "set key outside right top\nset grid\nset border 3\nset tics nomirror\n");
}

/* Runs gnuplot in the charts directory on name.gp (the PNG), then again for the SVG. */
static void ch_finish(struct ch_ctx *x, FILE *gp, const char *name, const char *plot)
{
    fprintf(gp, "%s\n", plot);
    fprintf(gp, "set terminal svg size 1000,560 font 'sans,10' dynamic\n");
    fprintf(gp, "set output '%s.svg'\n%s\n", name, plot);
    fclose(gp);
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "cd '%s' && gnuplot '%s.gp' 2>>gnuplot.log", x->dir, name);
    int rc = system(cmd);
    if (rc != 0)
        x->failed = 1;
}

static void ch_escape(const char *in, char *out, size_t n)
{
    size_t o = 0;
    for (; *in && o + 3 < n; in++) {
        if (*in == '_' || *in == '@' || *in == '&' || *in == '^') /* enhanced-text specials */
            out[o++] = '\\';
        out[o++] = *in;
    }
    out[o] = '\0';
}

/* Adds one target's line to a plot command: data block `block` of name.dat, drawn with `with`,
 * in the target's colour, titled with its name. */
static void ch_add_line(const struct ch_ctx *x, char *plot, size_t n, const char *name, int block,
                        const char *with, const char *target)
{
    char label[128];
    ch_escape(target, label, sizeof(label));
    size_t len = strlen(plot);
    snprintf(plot + len, n - len, "%s'%s.dat' index %d %s lc rgb '%s' title '%s'",
             block ? ", " : "", name, block, with, ch_color(x, target), label);
}

/* 1. Throughput against connections, one line per target, for one endpoint and pipeline. */
static void ch_rps(struct ch_ctx *x, const char *endpoint, int pipeline, int ws)
{
    char name[CH_NAME_MAX], title[300], plot[8192] = "plot ";
    FILE *dat, *gp;
    if (ch_files(x, name, &dat, &gp, "%s-p%d-rps", endpoint, pipeline) < 0)
        return;
    int block = 0;
    for (int t = 0; t < x->ntargets; t++) {
        int rows = 0;
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(x->doc, "cells"))
        {
            if (!ch_ok(c, endpoint, "ringfire") ||
                strcmp(rs_json_str(c, "target"), x->targets[t]) ||
                (int)rs_json_num(c, "pipeline") != pipeline)
                continue;
            const cJSON *rps = cJSON_GetObjectItem(cJSON_GetObjectItem(c, "summary"), "rps");
            const cJSON *ci = cJSON_GetObjectItem(rps, "ci95");
            if (!rows)
                fprintf(dat, "# %s: connections median ci_low ci_high\n", x->targets[t]);
            fprintf(dat, "%g %.1f %.1f %.1f\n", rs_json_num(c, "connections"),
                    rs_json_num(rps, "median"), cJSON_GetArrayItem(ci, 0)->valuedouble,
                    cJSON_GetArrayItem(ci, 1)->valuedouble);
            rows++;
        }
        if (!rows)
            continue;
        fprintf(dat, "\n\n");
        ch_add_line(x, plot, sizeof(plot), name, block, "using 1:2:3:4 with yerrorlines lw 2 pt 7",
                    x->targets[t]);
        block++;
    }
    if (ch_data_done(dat, gp, block) < 0)
        return;
    char ep[128];
    ch_escape(endpoint, ep, sizeof(ep));
    snprintf(title, sizeof(title),
             "%s, pipeline %d: %s per second by connections (median, 95%% "
             "interval)",
             ep, pipeline, ws ? "messages" : "requests");
    ch_begin(gp, name, title, "connections (log scale)",
             ws ? "messages per second" : "requests per second");
    fprintf(gp, "set logscale x 2\nset format y '%%.1s%%c'\nset yrange [0:*]\n"
                "set offsets graph 0.04, graph 0.04, 0, 0\n");
    ch_finish(x, gp, name, plot);
}

struct ch_bar {
    const char *target;
    double median;
};

static int ch_bar_cmp(const void *a, const void *b)
{
    const struct ch_bar *p = a, *q = b;
    return p->median > q->median ? 1 : p->median < q->median ? -1 : 0;
}

/* 2. Sorted horizontal bars at the highest connection count. */
static void ch_bars(struct ch_ctx *x, const char *endpoint, int pipeline, int ws)
{
    int cmax = 0;
    const cJSON *c;
    cJSON_ArrayForEach(
        c, cJSON_GetObjectItem(x->doc, "cells")) if (ch_ok(c, endpoint, "ringfire") &&
                                                     (int)rs_json_num(c, "pipeline") == pipeline &&
                                                     rs_json_num(c, "connections") > cmax) cmax =
        (int)rs_json_num(c, "connections");
    struct ch_bar bars[CH_MAX];
    int n = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(x->doc, "cells"))
    {
        if (!ch_ok(c, endpoint, "ringfire") || (int)rs_json_num(c, "pipeline") != pipeline ||
            (int)rs_json_num(c, "connections") != cmax || n == CH_MAX)
            continue;
        bars[n].target = rs_json_str(c, "target");
        bars[n++].median =
            rs_json_num(cJSON_GetObjectItem(cJSON_GetObjectItem(c, "summary"), "rps"), "median");
    }
    if (!n)
        return;
    qsort(bars, (size_t)n, sizeof(bars[0]), ch_bar_cmp);
    char name[CH_NAME_MAX], title[300];
    FILE *dat, *gp;
    if (ch_files(x, name, &dat, &gp, "%s-p%d-bars", endpoint, pipeline) < 0)
        return;
    fprintf(dat, "# position target median color\n");
    for (int i = 0; i < n; i++) {
        char label[128];
        ch_escape(bars[i].target, label, sizeof(label));
        fprintf(dat, "%d \"%s\" %.1f 0x%s\n", i, label, bars[i].median,
                ch_color(x, bars[i].target) + 1);
    }
    fclose(dat);
    char ep[128];
    ch_escape(endpoint, ep, sizeof(ep));
    snprintf(title, sizeof(title), "%s at %d connections, pipeline %d: %s per second (median)", ep,
             cmax, pipeline, ws ? "messages" : "requests");
    ch_begin(gp, name, title, ws ? "messages per second" : "requests per second", "");
    fprintf(gp, "set style fill solid 0.85\nset key off\nset xrange [0:*]\nset format x "
                "'%%.1s%%c'\nset ytics scale 0\nset offsets 0,graph 0.08,0.5,0.5\n");
    char plot[512];
    snprintf(plot, sizeof(plot),
             "plot '%s.dat' using (0.5*$3):1:(0.5*$3):(0.35):4:ytic(2) with boxxyerror lc rgb "
             "variable, '' using ($3):1:(gprintf(' %%.1s%%c', $3)) with labels left notitle",
             name);
    ch_finish(x, gp, name, plot);
}

/* 3. The latency percentile spectrum (HdrHistogram style) from the runs' histograms. */
static void ch_latency(struct ch_ctx *x, const char *endpoint, int connections, int pipeline)
{
    static const double ps[] = {0.5,   0.75,   0.9,    0.95,    0.99,   0.995,
                                0.999, 0.9995, 0.9999, 0.99995, 0.99999};
    char name[CH_NAME_MAX], title[300], plot[8192] = "plot ";
    FILE *dat, *gp;
    if (ch_files(x, name, &dat, &gp, "%s-c%d-p%d-latency", endpoint, connections, pipeline) < 0)
        return;
    int block = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(x->doc, "cells"))
    {
        if (!ch_at(c, endpoint, connections, pipeline))
            continue;
        /* All runs' buckets together: [lowest value in ns, count], in value order per run. */
        static double vals[1 << 16], counts[1 << 16];
        int nb = 0;
        double total = 0;
        const cJSON *run, *b;
        cJSON_ArrayForEach(run, cJSON_GetObjectItem(c, "runs"))
        {
            const cJSON *h = cJSON_GetObjectItem(cJSON_GetObjectItem(run, "raw"), "histogram");
            cJSON_ArrayForEach(b, cJSON_GetObjectItem(h, "buckets"))
            {
                if (nb == (1 << 16))
                    break;
                vals[nb] = cJSON_GetArrayItem(b, 0)->valuedouble;
                counts[nb] = cJSON_GetArrayItem(b, 1)->valuedouble;
                total += counts[nb++];
            }
        }
        if (total <= 0)
            continue;
        for (int i = 1; i < nb; i++) /* insertion sort by value: runs are each sorted */
            for (int j = i; j > 0 && vals[j] < vals[j - 1]; j--) {
                double tv = vals[j], tc = counts[j];
                vals[j] = vals[j - 1];
                counts[j] = counts[j - 1];
                vals[j - 1] = tv;
                counts[j - 1] = tc;
            }
        fprintf(dat, "# %s: percentile 1/(1-p) latency_ms\n", rs_json_str(c, "target"));
        for (size_t k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
            double seen = 0, want = ceil(ps[k] * total), v = vals[nb - 1];
            for (int i = 0; i < nb; i++) {
                seen += counts[i];
                if (seen >= want) {
                    v = vals[i];
                    break;
                }
            }
            fprintf(dat, "%g %g %g\n", ps[k] * 100, 1 / (1 - ps[k]), v / 1e6);
        }
        fprintf(dat, "\n\n");
        ch_add_line(x, plot, sizeof(plot), name, block, "using 2:3 with linespoints lw 2 pt 7",
                    rs_json_str(c, "target"));
        block++;
    }
    if (ch_data_done(dat, gp, block) < 0)
        return;
    char ep[128];
    ch_escape(endpoint, ep, sizeof(ep));
    snprintf(title, sizeof(title), "%s at %d connections, pipeline %d: latency by percentile", ep,
             connections, pipeline);
    ch_begin(gp, name, title, "percentile", "latency (ms, log scale)");
    fprintf(gp, "set logscale x 10\nset logscale y 10\n"
                "set xtics ('50%%%%' 2, '90%%%%' 10, '99%%%%' 100, '99.9%%%%' 1000, "
                "'99.99%%%%' 10000, '99.999%%%%' 100000)\n");
    ch_finish(x, gp, name, plot);
}

/* 4. Requests per second over time, from the first run's per-second timeline. */
static void ch_timeline(struct ch_ctx *x, const char *endpoint, int connections, int pipeline,
                        int ws)
{
    char name[CH_NAME_MAX], title[300], plot[8192] = "plot ";
    FILE *dat, *gp;
    if (ch_files(x, name, &dat, &gp, "%s-c%d-p%d-timeline", endpoint, connections, pipeline) < 0)
        return;
    int block = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(x->doc, "cells"))
    {
        if (!ch_at(c, endpoint, connections, pipeline))
            continue;
        const cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "runs"), 0);
        const cJSON *tl = cJSON_GetObjectItem(cJSON_GetObjectItem(run, "raw"), "timeline"), *s;
        if (cJSON_GetArraySize(tl) == 0)
            continue;
        fprintf(dat, "# %s: second responses\n", rs_json_str(c, "target"));
        cJSON_ArrayForEach(s, tl)
            fprintf(dat, "%g %g\n", rs_json_num(s, "second"), rs_json_num(s, "responses"));
        fprintf(dat, "\n\n");
        ch_add_line(x, plot, sizeof(plot), name, block, "using 1:2 with steps lw 2",
                    rs_json_str(c, "target"));
        block++;
    }
    if (ch_data_done(dat, gp, block) < 0)
        return;
    char ep[128];
    ch_escape(endpoint, ep, sizeof(ep));
    snprintf(title, sizeof(title), "%s at %d connections, pipeline %d: %s in each second (run 1)",
             ep, connections, pipeline, ws ? "messages" : "responses");
    ch_begin(gp, name, title, "second of the measured phase", ws ? "messages" : "responses");
    fprintf(gp, "set format y '%%.1s%%c'\nset yrange [0:*]\n");
    ch_finish(x, gp, name, plot);
}

/* 5. The tool comparison: grouped bars, one group per cell measured by several tools. */
static void ch_tools(struct ch_ctx *x)
{
    static const char *const tools[] = {"ringfire", "wrk", "hey", "h2load"};
    static const char *const colors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"};
    char name[CH_NAME_MAX];
    FILE *dat = NULL, *gp = NULL;
    int groups = 0, seen[4] = {1, 0, 0, 0}; /* a tool no cell measured gets no bars, no key */
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(x->doc, "cells"))
    {
        if (!ch_ok(c, NULL, "ringfire"))
            continue;
        double v[4] = {NAN, NAN, NAN, NAN};
        int others = 0;
        const cJSON *o;
        cJSON_ArrayForEach(o, cJSON_GetObjectItem(x->doc, "cells"))
        {
            if (strcmp(rs_json_str(o, "status"), "ok") ||
                strcmp(rs_json_str(o, "target"), rs_json_str(c, "target")) ||
                strcmp(rs_json_str(o, "endpoint"), rs_json_str(c, "endpoint")) ||
                rs_json_num(o, "connections") != rs_json_num(c, "connections") ||
                rs_json_num(o, "pipeline") != rs_json_num(c, "pipeline"))
                continue;
            for (int k = 0; k < 4; k++)
                if (strcmp(rs_json_str(o, "tool"), tools[k]) == 0) {
                    v[k] = rs_json_num(
                        cJSON_GetObjectItem(cJSON_GetObjectItem(o, "summary"), "rps"), "median");
                    others += k > 0;
                    seen[k] = 1;
                }
        }
        if (!others)
            continue;
        if (!dat) {
            if (ch_files(x, name, &dat, &gp, "tools") < 0)
                return;
            fprintf(dat, "# cell ringfire wrk hey h2load (median requests/s; NaN: not measured)\n");
        }
        char label[200], esc[220];
        snprintf(label, sizeof(label), "%s %s c%g p%g", rs_json_str(c, "target"),
                 rs_json_str(c, "endpoint"), rs_json_num(c, "connections"),
                 rs_json_num(c, "pipeline"));
        ch_escape(label, esc, sizeof(esc));
        fprintf(dat, "\"%s\"", esc);
        for (int k = 0; k < 4; k++)
            fprintf(dat, isnan(v[k]) ? " NaN" : " %.1f", v[k]);
        fprintf(dat, "\n");
        groups++;
    }
    if (!dat)
        return;
    fclose(dat);
    ch_begin(gp, name, "The same cells measured by each tool: requests per second (median)", "",
             "requests per second");
    fprintf(gp, "set style data histograms\nset style histogram clustered gap 1\nset style fill "
                "solid 0.85\nset xtics rotate by -30\nset format y '%%.1s%%c'\nset yrange [0:*]\n"
                "set datafile missing 'NaN'\n");
    char plot[1024] = "plot ";
    for (int k = 0; k < 4; k++)
        if (seen[k])
            snprintf(plot + strlen(plot), sizeof(plot) - strlen(plot),
                     "%s'%s.dat' using %d%s lc rgb '%s' title '%s'", k ? ", " : "", name, k + 2,
                     k ? "" : ":xtic(1)", colors[k], tools[k]);
    ch_finish(x, gp, name, plot);
}

int rp_charts(const cJSON *doc, const char *dir, struct rp_chart_list *list)
{
    struct ch_ctx x = {.doc = doc, .dir = dir};
    memset(list, 0, sizeof(*list));
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "cells"))
    {
        const char *t = rs_json_str(c, "target");
        int seen = 0;
        for (int i = 0; i < x.ntargets && !seen; i++)
            seen = strcmp(x.targets[i], t) == 0;
        if (!seen && x.ntargets < CH_MAX)
            x.targets[x.ntargets++] = t;
    }
    /* Per endpoint and pipeline depth: lines, bars; at the highest load: latency, timeline. */
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "cells"))
    {
        if (!ch_ok(c, NULL, "ringfire"))
            continue;
        const char *e = rs_json_str(c, "endpoint");
        int p = (int)rs_json_num(c, "pipeline"),
            ws = cJSON_IsTrue(cJSON_GetObjectItem(c, "websocket"));
        int done = 0;
        for (int i = 0; i < list->n && !done; i++)
            done = strcmp(list->charts[i].endpoint, e) == 0 && list->charts[i].pipeline == p;
        if (done || list->n == RP_MAX_CHARTS)
            continue;
        int cmax = 0;
        const cJSON *o;
        cJSON_ArrayForEach(
            o, cJSON_GetObjectItem(doc, "cells")) if (ch_ok(o, e, "ringfire") &&
                                                      (int)rs_json_num(o, "pipeline") == p &&
                                                      rs_json_num(o, "connections") > cmax) cmax =
            (int)rs_json_num(o, "connections");
        struct rp_chart *ch = &list->charts[list->n++];
        snprintf(ch->endpoint, sizeof(ch->endpoint), "%s", e);
        ch->pipeline = p;
        ch->connections = cmax;
        ch->websocket = ws;
        ch_rps(&x, e, p, ws);
        ch_bars(&x, e, p, ws);
        ch_latency(&x, e, cmax, p);
        ch_timeline(&x, e, cmax, p, ws);
    }
    ch_tools(&x);
    return x.failed ? -1 : 0;
}
