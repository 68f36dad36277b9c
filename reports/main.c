/*
 * main.c - `ringfire report RESULTS [--out DIR] [--no-charts]`: results.json in, report.md and
 * charts/ out.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "charts.h"
#include "report.h"
#include "results.h"

#define RP_SCHEMA "ringfire.results/1"

cJSON *rp_load(const char *path, char err[RP_ERR_MAX])
{
    char file[PATH_MAX];
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(file, sizeof(file), "%s/results.json", path);
    else
        snprintf(file, sizeof(file), "%s", path);
    FILE *f = fopen(file, "rb");
    if (!f) {
        snprintf(err, RP_ERR_MAX,
                 "%s: cannot read: %s (give a results directory or its "
                 "results.json)",
                 file, strerror(errno));
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = size >= 0 ? malloc((size_t)size + 1) : NULL;
    size_t got = text ? fread(text, 1, (size_t)size, f) : 0;
    fclose(f);
    if (!text) {
        snprintf(err, RP_ERR_MAX, "%s: out of memory", file);
        return NULL;
    }
    text[got] = '\0';
    cJSON *doc = cJSON_Parse(text);
    free(text);
    const cJSON *schema = cJSON_GetObjectItem(doc, "schema");
    if (!doc) {
        snprintf(err, RP_ERR_MAX, "%s: not valid JSON", file);
    } else if (!cJSON_IsString(schema) || strcmp(schema->valuestring, RP_SCHEMA) != 0) {
        snprintf(err, RP_ERR_MAX,
                 "%s: schema %s%s%s, expected %s (results from another version of ringfire, or "
                 "not a results file)",
                 file, cJSON_IsString(schema) ? "\"" : "",
                 cJSON_IsString(schema) ? schema->valuestring : "missing",
                 cJSON_IsString(schema) ? "\"" : "", RP_SCHEMA);
    } else {
        return doc;
    }
    cJSON_Delete(doc);
    return NULL;
}

int rp_write_atomic(const char *path, const char *text, char err[RP_ERR_MAX])
{
    int rc = rs_write_atomic(path, text);
    if (rc < 0)
        snprintf(err, RP_ERR_MAX, "cannot write %s: %s", path, strerror(-rc));
    return rc < 0 ? -1 : 0;
}

static int rp_usage(const char *msg)
{
    fprintf(stderr,
            "ringfire report: %s\nusage: ringfire report RESULTS [--out DIR] [--no-charts]\n", msg);
    return 2;
}

int rp_report_main(int argc, char **argv)
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
            return rp_usage("unknown option or missing value");
    }
    if (optind + 1 != argc)
        return rp_usage("name one results directory or results.json");
    const char *path = argv[optind];
    char err[RP_ERR_MAX];
    cJSON *doc = rp_load(path, err);
    if (!doc) {
        fprintf(stderr, "ringfire report: %s\n", err);
        return 2;
    }
    char dir[PATH_MAX], charts_dir[PATH_MAX + 16], report[PATH_MAX + 16];
    struct stat st;
    if (out)
        snprintf(dir, sizeof(dir), "%s", out);
    else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(dir, sizeof(dir), "%s", path);
    else {
        snprintf(dir, sizeof(dir), "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(dir, sizeof(dir), ".");
    }
    int status = 0;
    if (charts && system("gnuplot --version >/dev/null 2>&1") != 0) {
        fprintf(stderr, "ringfire report: gnuplot is not installed; install it with "
                        "`apt-get install gnuplot-nox`, or pass --no-charts\n");
        status = 2;
        goto out;
    }
    snprintf(charts_dir, sizeof(charts_dir), "%s/charts", dir);
    if ((mkdir(dir, 0755) < 0 && errno != EEXIST) ||
        (charts && mkdir(charts_dir, 0755) < 0 && errno != EEXIST)) {
        fprintf(stderr, "ringfire report: cannot create %s: %s\n", charts_dir, strerror(errno));
        status = 1;
        goto out;
    }
    struct rp_chart_list list;
    if (charts && rp_charts(doc, charts_dir, &list) < 0) {
        fprintf(stderr,
                "ringfire report: gnuplot failed on a chart; its messages are in "
                "%s/gnuplot.log\n",
                charts_dir);
        status = 1;
    }
    snprintf(report, sizeof(report), "%s/report.md", dir);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        fprintf(stderr, "ringfire report: out of memory\n");
        status = 1;
        goto out;
    }
    rp_markdown(f, doc, charts ? "charts" : NULL, charts ? &list : NULL);
    fclose(f);
    if (rp_write_atomic(report, text, err) < 0) {
        fprintf(stderr, "ringfire report: %s\n", err);
        free(text);
        status = 1;
        goto out;
    }
    free(text);
    fprintf(stderr, "ringfire report: wrote %s%s\n", report, charts ? " and charts/" : "");
out:
    cJSON_Delete(doc);
    return status;
}
