/*
 * compare.c - `ringfire compare A B`: the change from results A to results B, per cell and
 * metric, as a markdown table that says which changes are beyond the noise of the two runs.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "compare.h"

#define COMPARE_METRICS "rps,p50,p99,cpu"

static int compare_main(int argc, char **argv);

const struct cli_command cli_compare_command = {
    "compare",
    "BASELINE CURRENT [--metrics LIST] [--threshold PCT]",
    "the change between two results, in markdown",
    "  LIST: some of rps,p50,p99,cpu,client-cpu (default " COMPARE_METRICS "); PCT: a change\n"
    "  smaller than this is no change (default 0%)",
    compare_main,
};

static int compare_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"metrics", required_argument, NULL, 'm'},
        {"threshold", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *metrics = COMPARE_METRICS;
    double threshold = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'm')
            metrics = optarg;
        else if (c == 't' && cli_percent(optarg, &threshold) < 0)
            return cli_usage(&cli_compare_command,
                             "--threshold '%s': give a percentage from 0 to 99, e.g. 5%%", optarg);
        else if (c != 't')
            return cli_usage(&cli_compare_command, "unknown option or missing value");
    }
    if (optind + 2 != argc)
        return cli_usage(&cli_compare_command,
                         "name two results (directories or results.json files)");
    char bad[64], err[RR_ERR_MAX];
    int mask = rp_metrics_parse(metrics, bad, sizeof(bad));
    if (mask < 0)
        return cli_usage(&cli_compare_command, "--metrics: unknown metric '%s'", bad);
    struct rr_doc a, b;
    if (rr_load(argv[optind], &a, err) < 0) {
        fprintf(stderr, "ringfire compare: %s\n", err);
        return RF_EXIT_USAGE;
    }
    if (rr_load(argv[optind + 1], &b, err) < 0) {
        fprintf(stderr, "ringfire compare: %s\n", err);
        rr_doc_free(&a);
        return RF_EXIT_USAGE;
    }
    struct rp_diff d;
    int status = RF_EXIT_OK;
    struct rp_diff_opts how = {.mask = (unsigned)mask, .threshold = threshold, .min_runs = 2};
    if (rp_diff(&a, &b, &how, &d) < 0) {
        fprintf(stderr, "ringfire compare: out of memory\n");
        status = RF_EXIT_FAIL;
    } else {
        rp_compare_markdown(stdout, &d, argv[optind], &a, argv[optind + 1], &b);
    }
    rp_diff_free(&d);
    rr_doc_free(&a);
    rr_doc_free(&b);
    return status;
}
