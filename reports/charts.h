/*
 * charts.h - gnuplot charts of a results document (charts.c).
 */
#ifndef RF_CHARTS_H
#define RF_CHARTS_H

#include <cjson/cJSON.h>

#define RP_MAX_CHARTS 64

/* The charts drawn for one endpoint and pipeline depth:
 *   ENDPOINT-pP-rps       throughput against connections, one line per target
 *   ENDPOINT-pP-bars      sorted bars at the highest connection count
 *   ENDPOINT-cC-pP-latency  the latency percentile spectrum at the highest connection count
 *   ENDPOINT-cC-pP-timeline responses in each second of the first run
 * and "tools" (the tool comparison) when any cell was measured by several tools. */
struct rp_chart {
    char endpoint[128];
    int pipeline;
    int connections; /* the highest */
    int websocket;
};

struct rp_chart_list {
    struct rp_chart charts[RP_MAX_CHARTS];
    int n;
};

/* Draws every chart into dir (.dat, .gp, .png, .svg).  Returns 0, or -1 when gnuplot failed
 * on one (its messages are in dir/gnuplot.log). */
int rp_charts(const cJSON *doc, const char *dir, struct rp_chart_list *list);

#endif
