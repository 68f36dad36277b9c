/*
 * board.c - the method block, the legend and the leaderboards as plain text (board.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "rank.h"
#include "report.h"
#include "stats.h"

/* ---- the method ---------------------------------------------------------------------------- */

static void bd_map(FILE *out, const struct rr_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        fprintf(out, "%s%s: %s", i ? "; " : "", m->v[i].name, m->v[i].value);
    if (m->n == 0)
        fputs("not recorded", out);
}

enum bd_span { BD_DURATION, BD_MIN_RUNS, BD_MAX_RUNS, BD_TARGET };

static void bd_span_of(FILE *out, const struct rr_doc *doc, enum bd_span k, int adaptive);

static void bd_span(FILE *out, const struct rr_doc *doc, enum bd_span k)
{
    bd_span_of(out, doc, k, -1);
}

static double bd_span_value(const struct rr_cell *c, enum bd_span k)
{
    switch (k) {
    case BD_DURATION:
        return c->duration_s;
    case BD_MIN_RUNS:
        return c->repetitions_min ? c->repetitions_min : c->repetitions;
    case BD_MAX_RUNS:
        return c->repetitions;
    default:
        return c->interval_target * 100;
    }
}

/* The smallest and largest of a cell figure over the cells whose repetitions are adaptive
 * (adaptive 1), fixed (0) or either (-1): "a" or "a to b". */
static void bd_span_of(FILE *out, const struct rr_doc *doc, enum bd_span k, int adaptive)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < doc->ncells; i++) {
        if (adaptive >= 0 && (doc->cells[i].interval_target > 0) != adaptive)
            continue;
        double v = bd_span_value(&doc->cells[i], k);
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    if (!(lo <= hi))
        fputs("–", out);
    else if (hi > lo)
        fprintf(out, "%g to %g", lo, hi);
    else
        fprintf(out, "%g", lo);
}

static const char *bd_or(const char *v)
{
    return v && v[0] ? v : "not recorded";
}

static void bd_runs(FILE *out, const struct rr_doc *doc)
{
    int adaptive = 0, fixed = 0;
    for (size_t i = 0; i < doc->ncells; i++) {
        adaptive |= doc->cells[i].interval_target > 0;
        fixed |= !(doc->cells[i].interval_target > 0);
    }
    if (adaptive) {
        fputs("at least ", out);
        bd_span_of(out, doc, BD_MIN_RUNS, 1);
        fputs(" and at most ", out);
        bd_span_of(out, doc, BD_MAX_RUNS, 1);
        fputs(", more until the 95% interval of the median lies within ", out);
        bd_span_of(out, doc, BD_TARGET, 1);
        fputs("% of it", out);
    }
    if (adaptive && fixed)
        fputs("; other cells ", out);
    if (fixed)
        bd_span_of(out, doc, BD_MAX_RUNS, 0);
    fprintf(out, "; each repetition visits the cells in its own shuffled order (seed %llu)",
            (unsigned long long)doc->env.seed);
    if (doc->env.interleaved)
        fputs("; the targets ran at once and took turns on each cell, in the suite's order in odd "
              "repetitions and the reverse in even ones",
              out);
}

/* The client's and the target's CPUs' distance when the suite began and ended, and what a
 * change means: on a virtual machine the host moves the two CPUs, and every figure with them. */
static void bd_distance(FILE *out, const struct rr_env *env)
{
    double a = env->cpu_distance_start_ns, b = env->cpu_distance_end_ns;
    if (!(a > 0) && !(b > 0))
        return;
    fputs("; a cache line's round trip between the client's CPU and the target's: ", out);
    if (a > 0)
        fprintf(out, "%.0f ns when the suite began", a);
    if (a > 0 && b > 0)
        fputs(", ", out);
    if (b > 0)
        fprintf(out, "%.0f ns when it ended", b);
    if (a > 0 && b > 0 && (a > 2 * b || b > 2 * a))
        fputs(" (the two CPUs moved apart or together during the suite, as a virtual machine's "
              "host may move them; every client's and server's cost per request moves with that "
              "distance, so cells measured at different times may not compare)",
              out);
}

static void bd_machine(FILE *out, const struct rr_env *env)
{
    fprintf(out, "%s, %u CPUs", bd_or(env->cpu_model), env->cores);
    if (env->threads_per_core)
        fprintf(out, " (%u per core)", env->threads_per_core);
    fprintf(out, "; virtualization: %s", bd_or(env->virtualization));
    if (env->memory_bytes > 0)
        fprintf(out, "; %.1f GiB of memory", env->memory_bytes / (1024.0 * 1024 * 1024));
    fprintf(out, "; %s; kernel %s; CPU frequency governor: %s", bd_or(env->distribution),
            bd_or(env->kernel), bd_or(env->governor));
    if (env->cpu_takers && env->cpu_takers[0])
        fprintf(out,
                "; kernel threads that take a CPU on their own: %s (DAMON's memory monitor: on "
                "the machine ringfire was built on it held a CPU for 0.6 to 3.7 ms about twice a "
                "second, so tail latencies of a few milliseconds, and generator-bound runs at a "
                "fixed rate, may be its)",
                env->cpu_takers);
    bd_distance(out, env);
}

/* The client threads of the cells: one per client CPU (0), or the counts the suite set. */
static void bd_threads(FILE *out, const struct rr_doc *doc)
{
    unsigned lo = ~0u, hi = 0;
    for (size_t i = 0; i < doc->ncells; i++) {
        unsigned t = doc->cells[i].threads;
        lo = t < lo ? t : lo;
        hi = t > hi ? t : hi;
    }
    if (hi == 0)
        fputs("one client thread per client CPU", out);
    else if (lo == hi)
        fprintf(out, "%u client threads", hi);
    else
        fprintf(out, "%u to %u client threads (0: one per client CPU)", lo, hi);
}

/* A run of ringfire's and its cell. */
struct bd_stamps {
    const struct rr_cell *cell;
    const struct rr_run *run;
};

/* Where a run's send stamps may be earliest against its p50: the closed loop's runs (open 0)
 * or those at a fixed rate (open 1), whose p50 is the service time.  Returns how many of
 * ringfire's runs there are of that kind. */
static size_t bd_worst_stamps(const struct rr_doc *doc, int open, struct bd_stamps *w)
{
    size_t n = 0;
    double worst = -1;
    *w = (struct bd_stamps){0};
    for (size_t i = 0; i < doc->ncells; i++) {
        const struct rr_cell *c = &doc->cells[i];
        for (size_t k = 0; k < c->nruns && !strcmp(c->tool, "ringfire"); k++) {
            const struct rr_run *r = &c->runs[k];
            if ((r->rate.present != 0) != open)
                continue;
            n++;
            double share = r->send_early_us / r->latency_us[RR_P50];
            if (share > worst && isfinite(share)) { /* not recorded (NaN), or no p50: skipped */
                worst = share;
                *w = (struct bd_stamps){c, r};
            }
        }
    }
    return n;
}

/* "S% of a run's p50 (cell)": the service time's p50 and the rate asked for a rate run. */
static void bd_stamps_cell(FILE *out, const struct bd_stamps *w)
{
    const struct rr_run *r = w->run;
    fprintf(out, "%.2g%% of a run's %sp50 (%s %s c=%u p=%u",
            100 * r->send_early_us / r->latency_us[RR_P50], r->rate.present ? "service time " : "",
            w->cell->target, w->cell->endpoint, w->cell->connections, w->cell->pipeline);
    if (r->rate.present && isfinite(r->rate.target_rps)) {
        char a[32];
        rp_fmt_rate(r->rate.target_rps, a, sizeof(a));
        fprintf(out, " at %s req/s", a);
    }
    fputc(')', out);
}

/* Where ringfire's latency starts, and how much its send stamps may add (docs/engine.md, "Send
 * stamps"): the largest share of a run's p50, with the run's cell, in the closed loop and at a
 * fixed rate, where it is the service time's share and the response time does not use it. */
static void bd_send_stamps(FILE *out, const struct bd_stamps *closed, const struct bd_stamps *open)
{
    fputs("from just before the submit that sends each request to the kernel's receive stamp of "
          "its answer; ",
          out);
    if (!closed->run && !open->run) {
        fputs("how early its send stamps were is not recorded in this file", out);
        return;
    }
    if (closed->run) {
        fprintf(out, "a send stamp is early by at most %.3g µs on average, up to ",
                closed->run->send_early_us);
        bd_stamps_cell(out, closed);
        fputs(": its latency figures may read that much high", out);
    }
    if (open->run) {
        fprintf(out, "%s at a fixed rate, by at most %.3g µs on average, up to ",
                closed->run ? ";" : "a send stamp is early", open->run->send_early_us);
        bd_stamps_cell(out, open);
        fputs(": service time may read that much high and generator lag that much low; response "
              "time, from the intended send, does not use the stamp",
              out);
    }
}

/* Starts a fact: its text is what is written to the returned stream until rp_method closes it. */
static FILE *bd_fact(struct rp_fact *f, const char *label, size_t *len)
{
    f->label = label;
    f->text = NULL;
    return open_memstream(&f->text, len);
}

int rp_method(const struct rr_doc *doc, struct rp_fact facts[RP_METHOD_MAX])
{
    const struct rr_env *env = &doc->env;
    size_t len;
    int n = 0;
    FILE *o;
    if ((o = bd_fact(&facts[n++], "suite", &len))) {
        fprintf(o, "%s (%s, sha256 %.12s), started %s", doc->suite.name, doc->suite.file,
                bd_or(env->suite_sha256), bd_or(env->started));
        fclose(o);
    }
    if ((o = bd_fact(&facts[n++], "each run", &len))) {
        bd_span(o, doc, BD_DURATION);
        if (isnan(env->warmup_s))
            fputs(" s measured (warm-up and timeout not recorded)", o);
        else
            fprintf(o, " s measured after %g s of warm-up; a request times out after %g s",
                    env->warmup_s, env->timeout_s);
        fclose(o);
    }
    if ((o = bd_fact(&facts[n++], "runs per cell", &len))) {
        bd_runs(o, doc);
        fclose(o);
    }
    if ((o = bd_fact(&facts[n++], "client", &len))) {
        fprintf(o, "ringfire %s and the tools below, on CPU %s; ", bd_or(env->ringfire),
                bd_or(env->client_cpus));
        bd_threads(o, doc);
        fclose(o);
    }
    struct bd_stamps closed, open;
    if ((bd_worst_stamps(doc, 0, &closed) + bd_worst_stamps(doc, 1, &open)) &&
        (o = bd_fact(&facts[n++], "ringfire's latency", &len))) {
        bd_send_stamps(o, &closed, &open);
        fclose(o);
    }
    if ((o = bd_fact(&facts[n++], "targets", &len))) {
        fprintf(o, "pinned to CPU %s; their settings: ", bd_or(env->target_cpus));
        bd_map(o, &env->target_settings);
        fclose(o);
    }
    if ((o = bd_fact(&facts[n++], "machine", &len))) {
        bd_machine(o, env);
        fclose(o);
    }
    const struct {
        const char *label;
        const struct rr_map *map;
    } maps[] = {{"TCP", &env->tcp}, {"tools", &env->tools}, {"target versions", &env->targets}};
    for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
        if ((o = bd_fact(&facts[n++], maps[i].label, &len))) {
            bd_map(o, maps[i].map);
            fclose(o);
        }
    if ((o = bd_fact(&facts[n++], "reproduce", &len))) {
        fputs(bd_or(env->command), o);
        fclose(o);
    }
    return n;
}

void rp_facts_free(struct rp_fact *facts, int n)
{
    for (int i = 0; i < n; i++)
        free(facts[i].text);
}

const char *rp_legend(void)
{
    static char text[2560];
    snprintf(text, sizeof(text),
             "How to read the tables. One table per load (connections c, requests in flight per "
             "connection p), rows by median. req/s: answers with the expected status per second, "
             "the median of the runs. interval: the interval of that median from two of the "
             "runs' own values, with the chance it holds the true median (95%% or more; with "
             "fewer than 6 runs only the range of the runs, which holds it less often, said as "
             "such). #: 1 plus the number of ranked rows whose whole interval lies above this "
             "row's; rows the data cannot separate share a rank. Not ranked: † a reference target "
             "(ringfire's own server, for scale), ‡ the client's CPU was full (the figure is the "
             "client's limit), ~ the interval is wider than the suite's target. errors: answers "
             "with another status and failed requests, as a share of the requests. CPU: each "
             "side's share of its cores; bottleneck: the side at %.0f%% or more, both, or neither "
             "(then latency, connections or locks set the pace). Loopback: each side's CPU also "
             "carries part of the other's TCP work. Latency figures leave out the requests still "
             "unanswered when a run ended (unanswered, the median per run). In a closed loop a "
             "request slot's cycle is c × p / req/s (Little's law); ringfire's latency is the "
             "part from a send to its answer's arrival, shorter than the cycle by the time from "
             "that arrival to the slot's next send, which the client spends.",
             RR_SATURATED * 100);
    return text;
}

/* ---- leaderboards --------------------------------------------------------------------------- */

static const char *const bd_heads[RP_GRID_COLS] = {"#",
                                                   "target",
                                                   NULL,
                                                   "interval",
                                                   NULL,
                                                   "p99",
                                                   "errors",
                                                   "unanswered",
                                                   "CPU client / server",
                                                   "CPU per answer client / server",
                                                   "server peak memory",
                                                   "bottleneck"};

static const char *bd_board_head(const struct rp_board *b, int k)
{
    if (k == 2)
        return b->n && b->cells[0]->websocket ? "msg/s" : "req/s";
    if (k == 4)
        return b->best_ranked ? "% of best ranked" : "% of the highest";
    return bd_heads[k];
}

static void bd_board_row(const void *board, size_t i, char cols[RP_GRID_COLS][RP_COL_MAX],
                         double sort[RP_GRID_COLS]);

static void bd_board_grid(const struct rp_board *b, struct rp_grid *g)
{
    snprintf(g->title, sizeof(g->title), "c=%u p=%u", b->cells[0]->connections,
             b->cells[0]->pipeline);
    for (int k = 0; k < RP_GRID_COLS; k++)
        g->head[k] = bd_board_head(b, k);
    g->rate = NULL;
    g->n = b->n;
    g->cells = b->cells;
    g->board = b;
    g->row = bd_board_row;
}

static const char *const bd_marks[] = {"", " †", " ‡", " ~"};

static void bd_us(char *out, size_t n, double us)
{
    if (isnan(us))
        snprintf(out, n, "–");
    else
        snprintf(out, n, "%.2f µs", us);
}

/* A row's start: nothing to sort by yet, and its rank ("–": not ranked, sorted last). */
static void bd_row_start(int rank, char cols[RP_GRID_COLS][RP_COL_MAX], double sort[RP_GRID_COLS])
{
    for (int k = 0; k < RP_GRID_COLS; k++)
        sort[k] = NAN;
    if (rank)
        snprintf(cols[0], RP_COL_MAX, "%d", rank);
    else
        snprintf(cols[0], RP_COL_MAX, "–");
    sort[0] = rank ? rank : INFINITY;
}

/* Two columns: CPU per answer "client / server", and the server's peak memory. */
static void bd_cpu_memory(const struct rr_summary *s, char cols[][RP_COL_MAX], double *sort)
{
    char a[32], t[32];
    bd_us(a, sizeof(a), s->cpu_us_per_response.client);
    bd_us(t, sizeof(t), s->cpu_us_per_response.target);
    snprintf(cols[0], RP_COL_MAX, "%s / %s", a, t);
    sort[0] = s->cpu_us_per_response.target;
    if (isnan(s->peak_rss_bytes.target) || s->peak_rss_bytes.target <= 0)
        snprintf(cols[1], RP_COL_MAX, "–");
    else
        snprintf(cols[1], RP_COL_MAX, "%.0f MiB", s->peak_rss_bytes.target / (1024.0 * 1024));
    sort[1] = s->peak_rss_bytes.target;
}

static void bd_pct(char *out, double share)
{
    if (isnan(share))
        snprintf(out, RP_COL_MAX, "–");
    else
        snprintf(out, RP_COL_MAX, "%.0f%%", share * 100);
}

static void bd_board_row(const void *board, size_t i, char cols[RP_GRID_COLS][RP_COL_MAX],
                         double sort[RP_GRID_COLS])
{
    const struct rp_board *b = board;
    const struct rr_cell *c = b->cells[i];
    const struct rr_summary *s = &c->summary;
    char lo[32], hi[32], a[32], t[32];
    bd_row_start(b->rank[i], cols, sort);
    snprintf(cols[1], RP_COL_MAX, "%s%s", c->target, bd_marks[rp_unranked(c)]);
    rp_fmt_rate(s->rps.median, cols[2], RP_COL_MAX);
    sort[2] = s->rps.median;
    rp_fmt_rate(s->rps.ci[0], lo, sizeof(lo));
    rp_fmt_rate(s->rps.ci[1], hi, sizeof(hi));
    if (s->rps.runs < 2)
        snprintf(cols[3], RP_COL_MAX, "one run: no interval");
    else if (s->rps.ci_coverage < RR_LEVEL)
        snprintf(cols[3], RP_COL_MAX, "[%s–%s] range of %u runs, %.0f%%", lo, hi, s->rps.runs,
                 s->rps.ci_coverage * 100);
    else
        snprintf(cols[3], RP_COL_MAX, "[%s–%s]", lo, hi);
    sort[3] = s->rps.ci[1] - s->rps.ci[0];
    bd_pct(cols[4], b->best > 0 ? s->rps.median / b->best : NAN);
    sort[4] = s->rps.median;
    rp_fmt_time(s->latency_us[RR_P99], cols[5], RP_COL_MAX);
    sort[5] = s->latency_us[RR_P99];
    if (isnan(s->error_rate))
        snprintf(cols[6], RP_COL_MAX, "–");
    else
        snprintf(cols[6], RP_COL_MAX, "%.2g%%", s->error_rate * 100);
    sort[6] = s->error_rate;
    if (isnan(s->unanswered))
        snprintf(cols[7], RP_COL_MAX, "–");
    else
        snprintf(cols[7], RP_COL_MAX, "%.0f", s->unanswered);
    sort[7] = s->unanswered;
    bd_pct(a, s->utilization.client);
    bd_pct(t, s->utilization.target);
    snprintf(cols[8], RP_COL_MAX, "%s / %s", a, t);
    sort[8] = s->utilization.target;
    bd_cpu_memory(s, cols + 9, sort + 9);
    snprintf(cols[11], RP_COL_MAX, "%s", rr_bottleneck_name(s->bottleneck));
}

static int bd_cmp_median_desc(const void *x, const void *y)
{
    const struct rr_cell *a = *(const struct rr_cell *const *)x,
                         *b = *(const struct rr_cell *const *)y;
    double ma = a->summary.rps.median, mb = b->summary.rps.median;
    return ma < mb ? 1 : ma > mb ? -1 : strcmp(a->target, b->target);
}

static int bd_cmp_load(const void *x, const void *y)
{
    const struct rr_cell *a = *(const struct rr_cell *const *)x,
                         *b = *(const struct rr_cell *const *)y;
    if (a->pipeline != b->pipeline)
        return (a->pipeline > b->pipeline) - (a->pipeline < b->pipeline);
    if (a->connections != b->connections)
        return (a->connections > b->connections) - (a->connections < b->connections);
    return bd_cmp_median_desc(x, y);
}

int rp_boards(const struct rp_index *m, size_t first, size_t end, rp_grid_fn *visit, void *arg)
{
    size_t n = end - first;
    const struct rr_cell **v = malloc((n ? n : 1) * sizeof(*v));
    int *rank = malloc((n ? n : 1) * sizeof(*rank));
    if (!v || !rank) {
        free(v);
        free(rank);
        return -1;
    }
    memcpy(v, m->ok + first, n * sizeof(*v));
    qsort(v, n, sizeof(*v), bd_cmp_load);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1;
             j < n && v[j]->connections == v[i]->connections && v[j]->pipeline == v[i]->pipeline;
             j++)
            ;
        struct rp_board b = {v + i, rank + i, j - i, 0, 0};
        rp_rank(b.cells, b.n, rank + i);
        double top = 0;
        for (size_t k = 0; k < b.n; k++) {
            double med = b.cells[k]->summary.rps.median;
            if (rank[i + k] && med > b.best)
                b.best = med;
            top = med > top ? med : top;
        }
        b.best_ranked = b.best > 0;
        if (!b.best_ranked)
            b.best = top;
        struct rp_grid g;
        bd_board_grid(&b, &g);
        visit(&g, arg);
    }
    free(v);
    free(rank);
    return 0;
}

/* ---- errors ---------------------------------------------------------------------------------- */

int rp_error_kinds(const struct rr_cell *c, char *out, size_t n)
{
    static const struct rr_errors none;
    double sum[RR_NERROR_KINDS] = {0}, v;
    const char *key;
    int any = 0;
    for (size_t r = 0; r < c->nruns; r++)
        for (size_t k = 0; rr_error_kind(k, &c->runs[r].error_kinds, &v); k++)
            if (!isnan(v))
                sum[k] += v;
    size_t len = 0;
    out[0] = '\0';
    for (size_t k = 0; (key = rr_error_kind(k, &none, &v)); k++)
        if (sum[k] > 0 && len < n) {
            len += (size_t)snprintf(out + len, n - len, "%s%s %.0f", len ? ", " : "", key, sum[k]);
            any = 1;
        }
    return any;
}

/* ---- cells at a fixed rate ------------------------------------------------------------------ */

#define BD_RUNS_MAX 1000 /* a cell's most repetitions */

enum rr_verdict rp_rate_verdict(const struct rr_cell *c, unsigned *valid)
{
    unsigned count[RR_V_SERVER + 1] = {0};
    for (size_t r = 0; r < c->nruns; r++)
        if (c->runs[r].rate.present)
            count[c->runs[r].rate.verdict]++;
    *valid = count[RR_V_VALID];
    enum rr_verdict worst = RR_V_VALID;
    for (int v = RR_V_GENERATOR; v <= RR_V_SERVER; v++)
        if (count[v] > count[worst] || (worst == RR_V_VALID && count[v]))
            worst = (enum rr_verdict)v;
    return worst;
}

static const char *const bd_rate_heads[RP_GRID_COLS] = {
    "#",
    "target",
    "rate asked",
    "achieved",
    "verdict (valid runs)",
    "response time p50",
    "p99",
    "p99.9",
    "service time p99",
    "generator lag p99",
    "CPU per answer client / server",
    "server peak memory",
};

const char *rp_rate_legend(void)
{
    return "ringfire sent at the rate asked whatever the answers (the open model). Response time "
           "runs from each request's intended send time to its answer, so a stalled server's "
           "wait is in it; service time from the actual send (the closed loop's latency); "
           "generator lag is how late ringfire sent. The verdict says whether a run kept its "
           "schedule: valid, generator-bound (ringfire could not keep up), connection-bound "
           "(every connection was busy) or server-bound (the server fell behind); the cell's "
           "is valid only when every run was. Where the engine found a generator-bound run's "
           "timed wake-up a millisecond or more late with its worker not busy (\"woken ... "
           "late\"), ringfire was ready and something else held its CPU: the machine, not "
           "ringfire's load, broke the schedule. At a rate in requests per second, valid cells of "
           "targets that are not a reference are ranked by server CPU per answer: 1 plus those "
           "whose interval of the median lies wholly below. Rates given as a fraction of each "
           "target's own peak are not ranked. A search finds the highest rate that meets the "
           "suite's objective (a valid run within the response-time and error limits) by "
           "bisection below the cell's measured peak, to the objective's precision; each run is "
           "a whole search, and the highest rates are ranked like the leaderboards above, except "
           "those (‡) where the step that failed was generator-bound in a run: their answer may "
           "be ringfire's limit on this machine, or a stall of the machine (\"woken ... late\" "
           "in the step that broke), not the server's.";
}

static void bd_rate_row(const void *board, size_t i, char cols[RP_GRID_COLS][RP_COL_MAX],
                        double sort[RP_GRID_COLS])
{
    const struct rp_rate_board *b = board;
    const struct rr_cell *c = b->cells[i];
    char a[32];
    unsigned valid;
    enum rr_verdict v = rp_rate_verdict(c, &valid);
    bd_row_start(b->rank[i], cols, sort);
    snprintf(cols[1], RP_COL_MAX, "%s%s", c->target, c->reference ? " †" : "");
    rp_fmt_rate(c->rate.rps, a, sizeof(a));
    if (isnan(c->rate.of_peak))
        snprintf(cols[2], RP_COL_MAX, "%s", a);
    else
        snprintf(cols[2], RP_COL_MAX, "%s (%.4g%% of its peak)", a, c->rate.of_peak * 100);
    sort[2] = c->rate.rps;
    rp_fmt_rate(c->summary.rps.median, cols[3], RP_COL_MAX);
    sort[3] = c->summary.rps.median;
    double late = 0; /* the latest wake-up of a run the engine found stalled */
    for (size_t r = 0; r < c->nruns; r++)
        if (c->runs[r].rate.present && c->runs[r].rate.stalled &&
            c->runs[r].rate.wake_late_max_us > late)
            late = c->runs[r].rate.wake_late_max_us;
    if (v == RR_V_GENERATOR && late > 0)
        snprintf(cols[4], RP_COL_MAX, "%s (%u of %zu; woken up to %.1f ms late)",
                 rr_verdict_name(v), valid, c->nruns, late / 1e3);
    else
        snprintf(cols[4], RP_COL_MAX, "%s (%u of %zu)", rr_verdict_name(v), valid, c->nruns);
    static const size_t lat[] = {offsetof(struct rr_run, rate.response_us[RR_P50]),
                                 offsetof(struct rr_run, rate.response_us[RR_P99]),
                                 offsetof(struct rr_run, rate.response_us[RR_P99_9]),
                                 offsetof(struct rr_run, latency_us[RR_P99]),
                                 offsetof(struct rr_run, rate.lag_p99_us)};
    for (int k = 0; k < 5; k++) {
        sort[5 + k] = rr_runs_median(c, lat[k]);
        rp_fmt_time(sort[5 + k], cols[5 + k], RP_COL_MAX);
    }
    bd_cpu_memory(&c->summary, cols + 10, sort + 10);
}

static const char *const bd_search_heads[RP_GRID_COLS] = {
    "#",
    "target",
    "highest rate",
    "interval",
    "runs",
    "steps per search",
    "the next step broke",
    "response time at that rate",
    "service time p99",
    "generator lag p99",
    "CPU per answer client / server",
    "server peak memory",
};

/* A board of searches: the highest rate under the objective, ranked as leaderboards are. */
static void bd_search_row(const void *board, size_t i, char cols[RP_GRID_COLS][RP_COL_MAX],
                          double sort[RP_GRID_COLS])
{
    const struct rp_rate_board *b = board;
    const struct rr_cell *c = b->cells[i];
    const struct rr_summary *s = &c->summary;
    char lo[32], hi[32], a[32];
    static const char *const marks[] = {"", " †", " ‡", " ~"};
    bd_row_start(b->rank[i], cols, sort);
    snprintf(cols[1], RP_COL_MAX, "%s%s", c->target,
             rp_search_generator_bound(c) ? " ‡" : marks[rp_unranked(c)]);
    rp_fmt_rate(s->rps.median, cols[2], RP_COL_MAX);
    sort[2] = s->rps.median;
    rp_fmt_rate(s->rps.ci[0], lo, sizeof(lo));
    rp_fmt_rate(s->rps.ci[1], hi, sizeof(hi));
    snprintf(cols[3], RP_COL_MAX, "[%s–%s]%s", lo, hi,
             s->rps.ci_coverage >= RR_LEVEL ? "" : " range of the runs");
    snprintf(cols[4], RP_COL_MAX, "%zu", c->nruns);
    sort[4] = (double)c->nruns;
    double steps = 0;
    for (size_t r = 0; r < c->nruns; r++)
        steps += (double)c->runs[r].nsteps;
    snprintf(cols[5], RP_COL_MAX, "%.1f", c->nruns ? steps / (double)c->nruns : 0);
    const char *why = c->nruns ? c->runs[c->nruns - 1].stopped_by : NULL;
    snprintf(cols[6], RP_COL_MAX, "%s", why ? why : "–");
    sort[7] = rr_runs_median(c, offsetof(struct rr_run, rate.response_us) +
                                    (size_t)b->slo->percentile * sizeof(double));
    rp_fmt_time(sort[7], a, sizeof(a));
    snprintf(cols[7], RP_COL_MAX, "%s %s", rr_lat_name((enum rr_lat)b->slo->percentile), a);
    sort[8] = rr_runs_median(c, offsetof(struct rr_run, latency_us[RR_P99]));
    rp_fmt_time(sort[8], cols[8], RP_COL_MAX);
    sort[9] = rr_runs_median(c, offsetof(struct rr_run, rate.lag_p99_us));
    rp_fmt_time(sort[9], cols[9], RP_COL_MAX);
    bd_cpu_memory(s, cols + 10, sort + 10);
}

static void bd_rate_grid(const struct rp_rate_board *b, struct rp_grid *g)
{
    g->rate = b;
    for (int k = 0; k < RP_GRID_COLS; k++)
        g->head[k] = b->search ? bd_search_heads[k] : bd_rate_heads[k];
    g->n = b->n;
    g->cells = b->cells;
    g->board = b;
    g->row = b->search ? bd_search_row : bd_rate_row;
    const struct rr_cell *c = b->cells[0];
    char rate[32];
    rp_fmt_rate(c->rate.rps, rate, sizeof(rate));
    if (b->search) {
        char limit[32];
        rp_fmt_time(b->slo->limit_us, limit, sizeof(limit));
        snprintf(g->title, sizeof(g->title),
                 "%.64s, c=%u p=%u, the highest rate with response time %s at most %s and errors "
                 "at most %.3g%%",
                 c->endpoint, c->connections, c->pipeline,
                 rr_lat_name((enum rr_lat)b->slo->percentile), limit, b->slo->max_error_rate * 100);
        return;
    }
    if (b->absolute)
        snprintf(g->title, sizeof(g->title), "%.64s, c=%u p=%u, %s %s/s", c->endpoint,
                 c->connections, c->pipeline, rate, c->websocket ? "msg" : "req");
    else
        snprintf(g->title, sizeof(g->title), "%.64s, c=%u p=%u, fractions of each target's peak",
                 c->endpoint, c->connections, c->pipeline);
}

/* Whether two rate cells belong on one board: the same endpoint, tool and load, and, for
 * rates in requests per second, the same rate. */
static int bd_rate_same(const struct rr_cell *a, const struct rr_cell *b)
{
    return strcmp(a->endpoint, b->endpoint) == 0 && strcmp(a->tool, b->tool) == 0 &&
           a->connections == b->connections && a->pipeline == b->pipeline &&
           a->threads == b->threads && a->ws_message_bytes == b->ws_message_bytes &&
           a->rate.search == b->rate.search && isnan(a->rate.of_peak) == isnan(b->rate.of_peak) &&
           (a->rate.search || !isnan(a->rate.of_peak) || a->rate.rps == b->rate.rps);
}

/* Ranks a board at one rate by server CPU per answer: valid cells (every run kept the rate) of
 * targets that are not a reference, 1 plus those whose interval of the median lies wholly
 * below. */
static void bd_rate_rank(struct rp_rate_board *b, int *rank)
{
    double lo[RP_RATE_MAX], hi[RP_RATE_MAX];
    for (size_t i = 0; i < b->n; i++) {
        const struct rr_cell *c = b->cells[i];
        double v[BD_RUNS_MAX];
        unsigned n = 0, valid;
        for (size_t r = 0; r < c->nruns && n < BD_RUNS_MAX; r++)
            if (!isnan(c->runs[r].cpu_us_per_response.target))
                v[n++] = c->runs[r].cpu_us_per_response.target;
        struct rr_spread s;
        rr_describe(v, n, &s);
        int ok = b->absolute && !c->reference && n > 0 &&
                 rp_rate_verdict(c, &valid) == RR_V_VALID && valid == c->nruns;
        lo[i] = ok ? s.ci_low : NAN;
        hi[i] = ok ? s.ci_high : NAN;
    }
    for (size_t i = 0; i < b->n; i++) {
        rank[i] = 0;
        if (isnan(lo[i]))
            continue;
        rank[i] = 1;
        for (size_t k = 0; k < b->n; k++)
            rank[i] += !isnan(hi[k]) && hi[k] < lo[i];
    }
}

int rp_search_generator_bound(const struct rr_cell *c)
{
    for (size_t r = 0; r < c->nruns; r++) {
        const struct rr_run *run = &c->runs[r];
        double stop = INFINITY; /* the lowest failing rate above the answer */
        int generator = 1;
        for (size_t k = 0; k < run->nsteps; k++)
            if (!run->steps[k].passed && run->steps[k].rps > run->rps && run->steps[k].rps < stop)
                stop = run->steps[k].rps;
        for (size_t k = 0; k < run->nsteps; k++) /* each run of that rate ringfire's limit */
            if (run->steps[k].rps == stop && run->steps[k].verdict != RR_V_GENERATOR)
                generator = 0;
        if (isfinite(stop) && generator)
            return 1;
    }
    return 0;
}

/* Ranks searches as leaderboards are (rank.c), leaving out those that ringfire's own limit may
 * have stopped. */
static void bd_search_rank(const struct rp_rate_board *b, int *rank)
{
    const struct rr_cell *kept[RP_RATE_MAX];
    int kept_rank[RP_RATE_MAX];
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        if (!rp_search_generator_bound(b->cells[i]))
            kept[n++] = b->cells[i];
    rp_rank(kept, n, kept_rank);
    for (size_t i = 0, k = 0; i < b->n; i++)
        rank[i] = rp_search_generator_bound(b->cells[i]) ? 0 : kept_rank[k++];
}

int rp_rate_any(const struct rr_doc *doc)
{
    for (size_t i = 0; i < doc->ncells; i++)
        if (doc->cells[i].rate.present && doc->cells[i].status == RR_OK)
            return 1;
    return 0;
}

int rp_rate_boards(const struct rr_doc *doc, rp_grid_fn *visit, void *arg)
{
    const struct rr_cell **done = calloc(doc->ncells ? doc->ncells : 1, sizeof(*done));
    const struct rr_cell *cells[RP_RATE_MAX];
    int rank[RP_RATE_MAX];
    if (!done)
        return -1;
    for (size_t i = 0; i < doc->ncells; i++) {
        const struct rr_cell *c = &doc->cells[i];
        if (!c->rate.present || c->status != RR_OK || done[i])
            continue;
        struct rp_rate_board b = {.cells = cells,
                                  .rank = rank,
                                  .absolute = !c->rate.search && isnan(c->rate.of_peak),
                                  .search = c->rate.search,
                                  .slo = &doc->env.slo};
        for (size_t k = i; k < doc->ncells && b.n < RP_RATE_MAX; k++)
            if (!done[k] && doc->cells[k].rate.present && doc->cells[k].status == RR_OK &&
                bd_rate_same(c, &doc->cells[k])) {
                done[k] = c;
                cells[b.n++] = &doc->cells[k];
            }
        if (b.search)
            bd_search_rank(&b, rank);
        else
            bd_rate_rank(&b, rank);
        struct rp_grid g;
        bd_rate_grid(&b, &g);
        visit(&g, arg);
    }
    free(done);
    return 0;
}
