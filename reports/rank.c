/*
 * rank.c - leaderboard ranks (rank.h).
 */
#include "rank.h"

enum rp_unranked rp_unranked(const struct rr_cell *cell)
{
    const struct rr_summary *s = &cell->summary;
    if (cell->reference)
        return RP_REFERENCE;
    if (s->bottleneck == RR_CLIENT_BOUND || s->bottleneck == RR_BOTH_BOUND)
        return RP_CLIENT;
    if (!s->rps.resolved)
        return RP_UNRESOLVED;
    return RP_RANKED;
}

void rp_rank(const struct rr_cell *const *cells, size_t n, int *rank)
{
    for (size_t i = 0; i < n; i++) {
        rank[i] = 0;
        if (rp_unranked(cells[i]) != RP_RANKED)
            continue;
        rank[i] = 1;
        for (size_t j = 0; j < n; j++)
            if (j != i && rp_unranked(cells[j]) == RP_RANKED &&
                cells[j]->summary.rps.ci[0] > cells[i]->summary.rps.ci[1])
                rank[i]++;
    }
}
