/*
 * machine.h - the machine facts of a suite's method block (machine.c).
 */
#ifndef RF_MACHINE_H
#define RF_MACHINE_H

#include "results.h"

/* Fills env's distribution, memory_bytes, threads_per_core, virtualization, governor and tcp
 * (strings malloc'ed; a fact not found stays NULL or 0). */
void rs_machine_read(struct rr_env *env);

#endif
