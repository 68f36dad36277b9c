/*
 * shard.c - a run's part of a run split over machines: `--shard I/N` (or read from the launcher's
 * environment with `--shard auto`) takes its slice of -c and -n, and the engine its slice of the
 * schedule; `--start-at TIME` starts every shard's schedule at one instant.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define SHARD_MAX 100000
#define START_AT_MAX_S 3600 /* the furthest ahead a start may be: a run waits for it */

/* The launchers that start one process per shard, and where each says which one it started:
 * Slurm, Open MPI, MPICH and other PMI launchers, and Kubernetes Indexed Jobs (whose count is
 * not in the environment: --shard auto/N, or RINGFIRE_SHARDS). */
static const char *const shard_env[][2] = {
    {"SLURM_PROCID", "SLURM_NTASKS"},
    {"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"},
    {"PMI_RANK", "PMI_SIZE"},
    {"JOB_COMPLETION_INDEX", "RINGFIRE_SHARDS"},
};

static int shard_number(const char *s, unsigned *out)
{
    char *end;
    unsigned long v = s && *s >= '0' && *s <= '9' ? strtoul(s, &end, 10) : 0;
    if (!s || !(*s >= '0' && *s <= '9') || *end || v > SHARD_MAX)
        return -1;
    *out = (unsigned)v;
    return 0;
}

int cli_shard_parse(const char *v, unsigned *index, unsigned *count, char *why, size_t n)
{
    unsigned given = 0;
    if (strncmp(v, "auto", 4) == 0 && (v[4] == '\0' || v[4] == '/')) {
        if (v[4] == '/' && (shard_number(v + 5, &given) < 0 || given < 1)) {
            snprintf(why, n, "expected auto/N with N a whole number from 1 to %d", SHARD_MAX);
            return -1;
        }
        for (size_t i = 0; i < sizeof(shard_env) / sizeof(shard_env[0]); i++) {
            const char *rank = getenv(shard_env[i][0]), *size = getenv(shard_env[i][1]);
            if (!rank)
                continue;
            if (shard_number(rank, index) < 0 ||
                (given ? (*count = given, 0) : shard_number(size, count)) < 0) {
                snprintf(why, n, "%s=%s with %s=%s: expected whole numbers%s", shard_env[i][0],
                         rank, shard_env[i][1], size ? size : "(unset)",
                         given ? "" : " (or give the count: --shard auto/N)");
                return -1;
            }
            break;
        }
        if (!*count) {
            snprintf(why, n,
                     "no launcher's shard number in the environment (SLURM_PROCID, "
                     "OMPI_COMM_WORLD_RANK, PMI_RANK or JOB_COMPLETION_INDEX)");
            return -1;
        }
    } else {
        char head[16];
        const char *slash = strchr(v, '/');
        if (!slash || (size_t)(slash - v) >= sizeof(head)) {
            snprintf(why, n, "expected I/N (shard I of N, from 0), auto or auto/N");
            return -1;
        }
        snprintf(head, sizeof(head), "%.*s", (int)(slash - v), v);
        if (shard_number(head, index) < 0 || shard_number(slash + 1, count) < 0) {
            snprintf(why, n, "expected I/N with whole numbers, N at most %d", SHARD_MAX);
            return -1;
        }
    }
    if (*count < 1 || *index >= *count) {
        snprintf(why, n, "shard %u of %u: the index counts from 0 to N-1", *index, *count);
        return -1;
    }
    return 0;
}

int cli_start_at_parse(const char *v, uint64_t now_ns, uint64_t *out, char *why, size_t n)
{
    char *end;
    double secs = 0;
    if (v[0] == '+') { /* from now: +5s */
        uint64_t ns;
        if (rf_parse_duration(v + 1, &ns) < 0) {
            snprintf(why, n, "expected +DURATION such as +5s");
            return -1;
        }
        *out = now_ns + ns;
    } else if (v[0] >= '0' && v[0] <= '9' && strtod(v, &end) > 0 && *end == '\0') {
        /* Unix time with fractions: whole seconds and the fraction apart, for nanoseconds */
        unsigned long long whole = strtoull(v, &end, 10);
        secs = *end == '.' ? strtod(end, NULL) : 0;
        *out = (uint64_t)whole * 1000000000ULL + (uint64_t)llround(secs * 1e9);
    } else { /* RFC 3339, UTC or with an offset */
        struct tm tm;
        memset(&tm, 0, sizeof(tm));
        const char *rest = strptime(v, "%Y-%m-%dT%H:%M:%S", &tm);
        double frac = 0;
        int sign = 0, oh = 0, om = 0;
        if (rest && *rest == '.')
            frac = strtod(rest, (char **)&rest);
        if (rest && (*rest == 'Z' || *rest == 'z') && rest[1] == '\0')
            sign = 1;
        else if (rest && (*rest == '+' || *rest == '-') &&
                 sscanf(rest + 1, "%2d:%2d", &oh, &om) == 2 && strlen(rest) == 6)
            sign = *rest == '+' ? -1 : 1;
        if (!sign) {
            snprintf(why, n,
                     "expected RFC 3339 (2026-11-30T10:00:00.5Z), Unix seconds "
                     "(1796119200.5) or +DURATION");
            return -1;
        }
        int64_t t = (int64_t)timegm(&tm) + sign * (oh * 3600 + om * 60);
        *out = (uint64_t)t * 1000000000ULL + (uint64_t)(frac * 1e9);
    }
    /* A start already past (a pod scheduled late) begins at once, its lateness recorded. */
    if (*out + START_AT_MAX_S * 1000000000ULL < now_ns ||
        *out > now_ns + START_AT_MAX_S * 1000000000ULL) {
        snprintf(why, n, "that is not within an hour of now");
        return -1;
    }
    return 0;
}
