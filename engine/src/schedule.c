/*
 * schedule.c - intended send times of the open model (schedule.h).
 */
#include <math.h>
#include <string.h>

#include "clock.h"
#include "schedule.h"

static uint64_t sched_random(struct rf__schedule *s)
{
    uint64_t x = s->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    s->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* An exponential variate of mean 1: -ln(U), U uniform in (0, 1]. */
static double sched_exponential(struct rf__schedule *s)
{
    double u = ((double)(sched_random(s) >> 11) + 1.0) / 9007199254740992.0;
    return -log(u);
}

static void sched_piece(struct rf__schedule *s, double start, double len, double from, double to)
{
    if (len <= 0)
        return;
    double before = 0;
    if (s->npieces) {
        const struct rf__sched_piece *p = &s->piece[s->npieces - 1];
        before = p->before + (p->from + p->to) / 2 * (p->end - p->start);
    }
    s->piece[s->npieces++] = (struct rf__sched_piece){start, start + len, from, to, before};
}

/* The time (seconds since the start) where Lambda reaches mark, from piece s->at on; -1 past
 * the last piece. */
static double sched_solve(struct rf__schedule *s, double mark)
{
    for (; s->at < s->npieces; s->at++) {
        const struct rf__sched_piece *p = &s->piece[s->at];
        double len = p->end - p->start, d = mark - p->before;
        double total = (p->from + p->to) / 2 * len;
        if (d >= total)
            continue; /* an arrival at a piece's end is the next piece's (or past the last) */
        if (d <= 0)
            return p->start;
        /* Lambda within the piece: from * x + k * x^2 / 2, with k the slope of the rate.  The
         * root in the form 2d / (from + sqrt(from^2 + 2kd)) stays exact as k goes to 0. */
        double k = (p->to - p->from) / len;
        double disc = p->from * p->from + 2 * k * d;
        double x = 2 * d / (p->from + sqrt(disc > 0 ? disc : 0));
        return p->start + (x < len ? x : len);
    }
    return -1;
}

void rf__sched_init(struct rf__schedule *s, const struct rf_config *cfg, uint64_t start_ns,
                    uint64_t warm_end_ns, unsigned w, unsigned nworkers)
{
    memset(s, 0, sizeof(*s));
    s->start_ns = start_ns;
    double warm = (double)(warm_end_ns - start_ns) / 1e9, t = warm;
    if (cfg->nstages) {
        sched_piece(s, 0, warm, cfg->stages[0].from, cfg->stages[0].from);
        for (unsigned i = 0; i < cfg->nstages; i++) {
            const struct rf_stage *st = &cfg->stages[i];
            sched_piece(s, t, (double)st->duration_ns / 1e9, st->from, st->to);
            t += (double)st->duration_ns / 1e9;
        }
    } else {
        sched_piece(s, 0, warm + (double)cfg->duration_ns / 1e9, cfg->rate, cfg->rate);
    }
    unsigned shards = cfg->nshards > 1 ? cfg->nshards : 1;
    uint64_t slot = cfg->shard + (uint64_t)shards * w;
    s->poisson = cfg->arrivals == RF_ARRIVALS_POISSON;
    s->gap = (double)shards * nworkers;
    s->share = 1.0 / shards;
    /* Each worker of each shard its own stream, the same for a given seed. */
    s->rng = (cfg->seed ^ 0x9e3779b97f4a7c15ULL) * (2 * slot + 1) | 1;
    s->mark = s->poisson ? s->gap * sched_exponential(s) : (double)slot;
    double at = sched_solve(s, s->mark);
    s->next_ns = at < 0 ? UINT64_MAX : start_ns + (uint64_t)(at * 1e9);
}

uint64_t rf__sched_advance(struct rf__schedule *s)
{
    if (s->next_ns == UINT64_MAX)
        return UINT64_MAX;
    s->mark += s->poisson ? s->gap * sched_exponential(s) : s->gap;
    double at = sched_solve(s, s->mark);
    s->next_ns = at < 0 ? UINT64_MAX : s->start_ns + (uint64_t)(at * 1e9);
    return s->next_ns;
}

/* Lambda at t seconds since the start. */
static double sched_lambda(const struct rf__schedule *s, double t)
{
    for (unsigned i = 0; i < s->npieces; i++) {
        const struct rf__sched_piece *p = &s->piece[i];
        if (t > p->end && i + 1 < s->npieces)
            continue;
        double x = t < p->start ? 0 : t > p->end ? p->end - p->start : t - p->start;
        double k = (p->to - p->from) / (p->end - p->start);
        return p->before + p->from * x + k * x * x / 2;
    }
    return 0;
}

double rf__sched_expected(const struct rf__schedule *s, uint64_t from_ns, uint64_t to_ns)
{
    double a = from_ns > s->start_ns ? (double)(from_ns - s->start_ns) / 1e9 : 0;
    double b = to_ns > s->start_ns ? (double)(to_ns - s->start_ns) / 1e9 : 0;
    return b > a ? (sched_lambda(s, b) - sched_lambda(s, a)) * s->share : 0;
}
