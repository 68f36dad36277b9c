/*
 * compare.c - `ringfire compare A B`: the change from results A to results B, per cell and
 * metric, as a markdown table that says which changes are beyond the noise of the two runs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "jsonx.h"
#include "report.h"

#define CP_DEFAULT_METRICS "rps,p50,p99,cpu"

const char *rp_verdict_name(enum rp_verdict v)
{
    switch (v) {
    case RP_SAME:
        return "within noise";
    case RP_WORSE:
        return "**worse**";
    case RP_BETTER:
        return "better";
    case RP_UNCLEAR:
        return "unclear";
    case RP_FEW:
        return "too few runs";
    case RP_FAILED:
        return "**failed**";
    }
    return "";
}

void rp_diff_intro(FILE *out, const struct rp_diff *d)
{
    char thr[32];
    snprintf(thr, sizeof(thr), "%g%%", d->threshold * 100);
    fprintf(out,
            "Baseline and current are geometric means of the runs (their number in brackets); "
            "each change is their ratio, current / baseline. It counts as worse or better only "
            "when its interval (Welch's t on the logarithms) lies wholly %s; the intervals are "
            "at %.2f%% confidence, %g%% shared among the %d comparisons (Bonferroni), so that "
            "noise is not called a change.\n\n",
            d->threshold > 0 ? "beyond the threshold" : "on one side of no change", d->level * 100,
            RP_ALPHA * 100, d->ntests);
    if (d->threshold > 0)
        fprintf(out,
                "Threshold: %s. *Unclear*: the ratio is beyond %s but the runs "
                "do not show it clearly; more repetitions would decide.\n\n",
                thr, thr);
}

void rp_diff_table(FILE *out, const struct rp_diff *d, int changed_only)
{
    int header = 0;
    for (int i = 0; i < d->nchanges; i++) {
        const struct rp_change *c = &d->changes[i];
        if (changed_only && c->verdict == RP_SAME)
            continue;
        if (!header) {
            fprintf(out, "| cell | metric | baseline | current | change | interval | verdict "
                         "|\n|---|---|---|---|---|---|---|\n");
            header = 1;
        }
        if (c->verdict == RP_FAILED) {
            char reason[RP_LINE_MAX];
            snprintf(reason, sizeof(reason), "%s", rs_json_str(c->cur, "reason"));
            for (char *p = reason; *p; p++)
                if (*p == '|' || *p == '\n')
                    *p = ' ';
            fprintf(out, "| `%s` | – | measured | failed: %s | – | – | %s |\n", c->id, reason,
                    rp_verdict_name(c->verdict));
            continue;
        }
        char b[32], cur[32], ch[32], lo[32], hi[32];
        rp_fmt_value(c->metric, c->base_mean, b, sizeof(b));
        rp_fmt_value(c->metric, c->cur_mean, cur, sizeof(cur));
        rp_fmt_change(c->ratio, ch, sizeof(ch));
        if (c->verdict == RP_FEW) {
            snprintf(lo, sizeof(lo), "–");
            hi[0] = '\0';
        } else {
            rp_fmt_change(c->lo, lo, sizeof(lo));
            rp_fmt_change(c->hi, hi, sizeof(hi));
        }
        fprintf(out, "| `%s` | %s | %s (%u) | %s (%u) | %s | %s%s%s | %s |\n", c->id,
                rp_metric_info[c->metric].label, b, c->nbase, cur, c->ncur, ch, lo,
                hi[0] ? " … " : "", hi, rp_verdict_name(c->verdict));
    }
    if (header)
        fprintf(out, "\n");
}

void rp_diff_lists(FILE *out, const struct rp_diff *d)
{
    if (d->nproblems) {
        fprintf(out, "**Not compared**:\n\n");
        for (int i = 0; i < d->nproblems; i++)
            fprintf(out, "- %s\n", d->problems[i]);
        fprintf(out, "\n");
    }
    if (d->nnotes) {
        fprintf(out, "Notes:\n\n");
        for (int i = 0; i < d->nnotes; i++)
            fprintf(out, "- %s\n", d->notes[i]);
        fprintf(out, "\n");
    }
}

void rp_env_warnings(FILE *out, const cJSON *base, const cJSON *cur)
{
    char lines[32][RP_LINE_MAX];
    int n = rp_env_diff(base, cur, lines, 32);
    if (n == 0)
        return;
    fprintf(out, "**Warning**: the environments differ, so a change may come from the machine "
                 "rather than the code:\n\n");
    for (int i = 0; i < n; i++)
        fprintf(out, "- %s\n", lines[i]);
    fprintf(out, "\n");
}

int rp_parse_percent(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end != s && *end == '%')
        end++;
    if (errno || end == s || *end || !(v >= 0 && v < 100))
        return -1;
    *out = v / 100;
    return 0;
}

static int cp_usage(const char *msg)
{
    fprintf(stderr,
            "ringfire compare: %s\nusage: ringfire compare BASELINE CURRENT [--metrics "
            "LIST] [--threshold PCT]\n  LIST: some of rps,p50,p99,cpu,client-cpu (default "
            "%s); PCT: a change smaller than this is no change (default 0%%)\n",
            msg, CP_DEFAULT_METRICS);
    return 2;
}

int rp_compare_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"metrics", required_argument, NULL, 'm'},
        {"threshold", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *metrics = CP_DEFAULT_METRICS;
    double threshold = 0;
    char msg[RP_ERR_MAX];
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'm') {
            metrics = optarg;
        } else if (c == 't') {
            if (rp_parse_percent(optarg, &threshold) < 0) {
                snprintf(msg, sizeof(msg),
                         "--threshold '%s': give a percentage from 0 to 99, "
                         "e.g. 5%%",
                         optarg);
                return cp_usage(msg);
            }
        } else {
            return cp_usage("unknown option or missing value");
        }
    }
    if (optind + 2 != argc)
        return cp_usage("name two results (directories or results.json files)");
    char bad[64];
    int mask = rp_metrics_parse(metrics, bad, sizeof(bad));
    if (mask < 0) {
        snprintf(msg, sizeof(msg), "--metrics: unknown metric '%s'", bad);
        return cp_usage(msg);
    }
    cJSON *a = rp_load(argv[optind], msg), *b = a ? rp_load(argv[optind + 1], msg) : NULL;
    struct rp_diff d;
    int status = 2;
    if (!b) {
        fprintf(stderr, "ringfire compare: %s\n", msg);
        goto out;
    }
    if (rp_diff(a, b, (unsigned)mask, threshold, 2, &d) < 0) {
        fprintf(stderr, "ringfire compare: out of memory\n");
        rp_diff_free(&d);
        goto out;
    }
    printf("# ringfire compare\n\nBaseline `%s` (suite %s, started %s); current `%s` (suite %s, "
           "started %s).\n\n",
           argv[optind], rs_json_str(cJSON_GetObjectItem(a, "suite"), "name"),
           rs_json_str(cJSON_GetObjectItem(a, "env"), "started"), argv[optind + 1],
           rs_json_str(cJSON_GetObjectItem(b, "suite"), "name"),
           rs_json_str(cJSON_GetObjectItem(b, "env"), "started"));
    rp_env_warnings(stdout, a, b);
    rp_diff_intro(stdout, &d);
    rp_diff_table(stdout, &d, 0);
    rp_diff_lists(stdout, &d);
    rp_diff_free(&d);
    status = 0;
out:
    cJSON_Delete(a);
    cJSON_Delete(b);
    return status;
}
