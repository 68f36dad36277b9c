/*
 * units.c - parsing of the values people type: durations, counts, sizes and CPU lists (and
 * which CPUs this process may run on, to check and show such lists).
 *
 * Each parser takes the whole string or fails: "10x", "1.5.2", " 5" and "" are errors, so a typo
 * never turns into a silently different run.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringfire.h"

#define NS_PER_S 1000000000ULL
#define MAX_DURATION_NS (24ULL * 3600 * NS_PER_S)

/* A decimal number with an optional fraction; *end points past it.  Digits only: no sign, no
 * exponent, no leading space. */
static int units_number(const char *text, double *value, const char **end)
{
    const char *p = text;
    if (*p < '0' || *p > '9')
        return RF_EVALUE;
    char *e;
    errno = 0;
    double v = strtod(p, &e);
    if (errno != 0 || e == p)
        return RF_EVALUE;
    for (const char *q = p; q < e; q++)
        if ((*q < '0' || *q > '9') && *q != '.')
            return RF_EVALUE;
    *value = v;
    *end = e;
    return 0;
}

int rf_parse_duration(const char *text, uint64_t *ns)
{
    static const struct {
        const char *suffix;
        double ns;
    } units[] = {
        {"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"", 1e9}, {"m", 60e9}, {"h", 3600e9},
    };
    double v;
    const char *end;
    if (!text || units_number(text, &v, &end) < 0)
        return RF_EVALUE;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(end, units[i].suffix) != 0)
            continue;
        double total = v * units[i].ns;
        if (total > (double)MAX_DURATION_NS)
            return RF_ERANGE;
        *ns = (uint64_t)(total + 0.5);
        return 0;
    }
    return RF_EVALUE;
}

static int units_scaled(const char *text, uint64_t max, uint64_t base, uint64_t *out)
{
    if (!text || *text < '0' || *text > '9')
        return RF_EVALUE;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno == ERANGE)
        return RF_ERANGE;
    uint64_t mult = 1;
    if (*end) {
        const char *k = strchr("kKMG", *end);
        if (!k || end[1])
            return RF_EVALUE;
        int power = *k == 'M' ? 2 : *k == 'G' ? 3 : 1;
        for (int i = 0; i < power; i++)
            mult *= base;
    }
    if (v > max / mult)
        return RF_ERANGE;
    *out = v * mult;
    return 0;
}

int rf_parse_count(const char *text, uint64_t max, uint64_t *out)
{
    return units_scaled(text, max, 1000, out);
}

int rf_parse_size(const char *text, uint64_t max, uint64_t *out)
{
    return units_scaled(text, max, 1024, out);
}

#define MAX_RATE 1e9

/* A rate at text, up to *end: a number with an optional k or M; 0 allowed where zero_ok. */
static int units_rate(const char *text, int zero_ok, double *out, const char **end)
{
    double v;
    if (!text || units_number(text, &v, end) < 0)
        return RF_EVALUE;
    if (**end == 'k' || **end == 'M') {
        v *= **end == 'k' ? 1e3 : 1e6;
        (*end)++;
    }
    if (v > MAX_RATE)
        return RF_ERANGE;
    if (v <= 0 && !zero_ok)
        return RF_ERANGE;
    *out = v;
    return 0;
}

int rf_parse_rate(const char *text, double *out)
{
    const char *end;
    int rc = units_rate(text, 0, out, &end);
    return rc < 0 ? rc : *end ? RF_EVALUE : 0;
}

/* One stage, "DURATION:RATE" or "DURATION:FROM..TO", in [text, text + len). */
static int units_stage(const char *text, size_t len, struct rf_stage *st)
{
    char buf[128], *colon;
    const char *end;
    if (len == 0 || len >= sizeof(buf))
        return RF_EVALUE;
    memcpy(buf, text, len);
    buf[len] = '\0';
    colon = strchr(buf, ':');
    if (!colon)
        return RF_EVALUE;
    *colon = '\0';
    int rc = rf_parse_duration(buf, &st->duration_ns);
    if (rc < 0 || st->duration_ns == 0)
        return rc < 0 ? rc : RF_EVALUE;
    char *to = strstr(colon + 1, ".."); /* split first: "2000..6000" is not "2000." ".6000" */
    if (to)
        *to = '\0';
    rc = units_rate(colon + 1, 1, &st->from, &end);
    if (rc < 0 || *end)
        return rc < 0 ? rc : RF_EVALUE;
    st->to = st->from;
    if (to && ((rc = units_rate(to + 2, 1, &st->to, &end)) < 0 || *end))
        return rc < 0 ? rc : RF_EVALUE;
    return 0;
}

int rf_parse_stages(const char *text, struct rf_stage *stages, unsigned max)
{
    unsigned n = 0;
    uint64_t total = 0;
    int any = 0;
    for (const char *p = text; p && *p;) {
        size_t len = strcspn(p, ",");
        if (n == max)
            return RF_ERANGE;
        int rc = units_stage(p, len, &stages[n]);
        if (rc < 0)
            return rc;
        total += stages[n].duration_ns;
        any |= stages[n].from > 0 || stages[n].to > 0;
        n++;
        p += len;
        if (*p == ',' && !*++p)
            return RF_EVALUE; /* a trailing comma */
    }
    if (n == 0 || !any)
        return RF_EVALUE;
    return total > MAX_DURATION_NS ? RF_ERANGE : (int)n;
}

int rf_parse_cpu_list(const char *text, int *cpus, int max_cpus)
{
    int n = 0;
    const char *p = text;
    if (!p || !*p)
        return RF_EVALUE;
    for (;;) {
        char *end;
        if (*p < '0' || *p > '9')
            return RF_EVALUE;
        long lo = strtol(p, &end, 10), hi = lo;
        if (*end == '-') {
            p = end + 1;
            if (*p < '0' || *p > '9')
                return RF_EVALUE;
            hi = strtol(p, &end, 10);
        }
        if (lo > hi || hi >= 1024)
            return RF_ERANGE;
        for (long c = lo; c <= hi; c++) {
            if (n == max_cpus)
                return RF_ERANGE;
            cpus[n++] = (int)c;
        }
        if (*end == '\0')
            return n;
        if (*end != ',')
            return RF_EVALUE;
        p = end + 1;
    }
}

int rf_cpus_allowed(int *cpus, int max_cpus)
{
    cpu_set_t set;
    int n = 0;
    if (sched_getaffinity(0, sizeof(set), &set) < 0)
        return 0;
    for (int c = 0; c < CPU_SETSIZE && n < max_cpus; c++)
        if (CPU_ISSET(c, &set))
            cpus[n++] = c;
    return n;
}

int rf_cpus_check(const int *cpus, unsigned n, char *allowed, size_t len)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) < 0)
        return 0; /* nothing known to check against: pinning will tell */
    for (unsigned i = 0; i < n; i++) {
        if (cpus[i] >= 0 && cpus[i] < CPU_SETSIZE && CPU_ISSET(cpus[i], &set))
            continue;
        if (allowed) {
            int list[CPU_SETSIZE];
            rf_cpus_format(list, rf_cpus_allowed(list, CPU_SETSIZE), allowed, len);
        }
        return RF_ECPUS;
    }
    return 0;
}

void rf_cpus_format(const int *cpus, int n, char *buf, size_t len)
{
    size_t at = 0;
    if (len)
        buf[0] = '\0';
    for (int i = 0; i < n && at < len; i++) {
        int j = i;
        while (j + 1 < n && cpus[j + 1] == cpus[j] + 1)
            j++;
        int w = snprintf(buf + at, len - at, j > i ? "%s%d-%d" : "%s%d", at ? "," : "", cpus[i],
                         cpus[j]);
        at += w > 0 ? (size_t)w : 0;
        i = j;
    }
}
