/*
 * report.c - `ringfire report RESULTS [--out DIR] [--no-charts]`: results.json in, report.md
 * and charts/ out.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "charts.h"
#include "cli.h"
#include "report.h"

static int report_main(int argc, char **argv);

const struct cli_command cli_report_command = {
    "report",
    "RESULTS [--out DIR] [--no-charts]",
    "report.md and charts from a suite's results",
    NULL,
    report_main,
};

/* Where the report goes: --out, else the results directory, else the file's directory. */
static void report_dir(const char *path, const char *out, char *dir, size_t n)
{
    struct stat st;
    if (out || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
        snprintf(dir, n, "%s", out ? out : path);
        return;
    }
    snprintf(dir, n, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, n, ".");
}

static int report_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"no-charts", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int charts = 1, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'o')
            out = optarg;
        else if (c == 'n')
            charts = 0;
        else
            return cli_usage(&cli_report_command, "unknown option or missing value");
    }
    if (optind + 1 != argc)
        return cli_usage(&cli_report_command, "name one results directory or results.json");
    const char *path = argv[optind];
    char err[RP_ERR_MAX], dir[PATH_MAX];
    struct rr_doc doc;
    if (rr_load(path, &doc, err) < 0) {
        fprintf(stderr, "ringfire report: %s\n", err);
        return RF_EXIT_USAGE;
    }
    int status = RF_EXIT_OK;
    if (charts && !rp_gnuplot_available()) {
        fprintf(stderr, "ringfire report: gnuplot is not installed; install it with "
                        "`apt-get install gnuplot-nox`, or pass --no-charts\n");
        status = RF_EXIT_USAGE;
        goto out;
    }
    report_dir(path, out, dir, sizeof(dir));
    int rc = rp_report_write(&doc, dir, charts, err);
    if (rc != RP_REPORT_OK) {
        fprintf(stderr, "ringfire report: %s\n", err);
        status = RF_EXIT_FAIL;
    }
    if (rc != RP_REPORT_FAILED)
        fprintf(stderr, "ringfire report: wrote %s/report.md%s\n", dir,
                charts ? " and charts/" : "");
out:
    rr_doc_free(&doc);
    return status;
}
