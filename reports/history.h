/*
 * history.h - many results of one suite over time (`ringfire history`): per cell and metric the
 * series of the results' medians, the points where it shifted (change points), and their
 * charts, markdown and HTML.
 */
#ifndef RF_HISTORY_H
#define RF_HISTORY_H

#include <stdio.h>

#include "diff.h"
#include "report.h"

#define RP_HIST_DOCS 512   /* results read */
#define RP_HIST_CHANGES 16 /* change points kept per series */

struct rp_hist_opts {
    unsigned mask;     /* the metrics */
    double min_effect; /* the smallest shift reported: 0.05 */
    double p_max;      /* the largest p-value reported: 0.001 */
};

struct rp_hist_change {
    int at;               /* the first point after the shift */
    double before, after; /* the medians of the points on either side */
    double effect;        /* after / before - 1 */
    double p;             /* the permutation test's p-value */
};

struct rp_hist_series {
    const char *id;
    const char *endpoint;
    enum rp_metric metric;
    int doc[RP_HIST_DOCS];      /* the point's results, in time order */
    double value[RP_HIST_DOCS]; /* the median of its runs */
    int n;
    struct rp_hist_change changes[RP_HIST_CHANGES];
    int nchanges;
};

struct rp_history {
    const struct rr_doc *docs; /* in time order (rp_history_sort) */
    int ndocs;
    struct rp_hist_series *series;
    int nseries;
    int fewest; /* the fewest points whose orders can reach p_max at all */
    int side; /* with ndocs points, the fewest on a shift's shorter side to reach p_max; 0: none */
    struct rp_hist_opts opts;
};

/* Orders results by the time they started (env.started), keeping the given order for equal
 * times. */
void rp_history_sort(struct rr_doc *docs, int n);
/* The series of every cell and metric of the sorted docs and their change points.  Returns 0,
 * or -1 when out of memory. */
int rp_history(const struct rr_doc *docs, int n, const struct rp_hist_opts *o,
               struct rp_history *out);
void rp_history_free(struct rp_history *h);

/* dir/history.md, dir/history.html and dir/charts/ (one chart per metric and endpoint; charts
 * 0: none).  Returns an rp_report_status, with the reason in err. */
int rp_history_write(const struct rp_history *h, const char *dir, int charts, char err[RP_ERR_MAX]);

#endif
