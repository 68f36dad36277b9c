/*
 * markdown.c - the report a framework author can paste into a README: per endpoint a table of
 * targets by connections x pipeline, ranks with tie bands, the tool comparison, WebSocket
 * tables, and the cells that failed or were skipped.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "jsonx.h"
#include "report.h"

#define MD_MAX 256

struct md_cell {
    const cJSON *json;
    const char *target, *endpoint, *tool, *status, *id;
    int connections, pipeline, websocket;
    double median, lo, hi, p99, errors;
    int noisy, not_server_bound;
    int rank; /* within its table column: connections x pipeline */
};

static int md_cells(const cJSON *doc, struct md_cell *out)
{
    int n = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "cells"))
    {
        if (n == MD_MAX * 8)
            break;
        struct md_cell *m = &out[n++];
        memset(m, 0, sizeof(*m));
        m->json = c;
        m->id = rs_json_str(c, "id");
        m->target = rs_json_str(c, "target");
        m->endpoint = rs_json_str(c, "endpoint");
        m->tool = rs_json_str(c, "tool");
        m->status = rs_json_str(c, "status");
        m->connections = (int)rs_json_num(c, "connections");
        m->pipeline = (int)rs_json_num(c, "pipeline");
        m->websocket = cJSON_IsTrue(cJSON_GetObjectItem(c, "websocket"));
        const cJSON *s = cJSON_GetObjectItem(c, "summary");
        const cJSON *rps = cJSON_GetObjectItem(s, "rps");
        m->median = rs_json_num(rps, "median");
        const cJSON *ci = cJSON_GetObjectItem(rps, "ci95");
        m->lo = cJSON_IsNumber(cJSON_GetArrayItem(ci, 0)) ? cJSON_GetArrayItem(ci, 0)->valuedouble
                                                          : m->median;
        m->hi = cJSON_IsNumber(cJSON_GetArrayItem(ci, 1)) ? cJSON_GetArrayItem(ci, 1)->valuedouble
                                                          : m->median;
        m->p99 = rs_json_num(cJSON_GetObjectItem(s, "latency_us"), "p99");
        m->errors = rs_json_num(s, "errors");
        m->noisy = cJSON_IsTrue(cJSON_GetObjectItem(rps, "noisy"));
        m->not_server_bound = s && strcmp(rs_json_str(s, "bottleneck"), "server-bound") != 0;
    }
    return n;
}

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

/* Distinct values, in first-seen order. */
static int md_add_name(const char **names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return n;
    names[n] = name;
    return n + 1;
}

static int md_cmp_desc(const void *a, const void *b)
{
    const struct md_cell *x = *(struct md_cell *const *)a, *y = *(struct md_cell *const *)b;
    return x->median < y->median ? 1 : x->median > y->median ? -1 : strcmp(x->target, y->target);
}

/*
 * Ranks with tie bands: sorted by median, a target whose 95% interval overlaps the interval of
 * the first target of the current band shares its rank, so no one reads a rank difference the
 * measurements cannot tell apart.
 */
static void md_rank(struct md_cell **v, int n, int *rank)
{
    qsort(v, (size_t)n, sizeof(*v), md_cmp_desc);
    int band = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && v[i]->hi < v[band]->lo)
            band = i;
        rank[i] = band + 1;
    }
}

static struct md_cell *md_find(struct md_cell *cells, int n, const char *target,
                               const char *endpoint, const char *tool, int c, int p)
{
    for (int i = 0; i < n; i++)
        if (strcmp(cells[i].target, target) == 0 && strcmp(cells[i].endpoint, endpoint) == 0 &&
            strcmp(cells[i].tool, tool) == 0 && cells[i].connections == c && cells[i].pipeline == p)
            return &cells[i];
    return NULL;
}

static void md_header(FILE *out, const cJSON *doc)
{
    const cJSON *suite = cJSON_GetObjectItem(doc, "suite"), *env = cJSON_GetObjectItem(doc, "env");
    fprintf(out, "# ringfire report: %s\n\n", rs_json_str(suite, "name"));
    fprintf(out, "Suite `%s` (`%s`, sha256 `%.12s`), started %s.\n\n", rs_json_str(suite, "name"),
            rs_json_str(suite, "file"), rs_json_str(env, "suite_sha256"),
            rs_json_str(env, "started"));
    fprintf(out, "| environment | |\n|---|---|\n");
    fprintf(out, "| CPU | %s, %g cores (client on CPU %s, targets on CPU %s) |\n",
            rs_json_str(env, "cpu_model"), rs_json_num(env, "cores"),
            rs_json_str(env, "client_cpus"), rs_json_str(env, "target_cpus"));
    fprintf(out, "| kernel | %s |\n", rs_json_str(env, "kernel"));
    fprintf(out, "| ringfire | %s |\n", rs_json_str(env, "ringfire"));
    const cJSON *v;
    fprintf(out, "| tools |");
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(env, "tools"))
        fprintf(out, " %s: %s;", v->string, cJSON_IsString(v) ? v->valuestring : "");
    fprintf(out, " |\n| targets |");
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(env, "targets"))
        fprintf(out, " %s: %s;", v->string, cJSON_IsString(v) ? v->valuestring : "");
    fprintf(out, " |\n\nReproduce with `%s` (seed %g).\n\n", rs_json_str(env, "command"),
            rs_json_num(env, "seed"));
}

static void md_legend(FILE *out)
{
    fprintf(out, "Each cell: the median of the runs, its 95%% bootstrap interval, and the p99 "
                 "latency; `#n` is the rank in that column, shared by targets whose intervals "
                 "overlap. `‡` the target was not the bottleneck (the client was, or neither "
                 "side was saturated): the figure may understate the server. `~` noisy: the "
                 "runs varied by more than 5%%.\n\n");
}

/* One table: targets (rows) by connections x pipeline (columns) for one endpoint and tool. */
static void md_table(FILE *out, struct md_cell *cells, int n, const char *endpoint,
                     const char *tool)
{
    const char *targets[MD_MAX];
    int nt = 0, cols[MD_MAX][2], nc = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(cells[i].endpoint, endpoint) || strcmp(cells[i].tool, tool) ||
            strcmp(cells[i].status, "ok"))
            continue;
        nt = md_add_name(targets, nt, cells[i].target);
        int seen = 0;
        for (int k = 0; k < nc && !seen; k++)
            seen = cols[k][0] == cells[i].connections && cols[k][1] == cells[i].pipeline;
        if (!seen && nc < MD_MAX) {
            cols[nc][0] = cells[i].connections;
            cols[nc++][1] = cells[i].pipeline;
        }
    }
    if (nt == 0)
        return;
    /* Columns by pipeline, then connections. */
    for (int a = 0; a < nc; a++)
        for (int b = a + 1; b < nc; b++)
            if (cols[b][1] < cols[a][1] || (cols[b][1] == cols[a][1] && cols[b][0] < cols[a][0])) {
                int t0 = cols[a][0], t1 = cols[a][1];
                cols[a][0] = cols[b][0];
                cols[a][1] = cols[b][1];
                cols[b][0] = t0;
                cols[b][1] = t1;
            }
    /* Rows in the order of the last column (the most load), best first. */
    struct md_cell *order[MD_MAX];
    int no = 0;
    for (int t = 0; t < nt; t++) {
        struct md_cell *c =
            md_find(cells, n, targets[t], endpoint, tool, cols[nc - 1][0], cols[nc - 1][1]);
        if (c)
            order[no++] = c;
    }
    qsort(order, (size_t)no, sizeof(*order), md_cmp_desc);
    for (int t = 0; t < nt; t++) { /* targets missing from the last column go last */
        int present = 0;
        for (int k = 0; k < no && !present; k++)
            present = strcmp(order[k]->target, targets[t]) == 0;
        if (!present && no < MD_MAX)
            order[no++] = md_find(cells, n, targets[t], endpoint, tool, cols[0][0], cols[0][1]);
    }
    /* Each column's ranks, once. */
    for (int k = 0; k < nc; k++) {
        struct md_cell *col[MD_MAX];
        int ncol = 0, crank[MD_MAX];
        for (int t = 0; t < nt; t++) {
            struct md_cell *o =
                md_find(cells, n, targets[t], endpoint, tool, cols[k][0], cols[k][1]);
            if (o)
                col[ncol++] = o;
        }
        md_rank(col, ncol, crank);
        for (int i = 0; i < ncol; i++)
            col[i]->rank = crank[i];
    }
    fprintf(out, "| target |");
    for (int k = 0; k < nc; k++)
        fprintf(out, " c=%d p=%d |", cols[k][0], cols[k][1]);
    fprintf(out, "\n|---|");
    for (int k = 0; k < nc; k++)
        fprintf(out, "---|");
    fprintf(out, "\n");
    for (int r = 0; r < no; r++) {
        if (!order[r])
            continue;
        fprintf(out, "| %s |", order[r]->target);
        for (int k = 0; k < nc; k++) {
            struct md_cell *c =
                md_find(cells, n, order[r]->target, endpoint, tool, cols[k][0], cols[k][1]);
            if (!c) {
                fprintf(out, " – |");
                continue;
            }
            char m[32], lo[32], hi[32], p99[32];
            rp_fmt_rate(c->median, m, sizeof(m));
            rp_fmt_rate(c->lo, lo, sizeof(lo));
            rp_fmt_rate(c->hi, hi, sizeof(hi));
            rp_fmt_time(c->p99, p99, sizeof(p99));
            fprintf(out, " **%s**%s%s [%s–%s] · p99 %s", m, c->not_server_bound ? " ‡" : "",
                    c->noisy ? " ~" : "", lo, hi, p99);
            if (c->errors > 0)
                fprintf(out, " · %g errors", c->errors);
            fprintf(out, " · #%d |", c->rank);
        }
        fprintf(out, "\n");
    }
    fprintf(out, "\n");
}

static void md_charts(FILE *out, const char *endpoint, const char *dir,
                      const struct rp_chart_list *list)
{
    for (int i = 0; list && i < list->n; i++) {
        const struct rp_chart *ch = &list->charts[i];
        if (strcmp(ch->endpoint, endpoint) != 0)
            continue;
        const char *what = ch->websocket ? "messages" : "requests";
        fprintf(out,
                "![%s, pipeline %d: %s per second against connections, one line per target, "
                "with 95%% intervals](%s/%s-p%d-rps.png)\n\n",
                endpoint, ch->pipeline, what, dir, endpoint, ch->pipeline);
        fprintf(out,
                "![%s, pipeline %d: targets sorted by %s per second at %d connections](%s/"
                "%s-p%d-bars.png)\n\n",
                endpoint, ch->pipeline, what, ch->connections, dir, endpoint, ch->pipeline);
        fprintf(out,
                "![%s at %d connections, pipeline %d: latency at each percentile, one line per "
                "target](%s/%s-c%d-p%d-latency.png)\n\n",
                endpoint, ch->connections, ch->pipeline, dir, endpoint, ch->connections,
                ch->pipeline);
        fprintf(out,
                "![%s at %d connections, pipeline %d: %s in each second of the first run](%s/"
                "%s-c%d-p%d-timeline.png)\n\n",
                endpoint, ch->connections, ch->pipeline, ch->websocket ? "messages" : "responses",
                dir, endpoint, ch->connections, ch->pipeline);
    }
}

/* The same cells measured by several tools: do they agree? */
static void md_tools(FILE *out, struct md_cell *cells, int n, const char *dir)
{
    int header = 0;
    for (int i = 0; i < n; i++) {
        struct md_cell *rf = &cells[i];
        if (strcmp(rf->tool, "ringfire") || strcmp(rf->status, "ok"))
            continue;
        static const char *const others[] = {"wrk", "hey", "h2load"};
        struct md_cell *o[3];
        int any = 0;
        for (int k = 0; k < 3; k++) {
            o[k] = md_find(cells, n, rf->target, rf->endpoint, others[k], rf->connections,
                           rf->pipeline);
            if (o[k] && strcmp(o[k]->status, "ok"))
                o[k] = NULL;
            any |= o[k] != NULL;
        }
        if (!any)
            continue;
        if (!header) {
            fprintf(out, "## Tool comparison\n\nThe same cells measured by each tool: median "
                         "requests/s, p99, and the ratio to ringfire; `≠` where the two 95%% "
                         "intervals do not overlap (a difference beyond the noise).\n\n");
            fprintf(out, "| target | endpoint | c | p | ringfire | wrk | hey | h2load |\n"
                         "|---|---|---|---|---|---|---|---|\n");
            header = 1;
        }
        char m[32], p99[32];
        rp_fmt_rate(rf->median, m, sizeof(m));
        rp_fmt_time(rf->p99, p99, sizeof(p99));
        fprintf(out, "| %s | %s | %d | %d | %s · p99 %s |", rf->target, rf->endpoint,
                rf->connections, rf->pipeline, m, p99);
        for (int k = 0; k < 3; k++) {
            if (!o[k]) {
                fprintf(out, " – |");
                continue;
            }
            rp_fmt_rate(o[k]->median, m, sizeof(m));
            rp_fmt_time(o[k]->p99, p99, sizeof(p99));
            int apart = o[k]->hi < rf->lo || o[k]->lo > rf->hi;
            fprintf(out, " %s · p99 %s · %.2fx%s |", m, p99, o[k]->median / rf->median,
                    apart ? " ≠" : "");
        }
        fprintf(out, "\n");
    }
    if (header) {
        fprintf(out, "\n");
        if (dir)
            fprintf(out,
                    "![The same cells measured by each tool: requests per second](%s/"
                    "tools.png)\n\n",
                    dir);
    }
}

static void md_failures(FILE *out, struct md_cell *cells, int n)
{
    int header = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(cells[i].status, "failed") && strcmp(cells[i].status, "skipped") &&
            strcmp(cells[i].status, "pending"))
            continue;
        if (!header) {
            fprintf(out, "## Cells not measured\n\n| cell | status | reason |\n|---|---|---|\n");
            header = 1;
        }
        char reason[400];
        snprintf(reason, sizeof(reason), "%s", rs_json_str(cells[i].json, "reason"));
        for (char *p = reason; *p; p++)
            if (*p == '|' || *p == '\n')
                *p = ' ';
        fprintf(out, "| `%s` | %s | %s |\n", cells[i].id, cells[i].status,
                reason[0] ? reason : (strcmp(cells[i].status, "pending") ? "" : "not run yet"));
    }
    if (header)
        fprintf(out, "\n");
}

void rp_markdown(FILE *out, const cJSON *doc, const char *charts_dir,
                 const struct rp_chart_list *charts)
{
    static struct md_cell cells[MD_MAX * 8];
    int n = md_cells(doc, cells);
    md_header(out, doc);
    const char *endpoints[MD_MAX];
    int ne = 0, ws = 0;
    for (int i = 0; i < n; i++)
        ne = md_add_name(endpoints, ne, cells[i].endpoint);
    md_legend(out);
    for (int e = 0; e < ne; e++) {
        int is_ws = 0;
        for (int i = 0; i < n; i++)
            if (strcmp(cells[i].endpoint, endpoints[e]) == 0)
                is_ws = cells[i].websocket;
        if (is_ws) {
            ws = 1;
            continue;
        }
        fprintf(out, "## %s: requests per second\n\n", endpoints[e]);
        md_table(out, cells, n, endpoints[e], "ringfire");
        md_charts(out, endpoints[e], charts_dir, charts);
    }
    for (int e = 0; ws && e < ne; e++) {
        int is_ws = 0;
        for (int i = 0; i < n; i++)
            if (strcmp(cells[i].endpoint, endpoints[e]) == 0)
                is_ws = cells[i].websocket;
        if (!is_ws)
            continue;
        fprintf(out, "## %s (WebSocket): messages per second\n\n", endpoints[e]);
        md_table(out, cells, n, endpoints[e], "ringfire");
        md_charts(out, endpoints[e], charts_dir, charts);
    }
    md_tools(out, cells, n, charts_dir);
    md_failures(out, cells, n);
}
