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
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "escape.h"
#include "index.h"
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

/* ---- header -------------------------------------------------------------------------------- */

static void md_map(FILE *out, const struct rr_map *m)
{
    for (size_t i = 0; i < m->n; i++) {
        fputc(' ', out);
        rp_md_text(out, m->v[i].name);
        fputs(": ", out);
        rp_md_text(out, m->v[i].value);
        fputc(';', out);
    }
}

static void md_header(FILE *out, const struct rr_doc *doc)
{
    const struct rr_env *env = &doc->env;
    fputs("# ringfire report: ", out);
    rp_md_text(out, doc->suite.name);
    fputs("\n\nSuite ", out);
    rp_md_code(out, doc->suite.name, 0);
    fputs(" (", out);
    rp_md_code(out, doc->suite.file, 0);
    fprintf(out, ", sha256 ");
    char sha[13];
    snprintf(sha, sizeof(sha), "%s", env->suite_sha256);
    rp_md_code(out, sha, 0);
    fputs("), started ", out);
    rp_md_text(out, env->started);
    fputs(".\n\n| environment | |\n|---|---|\n| CPU | ", out);
    rp_md_text(out, env->cpu_model);
    fprintf(out, ", %u cores (client on CPU ", env->cores);
    rp_md_text(out, env->client_cpus);
    fputs(", targets on CPU ", out);
    rp_md_text(out, env->target_cpus);
    fputs(") |\n| kernel | ", out);
    rp_md_text(out, env->kernel);
    fputs(" |\n| ringfire | ", out);
    rp_md_text(out, env->ringfire);
    fputs(" |\n| tools |", out);
    md_map(out, &env->tools);
    fputs(" |\n| targets |", out);
    md_map(out, &env->targets);
    fputs(" |\n\nReproduce with ", out);
    rp_md_code(out, env->command, 0);
    fprintf(out, " (seed %llu).\n\n", (unsigned long long)env->seed);
}

static void md_legend(FILE *out)
{
    fprintf(out, "Each cell: the median of the runs, its 95%% bootstrap interval, and the p99 "
                 "latency; `#n` is the rank in that column, shared by targets whose intervals "
                 "overlap. `‡` the target was not the bottleneck (the client was, or neither "
                 "side was saturated): the figure may understate the server. `~` noisy: the "
                 "runs varied by more than 5%%.\n\n");
}

/* ---- tables -------------------------------------------------------------------------------- */

/* A table's columns: connections x pipeline, by pipeline then connections. */
struct md_col {
    unsigned c, p;
};

static int md_cmp_col(const void *x, const void *y)
{
    const struct md_col *a = x, *b = y;
    return a->p != b->p ? (a->p > b->p) - (a->p < b->p) : (a->c > b->c) - (a->c < b->c);
}

/* A measured cell and the table row it belongs to. */
struct md_entry {
    const struct rr_cell *cell;
    size_t row;
};

static int md_cmp_median_desc(const void *x, const void *y)
{
    const struct rr_cell *a = ((const struct md_entry *)x)->cell,
                         *b = ((const struct md_entry *)y)->cell;
    double ma = a->summary.rps.median, mb = b->summary.rps.median;
    return ma < mb ? 1 : ma > mb ? -1 : strcmp(a->target, b->target);
}

/* A target and the first cell of it in the document, for first-seen order. */
struct md_target {
    const char *name;
    const struct rr_cell *first;
};

static int md_cmp_first(const void *x, const void *y)
{
    const struct md_target *a = x, *b = y;
    return (a->first > b->first) - (a->first < b->first);
}

/*
 * Ranks with tie bands: sorted by median, a target whose 95% interval overlaps the interval of
 * the first target of the current band shares its rank, so no one reads a rank difference the
 * measurements cannot tell apart.
 */
static void md_rank(struct md_entry *v, size_t n, int *rank, size_t nc, size_t col)
{
    qsort(v, n, sizeof(*v), md_cmp_median_desc);
    size_t band = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && v[i].cell->summary.rps.ci95[1] < v[band].cell->summary.rps.ci95[0])
            band = i;
        rank[v[i].row * nc + col] = (int)band + 1;
    }
}

/* A table's targets in first-seen order and its columns, from its index range (sorted by
 * target, then load).  Returns 0, or -1 when out of memory. */
static int md_axes(const struct rp_index *m, size_t first, size_t end, struct md_target **targets,
                   size_t *nt, struct md_col **cols, size_t *nc)
{
    *targets = malloc((end - first) * sizeof(**targets));
    *cols = malloc((end - first) * sizeof(**cols));
    *nt = *nc = 0;
    if (!*targets || !*cols)
        return -1;
    for (size_t i = first; i < end; i++) {
        const struct rr_cell *c = m->ok[i];
        struct md_target *t = &(*targets)[*nt - (*nt > 0)];
        if (*nt == 0 || strcmp(t->name, c->target)) {
            t = &(*targets)[(*nt)++];
            *t = (struct md_target){c->target, c};
        } else if (c < t->first) {
            t->first = c;
        }
        (*cols)[(*nc)++] = (struct md_col){c->connections, c->pipeline};
    }
    qsort(*targets, *nt, sizeof(**targets), md_cmp_first);
    qsort(*cols, *nc, sizeof(**cols), md_cmp_col);
    size_t u = 0;
    for (size_t k = 0; k < *nc; k++)
        if (u == 0 || md_cmp_col(&(*cols)[u - 1], &(*cols)[k]))
            (*cols)[u++] = (*cols)[k];
    *nc = u;
    return 0;
}

static void md_slot(FILE *out, const struct rr_cell *c, int rank)
{
    char med[32], lo[32], hi[32], p99[32];
    const struct rr_summary *s = &c->summary;
    rp_fmt_rate(s->rps.median, med, sizeof(med));
    rp_fmt_rate(s->rps.ci95[0], lo, sizeof(lo));
    rp_fmt_rate(s->rps.ci95[1], hi, sizeof(hi));
    rp_fmt_time(s->latency_us[RR_P99], p99, sizeof(p99));
    fprintf(out, " **%s**%s%s [%s–%s] · p99 %s", med, s->bottleneck != RR_SERVER_BOUND ? " ‡" : "",
            s->rps.noisy ? " ~" : "", lo, hi, p99);
    if (s->errors > 0)
        fprintf(out, " · %g errors", s->errors);
    fprintf(out, " · #%d |", rank);
}

/* Rows in the order of the last column (the most load), best first; targets missing from it
 * follow in first-seen order.  Then each column's ranks, into rank[row * nc + col]. */
static void md_layout(const struct rp_index *m, const char *endpoint, const char *tool,
                      const struct md_target *targets, size_t nt, const struct md_col *cols,
                      size_t nc, const char **order, struct md_entry *tmp, int *rank)
{
    size_t no = 0, n = 0;
    const struct md_col *last = &cols[nc - 1];
    for (size_t t = 0; t < nt; t++)
        if ((tmp[n].cell = rp_index_find(m, endpoint, tool, targets[t].name, last->c, last->p)))
            n++;
    qsort(tmp, n, sizeof(*tmp), md_cmp_median_desc);
    for (size_t i = 0; i < n; i++)
        order[no++] = tmp[i].cell->target;
    for (size_t t = 0; t < nt; t++)
        if (!rp_index_find(m, endpoint, tool, targets[t].name, last->c, last->p))
            order[no++] = targets[t].name;
    for (size_t k = 0; k < nc; k++) {
        n = 0;
        for (size_t r = 0; r < nt; r++)
            if ((tmp[n].cell = rp_index_find(m, endpoint, tool, order[r], cols[k].c, cols[k].p)))
                tmp[n++].row = r;
        md_rank(tmp, n, rank, nc, k);
    }
}

/* One table: targets (rows) by connections x pipeline (columns) for one endpoint and tool. */
static void md_table(FILE *out, const struct rp_index *m, size_t first, size_t end)
{
    const char *endpoint = m->ok[first]->endpoint, *tool = m->ok[first]->tool;
    struct md_target *targets = NULL;
    const char **order = NULL;
    struct md_entry *tmp = NULL;
    struct md_col *cols = NULL;
    int *rank = NULL;
    size_t nt, nc;
    if (md_axes(m, first, end, &targets, &nt, &cols, &nc) < 0)
        goto out;
    if (nt * nc > MD_MAX_SLOTS) {
        fprintf(out, "(%zu targets by %zu columns: too large a table to draw here.)\n\n", nt, nc);
        goto out;
    }
    order = malloc(nt * sizeof(*order));
    tmp = malloc(nt * sizeof(*tmp));
    rank = calloc(nt * nc, sizeof(*rank));
    if (!order || !tmp || !rank)
        goto out;
    md_layout(m, endpoint, tool, targets, nt, cols, nc, order, tmp, rank);
    fprintf(out, "| target |");
    for (size_t k = 0; k < nc; k++)
        fprintf(out, " c=%u p=%u |", cols[k].c, cols[k].p);
    fprintf(out, "\n|---|");
    for (size_t k = 0; k < nc; k++)
        fprintf(out, "---|");
    fprintf(out, "\n");
    for (size_t r = 0; r < nt; r++) {
        fputs("| ", out);
        rp_md_text(out, order[r]);
        fputs(" |", out);
        for (size_t k = 0; k < nc; k++) {
            const struct rr_cell *c =
                rp_index_find(m, endpoint, tool, order[r], cols[k].c, cols[k].p);
            if (c)
                md_slot(out, c, rank[r * nc + k]);
            else
                fprintf(out, " – |");
        }
        fprintf(out, "\n");
    }
    fprintf(out, "\n");
out:
    free(targets);
    free(cols);
    free(order);
    free(tmp);
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
            fputs("![", out);
            rp_md_text(out, endpoint);
            switch (k) {
            case 0:
                fprintf(out,
                        ", pipeline %d: %s per second against connections, one line per "
                        "target, with 95%% intervals",
                        ch->pipeline, what);
                break;
            case 1:
                fprintf(out, ", pipeline %d: targets sorted by %s per second at %d connections",
                        ch->pipeline, what, ch->connections);
                break;
            case 2:
                fprintf(out,
                        " at %d connections, pipeline %d: latency at each percentile, one "
                        "line per target",
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
    fprintf(out, " | %u | %u | %s · p99 %s |", rf->connections, rf->pipeline, med, p99);
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
        int apart = so->rps.ci95[1] < s->rps.ci95[0] || so->rps.ci95[0] > s->rps.ci95[1];
        fprintf(out, " %s · p99 %s · %.2fx%s |", med, p99, so->rps.median / s->rps.median,
                apart ? " ≠" : "");
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
                         "requests/s, p99, and the ratio to ringfire; `≠` where the two 95%% "
                         "intervals do not overlap (a difference beyond the noise).\n\n");
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
    md_header(out, doc);
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
