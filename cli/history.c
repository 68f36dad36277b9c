/*
 * history.c - `ringfire history RESULTS...`: many results of one suite over time, their change
 * points (reports/history.c), history.md, history.html and charts/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "cli.h"
#include "history.h"

#define HISTORY_METRICS "rps,p99,cpu"

static int history_main(int argc, char **argv);

const struct cli_command cli_history_command = {
    "history",
    "RESULTS... [--out DIR] [--metrics LIST] [--min-effect PCT] [--p-value P]\n"
    "                     [--no-charts]",
    "change points over many results of a suite",
    "  RESULTS: results directories or files, in any order (sorted by start time);\n"
    "  a change point is kept when its shift is at least --min-effect (default 5%) and\n"
    "  its permutation p-value at most --p-value (default 0.001); --out: default history",
    history_main,
};

struct history_args {
    const char *out;
    struct rp_hist_opts o;
    int charts;
};

static int history_options(int argc, char **argv, struct history_args *a)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},        {"metrics", required_argument, NULL, 'm'},
        {"min-effect", required_argument, NULL, 'e'}, {"p-value", required_argument, NULL, 'p'},
        {"no-charts", no_argument, NULL, 'n'},        {NULL, 0, NULL, 0},
    };
    const struct cli_command *cmd = &cli_history_command;
    const char *metrics = HISTORY_METRICS;
    char bad[64], *end;
    int c;
    *a = (struct history_args){"history", {0, 0.05, 0.001}, 1};
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'o')
            a->out = optarg;
        else if (c == 'm')
            metrics = optarg;
        else if (c == 'n')
            a->charts = 0;
        else if (c == 'e' && (cli_percent(optarg, &a->o.min_effect) < 0 || a->o.min_effect <= 0))
            return cli_usage(cmd, "--min-effect '%s': give a percentage above 0, e.g. 5%%", optarg);
        else if (c == 'p' &&
                 (!((a->o.p_max = strtod(optarg, &end)) > 0) || a->o.p_max >= 1 || *end))
            return cli_usage(cmd, "--p-value '%s': give a number between 0 and 1, e.g. 0.001",
                             optarg);
        else if (c != 'e' && c != 'p')
            return cli_usage(cmd, "unknown option or missing value");
    }
    if (optind >= argc)
        return cli_usage(cmd, "name the results to read: two or more directories or files");
    if (argc - optind > RP_HIST_DOCS)
        return cli_usage(cmd, "%d results: at most %d at a time", argc - optind, RP_HIST_DOCS);
    int mask = rp_metrics_parse(metrics, bad, sizeof(bad));
    if (mask < 0)
        return cli_usage(cmd, "--metrics: unknown metric '%s'", bad);
    a->o.mask = (unsigned)mask;
    return 0;
}

/* The change points on stdout, one line each. */
static void history_say(const struct rp_history *h)
{
    int n = 0;
    for (int i = 0; i < h->nseries; i++)
        for (int k = 0; k < h->series[i].nchanges; k++) {
            const struct rp_hist_series *s = &h->series[i];
            const struct rp_hist_change *c = &s->changes[k];
            char before[32], after[32], change[32];
            rp_fmt_value(s->metric, c->before, before, sizeof(before));
            rp_fmt_value(s->metric, c->after, after, sizeof(after));
            rp_fmt_change(1 + c->effect, change, sizeof(change));
            printf("change point %s %s: from result %d (%s), %s -> %s, %s, p %.4f\n", s->id,
                   rp_metric_info[s->metric].name, s->doc[c->at] + 1,
                   h->docs[s->doc[c->at]].env.started ? h->docs[s->doc[c->at]].env.started : "?",
                   before, after, change, c->p);
            n++;
        }
    printf("ringfire history: %d results, %d series, %d change point%s%s\n", h->ndocs, h->nseries,
           n, n == 1 ? "" : "s",
           h->side ? "" : " (too few results to reach the p-value: see history.md)");
}

static int history_main(int argc, char **argv)
{
    struct history_args a;
    if (history_options(argc, argv, &a) != 0)
        return RF_EXIT_USAGE;
    int n = argc - optind, status = RF_EXIT_USAGE;
    struct rr_doc *docs = calloc((size_t)n, sizeof(*docs));
    struct rp_history h = {0};
    char err[RP_ERR_MAX];
    int loaded = 0;
    if (!docs)
        return RF_EXIT_FAIL;
    for (; loaded < n; loaded++)
        if (rr_load(argv[optind + loaded], &docs[loaded], err) < 0) {
            fprintf(stderr, "ringfire history: %s\n", err);
            goto out;
        }
    for (int i = 1; i < n; i++)
        if (docs[i].suite.name && docs[0].suite.name &&
            strcmp(docs[i].suite.name, docs[0].suite.name) != 0)
            fprintf(stderr, "ringfire history: warning: %s is of suite %s, %s of %s\n",
                    argv[optind + i], docs[i].suite.name, argv[optind], docs[0].suite.name);
    if (a.charts && !rp_gnuplot_available()) {
        fprintf(stderr, "ringfire history: gnuplot is not installed; install it with "
                        "`apt-get install gnuplot-nox`, or pass --no-charts\n");
        goto out;
    }
    rp_history_sort(docs, n);
    status = RF_EXIT_FAIL;
    if (rp_history(docs, n, &a.o, &h) < 0) {
        fprintf(stderr, "ringfire history: out of memory\n");
        goto out;
    }
    history_say(&h);
    int rc = rp_history_write(&h, a.out, a.charts, err);
    if (rc != RP_REPORT_OK)
        fprintf(stderr, "ringfire history: %s\n", err);
    if (rc != RP_REPORT_FAILED)
        fprintf(stderr, "ringfire history: wrote %s/history.md and history.html%s\n", a.out,
                a.charts ? " and charts/" : "");
    status = rc == RP_REPORT_OK ? RF_EXIT_OK : RF_EXIT_FAIL;
out:
    rp_history_free(&h);
    for (int i = 0; i < loaded; i++)
        rr_doc_free(&docs[i]);
    free(docs);
    return status;
}
