/*
 * index.c - sorted views of a results document (index.h).  Everything is sorted once, so a
 * document of any size costs n log n to report on.
 */
#include <stdlib.h>
#include <string.h>

#include "index.h"

static int ix_cmp_key(const struct rr_cell *a, const char *endpoint, const char *tool,
                      const char *target, unsigned c, unsigned p)
{
    int r = strcmp(a->endpoint, endpoint);
    r = r ? r : strcmp(a->tool, tool);
    r = r ? r : strcmp(a->target, target);
    r = r ? r : (a->connections > c) - (a->connections < c);
    return r ? r : (a->pipeline > p) - (a->pipeline < p);
}

static int ix_cmp_cells(const void *x, const void *y)
{
    const struct rr_cell *a = *(const struct rr_cell *const *)x,
                         *b = *(const struct rr_cell *const *)y;
    int r = ix_cmp_key(a, b->endpoint, b->tool, b->target, b->connections, b->pipeline);
    return r ? r : (a > b) - (a < b); /* equal keys keep document order: the first one wins */
}

static int ix_cmp_rank(const void *x, const void *y)
{
    return strcmp(((const struct rp_rank *)x)->name, ((const struct rp_rank *)y)->name);
}

static int ix_cmp_place(const void *x, const void *y)
{
    const struct rr_cell *a = *(const struct rr_cell *const *)x,
                         *b = *(const struct rr_cell *const *)y;
    return (a > b) - (a < b);
}

#define IX_NAME(c, offset) (*(char *const *)((const char *)(c) + (offset)))

/* By the name at the offset the argument points to, then by place: a total order. */
static int ix_cmp_name(const void *x, const void *y, void *arg)
{
    const struct rr_cell *a = *(const struct rr_cell *const *)x,
                         *b = *(const struct rr_cell *const *)y;
    size_t offset = *(const size_t *)arg;
    int r = strcmp(IX_NAME(a, offset), IX_NAME(b, offset));
    return r ? r : (a > b) - (a < b);
}

/* The cells whose field at offset (a char *) is first of its value, in document order;
 * skip, where not NULL, is a value to leave out.  Returns how many, or -1. */
static long ix_first_seen(const struct rr_doc *doc, size_t offset, const char *skip,
                          const struct rr_cell ***out)
{
    const struct rr_cell **v = malloc((doc->ncells ? doc->ncells : 1) * sizeof(*v));
    if (!v)
        return -1;
    size_t n = 0, u = 0;
    for (size_t i = 0; i < doc->ncells; i++)
        if (!skip || strcmp(IX_NAME(&doc->cells[i], offset), skip))
            v[n++] = &doc->cells[i];
    qsort_r(v, n, sizeof(*v), ix_cmp_name, &offset);
    for (size_t i = 0; i < n; i++)
        if (u == 0 || strcmp(IX_NAME(v[u - 1], offset), IX_NAME(v[i], offset)))
            v[u++] = v[i];
    qsort(v, u, sizeof(*v), ix_cmp_place);
    *out = v;
    return (long)u;
}

/* The names of a first-seen list of cells. */
static const char **ix_names(const struct rr_cell **cells, long n, size_t offset)
{
    const char **names = malloc((n > 0 ? (size_t)n : 1) * sizeof(*names));
    for (long i = 0; names && i < n; i++)
        names[i] = IX_NAME(cells[i], offset);
    return names;
}

int rp_index_build(struct rp_index *x, const struct rr_doc *doc)
{
    memset(x, 0, sizeof(*x));
    x->doc = doc;
    x->ok = malloc((doc->ncells ? doc->ncells : 1) * sizeof(*x->ok));
    if (!x->ok)
        goto err;
    for (size_t i = 0; i < doc->ncells; i++) /* cells at a fixed rate have their own section */
        if (doc->cells[i].status == RR_OK && !doc->cells[i].rate.present)
            x->ok[x->nok++] = &doc->cells[i];
    qsort(x->ok, x->nok, sizeof(*x->ok), ix_cmp_cells);
    const struct rr_cell **first;
    long n = ix_first_seen(doc, offsetof(struct rr_cell, target), NULL, &first);
    if (n < 0)
        goto err;
    x->targets = ix_names(first, n, offsetof(struct rr_cell, target));
    x->ntargets = (size_t)n;
    free(first);
    x->by_name = malloc((x->ntargets ? x->ntargets : 1) * sizeof(*x->by_name));
    if (!x->targets || !x->by_name)
        goto err;
    for (size_t i = 0; i < x->ntargets; i++)
        x->by_name[i] = (struct rp_rank){x->targets[i], i};
    qsort(x->by_name, x->ntargets, sizeof(*x->by_name), ix_cmp_rank);
    n = ix_first_seen(doc, offsetof(struct rr_cell, tool), "ringfire", &first);
    if (n < 0)
        goto err;
    x->tools = ix_names(first, n, offsetof(struct rr_cell, tool));
    x->ntools = (size_t)n;
    free(first);
    n = ix_first_seen(doc, offsetof(struct rr_cell, endpoint), NULL, &x->endpoints);
    if (n < 0 || !x->targets || !x->tools)
        goto err;
    x->nendpoints = (size_t)n;
    return 0;
err:
    rp_index_free(x);
    return -1;
}

void rp_index_free(struct rp_index *x)
{
    free(x->ok);
    free(x->targets);
    free(x->tools);
    free(x->endpoints);
    free(x->by_name);
    memset(x, 0, sizeof(*x));
}

const struct rr_cell *rp_index_find(const struct rp_index *x, const char *endpoint,
                                    const char *tool, const char *target, unsigned c, unsigned p)
{
    size_t lo = 0, hi = x->nok;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix_cmp_key(x->ok[mid], endpoint, tool, target, c, p) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->nok && ix_cmp_key(x->ok[lo], endpoint, tool, target, c, p) == 0 ? x->ok[lo]
                                                                                   : NULL;
}

size_t rp_index_range(const struct rp_index *x, const char *endpoint, const char *tool,
                      size_t *first)
{
    size_t bound[2];
    for (int upper = 0; upper < 2; upper++) {
        size_t lo = 0, hi = x->nok;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int r = strcmp(x->ok[mid]->endpoint, endpoint);
            r = r ? r : strcmp(x->ok[mid]->tool, tool);
            if (r < 0 || (upper && r == 0))
                lo = mid + 1;
            else
                hi = mid;
        }
        bound[upper] = lo;
    }
    *first = bound[0];
    return bound[1];
}

long rp_index_target(const struct rp_index *x, const char *target)
{
    struct rp_rank key = {target, 0};
    const struct rp_rank *r = bsearch(&key, x->by_name, x->ntargets, sizeof(key), ix_cmp_rank);
    return r ? (long)r->place : -1;
}
