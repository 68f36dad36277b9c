/*
 * names.c - the names a suite and its results use: which are accepted, how a cell's id is
 * made from its fields, and how a name becomes part of a file name.
 *
 * Names come from files other people write (suites, shared results) and end up in file names,
 * gnuplot scripts and markdown tables; accepting only [A-Za-z0-9._-] at the loaders keeps
 * every one of those safe by construction, and rr_slug keeps file names safe even for a name
 * that did not pass through a loader.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "results.h"

static int nm_safe(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

int rr_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > RR_NAME_MAX || name[0] == '.' || name[0] == '_' || name[0] == '-')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!nm_safe(name[i]))
            return 0;
    return 1;
}

int rr_cell_id(char *out, size_t n, const char *target, const char *endpoint, const char *tool,
               unsigned connections, unsigned pipeline, unsigned threads, int websocket,
               unsigned ws_bytes)
{
    int len = snprintf(out, n, "%s/%s/%s/c%u/p%u/t%u", target, endpoint, tool, connections,
                       pipeline, threads);
    if (len >= 0 && websocket && (size_t)len < n)
        len += snprintf(out + len, n - (size_t)len, "/m%u", ws_bytes);
    return len < 0 || (size_t)len >= n ? -1 : len;
}

int rr_cell_id_rate(char *id, size_t n, const struct rr_rate *rate)
{
    size_t len = strlen(id);
    int k = rate->search            ? snprintf(id + len, n - len, "/rslo")
            : !isnan(rate->of_peak) ? snprintf(id + len, n - len, "/r%.4g%%", rate->of_peak * 100)
                                    : snprintf(id + len, n - len, "/r%.0f", rate->rps);
    return k < 0 || (size_t)k >= n - len ? -1 : (int)(len + (size_t)k);
}

void rr_slug(const char *name, char *out, size_t n)
{
    if (rr_name_ok(name) && strlen(name) < n) {
        snprintf(out, n, "%s", name);
        return;
    }
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    size_t o = 0, keep = n > 14 ? n - 14 : 0;
    for (const char *p = name; *p && o + 1 < keep && o < 40; p++, o++)
        out[o] = nm_safe(*p) && !(o == 0 && (*p == '.' || *p == '-')) ? *p : '_';
    snprintf(out + o, n - o, "+%012llx", (unsigned long long)(h & 0xffffffffffffULL));
}
