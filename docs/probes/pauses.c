/*
 * pauses.c - how often, and for how long, this machine takes a CPU away from a thread that never
 * sleeps: a loop that reads the monotonic clock and counts every gap between two readings over
 * 20 us.  On a virtual machine the gaps are the hypervisor's (or the host's interrupts); on an
 * idle machine they bound what any generator pinned to that CPU can keep.  Evidence for
 * docs/benchmarks.md, "The open model", "What bounds it here".
 *
 *   cc -O2 docs/probes/pauses.c -o /tmp/pauses
 *   taskset -c 0 /tmp/pauses 10 & taskset -c 1 /tmp/pauses 10; wait
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 0;
    if (secs <= 0 || secs > 600) {
        fprintf(stderr, "usage: pauses SECONDS (0 < SECONDS <= 600)\n");
        return 2;
    }
    static const uint64_t upper[] = {50000, 100000, 500000, 1000000, 5000000, UINT64_MAX};
    static const char *const names[] = {"<50us", "<100us", "<500us", "<1ms", "<5ms", ">=5ms"};
    uint64_t count[6] = {0}, lost = 0, long_lost = 0, longest = 0;
    uint64_t prev = now_ns(), end = prev + (uint64_t)(secs * 1e9);
    for (uint64_t t = prev; t < end; prev = t) {
        t = now_ns();
        uint64_t gap = t - prev;
        if (gap <= 20000)
            continue;
        int i = 0;
        while (gap >= upper[i])
            i++;
        count[i]++;
        lost += gap;
        long_lost += gap >= 500000 ? gap : 0;
        longest = gap > longest ? gap : longest;
    }
    printf("gaps over 20 us:");
    for (int i = 0; i < 6; i++)
        printf(" %s %llu", names[i], (unsigned long long)count[i]);
    printf("; %.2f%% of the time in gaps, %.3f%% in gaps of 0.5 ms or more; longest %.2f ms\n",
           100.0 * (double)lost / (secs * 1e9), 100.0 * (double)long_lost / (secs * 1e9),
           (double)longest / 1e6);
    return 0;
}
