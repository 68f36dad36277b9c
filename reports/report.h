/*
 * report.h - results (ringfire.results/1) for people: a markdown report with gnuplot charts,
 * and the comparison of two results.
 */
#ifndef RF_REPORT_H
#define RF_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#define RP_ERR_MAX 4608

/* `ringfire report RESULTS [--out DIR] [--no-charts]`: the exit status. */
int rp_report_main(int argc, char **argv);

/* `ringfire gate --baseline B --current C ...` (gate.c): 0 pass, 1 regression, 2 input error. */
int rp_gate_main(int argc, char **argv);

/* rs_write_atomic, with the reason for people in err.  Returns 0 or -1. */
int rp_write_atomic(const char *path, const char *text, char err[RP_ERR_MAX]);

/* Loads RESULTS (a results directory or a results.json) and checks its schema.  Returns the
 * document, or NULL with the reason in err. */
cJSON *rp_load(const char *path, char err[RP_ERR_MAX]);

struct rp_chart_list;

/* Writes the markdown report of doc to out.  charts_dir names the directory the charts are in,
 * relative to the report, and charts lists them; both NULL when there are none. */
void rp_markdown(FILE *out, const cJSON *doc, const char *charts_dir,
                 const struct rp_chart_list *charts);

/* A rate for people: "1.23M", "456.7k", "789"; "–" for NaN. */
void rp_fmt_rate(double v, char *out, size_t n);
/* A time given in microseconds: "12.34 ms", "567 µs"; "–" for NaN. */
void rp_fmt_time(double us, char *out, size_t n);

#endif
