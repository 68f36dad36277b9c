/*
 * gate.c - `ringfire gate`: the performance regression gate for CI pipelines.  It decides, from
 * the repetitions both results already hold, whether the current run is slower than the
 * baseline by more than a threshold *and* beyond the noise (the rule is in diff.c), and exports
 * the current run for dashboards (github-action-benchmark, Bencher).
 *
 * Exit status: 0 no regression, 1 a regression, 2 a usage or input error (a missing file,
 * another schema, cells that do not match, too few repetitions).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "jsonx.h"
#include "report.h"
#include "stats.h"

#define GT_DEFAULT_METRICS "rps,p99,cpu"
#define GT_DEFAULT_THRESHOLD 0.05
#define GT_MIN_RUNS 3

struct gt_opts {
    const char *baseline, *current, *markdown, *github_bigger, *github_smaller, *bmf;
    unsigned mask;
    double threshold;
    int quiet;
};

static int gt_usage(const char *msg)
{
    fprintf(stderr,
            "ringfire gate: %s\n"
            "usage: ringfire gate --baseline RESULTS --current RESULTS [--max-regression PCT]\n"
            "                     [--metrics LIST] [--markdown FILE] [--github-bigger FILE]\n"
            "                     [--github-smaller FILE] [--bmf FILE] [-q]\n"
            "  PCT: the largest slow-down that passes (default 5%%); LIST: some of\n"
            "  rps,p50,p99,cpu,client-cpu (default %s)\n",
            msg, GT_DEFAULT_METRICS);
    return 2;
}

static void gt_runs(FILE *out, enum rp_metric m, const double *v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        char s[32];
        rp_fmt_value(m, v[i], s, sizeof(s));
        fprintf(out, "%s%s", i ? " " : "", s);
    }
}

/* One decision in a line of the CI log, with its evidence. */
static void gt_print_change(FILE *out, const struct rp_diff *d, const struct rp_change *c)
{
    static const char *const word[] = {
        [RP_SAME] = "same",       [RP_WORSE] = "REGRESSION", [RP_BETTER] = "improvement",
        [RP_UNCLEAR] = "unclear", [RP_FEW] = "too few runs", [RP_FAILED] = "REGRESSION",
    };
    if (c->verdict == RP_FAILED) {
        fprintf(out, "%s %s: measured in the baseline, failed in the current run: %s\n",
                word[c->verdict], c->id, rs_json_str(c->cur, "reason"));
        return;
    }
    const struct rp_metric_info *mi = &rp_metric_info[c->metric];
    char b[32], cur[32], ch[32];
    rp_fmt_value(c->metric, c->base_mean, b, sizeof(b));
    rp_fmt_value(c->metric, c->cur_mean, cur, sizeof(cur));
    rp_fmt_change(c->ratio, ch, sizeof(ch));
    fprintf(out, "%s %s %s: baseline %s, current %s, %s; ", word[c->verdict], c->id, mi->name, b,
            cur, ch);
    double edge = c->ratio < 1 ? 1 - d->threshold : 1 + d->threshold;
    if (c->verdict == RP_UNCLEAR)
        fprintf(out,
                "but the %.2f%% interval of the ratio, %.3f-%.3f, reaches inside %.3f: the runs "
                "do not separate; add repetitions to decide",
                d->level * 100, c->lo, c->hi, edge);
    else
        fprintf(out, "the %.2f%% interval of the ratio, %.3f-%.3f, lies %s %.3f", d->level * 100,
                c->lo, c->hi, c->hi < 1 ? "below" : "above", edge);
    fprintf(out, " (runs: baseline ");
    gt_runs(out, c->metric, c->vbase, c->nbase);
    fprintf(out, "; current ");
    gt_runs(out, c->metric, c->vcur, c->ncur);
    fprintf(out, ")\n");
}

/* The summary a pull-request comment shows. */
static void gt_markdown(FILE *out, const struct gt_opts *o, const cJSON *base, const cJSON *cur,
                        const struct rp_diff *d, int regressions, int improvements, int unclear,
                        int uncomparable)
{
    if (uncomparable)
        fprintf(out, "## ⚠️ ringfire gate: %d problem%s with the input\n\n", uncomparable,
                uncomparable == 1 ? "" : "s");
    else if (regressions)
        fprintf(out, "## ❌ ringfire gate: %d regression%s\n\n", regressions,
                regressions == 1 ? "" : "s");
    else
        fprintf(out, "## ✅ ringfire gate: no regression\n\n");
    char thr[32];
    snprintf(thr, sizeof(thr), "%g%%", o->threshold * 100);
    fprintf(out, "%d comparison%s, metrics ", d->ntests, d->ntests == 1 ? "" : "s");
    for (int m = 0, first = 1; m < RP_NMETRICS; m++)
        if (o->mask & (1u << m)) {
            fprintf(out, "%s%s", first ? "" : ", ", rp_metric_info[m].name);
            first = 0;
        }
    fprintf(out, "; threshold %s; %d improvement%s, %d unclear.\n\n", thr, improvements,
            improvements == 1 ? "" : "s", unclear);
    rp_env_warnings(out, base, cur);
    rp_diff_intro(out, d);
    rp_diff_table(out, d, 1);
    rp_diff_lists(out, d);
    fprintf(out, "<details><summary>Every comparison</summary>\n\n");
    rp_diff_table(out, d, 0);
    fprintf(out, "</details>\n");
}

/* The current run's median of a metric and its 95% interval, for the dashboards. */
static int gt_current(const cJSON *cell, enum rp_metric m, struct rs_summary *s)
{
    double v[RP_RUNS_MAX];
    unsigned n = rp_cell_values(cell, m, v);
    if (n == 0 || strcmp(rs_json_str(cell, "status"), "ok") != 0)
        return -1;
    rs_summarize(v, n, 1, s);
    return 0;
}

/*
 * github-action-benchmark's "customBiggerIsBetter" and "customSmallerIsBetter" inputs: a JSON
 * array of {name, unit, value, range, extra}, one file per direction.  Bencher's metric format:
 * {benchmark: {measure: {value, lower_value, upper_value}}}, times in nanoseconds as its
 * built-in latency measure.
 */
static cJSON *gt_export(const cJSON *cur, unsigned mask, int kind)
{
    cJSON *doc = kind == 'b' ? cJSON_CreateObject() : cJSON_CreateArray();
    const cJSON *cell;
    cJSON_ArrayForEach(cell, cJSON_GetObjectItem(cur, "cells"))
    {
        const char *id = rs_json_str(cell, "id");
        for (int m = 0; m < RP_NMETRICS; m++) {
            const struct rp_metric_info *mi = &rp_metric_info[m];
            struct rs_summary s;
            if (!(mask & (1u << m)) || gt_current(cell, (enum rp_metric)m, &s) < 0)
                continue;
            if (kind == 'b') {
                static const char *const slug[] = {
                    [RP_M_RPS] = "throughput",
                    [RP_M_P50] = "latency-p50",
                    [RP_M_P99] = "latency-p99",
                    [RP_M_CPU] = "server-cpu-per-response",
                    [RP_M_CLIENT_CPU] = "client-cpu-per-response",
                };
                double scale = m == RP_M_RPS ? 1 : 1000; /* µs to ns */
                cJSON *bench = cJSON_GetObjectItem(doc, id);
                if (!bench)
                    bench = cJSON_AddObjectToObject(doc, id);
                cJSON *measure = cJSON_AddObjectToObject(bench, slug[m]);
                cJSON_AddNumberToObject(measure, "value", s.median * scale);
                cJSON_AddNumberToObject(measure, "lower_value", s.ci_low * scale);
                cJSON_AddNumberToObject(measure, "upper_value", s.ci_high * scale);
                continue;
            }
            if ((kind == '+') != mi->higher_is_better)
                continue;
            char name[RP_LINE_MAX], range[64], extra[128];
            snprintf(name, sizeof(name), "%s %s", id, mi->name);
            snprintf(range, sizeof(range), "± %.4g", (s.ci_high - s.ci_low) / 2);
            snprintf(extra, sizeof(extra), "median of %u runs; 95%% interval %.6g-%.6g", s.n,
                     s.ci_low, s.ci_high);
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "name", name);
            cJSON_AddStringToObject(e, "unit", mi->unit);
            cJSON_AddNumberToObject(e, "value", s.median);
            cJSON_AddStringToObject(e, "range", range);
            cJSON_AddStringToObject(e, "extra", extra);
            cJSON_AddItemToArray(doc, e);
        }
    }
    return doc;
}

static int gt_write_export(const char *path, const cJSON *cur, unsigned mask, int kind)
{
    cJSON *doc = gt_export(cur, mask, kind);
    char *text = cJSON_Print(doc), err[RP_ERR_MAX];
    cJSON_Delete(doc);
    int rc = text ? rp_write_atomic(path, text, err) : -1;
    if (rc < 0)
        fprintf(stderr, "ringfire gate: %s\n", text ? err : "out of memory");
    free(text);
    return rc;
}

static int gt_options(int argc, char **argv, struct gt_opts *o)
{
    static const struct option opts[] = {
        {"baseline", required_argument, NULL, 'b'},
        {"current", required_argument, NULL, 'c'},
        {"max-regression", required_argument, NULL, 'r'},
        {"metrics", required_argument, NULL, 'm'},
        {"markdown", required_argument, NULL, 'k'},
        {"github-bigger", required_argument, NULL, 'g'},
        {"github-smaller", required_argument, NULL, 's'},
        {"bmf", required_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    const char *metrics = GT_DEFAULT_METRICS;
    char msg[RP_ERR_MAX], bad[64];
    int c;
    memset(o, 0, sizeof(*o));
    o->threshold = GT_DEFAULT_THRESHOLD;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
        switch (c) {
        case 'b':
            o->baseline = optarg;
            break;
        case 'c':
            o->current = optarg;
            break;
        case 'r':
            if (rp_parse_percent(optarg, &o->threshold) < 0) {
                snprintf(msg, sizeof(msg),
                         "--max-regression '%s': give a percentage from 0 to 99, e.g. 5%%", optarg);
                return gt_usage(msg);
            }
            break;
        case 'm':
            metrics = optarg;
            break;
        case 'k':
            o->markdown = optarg;
            break;
        case 'g':
            o->github_bigger = optarg;
            break;
        case 's':
            o->github_smaller = optarg;
            break;
        case 'f':
            o->bmf = optarg;
            break;
        case 'q':
            o->quiet = 1;
            break;
        default:
            return gt_usage("unknown option or missing value");
        }
    }
    if (optind != argc) {
        snprintf(msg, sizeof(msg), "unexpected argument '%s'", argv[optind]);
        return gt_usage(msg);
    }
    if (!o->baseline || !o->current)
        return gt_usage("name both --baseline and --current (results directories or files)");
    int mask = rp_metrics_parse(metrics, bad, sizeof(bad));
    if (mask < 0) {
        snprintf(msg, sizeof(msg), "--metrics: unknown metric '%s'", bad);
        return gt_usage(msg);
    }
    o->mask = (unsigned)mask;
    return 0;
}

int rp_gate_main(int argc, char **argv)
{
    struct gt_opts o;
    if (gt_options(argc, argv, &o) != 0)
        return 2;
    char err[RP_ERR_MAX];
    cJSON *base = rp_load(o.baseline, err), *cur = base ? rp_load(o.current, err) : NULL;
    struct rp_diff d = {0};
    int status = 2;
    if (!cur) {
        fprintf(stderr, "ringfire gate: %s\n", err);
        goto out;
    }
    if (rp_diff(base, cur, o.mask, o.threshold, GT_MIN_RUNS, &d) < 0) {
        fprintf(stderr, "ringfire gate: out of memory\n");
        goto out;
    }
    int regressions = 0, improvements = 0, unclear = 0, same = 0, few = 0;
    for (int i = 0; i < d.nchanges; i++) {
        const struct rp_change *c = &d.changes[i];
        regressions += c->verdict == RP_WORSE || c->verdict == RP_FAILED;
        improvements += c->verdict == RP_BETTER;
        unclear += c->verdict == RP_UNCLEAR;
        same += c->verdict == RP_SAME;
        if (c->verdict == RP_FEW) {
            fprintf(stderr,
                    "ringfire gate: %s %s: %u runs in the baseline and %u in the current run; "
                    "the gate needs at least %d on each side to tell a change from noise: set "
                    "\"repetitions\" to %d or more in the suite\n",
                    c->id, rp_metric_info[c->metric].name, c->nbase, c->ncur, GT_MIN_RUNS,
                    GT_MIN_RUNS);
            few++;
        }
    }
    for (int i = 0; i < d.nproblems; i++)
        fprintf(stderr, "ringfire gate: cannot compare %s\n", d.problems[i]);
    char lines[32][RP_LINE_MAX];
    int nenv = rp_env_diff(base, cur, lines, 32);
    for (int i = 0; i < nenv; i++)
        fprintf(stderr, "ringfire gate: warning: the environments differ: %s\n", lines[i]);
    if (!o.quiet)
        printf("ringfire gate: baseline %s, current %s: %d comparisons, threshold %g%%, each "
               "at %.2f%% confidence (%g%% shared among them)\n",
               o.baseline, o.current, d.ntests, o.threshold * 100, d.level * 100, RP_ALPHA * 100);
    for (int i = 0; i < d.nchanges; i++)
        if (d.changes[i].verdict != RP_SAME && d.changes[i].verdict != RP_FEW &&
            (!o.quiet || d.changes[i].verdict == RP_WORSE || d.changes[i].verdict == RP_FAILED))
            gt_print_change(stdout, &d, &d.changes[i]);

    if (o.markdown) {
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        if (m) {
            gt_markdown(m, &o, base, cur, &d, regressions, improvements, unclear,
                        d.nproblems + few);
            fclose(m);
        }
        if (!m || rp_write_atomic(o.markdown, text, err) < 0)
            fprintf(stderr, "ringfire gate: %s\n", m ? err : "out of memory");
        free(text);
    }
    if ((o.github_bigger && gt_write_export(o.github_bigger, cur, o.mask, '+') < 0) ||
        (o.github_smaller && gt_write_export(o.github_smaller, cur, o.mask, '-') < 0) ||
        (o.bmf && gt_write_export(o.bmf, cur, o.mask, 'b') < 0))
        goto out;

    if (d.nproblems || few) {
        fprintf(stderr,
                "ringfire gate: INPUT ERROR: %d problem%s (listed above); "
                "give results of the same suite with at least %d repetitions, or refresh the "
                "baseline (make baseline)\n",
                d.nproblems + few, d.nproblems + few == 1 ? "" : "s", GT_MIN_RUNS);
        goto out;
    }
    printf("ringfire gate: %s: %d regression%s, %d improvement%s, %d unclear, %d unchanged\n",
           regressions ? "FAIL" : "PASS", regressions, regressions == 1 ? "" : "s", improvements,
           improvements == 1 ? "" : "s", unclear, same);
    status = regressions ? 1 : 0;
out:
    rp_diff_free(&d);
    cJSON_Delete(base);
    cJSON_Delete(cur);
    return status;
}
