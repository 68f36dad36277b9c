/*
 * clock.h - the engine's clock: CLOCK_MONOTONIC, in nanoseconds.  CLOCK_REALTIME is read only
 * to translate the kernel's receive timestamps, which it stamps on that clock.
 */
#ifndef RF_CLOCK_H
#define RF_CLOCK_H

#include <stdint.h>
#include <time.h>

#define RF_NS_PER_S 1000000000ULL
#define RF_NS_PER_MS 1000000ULL

static inline uint64_t rf__now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * RF_NS_PER_S + (uint64_t)ts.tv_nsec;
}

static inline uint64_t rf__real_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * RF_NS_PER_S + (uint64_t)ts.tv_nsec;
}

#endif
