/*
 * rank.h - which cells a leaderboard ranks, and their ranks, by one rule (rank.c).
 */
#ifndef RF_RANK_H
#define RF_RANK_H

#include <stddef.h>

#include "results.h"

/* Why a measured cell is shown but not ranked; RP_RANKED when it is ranked. */
enum rp_unranked {
    RP_RANKED,
    RP_REFERENCE,  /* a reference target (ringfire's own fixture) */
    RP_CLIENT,     /* the client's CPU was full: the figure is the client's, not the server's */
    RP_UNRESOLVED, /* its interval is not within the cell's target at 95% */
};

enum rp_unranked rp_unranked(const struct rr_cell *cell);

/*
 * The rank of each of n cells of one leaderboard: 0 for a cell not ranked, else 1 plus the
 * number of ranked cells whose whole interval lies above its interval.  Cells the data cannot
 * separate share a rank; a rank says how many are measurably faster.
 */
void rp_rank(const struct rr_cell *const *cells, size_t n, int *rank);

#endif
