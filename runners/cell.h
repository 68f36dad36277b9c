/*
 * cell.h - one measured run of a cell: its tool run as a child process pinned to the client's
 * CPUs and bounded in time, both sides' CPU and memory measured, its output read into a run
 * record, which the results module completes (rr_run_derive).
 */
#ifndef RF_CELL_H
#define RF_CELL_H

#include "results.h"
#include "suite.h"
#include "target.h"

/* What every run of a suite shares. */
struct rs_cell_env {
    const struct rs_suite *suite;
    const char *ringfire; /* path of the ringfire command */
    const char *dir;      /* the results directory */
    const char *client_cpus;
    unsigned client_ncpus;
    unsigned target_ncpus;
};

#define RS_CELL_INTERRUPTED 1

/* Runs the cell once against the running target; rep and order say which repetition and its
 * place in that repetition's order.  Returns 0 with the run filled in, RS_CELL_INTERRUPTED
 * when the suite was asked to stop, or -1 with the reason (the tool printed no result it
 * could read). */
int rs_cell_run(const struct rs_cell_env *env, const struct rs_cell *c,
                const struct rs_running *target, unsigned rep, unsigned order, struct rr_run *run,
                char reason[RS_REASON_MAX]);

#endif
