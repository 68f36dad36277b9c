/*
 * html.c - the report as one self-contained HTML page: the method block, the legend, sortable
 * leaderboards, the charts inline, every cell with its status.  Nothing is fetched: styles and
 * the sorting script are in the page, the charts are SVG images in data: URIs (an image runs no
 * script, whatever a name in it says).  Every text from the results goes through rp_html_text.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "charts.h"
#include "escape.h"
#include "index.h"
#include "report.h"

static const char ht_style[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1280px;padding:0 1em;"
    "color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;"
    "padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}"
    "table.board th{cursor:pointer;user-select:none}table.board td:nth-child(n+3){text-align:"
    "right}img{max-width:100%;height:auto;display:block;margin:.5em 0 1.5em}p.legend{color:#444;"
    "max-width:70em}code{background:#f3f3f3;padding:0 .2em}";

/* Clicking a heading sorts its table by that column (by data-v where a cell has one, else by
 * text), again to reverse.  It marks the page ready, for the tests. */
static const char ht_script[] =
    "document.querySelectorAll('table.board').forEach(function(t){"
    "t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){"
    "var b=t.tBodies[0],r=Array.prototype.slice.call(b.rows),d=th.dataset.d==='1'?-1:1;"
    "th.dataset.d=d===1?'1':'0';r.sort(function(x,y){var a=x.cells[i],c=y.cells[i],"
    "p=parseFloat(a.dataset.v),q=parseFloat(c.dataset.v);if(!isNaN(p)&&!isNaN(q))return(p-q)*d;"
    "return a.textContent.localeCompare(c.textContent)*d;});r.forEach(function(e){"
    "b.appendChild(e);});});});});document.body.dataset.ready='1';";

static void ht_method(FILE *out, const struct rr_doc *doc)
{
    struct rp_fact facts[RP_METHOD_MAX];
    int n = rp_method(doc, facts);
    fputs("<h2>Method</h2>\n<table class=\"method\">\n", out);
    for (int i = 0; i < n; i++) {
        fprintf(out, "<tr><th>%s</th><td>", facts[i].label);
        int code = strcmp(facts[i].label, "reproduce") == 0;
        fputs(code ? "<code>" : "", out);
        rp_html_text(out, facts[i].text ? facts[i].text : "");
        fputs(code ? "</code>" : "", out);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n<p class=\"legend\">", out);
    rp_html_text(out, rp_legend());
    fputs("</p>\n", out);
    rp_facts_free(facts, n);
}

static void ht_grid(const struct rp_grid *g, void *arg)
{
    FILE *out = arg;
    char cols[RP_GRID_COLS][RP_COL_MAX];
    double sort[RP_GRID_COLS];
    fputs("<h4>", out);
    rp_html_text(out, g->title);
    fputs("</h4>\n<table class=\"board\"><thead><tr>", out);
    for (int k = 0; k < RP_GRID_COLS; k++) {
        fputs("<th>", out);
        rp_html_text(out, g->head[k]);
        fputs("</th>", out);
    }
    fputs("</tr></thead><tbody>\n", out);
    for (size_t i = 0; i < g->n; i++) {
        g->row(g->board, i, cols, sort);
        fputs("<tr data-cell=\"", out);
        rp_html_text(out, g->cells[i]->id);
        fputs("\">", out);
        for (int k = 0; k < RP_GRID_COLS; k++) {
            if (isfinite(sort[k]))
                fprintf(out, "<td data-v=\"%.17g\">", sort[k]);
            else
                fputs("<td>", out);
            rp_html_text(out, cols[k]);
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

struct ht_rates_ctx {
    FILE *out;
    const char *dir; /* the charts, or NULL */
    const struct rp_chart_list *charts;
};

static void ht_rate_grid(const struct rp_grid *g, void *arg)
{
    static const char *const what[RP_RATE_CHART_KINDS] = {
        "response time at each step of the search against its rate",
        "the highest rate under the objective, with intervals",
        "the server's CPU per answer, with intervals",
        "response time p50, p99 and p99.9 against the rate achieved"};
    const struct ht_rates_ctx *h = arg;
    char name[RP_CHART_NAME_MAX];
    ht_grid(g, h->out);
    for (int k = 0; h->dir && k < RP_RATE_CHART_KINDS; k++) {
        rp_rate_chart_name(g->rate, k, name, sizeof(name));
        if (name[0] && rp_rate_chart_drawn(h->charts, name))
            rp_html_image(h->out, h->dir, name, what[k]);
    }
}

void rp_html_image(FILE *out, const char *dir, const char *name, const char *alt)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s.svg", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    fputs("<img alt=\"", out);
    rp_html_text(out, alt);
    fputs("\" src=\"data:image/svg+xml;base64,", out);
    unsigned char in[3];
    size_t n;
    while ((n = fread(in, 1, 3, f)) > 0) {
        unsigned v =
            (unsigned)in[0] << 16 | (n > 1 ? (unsigned)in[1] << 8 : 0) | (n > 2 ? in[2] : 0);
        fputc(abc[v >> 18 & 63], out);
        fputc(abc[v >> 12 & 63], out);
        fputc(n > 1 ? abc[v >> 6 & 63] : '=', out);
        fputc(n > 2 ? abc[v & 63] : '=', out);
    }
    fclose(f);
    fputs("\">\n", out);
}

static void ht_charts(FILE *out, const char *endpoint, const char *dir,
                      const struct rp_chart_list *list)
{
    static const char *const what[RP_CHART_KINDS] = {
        "throughput against connections, one line per target, with the interval of each median",
        "targets sorted by throughput at the most connections, with the interval of each median",
        "latency at each percentile, one line per run, the table's p99 marked",
        "responses in each second of the first run"};
    for (int i = 0; dir && list && i < list->n; i++) {
        const struct rp_chart *ch = &list->charts[i];
        if (strcmp(ch->endpoint, endpoint) != 0)
            continue;
        for (int k = 0; k < RP_CHART_KINDS; k++)
            if (ch->drawn[k])
                rp_html_image(out, dir, ch->files[k], what[k]);
    }
}

/* Every cell of the document, measured or not, with its status, its errors and why. */
static void ht_cells(FILE *out, const struct rr_doc *doc)
{
    char med[32], kinds[512];
    fputs("<h2>Every cell</h2>\n<table class=\"cells\"><thead><tr><th>cell</th><th>status</th>"
          "<th>runs</th><th>median</th><th>errors by kind</th><th>reason</th></tr></thead>"
          "<tbody>\n",
          out);
    for (size_t i = 0; i < doc->ncells; i++) {
        const struct rr_cell *c = &doc->cells[i];
        rp_fmt_rate(c->summary.present ? c->summary.rps.median : NAN, med, sizeof(med));
        fputs("<tr><td><code>", out);
        rp_html_text(out, c->id);
        fprintf(out, "</code></td><td>%s</td><td>%zu</td><td>%s</td><td>",
                rr_status_name(c->status), c->nruns, med);
        if (rp_error_kinds(c, kinds, sizeof(kinds)))
            rp_html_text(out, kinds);
        fputs("</td><td>", out);
        rp_html_text(out, c->reason ? c->reason : "");
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

void rp_html_begin(FILE *out, const char *title, const char *name)
{
    fputs("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          out);
    fputs(title, out);
    rp_html_text(out, name);
    fprintf(out, "</title>\n<style>%s</style>\n</head><body>\n<h1>%s", ht_style, title);
    rp_html_text(out, name);
    fputs("</h1>\n", out);
}

void rp_html_end(FILE *out)
{
    fprintf(out, "<script>%s</script>\n</body></html>\n", ht_script);
}

int rp_html(FILE *out, const struct rr_doc *doc, const char *charts_dir,
            const struct rp_chart_list *charts)
{
    struct rp_index m;
    if (rp_index_build(&m, doc) < 0)
        return -1;
    rp_html_begin(out, "ringfire report: ", doc->suite.name);
    ht_method(out, doc);
    int rc = 0;
    for (int ws = 0; ws < 2; ws++)
        for (size_t i = 0; i < m.nendpoints; i++) {
            const struct rr_cell *c = m.endpoints[i];
            if (c->websocket != ws)
                continue;
            fputs("<h2>", out);
            rp_html_text(out, c->endpoint);
            fputs(ws ? " (WebSocket): messages per second</h2>\n" : ": requests per second</h2>\n",
                  out);
            size_t first, end = rp_index_range(&m, c->endpoint, "ringfire", &first);
            if (first < end && rp_boards(&m, first, end, ht_grid, out) < 0)
                rc = -1;
            ht_charts(out, c->endpoint, charts_dir, charts);
        }
    if (rp_rate_any(doc)) {
        fputs("<h2>At a fixed rate</h2>\n<p>", out);
        rp_html_text(out, rp_rate_legend());
        fputs("</p>\n", out);
        struct ht_rates_ctx h = {out, charts ? charts_dir : NULL, charts};
        if (rp_rate_boards(doc, ht_rate_grid, &h) < 0)
            rc = -1;
    }
    ht_cells(out, doc);
    rp_html_end(out);
    rp_index_free(&m);
    return rc;
}
