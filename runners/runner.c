/*
 * runner.c - running a suite (runner.h): set-up, the results document, each target's life and
 * its cells' runs in a shuffled order.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cell.h"
#include "proc.h"
#include "ringfire.h"
#include "machine.h"
#include "runner.h"
#include "search.h"
#include "stats.h"
#include "target.h"
#include "tools.h"
#include "validate.h"

#define RN_OVERHEAD_S 0.5     /* per run, for the estimate */
#define RN_SAVE_EVERY_S 5.0   /* results.json is rewritten at most this often during a target */
#define RN_TARGET_START_S 2.0 /* per target, for the estimate */

struct rn {
    struct rs_suite *suite;
    struct rs_cell *cells; /* rates taken from a peak are filled in as they are measured */
    int ncells;
    struct rr_cell **rec; /* the results record of each cell */
    struct rr_doc doc;
    const struct rs_run_opts *o;
    char dir[PATH_MAX];
    char client_cpus[64];
    char target_cpus[64];
    struct rs_cell_env env;
    unsigned total_runs;
    unsigned done_runs;
    double run_seconds; /* spent in runs so far, for the ETA */
    double saved_at;    /* when results.json was last written, and what that took */
    double save_cost;
    char save_failed[RS_ERR_MAX]; /* why results.json could not be written; the suite stops */
};

static void rn_event(const struct rn *R, struct rs_event *ev)
{
    if (R->o->event)
        R->o->event(ev, R->o->arg);
}

/* ---- set-up -------------------------------------------------------------------------------- */

/* A suite's CPU list that this process may not run on: its programs would run unpinned. */
static int rn_cpus_check(const char *list, const char *key, char *err)
{
    int cpus[1024];
    char allowed[256];
    int k = rf_parse_cpu_list(list, cpus, 1024); /* the suite loader checked its form */
    if (k < 1 || rf_cpus_check(cpus, (unsigned)k, allowed, sizeof(allowed)) == 0)
        return 0;
    snprintf(err, RS_ERR_MAX, "%s \"%s\": %s; pick from the CPUs it may use (%s)", key, list,
             rf_strerror(RF_ECPUS), allowed);
    return -1;
}

static unsigned rn_count_cpus(const char *list)
{
    int cpus[1024];
    int n = rf_parse_cpu_list(list, cpus, 1024);
    return n > 0 ? (unsigned)n : 1;
}

/* Client and target on separate CPUs where there is more than one: of the CPUs this process may
 * run on, the target gets the first half, the client the rest. */
static int rn_cpus(struct rn *R, char *err)
{
    const struct rs_suite *s = R->suite;
    if (s->client_cpus) {
        if (rn_cpus_check(s->client_cpus, ".cpus.client", err) < 0 ||
            rn_cpus_check(s->target_cpus, ".cpus.target", err) < 0)
            return -1;
        snprintf(R->client_cpus, sizeof(R->client_cpus), "%s", s->client_cpus);
        snprintf(R->target_cpus, sizeof(R->target_cpus), "%s", s->target_cpus);
    } else {
        int cpus[1024];
        int k = rf_cpus_allowed(cpus, 1024);
        if (k < 1)
            cpus[k++] = 0;
        int half = k / 2; /* 0 with one CPU: the two share it */
        rf_cpus_format(cpus, half ? half : k, R->target_cpus, sizeof(R->target_cpus));
        rf_cpus_format(cpus + half, k - half, R->client_cpus, sizeof(R->client_cpus));
    }
    R->env = (struct rs_cell_env){R->suite,
                                  R->o->ringfire,
                                  R->dir,
                                  R->client_cpus,
                                  rn_count_cpus(R->client_cpus),
                                  rn_count_cpus(R->target_cpus)};
    return 0;
}

static char *rn_strdup(const char *s)
{
    return strdup(s ? s : "");
}

/* The ringfire version, with the git commit of the tree it runs in where there is one. */
static char *rn_version(void)
{
    char *text = NULL, buf[256];
    const char *argv[] = {"git", "describe", "--always", "--dirty", NULL};
    snprintf(buf, sizeof(buf), "%s", RF_VERSION);
    if (rs_proc_run(argv, &(struct rs_proc){.timeout_s = 10}, &text, NULL) == 0 && text && text[0])
        snprintf(buf, sizeof(buf), "%s (git %.*s)", RF_VERSION, (int)strcspn(text, "\n"), text);
    free(text);
    return strdup(buf);
}

/* The client's and the target's CPUs' distance (machine.h), 50 ms; NaN when not measured (or
 * the clients run on agents: other machines). */
static double rn_distance(const struct rn *R)
{
    if (R->suite->agents)
        return NAN;
    double ns = rs_machine_distance(R->client_cpus, R->target_cpus, 50);
    return ns > 0 ? ns : NAN;
}

static void rn_env(struct rn *R, const char *sha)
{
    struct rf_env e;
    struct rr_env *env = &R->doc.env;
    char buf[64];
    rf_env_read(&e);
    env->ringfire = rn_version();
    env->kernel = rn_strdup(e.kernel);
    env->cpu_model = rn_strdup(e.cpu_model);
    env->cores = e.cores;
    env->client_cpus = rn_strdup(R->client_cpus);
    env->target_cpus = rn_strdup(R->target_cpus);
    env->suite_sha256 = rn_strdup(sha);
    env->seed = R->suite->seed;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
    env->started = rn_strdup(buf);
    env->command = rn_strdup(R->o->command);
    env->tools.v = calloc(R->suite->ntools + 1, sizeof(*env->tools.v));
    for (unsigned i = 0; env->tools.v && i < R->suite->ntools; i++) {
        char version[256];
        rs_tool_version(R->suite->tools[i], R->o->ringfire, version, sizeof(version));
        env->tools.v[env->tools.n].name = rn_strdup(rs_tool_name(R->suite->tools[i]));
        env->tools.v[env->tools.n++].value = rn_strdup(version);
    }
    env->targets.v = calloc(R->suite->ntargets + 1, sizeof(*env->targets.v));
    rs_machine_read(env);
    env->cpu_distance_start_ns = rn_distance(R);
    env->cpu_distance_end_ns = NAN;
    env->warmup_s = (double)R->suite->warmup_ns / 1e9;
    env->interleaved = R->suite->interleave;
    env->slo = R->suite->slo;
    env->timeout_s = (double)R->suite->timeout_ns / 1e9;
    env->target_settings.v = calloc(R->suite->ntargets + 1, sizeof(*env->target_settings.v));
    for (unsigned i = 0; env->target_settings.v && i < R->suite->ntargets; i++) {
        const struct rs_target *t = &R->suite->targets[i];
        char words[1024], own[256] = "";
        if (t->ringfire)
            rs_tool_version(rs_tool_find("ringfire"), t->ringfire, own, sizeof(own));
        snprintf(words, sizeof(words), "%s%s%s%s%s%s%s", t->settings ? t->settings : "not stated",
                 t->url ? "; already running at " : "", t->url ? t->url : "",
                 t->ringfire ? "; loaded by " : "", t->ringfire ? t->ringfire : "",
                 t->ringfire ? ", " : "", t->ringfire ? own : "");
        env->target_settings.v[env->target_settings.n].name = rn_strdup(t->name);
        env->target_settings.v[env->target_settings.n++].value = rn_strdup(words);
    }
}

/* A new document for the suite's cells, all pending. */
static int rn_doc_new(struct rn *R, const char *sha)
{
    struct rr_doc *d = &R->doc;
    d->suite.name = rn_strdup(R->suite->name);
    d->suite.file = rn_strdup(R->suite->file);
    rn_env(R, sha);
    d->cells = calloc((size_t)R->ncells, sizeof(*d->cells));
    if (!d->cells || !d->env.tools.v || !d->env.targets.v)
        return -1;
    for (int i = 0; i < R->ncells; i++) {
        const struct rs_cell *c = &R->cells[i];
        const struct rs_endpoint *e = &R->suite->endpoints[c->endpoint];
        struct rr_cell *r = &d->cells[d->ncells++];
        *r = (struct rr_cell){.id = rn_strdup(c->id),
                              .target = rn_strdup(R->suite->targets[c->target].name),
                              .endpoint = rn_strdup(e->name),
                              .tool = rn_strdup(rs_tool_name(c->tool)),
                              .connections = c->connections,
                              .pipeline = c->pipeline,
                              .threads = c->threads,
                              .websocket = e->websocket,
                              .ws_message_bytes = c->ws_bytes,
                              .repetitions = c->reps.max,
                              .repetitions_min = c->reps.min,
                              .interval_target = c->reps.target,
                              .reference = R->suite->targets[c->target].reference,
                              .duration_s = (double)c->duration_ns / 1e9,
                              .rate = c->rate,
                              .status = RR_PENDING};
    }
    return 0;
}

static int rn_cmp_id(const void *a, const void *b)
{
    return strcmp((*(struct rr_cell *const *)a)->id, (*(struct rr_cell *const *)b)->id);
}

/* Each cell's record in the document, found once.  Returns 0, or -1 naming a missing one. */
static int rn_records(struct rn *R, char *err)
{
    size_t n = R->doc.ncells;
    struct rr_cell **byid = malloc((n ? n : 1) * sizeof(*byid));
    R->rec = calloc((size_t)R->ncells + 1, sizeof(*R->rec));
    if (!byid || !R->rec) {
        free(byid);
        snprintf(err, RS_ERR_MAX, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        byid[i] = &R->doc.cells[i];
    qsort(byid, n, sizeof(*byid), rn_cmp_id);
    int rc = 0;
    for (int i = 0; i < R->ncells && rc == 0; i++) {
        struct rr_cell key = {.id = (char *)R->cells[i].id}, *kp = &key, **hit;
        hit = bsearch(&kp, byid, n, sizeof(*byid), rn_cmp_id);
        R->rec[i] = hit ? *hit : NULL;
        if (!hit) {
            snprintf(err, RS_ERR_MAX,
                     "--resume %.600s: its results.json has no cell %s; start a new run instead",
                     R->dir, R->cells[i].id);
            rc = -1;
        }
    }
    free(byid);
    return rc;
}

/* ---- saving, skipping, failing ------------------------------------------------------------- */

static double rn_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void rn_save(struct rn *R)
{
    char path[PATH_MAX + 16], reason[PATH_MAX + 256];
    snprintf(path, sizeof(path), "%s/results.json", R->dir);
    double start = rn_now();
    int rc = rr_write(&R->doc, path);
    R->saved_at = rn_now();
    R->save_cost = R->saved_at - start;
    if (rc < 0 && !R->save_failed[0]) {
        snprintf(reason, sizeof(reason),
                 "cannot write %s: %s; the suite stops, since it could keep nothing more (the "
                 "results written before stay there, whole)",
                 path, strerror(-rc));
        rn_event(R, &(struct rs_event){.kind = RS_EV_SAVE_FAILED, .reason = reason});
        snprintf(R->save_failed, sizeof(R->save_failed),
                 "results not saved: %s; make room or fix the folder, then finish with --resume "
                 "%.900s",
                 strerror(-rc), R->dir);
        rs_stop();
    }
}

/* After a run: saves when RN_SAVE_EVERY_S have passed and saving costs at most a tenth of the
 * time, since a suite's results grow to tens of megabytes.  A stop, a target's end and the
 * suite's end always save, so only a killed suite can lose runs, those of the last seconds. */
static void rn_save_soon(struct rn *R)
{
    double wait = 10 * R->save_cost > RN_SAVE_EVERY_S ? 10 * R->save_cost : RN_SAVE_EVERY_S;
    if (rn_now() - R->saved_at >= wait)
        rn_save(R);
}

/* Cells no tool can do here are skipped before anything starts. */
static void rn_skip_unrunnable(struct rn *R)
{
    for (int i = 0; i < R->ncells; i++) {
        const struct rs_cell *c = &R->cells[i];
        char why[256];
        if (R->rec[i]->status != RR_PENDING)
            continue;
        if (!rs_tool_supports(c->tool, c, &R->suite->endpoints[c->endpoint], why, sizeof(why)) ||
            !rs_tool_installed(c->tool, R->o->ringfire, why, sizeof(why)))
            rr_cell_set_status(R->rec[i], RR_SKIPPED, why);
    }
}

/* Every pending cell of a target (of one endpoint, or of all when endpoint < 0) fails. */
static void rn_fail_target(struct rn *R, unsigned target, int endpoint, const char *reason)
{
    for (int i = 0; i < R->ncells; i++) {
        const struct rs_cell *c = &R->cells[i];
        if (c->target == target && (endpoint < 0 || c->endpoint == (unsigned)endpoint) &&
            R->rec[i]->status == RR_PENDING)
            rr_cell_set_status(R->rec[i], RR_FAILED, reason);
    }
}

/* ---- a target ------------------------------------------------------------------------------ */

/* One measured run of cell i: recorded, summarized, announced. */
static void rn_run_cell(struct rn *R, int i, const struct rs_running *t, unsigned rep,
                        unsigned order)
{
    const struct rs_cell *c = &R->cells[i];
    struct rr_cell *rec = R->rec[i];
    struct rr_run run;
    char reason[RS_REASON_MAX];
    double start = rn_now();
    int rc = c->rate.search ? rs_search_run(&R->env, c, t, rep, order, &run, reason)
                            : rs_cell_run(&R->env, c, t, rep, order, &run, reason);
    R->run_seconds += rn_now() - start;
    R->done_runs++;
    if (rc == RS_CELL_INTERRUPTED)
        return;
    if (rc < 0) {
        rr_cell_set_status(rec, RR_FAILED, reason);
        return;
    }
    double rps = run.rps;
    if (rr_cell_add_run(rec, &run) < 0) {
        rr_run_free(&run);
        rr_cell_set_status(rec, RR_FAILED, "out of memory");
        return;
    }
    rr_summarize(rec);
    /* Done at max runs, or from min on once the interval is within the target. */
    if (rec->nruns >= c->reps.max ||
        (rec->nruns >= c->reps.min && c->reps.target > 0 && rec->summary.rps.resolved))
        rr_cell_set_status(rec, RR_OK, NULL);
    else if (rec->nruns >= c->reps.min)
        R->total_runs++; /* one more than planned */
    double per_run = R->run_seconds / R->done_runs;
    unsigned most = 0; /* runs left if every pending cell needs its max */
    for (int k = 0; k < R->ncells; k++)
        if (R->rec[k]->status == RR_PENDING && R->rec[k]->nruns < R->cells[k].reps.max)
            most += R->cells[k].reps.max - (unsigned)R->rec[k]->nruns;
    rn_event(R, &(struct rs_event){.kind = RS_EV_RUN,
                                   .cell = c,
                                   .rep = rep,
                                   .rps = rps,
                                   .done = R->done_runs,
                                   .total = R->total_runs,
                                   .eta_s = (unsigned)(per_run * (R->total_runs - R->done_runs)),
                                   .eta_max_s = (unsigned)(per_run * most),
                                   .target = R->suite->targets[c->target].name,
                                   .endpoint = R->suite->endpoints[c->endpoint].name});
}

/* Each endpoint the target's pending cells use, checked before any load; the cells of one that
 * fails are failed with the reason. */
static void rn_validate(struct rn *R, unsigned ti, const struct rs_running *run, const int *todo,
                        int ntodo)
{
    for (unsigned e = 0; e < R->suite->nendpoints; e++) {
        int used = 0;
        char reason[RS_REASON_MAX], full[RS_REASON_MAX + 64];
        for (int k = 0; k < ntodo && !used; k++)
            used = R->cells[todo[k]].endpoint == e;
        if (!used || rs_validate(run, &R->suite->endpoints[e], reason) == 0)
            continue;
        snprintf(full, sizeof(full), "validation failed: %s", reason);
        rn_fail_target(R, ti, (int)e, full);
        rn_event(R, &(struct rs_event){.kind = RS_EV_INVALID,
                                       .target = R->suite->targets[ti].name,
                                       .endpoint = R->suite->endpoints[e].name,
                                       .reason = full});
    }
}

static void rn_shuffle(int *v, int n, uint64_t *state)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(rr_random(state) % (uint64_t)(i + 1));
        int x = v[i];
        v[i] = v[j];
        v[j] = x;
    }
}

/* A group of targets measured together: one target, or all of an interleaved suite.  Cells of
 * the group that differ only by target share a slot; slot k's cell of the group's j-th target
 * is cell[k * nt + j] (-1: none). */
struct rn_group {
    unsigned target[RS_MAX_NAMES];
    struct rs_running run[RS_MAX_NAMES];
    int up[RS_MAX_NAMES]; /* started, validated, not dead */
    unsigned nt;
    int *cell;
    int *order; /* the slots, shuffled per repetition */
    int nslots;
    unsigned max_reps;
};

/* Cells that differ only by target (and, for rn_rates_from_peak, by rate). */
static int rn_same_point(const struct rs_cell *a, const struct rs_cell *b)
{
    return a->endpoint == b->endpoint && a->tool == b->tool && a->connections == b->connections &&
           a->pipeline == b->pipeline && a->threads == b->threads && a->ws_bytes == b->ws_bytes;
}

static int rn_same_slot(const struct rs_cell *a, const struct rs_cell *b)
{
    return rn_same_point(a, b) && rs_rate_same(&a->rate, &b->rate);
}

/* A cell that needs its peak measured first: a fraction of it, or a search below it. */
static int rn_of_peak(const struct rs_cell *c)
{
    return c->rate.present && (c->rate.search || !isnan(c->rate.of_peak));
}

/* The group's pending cells, by slot.  Returns the number of slots, or -1 out of memory. */
static int rn_slots(struct rn *R, struct rn_group *g)
{
    g->cell = malloc((size_t)R->ncells * g->nt * sizeof(int));
    g->order = malloc((size_t)R->ncells * sizeof(int));
    if (!g->cell || !g->order)
        return -1;
    for (int i = 0; i < R->ncells; i++) {
        const struct rs_cell *c = &R->cells[i];
        unsigned j = 0;
        while (j < g->nt && g->target[j] != c->target)
            j++;
        if (j == g->nt || R->rec[i]->status != RR_PENDING)
            continue;
        int k = 0;
        while (k < g->nslots && !rn_same_slot(&R->cells[g->order[k]], c))
            k++;
        if (k == g->nslots) {
            for (unsigned m = 0; m < g->nt; m++)
                g->cell[(size_t)k * g->nt + m] = -1;
            g->order[g->nslots++] = i;
        }
        g->cell[(size_t)k * g->nt + j] = i;
        if (c->reps.max > g->max_reps)
            g->max_reps = c->reps.max;
    }
    for (int k = 0; k < g->nslots; k++)
        g->order[k] = k;
    return g->nslots;
}

static void rn_target_version(struct rn *R, const char *name, const char *version)
{
    struct rr_map *m = &R->doc.env.targets;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].name, name) == 0)
            return;
    m->v[m->n].name = rn_strdup(name);
    m->v[m->n++].value = rn_strdup(version);
}

/* Installs, builds, starts and validates the group's j-th target; on failure its cells fail. */
static void rn_start(struct rn *R, struct rn_group *g, unsigned j)
{
    unsigned ti = g->target[j];
    const struct rs_target *t = &R->suite->targets[ti];
    char log[PATH_MAX + 64], reason[RS_REASON_MAX];
    snprintf(log, sizeof(log), "%s/%s.install.log", R->dir, t->name);
    rn_event(R, &(struct rs_event){.kind = RS_EV_TARGET, .target = t->name});
    int own = !t->ringfire || access(t->ringfire, X_OK) == 0; /* the ringfire it is loaded by */
    if (!own)
        snprintf(reason, sizeof(reason), "its ringfire command %s cannot be run: %s", t->ringfire,
                 strerror(errno));
    if (!own || rs_target_install(t, log, reason) < 0 || rs_target_build(t, log, reason) < 0 ||
        rs_target_start(t, R->target_cpus, R->dir, &g->run[j], reason) < 0) {
        rn_fail_target(R, ti, -1, reason);
        rn_event(R, &(struct rs_event){
                        .kind = RS_EV_TARGET_FAILED, .target = t->name, .reason = reason});
        rn_save(R);
        return;
    }
    g->up[j] = 1;
    rn_target_version(R, t->name, g->run[j].version);
    int *todo = malloc((size_t)g->nslots * sizeof(int)), ntodo = 0;
    for (int k = 0; todo && k < g->nslots; k++)
        if (g->cell[(size_t)k * g->nt + j] >= 0)
            todo[ntodo++] = g->cell[(size_t)k * g->nt + j];
    rn_validate(R, ti, &g->run[j], todo, ntodo);
    free(todo);
    rn_save(R);
}

/* One run of cell i of the group's j-th target, unless the target died. */
static void rn_group_run(struct rn *R, struct rn_group *g, unsigned j, int i, unsigned rep,
                         unsigned order)
{
    char reason[RS_REASON_MAX];
    unsigned ti = g->target[j];
    struct rr_cell *rec = R->rec[i];
    if (!g->up[j] || rec->status != RR_PENDING || rec->nruns >= rep || rep > R->cells[i].reps.max)
        return;
    char how[64];
    if (g->run[j].pid && rs_proc_ended(g->run[j].pid, how, sizeof(how))) {
        snprintf(reason, sizeof(reason), "the target died (it %s) before this cell (see %s)", how,
                 g->run[j].log);
        rn_fail_target(R, ti, -1, reason);
        g->up[j] = 0;
        return;
    }
    rn_run_cell(R, i, &g->run[j], rep, order);
    if (g->run[j].pid && rs_proc_ended(g->run[j].pid, how, sizeof(how)) &&
        rec->status != RR_FAILED) {
        snprintf(reason, sizeof(reason),
                 "the target died (it %s) during run %u of this cell (see %s)", how, rep,
                 g->run[j].log);
        rr_cell_set_status(rec, RR_FAILED, reason);
        rn_fail_target(R, ti, -1, "the target died during another cell");
        g->up[j] = 0;
    }
    rn_save_soon(R);
}

/* The group's cells, repetition by repetition.  Each repetition visits the slots in its own
 * shuffled order, so that drift over time (thermal, background load) spreads over the cells
 * instead of biasing the last ones; within a slot the targets take turns, first to last in odd
 * repetitions and last to first in even ones (A B, B A, ...), so that neither side of an A/B
 * comparison always runs first. */
static void rn_repetitions(struct rn *R, struct rn_group *g, int of_peak)
{
    unsigned first = g->target[0];
    for (unsigned rep = 1; rep <= g->max_reps && !rs_stopping(); rep++) {
        uint64_t state = R->suite->seed * 0x9e3779b97f4a7c15ULL + rep * 1000003ULL + first;
        rn_shuffle(g->order, g->nslots, &state);
        for (int k = 0; k < g->nslots && !rs_stopping(); k++)
            for (unsigned m = 0; m < g->nt && !rs_stopping(); m++) {
                unsigned j = rep % 2 ? m : g->nt - 1 - m;
                int i = g->cell[(size_t)g->order[k] * g->nt + j];
                if (i >= 0 && rn_of_peak(&R->cells[i]) == of_peak)
                    rn_group_run(R, g, j, i, rep, (unsigned)k + 1);
            }
    }
}

/* Each cell whose rate is a fraction of its peak gets it from the median of the peak cell (the
 * same cell in the closed loop), measured first; without one, it fails with the reason. */
static void rn_rates_from_peak(struct rn *R, const struct rn_group *g)
{
    for (int k = 0; k < g->nslots * (int)g->nt; k++) {
        int i = g->cell[k];
        if (i < 0 || !rn_of_peak(&R->cells[i]) || R->rec[i]->status != RR_PENDING)
            continue;
        if (!isnan(R->rec[i]->rate.rps)) { /* resumed: taken before */
            R->cells[i].rate.rps = R->rec[i]->rate.rps;
            continue;
        }
        const struct rr_cell *peak = NULL;
        for (int p = 0; p < R->ncells && !peak; p++)
            if (!R->cells[p].rate.present && R->cells[p].target == R->cells[i].target &&
                rn_same_point(&R->cells[p], &R->cells[i]))
                peak = R->rec[p];
        if (!peak || peak->status != RR_OK || !peak->summary.present) {
            rr_cell_set_status(R->rec[i], RR_FAILED,
                               "its peak (the same cell in the closed loop) was not measured");
            continue;
        }
        if (R->cells[i].rate.search) { /* the bound below which it searches */
            R->cells[i].rate.rps = peak->summary.rps.median;
            continue;
        }
        R->rec[i]->rate.rps = R->cells[i].rate.of_peak * peak->summary.rps.median;
        R->cells[i].rate.rps = R->rec[i]->rate.rps;
    }
}

/* Measures a group of targets: all started before the first run, all stopped after the last. */
static void rn_group(struct rn *R, const unsigned *targets, unsigned nt)
{
    struct rn_group g = {.nt = nt};
    memcpy(g.target, targets, nt * sizeof(*targets));
    if (rn_slots(R, &g) > 0 && !rs_stopping()) {
        for (unsigned j = 0; j < nt && !rs_stopping(); j++)
            rn_start(R, &g, j);
        rn_repetitions(R, &g, 0);
        rn_rates_from_peak(R, &g);
        rn_repetitions(R, &g, 1);
    }
    rn_save(R); /* before a stop that may be slow, and may be cut short by a second Ctrl-C */
    for (unsigned j = 0; j < nt; j++) {
        const struct rs_target *t = &R->suite->targets[targets[j]];
        if (rs_target_stop(&g.run[j], t->stop_timeout_ns) < 0)
            rn_event(R, &(struct rs_event){.kind = RS_EV_KILLED, .target = t->name});
    }
    free(g.cell);
    free(g.order);
}

/* ---- the suite ----------------------------------------------------------------------------- */

/* The runs of one search: halving from the peak to the precision, plus one, each rate run
 * twice at most. */
static double rn_search_steps(const struct rs_suite *s, int most)
{
    double steps = ceil(log2(1 / s->slo.precision)) + 1;
    return most ? 2 * steps : steps;
}

double rs_suite_estimate(const struct rs_suite *s, const struct rs_cell *cells, int ncells,
                         int most)
{
    double seconds = RN_TARGET_START_S * s->ntargets;
    for (int i = 0; i < ncells; i++) {
        const struct rs_cell *c = &cells[i];
        char why[256];
        if (rs_tool_supports(c->tool, c, &s->endpoints[c->endpoint], why, sizeof(why)))
            seconds += (most ? c->reps.max : c->reps.min) *
                       ((double)(c->duration_ns + s->warmup_ns) / 1e9 + RN_OVERHEAD_S) *
                       (c->rate.search ? rn_search_steps(s, most) : 1);
    }
    return seconds;
}

static int rn_mkdirs(const char *dir)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof(tmp), "%s", dir);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(tmp, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* Loads the results to finish and checks they belong to this suite. */
static int rn_resume(struct rn *R, const char *sha, char *err)
{
    char file[PATH_MAX + 16], why[RR_ERR_MAX];
    snprintf(R->dir, sizeof(R->dir), "%s", R->o->resume_dir);
    snprintf(file, sizeof(file), "%s/results.json", R->dir);
    if (rr_load(file, &R->doc, why) < 0) {
        snprintf(err, RS_ERR_MAX, "--resume %.200s: %.800s", R->dir, why);
        return RS_RUN_INPUT;
    }
    if (strcmp(R->doc.env.suite_sha256, sha) != 0) {
        snprintf(err, RS_ERR_MAX,
                 "--resume %.600s: the suite file changed since these results were started (sha256 "
                 "%.12s... then, %.12s... now); start a new run instead",
                 R->dir, R->doc.env.suite_sha256, sha);
        return RS_RUN_INPUT;
    }
    R->suite->seed = R->doc.env.seed;
    return rn_records(R, err) < 0 ? RS_RUN_INPUT : 0;
}

/* A new results directory and document. */
static int rn_create(struct rn *R, const char *sha, char *err)
{
    if (R->o->out_dir) {
        snprintf(R->dir, sizeof(R->dir), "%s", R->o->out_dir);
    } else {
        char stamp[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
        snprintf(R->dir, sizeof(R->dir), "results/%s-%s", R->suite->name, stamp);
    }
    if (rn_mkdirs(R->dir) < 0) {
        snprintf(err, RS_ERR_MAX, "cannot create %.900s: %s", R->dir, strerror(errno));
        return RS_RUN_FAIL;
    }
    if (rn_doc_new(R, sha) < 0 || rn_records(R, err) < 0) {
        snprintf(err, RS_ERR_MAX, "out of memory");
        return RS_RUN_FAIL;
    }
    return 0;
}

static void rn_end(struct rn *R)
{
    struct rs_event ev = {.kind = RS_EV_END, .dir = R->dir};
    for (size_t i = 0; i < R->doc.ncells; i++) {
        enum rr_status st = R->doc.cells[i].status;
        ev.ok += st == RR_OK;
        ev.failed += st == RR_FAILED;
        ev.skipped += st == RR_SKIPPED;
        ev.pending += st == RR_PENDING;
    }
    rn_event(R, &ev);
}

int rs_suite_run(struct rs_suite *suite, struct rs_cell *cells, int ncells,
                 const struct rs_run_opts *o, char err[RS_ERR_MAX])
{
    struct rn R = {.suite = suite, .cells = cells, .ncells = ncells, .o = o};
    if (suite->seed == 0)
        suite->seed = (uint64_t)time(NULL);
    int rc = rn_cpus(&R, err) < 0 ? RS_RUN_INPUT : 0;
    if (rc == 0)
        rc = o->resume_dir ? rn_resume(&R, suite->sha256, err) : rn_create(&R, suite->sha256, err);
    if (rc != 0)
        goto out;
    /* Targets get {dir} absolute: servers resolve relative paths against their own prefix. */
    char abs[PATH_MAX];
    if (realpath(R.dir, abs))
        snprintf(R.dir, sizeof(R.dir), "%s", abs);
    rn_skip_unrunnable(&R);
    for (int i = 0; i < ncells; i++)
        if (R.rec[i]->status == RR_PENDING)
            R.total_runs += cells[i].reps.min > R.rec[i]->nruns
                                ? cells[i].reps.min - (unsigned)R.rec[i]->nruns
                                : 1;
    rn_save(&R);
    rn_event(&R, &(struct rs_event){.kind = RS_EV_BEGIN,
                                    .ncells = ncells,
                                    .total = R.total_runs,
                                    .dir = R.dir,
                                    .client_cpus = R.client_cpus,
                                    .target_cpus = R.target_cpus});
    unsigned all[RS_MAX_NAMES];
    for (unsigned t = 0; t < suite->ntargets; t++)
        all[t] = t;
    if (suite->interleave)
        rn_group(&R, all, suite->ntargets);
    for (unsigned t = 0; !suite->interleave && t < suite->ntargets && !rs_stopping(); t++)
        rn_group(&R, &all[t], 1);
    R.doc.env.cpu_distance_end_ns = rn_distance(&R);
    rn_save(&R);
    rn_end(&R);
    rc = rs_stopping() ? RS_RUN_INTERRUPTED : RS_RUN_OK;
    if (R.save_failed[0]) {
        snprintf(err, RS_ERR_MAX, "%s", R.save_failed);
        rc = RS_RUN_FAIL;
    }
out:
    free(R.rec);
    rr_doc_free(&R.doc);
    return rc;
}
