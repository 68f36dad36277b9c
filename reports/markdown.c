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

static void md_map(FILE *out, const struct rr_map *m, const char *sep)
{
    for (size_t i = 0; i < m->n; i++) {
        fputs(i ? sep : "", out);
        rp_md_text(out, m->v[i].name);
        fputs(": ", out);
        rp_md_text(out, m->v[i].value);
    }
    if (m->n == 0)
        fputs("not recorded", out);
}

enum md_span { MD_DURATION, MD_MIN_RUNS, MD_MAX_RUNS, MD_TARGET };

static double md_span_value(const struct rr_cell *c, enum md_span k)
{
    switch (k) {
    case MD_DURATION:
        return c->duration_s;
    case MD_MIN_RUNS:
        return c->repetitions_min ? c->repetitions_min : c->repetitions;
    case MD_MAX_RUNS:
        return c->repetitions;
    default:
        return c->interval_target * 100;
    }
}

/* The smallest and largest of a cell figure over the cells: "a" or "a to b". */
static void md_span(FILE *out, const struct rr_doc *doc, enum md_span k)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < doc->ncells; i++) {
        double v = md_span_value(&doc->cells[i], k);
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    if (!(lo <= hi)) {
        fputs("–", out);
        return;
    }
    fprintf(out, "%g", lo);
    if (hi > lo)
        fprintf(out, " to %g", hi);
}

/* A text fact of the environment, or "not recorded". */
static void md_fact(FILE *out, const char *prefix, const char *v)
{
    fputs(prefix, out);
    rp_md_text(out, v && v[0] ? v : "not recorded");
}

static void md_runs(FILE *out, const struct rr_doc *doc)
{
    double target = 0;
    for (size_t i = 0; i < doc->ncells; i++)
        target = fmax(target, doc->cells[i].interval_target);
    fputs("| runs per cell | ", out);
    if (target > 0) {
        fputs("at least ", out);
        md_span(out, doc, MD_MIN_RUNS);
        fputs(" and at most ", out);
        md_span(out, doc, MD_MAX_RUNS);
        fputs(", more until the 95% interval of the median lies within ", out);
        md_span(out, doc, MD_TARGET);
        fputs("% of it", out);
    } else {
        md_span(out, doc, MD_MAX_RUNS);
    }
    fprintf(out, "; each repetition visits the cells in its own shuffled order (seed %llu) |\n",
            (unsigned long long)doc->env.seed);
}

static void md_machine(FILE *out, const struct rr_env *env)
{
    md_fact(out, "| machine | ", env->cpu_model);
    fprintf(out, ", %u CPUs", env->cores);
    if (env->threads_per_core)
        fprintf(out, " (%u per core)", env->threads_per_core);
    md_fact(out, "; virtualization: ", env->virtualization);
    if (env->memory_bytes > 0)
        fprintf(out, "; %.1f GiB of memory", env->memory_bytes / (1024.0 * 1024 * 1024));
    md_fact(out, "; ", env->distribution);
    md_fact(out, "; kernel ", env->kernel);
    md_fact(out, "; CPU frequency governor: ", env->governor);
    fputs(" |\n", out);
}

static void md_method(FILE *out, const struct rr_doc *doc)
{
    const struct rr_env *env = &doc->env;
    fputs("# ringfire report: ", out);
    rp_md_text(out, doc->suite.name);
    fputs("\n\n## Method\n\n| | |\n|---|---|\n| suite | ", out);
    rp_md_code(out, doc->suite.name, 0);
    fputs(" (", out);
    rp_md_code(out, doc->suite.file, 0);
    char sha[13];
    snprintf(sha, sizeof(sha), "%s", env->suite_sha256);
    fputs(", sha256 ", out);
    rp_md_code(out, sha, 0);
    md_fact(out, "), started ", env->started);
    fputs(" |\n| each run | ", out);
    md_span(out, doc, MD_DURATION);
    if (isnan(env->warmup_s))
        fputs(" s measured (warm-up and timeout not recorded) |\n", out);
    else
        fprintf(out, " s measured after %g s of warm-up; a request times out after %g s |\n",
                env->warmup_s, env->timeout_s);
    md_runs(out, doc);
    md_fact(out, "| client | ringfire ", env->ringfire);
    md_fact(out, " and the tools below, on CPU ", env->client_cpus);
    md_fact(out, " |\n| targets | pinned to CPU ", env->target_cpus);
    fputs("; their settings: ", out);
    md_map(out, &env->target_settings, "; ");
    fputs(" |\n", out);
    md_machine(out, env);
    fputs("| TCP | ", out);
    md_map(out, &env->tcp, "; ");
    fputs(" |\n| tools | ", out);
    md_map(out, &env->tools, "; ");
    fputs(" |\n| target versions | ", out);
    md_map(out, &env->targets, "; ");
    fputs(" |\n| reproduce | ", out);
    rp_md_code(out, env->command, 0);
    fputs(" |\n\n", out);
}

static void md_legend(FILE *out)
{
    fprintf(out,
            "**How to read the tables.** One table per load (connections `c`, requests in "
            "flight per connection `p`), rows by median. *req/s*: answers with the expected "
            "status per second, the median of the runs. *interval*: the interval of that "
            "median from two of the runs' own values, with the chance it holds the true median "
            "(95%% or more; with fewer than 6 runs only the range of the runs, which holds it "
            "less often, said as such). *#*: 1 plus the number of ranked rows whose whole "
            "interval lies above this row's; rows the data cannot separate share a rank. Not "
            "ranked: † a reference target (ringfire's own server, for scale), ‡ the client's "
            "CPU was full (the figure is the client's limit), ~ the interval is wider than the "
            "suite's target. *errors*: answers with another status and failed requests, as a "
            "share of the requests. *CPU*: each side's share of its cores; *bottleneck*: the "
            "side at %.0f%% or more, both, or neither (then latency, connections or locks set "
            "the pace). Loopback: each side's CPU also carries part of the other's TCP work. "
            "Latency figures leave out the requests still unanswered when a run ended "
            "(*unanswered*, the median per run).\n\n",
            RR_SATURATED * 100);
}

/* ---- leaderboards --------------------------------------------------------------------------- */

static int md_cmp_median_desc(const void *x, const void *y)
{
    const struct rr_cell *a = *(const struct rr_cell *const *)x,
                         *b = *(const struct rr_cell *const *)y;
    double ma = a->summary.rps.median, mb = b->summary.rps.median;
    return ma < mb ? 1 : ma > mb ? -1 : strcmp(a->target, b->target);
}

static const char *const md_marks[] = {"", " †", " ‡", " ~"};

static void md_pct(FILE *out, double share)
{
    if (isnan(share))
        fputs("–", out);
    else
        fprintf(out, "%.0f%%", share * 100);
}

static void md_row(FILE *out, const struct rr_cell *c, int rank, double best)
{
    const struct rr_summary *s = &c->summary;
    char med[32], lo[32], hi[32], p99[32];
    rp_fmt_rate(s->rps.median, med, sizeof(med));
    rp_fmt_rate(s->rps.ci[0], lo, sizeof(lo));
    rp_fmt_rate(s->rps.ci[1], hi, sizeof(hi));
    rp_fmt_time(s->latency_us[RR_P99], p99, sizeof(p99));
    if (rank)
        fprintf(out, "| %d | ", rank);
    else
        fputs("| – | ", out);
    rp_md_text(out, c->target);
    fprintf(out, "%s | %s | [%s–%s]", md_marks[rp_unranked(c)], med, lo, hi);
    if (s->rps.ci_coverage < RR_LEVEL)
        fprintf(out, " range of %u runs, %.0f%%", s->rps.runs, s->rps.ci_coverage * 100);
    fputs(" | ", out);
    md_pct(out, best > 0 ? s->rps.median / best : NAN);
    fprintf(out, " | %s |", p99);
    if (isnan(s->error_rate))
        fputs(" – |", out);
    else
        fprintf(out, " %.2g%% |", s->error_rate * 100);
    if (isnan(s->unanswered))
        fputs(" – |", out);
    else
        fprintf(out, " %.0f |", s->unanswered);
    fputs(" ", out);
    md_pct(out, s->utilization.client);
    fputs(" / ", out);
    md_pct(out, s->utilization.target);
    fputs(" | ", out);
    if (isnan(s->cpu_us_per_response.target))
        fputs("–", out);
    else
        fprintf(out, "%.2f µs", s->cpu_us_per_response.target);
    if (isnan(s->peak_rss_bytes.target) || s->peak_rss_bytes.target <= 0)
        fputs(" | – |", out);
    else
        fprintf(out, " | %.0f MiB |", s->peak_rss_bytes.target / (1024.0 * 1024));
    fprintf(out, " %s |\n", rr_bottleneck_name(s->bottleneck));
}

/* One leaderboard: the cells of one endpoint and tool at one load, by median. */
static void md_board(FILE *out, const struct rr_cell **v, size_t n, int *rank)
{
    qsort(v, n, sizeof(*v), md_cmp_median_desc);
    rp_rank(v, n, rank);
    double best = 0, top = 0;
    for (size_t i = 0; i < n; i++) {
        if (rank[i] && v[i]->summary.rps.median > best)
            best = v[i]->summary.rps.median;
        top = v[i]->summary.rps.median > top ? v[i]->summary.rps.median : top;
    }
    fprintf(out, "### c=%u p=%u\n\n", v[0]->connections, v[0]->pipeline);
    fprintf(out,
            "| # | target | %s | interval | %% of %s | p99 | errors | unanswered | CPU "
            "client / server | server CPU per answer | server peak memory | bottleneck "
            "|\n|---|---|---|---|---|---|---|---|---|---|---|---|\n",
            v[0]->websocket ? "msg/s" : "req/s", best > 0 ? "best ranked" : "the highest");
    for (size_t i = 0; i < n; i++)
        md_row(out, v[i], rank[i], best > 0 ? best : top);
    fputs("\n", out);
}

static int md_cmp_load(const void *x, const void *y)
{
    const struct rr_cell *a = *(const struct rr_cell *const *)x,
                         *b = *(const struct rr_cell *const *)y;
    if (a->pipeline != b->pipeline)
        return (a->pipeline > b->pipeline) - (a->pipeline < b->pipeline);
    if (a->connections != b->connections)
        return (a->connections > b->connections) - (a->connections < b->connections);
    return md_cmp_median_desc(x, y);
}

/* The leaderboards of one endpoint and tool: its index range regrouped by load. */
static void md_table(FILE *out, const struct rp_index *m, size_t first, size_t end)
{
    size_t n = end - first;
    const struct rr_cell **v = malloc(n * sizeof(*v));
    int *rank = malloc(n * sizeof(*rank));
    if (!v || !rank)
        goto out;
    memcpy(v, m->ok + first, n * sizeof(*v));
    qsort(v, n, sizeof(*v), md_cmp_load);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1;
             j < n && v[j]->connections == v[i]->connections && v[j]->pipeline == v[i]->pipeline;
             j++)
            ;
        md_board(out, v + i, j - i, rank + i);
    }
out:
    free(v);
    free(rank);
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
        if (strcmp(rf->tool, "ringfire") || rf->status != RR_OK)
            continue;
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
                         "tool times latency its own way: ringfire from the kernel's send to its "
                         "receive stamp, wrk and hey from their write to their read.\n\n");
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
                md_table(out, m, first, end);
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
    md_tools(out, &m, charts_dir);
    md_failures(out, doc);
    rp_index_free(&m);
    return 0;
}
