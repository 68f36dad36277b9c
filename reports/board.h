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
#define RP_GRID_COLS 12 /* the columns of a leaderboard, and of a board at a fixed rate */
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

/* A board as the renderers see it: a title, its column headings, and rows of text with the
 * number each column sorts by (NaN: by its text), one row per cell. */
struct rp_rate_board;
struct rp_grid {
    char title[320];
    const struct rp_rate_board *rate; /* a board at a fixed rate (its charts), or NULL */
    const char *head[RP_GRID_COLS];
    size_t n;
    const struct rr_cell *const *cells;
    const void *board;
    void (*row)(const void *board, size_t i, char cols[RP_GRID_COLS][RP_COL_MAX],
                double sort[RP_GRID_COLS]);
};

typedef void rp_grid_fn(const struct rp_grid *grid, void *arg);
/* The leaderboards of one endpoint and tool (the index range m->ok[first..end)), by pipeline
 * then connections, each as a grid.  Returns 0, or -1 when out of memory. */
int rp_boards(const struct rp_index *m, size_t first, size_t end, rp_grid_fn *visit, void *arg);

/* Cells at a fixed rate: one board per endpoint, tool and load, and per rate when the rates are
 * in requests per second (then ranked by server CPU per answer among the cells that kept the
 * rate in every run, 1 plus those measurably lower); rates taken from each target's peak share
 * a board and are not ranked. */
#define RP_RATE_MAX 256 /* cells on one board */
struct rp_rate_board {
    const struct rr_cell **cells;
    const int *rank;
    size_t n;
    int absolute; /* the rates are in requests per second, not fractions of a peak */
    int search;   /* the highest rates under the objective (env.slo), ranked by rank.c */
    const struct rr_slo *slo;
};
/* A rate cell's verdict over its runs: valid when every run was (*valid counts them), else the
 * most frequent other one. */
enum rr_verdict rp_rate_verdict(const struct rr_cell *c, unsigned *valid);
/* Whether, in any run of a search, every run of the rate that failed above the answer failed
 * because ringfire could not keep it: the answer may be the generator's limit, not the
 * server's. */
int rp_search_generator_bound(const struct rr_cell *c);
/* How to read them, in a paragraph. */
const char *rp_rate_legend(void);
/* Whether any cell at a fixed rate was measured. */
int rp_rate_any(const struct rr_doc *doc);
/* Each board as a grid.  Returns 0, or -1 when out of memory. */
int rp_rate_boards(const struct rr_doc *doc, rp_grid_fn *visit, void *arg);

/* A cell's errors over all its runs by kind ("read 3, status 120"), in out; 0 when it had
 * none. */
int rp_error_kinds(const struct rr_cell *c, char *out, size_t n);

#endif
