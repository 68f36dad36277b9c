/*
 * report.c - a results document's report written into a folder: report.md, report.html and
 * charts/.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "charts.h"
#include "report.h"

/* One rendering of the report (markdown, or html when html is set) written to path whole.
 * Returns 0 or -errno. */
static int rp_write_one(const char *path, const struct rr_doc *doc, int html, const char *charts,
                        const struct rp_chart_list *list)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int rc = !f ? -1 : html ? rp_html(f, doc, charts, list) : rp_markdown(f, doc, charts, list);
    if (f)
        fclose(f);
    rc = rc == 0 ? rr_write_atomic(path, text) : -ENOMEM;
    free(text);
    return rc;
}

int rp_make_dirs(const char *dir, const char *charts_dir, char err[RP_ERR_MAX])
{
    if ((mkdir(dir, 0755) < 0 && errno != EEXIST) ||
        (charts_dir && mkdir(charts_dir, 0755) < 0 && errno != EEXIST)) {
        snprintf(err, RP_ERR_MAX, "cannot create %s: %s", charts_dir ? charts_dir : dir,
                 strerror(errno));
        return -1;
    }
    return 0;
}

int rp_report_write(const struct rr_doc *doc, const char *dir, int charts, char err[RP_ERR_MAX])
{
    char charts_dir[PATH_MAX + 16], report[PATH_MAX + 16];
    snprintf(charts_dir, sizeof(charts_dir), "%s/charts", dir);
    snprintf(report, sizeof(report), "%s/report.md", dir);
    if (rp_make_dirs(dir, charts ? charts_dir : NULL, err) < 0)
        return RP_REPORT_FAILED;
    struct rp_chart_list *list = calloc(1, sizeof(*list));
    int status = RP_REPORT_OK;
    if (!list) {
        snprintf(err, RP_ERR_MAX, "out of memory");
        return RP_REPORT_FAILED;
    }
    if (charts && rp_charts(doc, charts_dir, list, NULL, NULL) < 0) {
        snprintf(err, RP_ERR_MAX, "gnuplot failed on a chart; its messages are in %s/gnuplot.log",
                 charts_dir);
        status = RP_REPORT_CHARTS_FAILED;
    }
    int rc = rp_write_one(report, doc, 0, charts ? "charts" : NULL, charts ? list : NULL);
    if (rc == 0) {
        snprintf(report, sizeof(report), "%s/report.html", dir);
        rc = rp_write_one(report, doc, 1, charts ? charts_dir : NULL, charts ? list : NULL);
    }
    free(list);
    if (rc < 0) {
        snprintf(err, RP_ERR_MAX, "cannot write %s: %s", report, strerror(-rc));
        return RP_REPORT_FAILED;
    }
    return status;
}
