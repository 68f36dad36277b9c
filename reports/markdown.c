/*
 * markdown.c - the report a framework author can paste into a README: per endpoint a table of
 * targets by connections x pipeline, ranks with tie bands, the tool comparison, WebSocket
 * tables, and the cells that failed or were skipped.
 *
 * Every name and text from the results goes through escape.c.  The measured cells are indexed
 * once (sorted by endpoint, tool, target, load), so a large or sparse document costs
 * n log n, and a table that would be absurdly large is named instead of drawn.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "escape.h"
#include "index.h"
#include "board.h"
#include "rank.h"
#include "stats.h"
#include "report.h"

#define MD_MAX_SLOTS (1u << 20) /* rows x columns of one table */

void rp_fmt_rate(double v, char *out, size_t n)
{
    if (isnan(v))
        snprintf(out, n, "–");
    else if (v >= 1e6)
        snprintf(out, n, "%.2fM", v / 1e6);
    else if (v >= 1e3)
        snprintf(out, n, "%.1fk", v / 1e3);
    else
        snprintf(out, n, "%.0f", v);
}

void rp_fmt_time(double us, char *out, size_t n)
{
    if (isnan(us))
        snprintf(out, n, "–");
    else if (us >= 1000)
        snprintf(out, n, "%.2f ms", us / 1000);
    else
        snprintf(out, n, "%.0f µs", us);
}

/* ---- the method ---------------------------------------------------------------------------- */

static void md_method(FILE *out, const struct rr_doc *doc)
{
    struct rp_fact facts[RP_METHOD_MAX];
    int n = rp_method(doc, facts);
    fputs("# ringfire report: ", out);
    rp_md_text(out, doc->suite.name);
    fputs("\n\n## Method\n\n| | |\n|---|---|\n", out);
    for (int i = 0; i < n; i++) {
        fprintf(out, "| %s | ", facts[i].label);
        if (strcmp(facts[i].label, "reproduce") == 0)
            rp_md_code(out, facts[i].text, 1);
        else
            rp_md_text(out, facts[i].text ? facts[i].text : "");
        fputs(" |\n", out);
    }
    fputs("\n", out);
    rp_facts_free(facts, n);
}

static void md_legend(FILE *out)
{
    rp_md_text(out, rp_legend());
    fputs("\n\n", out);
}

static void md_grid(const struct rp_grid *g, void *arg)
{
    FILE *out = arg;
    char cols[RP_GRID_COLS][RP_COL_MAX];
    double sort[RP_GRID_COLS];
    fputs("### ", out);
    rp_md_text(out, g->title);
    fputs("\n\n|", out);
    for (int k = 0; k < RP_GRID_COLS; k++) {
        fputc(' ', out);
        rp_md_text(out, g->head[k]);
        fputs(" |", out);
    }
    fputs("\n|", out);
    for (int k = 0; k < RP_GRID_COLS; k++)
        fputs("---|", out);
    fputs("\n", out);
    for (size_t i = 0; i < g->n; i++) {
        g->row(g->board, i, cols, sort);
        fputs("|", out);
        for (int k = 0; k < RP_GRID_COLS; k++) {
            fputc(' ', out);
            rp_md_text(out, cols[k]);
            fputs(" |", out);
        }
        fputs("\n", out);
    }
    fputs("\n", out);
}

struct md_rates_ctx {
    FILE *out;
    const char *dir; /* the charts, or NULL */
    const struct rp_chart_list *charts;
};

static const char *const md_rate_chart_what[RP_RATE_CHART_KINDS] = {
    ("response time at each step of the search against its rate, the objective's limit dashed, "
     "each target's answer dotted"),
    "the highest rate under the objective, with the interval of each answer",
    "the server's CPU per answer, with the interval of each median",
    "response time p50, p99 and p99.9 against the rate achieved, one colour per target"};

static void md_rate_grid(const struct rp_grid *g, void *arg)
{
    const struct md_rates_ctx *m = arg;
    char name[RP_CHART_NAME_MAX];
    md_grid(g, m->out);
    for (int k = 0; m->dir && k < RP_RATE_CHART_KINDS; k++) {
        rp_rate_chart_name(g->rate, k, name, sizeof(name));
        if (!name[0] || !rp_rate_chart_drawn(m->charts, name))
            continue;
        fputs("![", m->out);
        rp_md_text(m->out, g->title);
        fprintf(m->out, ": %s](%s/%s.png)\n\n", md_rate_chart_what[k], m->dir, name);
    }
}

/* The cells at a fixed rate, when the suite had any. */
static void md_rates(FILE *out, const struct rr_doc *doc, const char *dir,
                     const struct rp_chart_list *charts)
{
    struct md_rates_ctx m = {out, dir, charts};
    if (!rp_rate_any(doc))
        return;
    fputs("## At a fixed rate\n\n", out);
    rp_md_text(out, rp_rate_legend());
    fputs("\n\n", out);
    rp_rate_boards(doc, md_rate_grid, &m);
}

static void md_charts(FILE *out, const char *endpoint, const char *dir,
                      const struct rp_chart_list *list)
{
    for (int i = 0; dir && list && i < list->n; i++) {
        const struct rp_chart *ch = &list->charts[i];
        if (strcmp(ch->endpoint, endpoint) != 0)
            continue;
        const char *what = ch->websocket ? "messages" : "requests";
        for (int k = 0; k < RP_CHART_KINDS; k++) {
            if (!ch->drawn[k])
                continue;
            fputs("![", out);
            rp_md_text(out, endpoint);
            switch (k) {
            case 0:
                fprintf(out,
                        ", pipeline %d: %s per second against connections, one line per "
                        "target, with the interval of each median",
                        ch->pipeline, what);
                break;
            case 1:
                fprintf(out,
                        ", pipeline %d: targets sorted by %s per second at %d connections, "
                        "with the interval of each median",
                        ch->pipeline, what, ch->connections);
                break;
            case 2:
                fprintf(out,
                        " at %d connections, pipeline %d: latency at each percentile, one "
                        "line per run, the table's p99 marked",
                        ch->connections, ch->pipeline);
                break;
            default:
                fprintf(out, " at %d connections, pipeline %d: %s in each second of the first run",
                        ch->connections, ch->pipeline, ch->websocket ? "messages" : "responses");
            }
            fprintf(out, "](%s/%s.png)\n\n", dir, ch->files[k]);
        }
    }
}

/* ---- the tool comparison ------------------------------------------------------------------- */

static int md_client_bound(const struct rr_summary *s)
{
    return s->bottleneck == RR_CLIENT_BOUND || s->bottleneck == RR_BOTH_BOUND;
}

static void md_tool_row(FILE *out, const struct rp_index *m, const struct rr_cell *rf,
                        const char **tools, size_t ntools)
{
    char med[32], p99[32];
    const struct rr_summary *s = &rf->summary;
    rp_fmt_rate(s->rps.median, med, sizeof(med));
    rp_fmt_time(s->latency_us[RR_P99], p99, sizeof(p99));
    fputs("| ", out);
    rp_md_text(out, rf->target);
    fputs(" | ", out);
    rp_md_text(out, rf->endpoint);
    fprintf(out, " | %u | %u | %s · p99 %s%s |", rf->connections, rf->pipeline, med, p99,
            md_client_bound(s) ? " ‡" : "");
    for (size_t k = 0; k < ntools; k++) {
        const struct rr_cell *o =
            rp_index_find(m, rf->endpoint, tools[k], rf->target, rf->connections, rf->pipeline);
        if (!o) {
            fprintf(out, " – |");
            continue;
        }
        const struct rr_summary *so = &o->summary;
        rp_fmt_rate(so->rps.median, med, sizeof(med));
        rp_fmt_time(so->latency_us[RR_P99], p99, sizeof(p99));
        int apart = so->rps.ci[1] < s->rps.ci[0] || so->rps.ci[0] > s->rps.ci[1];
        fprintf(out, " %s · p99 %s · %.2fx%s%s |", med, p99, so->rps.median / s->rps.median,
                apart ? " ≠" : "", md_client_bound(so) ? " ‡" : "");
    }
    fprintf(out, "\n");
}

/* The same cells measured by several tools: do they agree? */
static void md_tools(FILE *out, const struct rp_index *m, const char *dir)
{
    const char **tools = m->tools;
    size_t ntools = m->ntools, rows = 0;
    for (size_t i = 0; i < m->doc->ncells; i++) {
        const struct rr_cell *rf = &m->doc->cells[i];
        int any = 0;
        if (strcmp(rf->tool, "ringfire") || rf->status != RR_OK || rf->rate.present)
            continue; /* the other tools' cells are closed-loop ones (rp_index) */
        for (size_t k = 0; k < ntools && !any; k++)
            any = rp_index_find(m, rf->endpoint, tools[k], rf->target, rf->connections,
                                rf->pipeline) != NULL;
        if (!any)
            continue;
        if (rows++ == 0) {
            fprintf(out, "## Tool comparison\n\nThe same cells measured by each tool: median "
                         "requests/s, p99, and the ratio to ringfire; `≠` where the intervals of "
                         "the two medians do not overlap (a difference beyond the noise), `‡` "
                         "where the tool's CPU was full (the figure is the tool's limit). Each "
                         "tool times latency its own way: ringfire from just before the submit "
                         "that sends the request to the kernel's receive stamp, wrk and hey "
                         "from their write to their read.\n\n");
            fprintf(out, "| target | endpoint | c | p | ringfire |");
            for (size_t k = 0; k < ntools; k++) {
                fputc(' ', out);
                rp_md_text(out, tools[k]);
                fputs(" |", out);
            }
            fprintf(out, "\n|---|---|---|---|---|");
            for (size_t k = 0; k < ntools; k++)
                fprintf(out, "---|");
            fprintf(out, "\n");
        }
        md_tool_row(out, m, rf, tools, ntools);
    }
    if (rows == 0)
        return;
    fprintf(out, "\n");
    if (dir)
        fprintf(out, "![The same cells measured by each tool: requests per second](%s/%s.png)\n\n",
                dir, RP_CHART_TOOLS);
}

/* Every measured cell that had errors, by kind, with its rate. */
static void md_errors(FILE *out, const struct rr_doc *doc)
{
    char kinds[512];
    int header = 0;
    for (size_t i = 0; i < doc->ncells; i++) {
        const struct rr_cell *c = &doc->cells[i];
        if (c->status != RR_OK || !rp_error_kinds(c, kinds, sizeof(kinds)))
            continue;
        if (!header) {
            fprintf(out, "## Errors\n\nCells with errors, all runs together: the share of the "
                         "requests, and the errors by kind (`status`: answers with another "
                         "status than the endpoint's).\n\n| cell | errors | by kind |\n"
                         "|---|---|---|\n");
            header = 1;
        }
        fputs("| ", out);
        rp_md_code(out, c->id, 1);
        fprintf(out, " | %.2g%% | ", c->summary.error_rate * 100);
        rp_md_text(out, kinds);
        fputs(" |\n", out);
    }
    if (header)
        fputs("\n", out);
}

static void md_failures(FILE *out, const struct rr_doc *doc)
{
    int header = 0;
    for (size_t i = 0; i < doc->ncells; i++) {
        const struct rr_cell *c = &doc->cells[i];
        if (c->status == RR_OK)
            continue;
        if (!header) {
            fprintf(out, "## Cells not measured\n\n| cell | status | reason |\n|---|---|---|\n");
            header = 1;
        }
        fputs("| ", out);
        rp_md_code(out, c->id, 1);
        fprintf(out, " | %s | ", rr_status_name(c->status));
        if (c->reason && c->reason[0])
            rp_md_text(out, c->reason);
        else if (c->status == RR_PENDING)
            fputs("not run yet", out);
        fputs(" |\n", out);
    }
    if (header)
        fprintf(out, "\n");
}

/* ---- the report ---------------------------------------------------------------------------- */

/* The endpoint sections: HTTP ones first, then WebSocket ones, each in first-seen order. */
static void md_sections(FILE *out, const struct rp_index *m, const char *dir,
                        const struct rp_chart_list *charts)
{
    for (int ws = 0; ws < 2; ws++)
        for (size_t i = 0; i < m->nendpoints; i++) {
            const struct rr_cell *c = m->endpoints[i];
            if (c->websocket != ws)
                continue;
            fputs("## ", out);
            rp_md_text(out, c->endpoint);
            fputs(ws ? " (WebSocket): messages per second\n\n" : ": requests per second\n\n", out);
            size_t first, end = rp_index_range(m, c->endpoint, "ringfire", &first);
            if (first < end)
                rp_boards(m, first, end, md_grid, out);
            md_charts(out, c->endpoint, dir, charts);
        }
}

int rp_markdown(FILE *out, const struct rr_doc *doc, const char *charts_dir,
                const struct rp_chart_list *charts)
{
    struct rp_index m;
    if (rp_index_build(&m, doc) < 0)
        return -1;
    md_method(out, doc);
    md_legend(out);
    md_sections(out, &m, charts_dir, charts);
    if (charts && charts->dropped)
        fprintf(out,
                "Charts are drawn for the first %d endpoint and pipeline pairs; %d more are "
                "not drawn.\n\n",
                RP_MAX_CHARTS, charts->dropped);
    md_rates(out, doc, charts ? charts_dir : NULL, charts);
    md_tools(out, &m, charts_dir);
    md_errors(out, doc);
    md_failures(out, doc);
    rp_index_free(&m);
    return 0;
}
