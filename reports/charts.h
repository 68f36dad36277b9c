/*
 * charts.h - gnuplot charts of a results document (charts.c).
 */
#ifndef RF_CHARTS_H
#define RF_CHARTS_H

#include <stdio.h>

#include "results.h"

#define RP_MAX_CHARTS 64
#define RP_CHART_NAME_MAX 128
#define RP_CHART_KINDS 4
#define RP_CHART_TOOLS "tools" /* the tool comparison chart */
#define RP_TIMELINE_MIN_S 5    /* shorter runs have too few seconds for a timeline */
#define RP_LOG_SPAN 10         /* values spanning more than this factor get a log axis */

/* The charts drawn for one endpoint and pipeline depth, named after the endpoint's rr_slug():
 *   SLUG-pP-rps        throughput against connections, one line per target (when the suite
 *                      has two connection counts or more)
 *   SLUG-pP-bars       sorted bars at the highest connection count
 *   SLUG-cC-pP-latency the latency percentile spectrum of each run at the highest connection
 *                      count, the table's p99 (the median of the runs') marked
 *   SLUG-cC-pP-timeline responses in each second of the first run
 * and "tools" (the tool comparison) when any cell was measured by several tools. */
struct rp_chart {
    const char *endpoint;
    int pipeline;
    int connections; /* the highest */
    int websocket;
    char files[RP_CHART_KINDS][RP_CHART_NAME_MAX]; /* the four names above, without extension */
    int drawn[RP_CHART_KINDS]; /* a kind with nothing to draw (no histograms; runs shorter than
                                * RP_TIMELINE_MIN_S for a timeline) is not drawn */
};

struct rp_chart_list {
    struct rp_chart charts[RP_MAX_CHARTS];
    int n;
    int dropped; /* endpoint and pipeline groups beyond RP_MAX_CHARTS, not drawn */
    char rate[RP_MAX_CHARTS][RP_CHART_NAME_MAX]; /* the charts of boards at a fixed rate drawn */
    int nrate;
};
/* Whether a board's chart of that name was drawn. */
int rp_rate_chart_drawn(const struct rp_chart_list *list, const char *name);

/* The charts of a board at a fixed rate (board.h), by kind: a search board's response time
 * against the rate of every step, one line per target, the objective's limit and each answer
 * marked ("slo-latency"), and its answers as bars with their intervals ("slo-bars"); a board at
 * a rate in requests per second, the server's CPU per answer as bars ("cpu"); a board of
 * fractions of each target's peak, response time p50, p99 and p99.9 against the rate achieved,
 * one colour per target ("curve"). */
#define RP_RATE_CHART_KINDS 4
extern const char *const rp_rate_chart_kinds[RP_RATE_CHART_KINDS];
struct rp_rate_board;
/* The file name (without extension) of a board's chart of kind k, or "" when it has none
 * (fraction boards are named without their rates). */
void rp_rate_chart_name(const struct rp_rate_board *b, int k, char *out, size_t n);

/* Draws one script: runs it in dir, where it writes its images.  Returns 0 or -1. */
typedef int rp_plot_fn(const char *dir, const char *script, void *arg);

/* gnuplot on the script (an argument vector, no shell), in dir, its messages appended to
 * dir/gnuplot.log. */
int rp_gnuplot(const char *dir, const char *script, void *arg);
/* The head of every chart's script (name.png, a title and axis labels, gnuplot-escaped here);
 * after the plot command, rp_chart_svg draws the same plot into name.svg. */
void rp_chart_begin(FILE *gp, const char *name, const char *title, const char *xlabel,
                    const char *ylabel);
void rp_chart_svg(FILE *gp, const char *name);
/* Whether gnuplot runs here. */
int rp_gnuplot_available(void);

/* Writes every chart's .dat and .gp into dir and has plot draw it (.png, .svg); plot NULL
 * means rp_gnuplot.  Returns 0, or -1 when a file could not be written or a plot failed. */
int rp_charts(const struct rr_doc *doc, const char *dir, struct rp_chart_list *list,
              rp_plot_fn *plot, void *arg);

#endif
