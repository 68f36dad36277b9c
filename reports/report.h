/*
 * report.h - results (ringfire.results/3) for people: a markdown report and an HTML page with
 * gnuplot charts.
 * The report and its charts read only the typed document (results.h); every name and text in
 * it is escaped for where it goes (escape.h).
 */
#ifndef RF_REPORT_H
#define RF_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "results.h"

#define RP_ERR_MAX 4608

struct rp_chart_list;

/* Writes the markdown report of doc to out.  charts_dir names the directory the charts are in,
 * relative to the report, and charts lists them; both NULL when there are none.  Returns 0, or
 * -1 when out of memory. */
int rp_markdown(FILE *out, const struct rr_doc *doc, const char *charts_dir,
                const struct rp_chart_list *charts);

/* Writes the report as one self-contained HTML page (no network needed): the charts listed,
 * read from charts_dir (a path), go in as images.  Returns 0, or -1 when out of memory. */
int rp_html(FILE *out, const struct rr_doc *doc, const char *charts_dir,
            const struct rp_chart_list *charts);

/* The parts of every page: the head (title, then name as text) with the shared style and the
 * heading; the tail with the script that sorts tables; a chart's SVG from dir inline as an
 * image (nothing when it cannot be read). */
void rp_html_begin(FILE *out, const char *title, const char *name);
void rp_html_end(FILE *out);
void rp_html_image(FILE *out, const char *dir, const char *name, const char *alt);

enum rp_report_status {
    RP_REPORT_OK = 0,
    RP_REPORT_FAILED = -1,        /* nothing usable written: err says why */
    RP_REPORT_CHARTS_FAILED = -2, /* report.md written; a chart could not be drawn */
};

/* Makes dir and, when not NULL, charts_dir (either may exist).  Returns 0, or -1 with the
 * reason in err. */
int rp_make_dirs(const char *dir, const char *charts_dir, char err[RP_ERR_MAX]);

/* Writes dir/report.md and dir/report.html (each atomically) and, when charts is set,
 * dir/charts/ with every chart.
 * Returns an rp_report_status, with the reason in err for a failure. */
int rp_report_write(const struct rr_doc *doc, const char *dir, int charts, char err[RP_ERR_MAX]);

/* A rate for people: "1.23M", "456.7k", "789"; "–" for NaN. */
void rp_fmt_rate(double v, char *out, size_t n);
/* A time given in microseconds: "12.34 ms", "567 µs"; "–" for NaN. */
void rp_fmt_time(double us, char *out, size_t n);

#endif
