/*
 * schedule.h - the open model's intended send times: one schedule per worker, its share of the
 * run's arrivals, generated one at a time in nanoseconds.
 *
 * The rate is a function of time made of linear pieces: the warm-up at the first stage's
 * starting rate, then each stage (a hold, or a linear ramp).  Its integral, the expected number
 * of arrivals by time t, is Lambda(t); the j-th arrival of the run is where Lambda reaches its
 * j-th mark.  Uniform arrivals put the marks at 0, 1, 2, ... and give mark j to worker j mod W,
 * so W workers together keep one evenly spaced schedule.  Poisson arrivals give each worker its
 * own exponential gaps of mean W between marks (a Poisson process at 1/W of the rate, time-
 * rescaled through Lambda); independent Poisson processes add up to one of the whole rate.
 * A run split into N shards (config->shard of nshards) keeps the marks j with j mod N equal to
 * its shard, dealt to its own W workers in turn: slot shard + N w, gap N W, whatever W the other
 * shards have; N shards together keep the one schedule.
 */
#ifndef RF_SCHEDULE_H
#define RF_SCHEDULE_H

#include <stdint.h>

#include "ringfire.h"

#define RF__SCHED_PIECES (RF_MAX_STAGES + 1)

/* A piece of the rate: linear from `from` to `to` requests/s. */
struct rf__sched_piece {
    double start, end; /* seconds since the run's start */
    double from, to;
    double before; /* Lambda at start */
};

struct rf__schedule {
    struct rf__sched_piece piece[RF__SCHED_PIECES];
    unsigned npieces;
    unsigned at;  /* the piece of the last arrival */
    double mark;  /* Lambda of the next arrival */
    double gap;   /* uniform: W x shards; Poisson: the mean gap */
    double share; /* of the whole run's arrivals this process keeps: 1 / shards */
    int poisson;
    uint64_t rng;      /* xorshift64*, seeded per worker */
    uint64_t start_ns; /* the run's start on the monotonic clock */
    uint64_t next_ns;  /* the next arrival; UINT64_MAX after the last */
};

/* The schedule of worker w of nworkers, for a run that starts at start_ns and measures from
 * warm_end_ns.  config->rate or config->stages say the rate. */
void rf__sched_init(struct rf__schedule *s, const struct rf_config *config, uint64_t start_ns,
                    uint64_t warm_end_ns, unsigned w, unsigned nworkers);
/* Moves to the next arrival; returns its time (UINT64_MAX when the schedule has ended). */
uint64_t rf__sched_advance(struct rf__schedule *s);
/* The expected number of arrivals of this process (every worker, its shard's share) between
 * two times. */
double rf__sched_expected(const struct rf__schedule *s, uint64_t from_ns, uint64_t to_ns);

#endif
