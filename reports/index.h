/*
 * index.h - the measured cells of a results document, indexed for the report and the charts:
 * found by endpoint, tool, target and load in log n, grouped by endpoint and tool, with the
 * targets, endpoints and tools in the order the document first names them.
 */
#ifndef RF_INDEX_H
#define RF_INDEX_H

#include <stddef.h>

#include "results.h"

struct rp_rank {
    const char *name;
    size_t place;
};

struct rp_index {
    const struct rr_doc *doc;
    const struct rr_cell **ok; /* status "ok" in the closed loop, sorted by endpoint, tool,
                                * target, load, place */
    size_t nok;
    const char **targets; /* every target, first-seen order */
    size_t ntargets;
    struct rp_rank *by_name;          /* the targets sorted by name, with their place */
    const struct rr_cell **endpoints; /* the first cell of each endpoint, in document order */
    size_t nendpoints;
    const char **tools; /* every tool but ringfire, first-seen order */
    size_t ntools;
};

/* Returns 0, or -1 when out of memory. */
int rp_index_build(struct rp_index *x, const struct rr_doc *doc);
void rp_index_free(struct rp_index *x);

/* The first measured cell with this key (in document order), or NULL. */
const struct rr_cell *rp_index_find(const struct rp_index *x, const char *endpoint,
                                    const char *tool, const char *target, unsigned connections,
                                    unsigned pipeline);
/* The measured cells of one endpoint and tool: x->ok[*first .. return). */
size_t rp_index_range(const struct rp_index *x, const char *endpoint, const char *tool,
                      size_t *first);
/* A target's place in first-seen order (its colour in every chart), or -1. */
long rp_index_target(const struct rp_index *x, const char *target);

#endif
