/*
 * search.h - the highest rate under a service level objective (a "slo" cell): bisection between
 * no load and the cell's measured peak, one run of the cell at each step, until the rates that
 * met the objective and those that did not are within the objective's precision.
 */
#ifndef RF_SEARCH_H
#define RF_SEARCH_H

#include "cell.h"

#define RS_SEARCH_MAX_STEPS 32

/* One search of cell c, whose rate.rps holds the peak to search below.  Returns as rs_cell_run
 * does; run is then the run of the highest step that met the objective (rps: its rate; 0 when
 * none did), with every step and what the lowest failing step broke (stopped_by). */
int rs_search_run(const struct rs_cell_env *env, const struct rs_cell *c,
                  const struct rs_running *target, unsigned rep, unsigned order, struct rr_run *run,
                  char reason[RS_REASON_MAX]);

#endif
