/*
 * matrix.c - a suite's cells: every target and endpoint it serves, every tool, every point of
 * the axes, less the exclusions, with the overrides applied.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "suite.h"
#include "tools.h"

int rs_match_cell(const struct rs_suite *s, const struct rs_match *m, const struct rs_cell *c)
{
    return (!m->target || strcmp(m->target, s->targets[c->target].name) == 0) &&
           (!m->endpoint || strcmp(m->endpoint, s->endpoints[c->endpoint].name) == 0) &&
           (m->tool < 0 || m->tool == (int)c->tool) &&
           (!m->connections || m->connections == c->connections) &&
           (!m->pipeline || m->pipeline == c->pipeline);
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

int rs_expand(const struct rs_suite *s, struct rs_cell **out)
{
    size_t cap = (size_t)s->ntargets * s->nendpoints * s->ntools * s->nconnections * s->npipeline *
                 s->nthreads * s->nws_bytes;
    struct rs_cell *cells = calloc(cap ? cap : 1, sizeof(*cells));
    if (!cells)
        return -1;
    int n = 0;
    for (unsigned t = 0; t < s->ntargets; t++)
        for (unsigned e = 0; e < s->nendpoints; e++) {
            if (!mx_serves(&s->targets[t], s->endpoints[e].name))
                continue;
            int ws = s->endpoints[e].websocket;
            for (unsigned k = 0; k < s->ntools; k++)
                for (unsigned ci = 0; ci < s->nconnections; ci++)
                    for (unsigned pi = 0; pi < s->npipeline; pi++)
                        for (unsigned ti = 0; ti < s->nthreads; ti++)
                            for (unsigned wi = 0; wi < (ws ? s->nws_bytes : 1); wi++) {
                                struct rs_cell *c = &cells[n];
                                *c = (struct rs_cell){
                                    .target = t,
                                    .endpoint = e,
                                    .tool = s->tools[k],
                                    .connections = s->connections[ci],
                                    .pipeline = s->pipeline[pi],
                                    .threads = s->threads[ti],
                                    .ws_bytes = ws ? s->ws_bytes[wi] : 0,
                                };
                                if (!mx_keep(s, c))
                                    continue;
                                rr_cell_id(c->id, sizeof(c->id), s->targets[t].name,
                                           s->endpoints[e].name, rs_tool_name(c->tool),
                                           c->connections, c->pipeline, c->threads, ws,
                                           c->ws_bytes);
                                n++;
                            }
        }
    *out = cells;
    return n;
}
