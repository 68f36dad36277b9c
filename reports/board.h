/*
 * board.h - what a report says, as plain text, for every renderer (markdown.c, html.c): the
 * method block, the legend, and the leaderboards (one per endpoint, tool and load, rows by
 * median, ranked by rank.c).  Renderers escape the text for where it goes.
 */
#ifndef RF_BOARD_H
#define RF_BOARD_H

#include <stddef.h>

#include "index.h"
#include "results.h"

#define RP_METHOD_MAX 12
#define RP_BOARD_COLS 12
#define RP_COL_MAX 160

/* One line of the method block: a label and its plain text (malloc'ed). */
struct rp_fact {
    const char *label;
    char *text;
};

/* The method block of a document into facts; returns how many. */
int rp_method(const struct rr_doc *doc, struct rp_fact facts[RP_METHOD_MAX]);
void rp_facts_free(struct rp_fact *facts, int n);

/* How to read the leaderboards, in a paragraph. */
const char *rp_legend(void);

/* One leaderboard: its cells by median, their ranks (0: not ranked), the median ranks are
 * relative to (the best ranked one's, else the highest). */
struct rp_board {
    const struct rr_cell **cells;
    const int *rank;
    size_t n;
    double best;
    int best_ranked;
};

/* The heading of column k. */
const char *rp_board_head(const struct rp_board *b, int k);
/* Row i of a board as text, and the number each column sorts by (NaN: by its text). */
void rp_board_row(const struct rp_board *b, size_t i, char cols[RP_BOARD_COLS][RP_COL_MAX],
                  double sort[RP_BOARD_COLS]);

typedef void rp_board_fn(const struct rp_board *board, void *arg);
/* The leaderboards of one endpoint and tool (the index range m->ok[first..end)), by pipeline
 * then connections.  Returns 0, or -1 when out of memory. */
int rp_boards(const struct rp_index *m, size_t first, size_t end, rp_board_fn *visit, void *arg);

/* A cell's errors over all its runs by kind ("read 3, status 120"), in out; 0 when it had
 * none. */
int rp_error_kinds(const struct rr_cell *c, char *out, size_t n);

#endif
