/*
 * worker.h - one load-generating thread: its ring, its connections, its measurements.
 *
 * Nothing mutable is shared between workers.  The run (run.c) fills struct rf__plan, which every
 * worker reads and none writes, starts the workers, and merges their results after join.
 */
#ifndef RF_WORKER_H
#define RF_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>

#include "request.h"
#include "ringfire.h"

struct rf__plan {
    const struct rf_config *config;
    struct sockaddr_storage addr;
    socklen_t addrlen;
    struct rf__request request;
    size_t send_bytes;      /* the largest single send: a pipeline of requests or frames */
    const char *ws_payload; /* WebSocket: every message's payload */
    size_t ws_payload_len;
    uint64_t start_ns;       /* when every worker begins */
    uint64_t start_at_ns;    /* config->start_at_ns on the monotonic clock; 0: none */
    uint64_t warm_end_ns;    /* measuring begins */
    uint64_t end_ns;         /* the run ends (the time limit with -n) */
    struct rf_hist *live[3]; /* config->live: the workers' live histograms merged */
    unsigned refill;         /* free pipeline slots that trigger a send */
    unsigned buffers;        /* provided buffers per worker */
    unsigned buffer_size;
    atomic_int *stop;
};

/* What one second changed in one bucket of one of a worker's histograms (config->intervals).
 * kind: 0 service time, 1 response time, 2 lag. */
struct rf__interval_entry {
    uint32_t second;
    uint32_t kind;
    uint64_t value_ns;
    uint64_t count;
};

struct rf__worker {
    /* set by run.c before start */
    const struct rf__plan *plan;
    unsigned index; /* among nworkers: its share of an open model's schedule */
    unsigned nworkers;
    unsigned nconns;
    uint64_t quota;       /* responses to collect with -n; 0: run until end_ns */
    int cpu;              /* -1: not pinned */
    unsigned next_source; /* the source address the next connection binds to, modulo theirs */
    pthread_t thread;

    /* results, read after join */
    int err;
    struct rf_counts counts;
    struct rf_hist *latency;   /* service time */
    struct rf_hist *response;  /* open model: from the intended send */
    struct rf_hist *lag;       /* open model: actual minus intended send */
    uint64_t cpu_start_ns;     /* this thread's CPU time when measuring began */
    uint64_t cpu_ns;           /* and what it used while measuring */
    uint64_t wake_late_max_ns; /* open model, measuring: the latest a timed wait ended late */
    uint64_t warm_fastest_ns;  /* the warm-up's fastest service time; 0: none */
    struct rf_second *timeline;
    unsigned timeline_cap;
    unsigned timeline_len;
    struct rf__interval_entry *ivals; /* in order of second */
    size_t nivals, ivals_cap;
    int ivals_lost;       /* out of memory: the per-second histograms are incomplete */
    uint64_t warm_end_ns; /* the plan's; in the open model, from when its connections opened */
    uint64_t end_ns;
    uint64_t sched_start_ns; /* open model: where its schedule counts from */
    uint64_t sched_late_ns;  /* with start_at: how long after it the schedule could begin */
    uint64_t measure_start_ns;
    uint64_t measure_end_ns;
    uint64_t established;
    unsigned ring_flags;
    char ring_fallback[160];

    /* progress, written by the worker about once a loop turn, read by the main thread */
    _Alignas(64) atomic_uint_fast64_t progress_responses;
    atomic_uint_fast64_t progress_errors;
    atomic_int measuring;
    atomic_int done;

    /* config->live: the worker's histograms as of its last whole second, copied by the worker
     * and merged by the main thread, each under live_lock */
    pthread_mutex_t live_lock;
    struct rf_hist *live[3];
    uint64_t live_next_ns;

    struct rf__loop *loop; /* private to the worker thread */
};

int rf__worker_start(struct rf__worker *w);

#endif
