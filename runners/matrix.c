/*
 * matrix.c - a suite's cells: every target and endpoint it serves, every tool, every point of
 * the axes, less the exclusions, with the overrides applied.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "suite.h"
#include "tools.h"

int rs_rate_same(const struct rr_rate *a, const struct rr_rate *b)
{
    if (a->present != b->present || a->search != b->search)
        return 0;
    if (!a->present || a->search)
        return 1;
    return isnan(a->of_peak) ? isnan(b->of_peak) && a->rps == b->rps : a->of_peak == b->of_peak;
}

int rs_match_cell(const struct rs_suite *s, const struct rs_match *m, const struct rs_cell *c)
{
    const struct rs_target *t = &s->targets[c->target];
    const char *name = t->twin ? s->targets[t->twin - 1].name : t->name;
    return (!m->target || strcmp(m->target, name) == 0) &&
           (!m->endpoint || strcmp(m->endpoint, s->endpoints[c->endpoint].name) == 0) &&
           (m->tool < 0 || m->tool == (int)c->tool) &&
           (!m->connections || m->connections == c->connections) &&
           (!m->pipeline || m->pipeline == c->pipeline) &&
           (!m->has_rate || rs_rate_same(&m->rate, &c->rate));
}

static int mx_serves(const struct rs_target *t, const char *endpoint)
{
    for (unsigned k = 0; k < t->nendpoints; k++)
        if (strcmp(t->endpoints[k], endpoint) == 0)
            return 1;
    return 0;
}

static int mx_keep(const struct rs_suite *s, struct rs_cell *c)
{
    for (unsigned i = 0; i < s->nexclude; i++)
        if (rs_match_cell(s, &s->exclude[i], c))
            return 0;
    c->reps = s->reps;
    c->duration_ns = s->duration_ns;
    for (unsigned i = 0; i < s->noverrides; i++) {
        const struct rs_override *o = &s->overrides[i];
        if (!rs_match_cell(s, &o->match, c))
            continue;
        if (o->duration_ns)
            c->duration_ns = o->duration_ns;
        if (o->reps.max)
            c->reps = o->reps;
    }
    return 1;
}

/* The cells of target t and endpoint e into cells: every tool and point of the axes, in the
 * order tools, connections, pipeline, threads, message sizes, rates.  Returns how many. */
static int mx_cells(const struct rs_suite *s, unsigned t, unsigned e, struct rs_cell *cells)
{
    int ws = s->endpoints[e].websocket, n = 0;
    unsigned nw = ws ? s->nws_bytes : 1;
    size_t total =
        (size_t)s->ntools * s->nconnections * s->npipeline * s->nthreads * nw * s->nrates;
    for (size_t i = 0; i < total; i++) {
        size_t r = i;
        unsigned ri = (unsigned)(r % s->nrates), wi, ti, pi, ci;
        r /= s->nrates;
        wi = (unsigned)(r % nw);
        r /= nw;
        ti = (unsigned)(r % s->nthreads);
        r /= s->nthreads;
        pi = (unsigned)(r % s->npipeline);
        r /= s->npipeline;
        ci = (unsigned)(r % s->nconnections);
        r /= s->nconnections;
        struct rs_cell *c = &cells[n];
        *c = (struct rs_cell){
            .target = t,
            .endpoint = e,
            .tool = s->tools[r],
            .connections = s->connections[ci],
            .pipeline = s->pipeline[pi],
            .threads = s->threads[ti],
            .ws_bytes = ws ? s->ws_bytes[wi] : 0,
            .rate = s->rates[ri],
        };
        if (!mx_keep(s, c))
            continue;
        rr_cell_id(c->id, sizeof(c->id), s->targets[t].name, s->endpoints[e].name,
                   rs_tool_name(c->tool), c->connections, c->pipeline, c->threads, ws, c->ws_bytes);
        if (c->rate.present)
            rr_cell_id_rate(c->id, sizeof(c->id), &c->rate);
        n++;
    }
    return n;
}

int rs_expand(const struct rs_suite *s, struct rs_cell **out)
{
    size_t cap = (size_t)s->ntargets * s->nendpoints * s->ntools * s->nconnections * s->npipeline *
                 s->nthreads * s->nws_bytes * s->nrates;
    struct rs_cell *cells = calloc(cap ? cap : 1, sizeof(*cells));
    if (!cells)
        return -1;
    int n = 0;
    for (unsigned t = 0; t < s->ntargets; t++)
        for (unsigned e = 0; e < s->nendpoints; e++)
            if (mx_serves(&s->targets[t], s->endpoints[e].name))
                n += mx_cells(s, t, e, cells + n);
    *out = cells;
    return n;
}
