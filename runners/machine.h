/*
 * machine.h - the machine facts of a suite's method block (machine.c).
 */
#ifndef RF_MACHINE_H
#define RF_MACHINE_H

#include "results.h"

/* Fills env's distribution, memory_bytes, threads_per_core, virtualization, governor and tcp
 * (strings malloc'ed; a fact not found stays NULL or 0). */
void rs_machine_read(struct rr_env *env);

/* How far apart the first CPU of client_cpus and the first of target_cpus are: the median round
 * trip, in ns, of a cache line handed between a thread on each for ms milliseconds (the calling
 * thread's affinity is restored).  0 when they are one CPU, or either cannot be used.  On a
 * virtual machine it follows where the host places the two CPUs (docs/benchmarks.md). */
double rs_machine_distance(const char *client_cpus, const char *target_cpus, unsigned ms);

#endif
