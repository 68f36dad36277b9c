/*
 * crosscpu.c - how long a cache line takes to go from one CPU to another and back: one thread
 * on each CPU hands a counter to the other, 1000 hand-overs per sample, for MS milliseconds;
 * prints the median round trip in nanoseconds.  On a virtual machine the answer follows where
 * the host runs the two virtual CPUs: about 95 ns on this machine when they share a cache,
 * about 470-520 ns when they do not, switching between the two for seconds or minutes at a
 * time.  A client and a server pinned to those CPUs pass every request and answer across that
 * distance, so both sides' CPU per request moves with it.  ci/bench runs it before and after
 * every run; evidence for docs/benchmarks.md, "What the machine's two CPUs cost each other".
 *
 *   cc -O2 -pthread docs/probes/crosscpu.c -o /tmp/crosscpu && /tmp/crosscpu 0 1 100
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { HANDOVERS = 1000, MAX_SAMPLES = 100000 };

static _Alignas(64) _Atomic uint64_t baton;
static _Alignas(64) _Atomic int done;

static int pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* The far side: an odd baton is its turn, handed back even. */
static void *far_side(void *arg)
{
    if (pin(*(int *)arg) != 0)
        return NULL;
    while (!atomic_load_explicit(&done, memory_order_relaxed)) {
        uint64_t v = atomic_load_explicit(&baton, memory_order_acquire);
        if (v & 1)
            atomic_store_explicit(&baton, v + 1, memory_order_release);
    }
    return NULL;
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int near = argc > 1 ? atoi(argv[1]) : -1, far = argc > 2 ? atoi(argv[2]) : -1;
    double ms = argc > 3 ? atof(argv[3]) : 0;
    if (argc != 4 || near < 0 || far < 0 || near == far || ms <= 0 || ms > 10000) {
        fprintf(stderr, "usage: crosscpu CPU_A CPU_B MS (two different CPUs, 0 < MS <= 10000)\n");
        return 2;
    }
    pthread_t thread;
    if (pin(near) != 0 || pthread_create(&thread, NULL, far_side, &far) != 0) {
        fprintf(stderr, "crosscpu: cannot run on CPUs %d and %d\n", near, far);
        return 1;
    }
    static uint64_t sample[MAX_SAMPLES];
    size_t n = 0;
    uint64_t v = 0, end = now_ns() + (uint64_t)(ms * 1e6);
    /* A far side that could not pin itself never answers: a long wait checks the deadline. */
    for (uint64_t t0 = now_ns(); t0 < end && n < MAX_SAMPLES; t0 = now_ns()) {
        int i = 0;
        for (; i < HANDOVERS; i++) {
            atomic_store_explicit(&baton, ++v, memory_order_release);
            for (uint32_t spins = 1; atomic_load_explicit(&baton, memory_order_acquire) == v; spins++)
                if (spins % 65536 == 0 && now_ns() >= end)
                    goto out;
            v++;
        }
        sample[n++] = (now_ns() - t0) / HANDOVERS;
    }
out:
    atomic_store(&done, 1);
    pthread_join(thread, NULL);
    if (n == 0) {
        fprintf(stderr, "crosscpu: no hand-over completed in %.0f ms (CPU %d may be offline)\n", ms, far);
        return 1;
    }
    qsort(sample, n, sizeof(sample[0]), by_value);
    printf("%llu\n", (unsigned long long)sample[n / 2]);
    return 0;
}
