/*
 * guard.h - test helper: places bytes so that the byte after them is an inaccessible page, so a
 * parser that reads one byte too far crashes the test instead of passing by luck.
 */
#ifndef RF_TEST_GUARD_H
#define RF_TEST_GUARD_H

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct guard {
    char *base;
    size_t usable;
};

static inline int guard_init(struct guard *g, size_t max)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    g->usable = (max + page - 1) / page * page;
    g->base =
        mmap(NULL, g->usable + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g->base == MAP_FAILED)
        return -1;
    return mprotect(g->base + g->usable, page, PROT_NONE);
}

/* Copies n bytes to the end of the usable area and returns where they start. */
static inline const char *guard_place(struct guard *g, const char *data, size_t n)
{
    char *at = g->base + g->usable - n;
    memcpy(at, data, n);
    return at;
}

static inline void guard_free(struct guard *g)
{
    munmap(g->base, g->usable + (size_t)sysconf(_SC_PAGESIZE));
}

#endif
