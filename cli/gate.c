/*
 * gate.c - `ringfire gate`: the performance regression gate for CI pipelines (the decision is
 * reports/gate.c's).  Exit status: 0 no regression, 1 a regression, 2 a usage or input error
 * (a missing file, another schema, too few repetitions), 3 inconclusive comparisons with
 * --fail-on inconclusive.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gate.h"

#define GATE_METRICS "rps,p99,cpu"
#define GATE_THRESHOLD 0.05

static int gate_main(int argc, char **argv);

const struct cli_command cli_gate_command = {
    "gate",
    "--baseline RESULTS --current RESULTS | --ab RESULTS [--targets BASE,CANDIDATE]\n"
    "                     [--max-regression PCT] [--metrics LIST] [--false-alarms PCT]\n"
    "                     [--fail-on inconclusive] [--markdown FILE] [--github-bigger FILE]\n"
    "                     [--github-smaller FILE] [--bmf FILE] [-q]",
    "fail (exit 1) on a performance regression",
    "  PCT: the largest change that passes (default 5%); LIST: some of\n"
    "  rps,p50,p99,cpu,client-cpu (default " GATE_METRICS "); --fail-on inconclusive:\n"
    "  exit 3 when no regression is found but some comparisons cannot tell; --ab: one\n"
    "  interleaved suite's results, the candidate target's runs paired with the baseline's\n"
    "  (default: its two targets, in the suite's order); --false-alarms: the chance of any\n"
    "  false alarm over all the comparisons (default 5%)",
    gate_main,
};

struct gate_opts {
    const char *baseline, *current, *ab, *targets, *markdown, *export[3];
    struct rp_diff_opts diff;
    char base_target[128], cur_target[128];
    int quiet;
    int fail_inconclusive;
};

static int gate_options(int argc, char **argv, struct gate_opts *o)
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
        {"fail-on", required_argument, NULL, 'F'},
        {"ab", required_argument, NULL, 'a'},
        {"targets", required_argument, NULL, 't'},
        {"false-alarms", required_argument, NULL, 'A'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    const char *metrics = GATE_METRICS;
    const struct cli_command *cmd = &cli_gate_command;
    char bad[64];
    int c;
    memset(o, 0, sizeof(*o));
    o->diff.threshold = GATE_THRESHOLD;
    o->diff.alpha = RP_ALPHA;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
        const char **slot = c == 'b'   ? &o->baseline
                            : c == 'c' ? &o->current
                            : c == 'm' ? &metrics
                            : c == 'k' ? &o->markdown
                            : c == 'g' ? &o->export[RP_EXPORT_GITHUB_BIGGER]
                            : c == 's' ? &o->export[RP_EXPORT_GITHUB_SMALLER]
                            : c == 'f' ? &o->export[RP_EXPORT_BMF]
                            : c == 'a' ? &o->ab
                            : c == 't' ? &o->targets
                                       : NULL;
        if (slot)
            *slot = optarg;
        else if (c == 'q')
            o->quiet = 1;
        else if (c == 'F' && strcmp(optarg, "inconclusive") == 0)
            o->fail_inconclusive = 1;
        else if (c == 'F')
            return cli_usage(cmd, "--fail-on '%s': the one choice is 'inconclusive'", optarg);
        else if (c == 'A' && (cli_percent(optarg, &o->diff.alpha) < 0 || o->diff.alpha <= 0))
            return cli_usage(cmd, "--false-alarms '%s': give a percentage above 0, e.g. 5%%",
                             optarg);
        else if (c != 'r' && c != 'A')
            return cli_usage(cmd, "unknown option or missing value");
        else if (c == 'r' && cli_percent(optarg, &o->diff.threshold) < 0)
            return cli_usage(cmd, "--max-regression '%s': give a percentage from 0 to 99, e.g. 5%%",
                             optarg);
    }
    if (optind != argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (o->ab && (o->baseline || o->current))
        return cli_usage(cmd, "give either --ab or --baseline and --current, not both");
    if (o->ab)
        o->baseline = o->current = o->ab;
    else if (!o->baseline || !o->current)
        return cli_usage(cmd, "name both --baseline and --current (results directories or files), "
                              "or --ab with an interleaved suite's results");
    if (o->targets && !o->ab)
        return cli_usage(cmd, "--targets goes with --ab");
    if (o->targets && sscanf(o->targets, "%127[^,],%127s", o->base_target, o->cur_target) != 2)
        return cli_usage(cmd, "--targets '%s': give two target names, BASE,CANDIDATE", o->targets);
    int mask = rp_metrics_parse(metrics, bad, sizeof(bad));
    if (mask < 0)
        return cli_usage(cmd, "--metrics: unknown metric '%s'", bad);
    o->diff.mask = (unsigned)mask;
    return 0;
}

/* Writes text to path atomically; says so when it cannot.  Returns 0 or -1. */
static int gate_write(const char *path, char *text)
{
    int rc = text ? rr_write_atomic(path, text) : -ENOMEM;
    if (rc < 0)
        fprintf(stderr, "ringfire gate: cannot write %s: %s\n", path,
                text ? strerror(-rc) : "out of memory");
    free(text);
    return rc < 0 ? -1 : 0;
}

/* The log: problems and warnings on stderr, decisions on stdout. */
static void gate_log(const struct gate_opts *o, const struct rp_gate *g, const struct rr_doc *base,
                     const struct rr_doc *cur)
{
    const struct rp_diff *d = &g->diff;
    for (int i = 0; i < d->nchanges; i++)
        if (d->changes[i].verdict == RP_FEW) {
            fprintf(stderr, "ringfire gate: ");
            rp_gate_few_line(stderr, d, &d->changes[i]);
        }
    for (int i = 0; i < d->nproblems; i++)
        fprintf(stderr, "ringfire gate: cannot compare %s\n", d->problems[i]);
    char lines[32][RP_LINE_MAX];
    int nenv = rp_env_diff(base, cur, lines, 32);
    for (int i = 0; i < nenv; i++)
        fprintf(stderr, "ringfire gate: warning: the environments differ: %s\n", lines[i]);
    if (!o->quiet && o->ab)
        printf("ringfire gate: %s, candidate %s against baseline %s, runs paired by repetition: "
               "%d comparisons, threshold %g%%, each at %.2f%% confidence (%g%% shared among "
               "them)\n",
               o->ab, o->diff.cur_target, o->diff.base_target, d->ntests, d->threshold * 100,
               d->level * 100, d->alpha * 100);
    else if (!o->quiet)
        printf("ringfire gate: baseline %s, current %s: %d comparisons, threshold %g%%, each at "
               "%.2f%% confidence (%g%% shared among them)\n",
               o->baseline, o->current, d->ntests, d->threshold * 100, d->level * 100,
               d->alpha * 100);
    for (int i = 0; i < d->nchanges; i++) {
        enum rp_verdict v = d->changes[i].verdict;
        if (v != RP_SAME && v != RP_FEW && (!o->quiet || v == RP_WORSE || v == RP_FAILED))
            rp_gate_line(stdout, g, &d->changes[i]);
    }
}

/* --ab: the two targets to pair, named or the document's only two; a warning when they did not
 * run interleaved.  Returns 0, or -1 with the reason said. */
static int gate_ab_targets(struct gate_opts *o, const struct rr_doc *doc)
{
    const char *seen[2] = {NULL, NULL};
    size_t n = 0;
    for (size_t i = 0; i < doc->ncells; i++) {
        const char *t = doc->cells[i].target;
        if ((n > 0 && strcmp(seen[0], t) == 0) || (n > 1 && strcmp(seen[1], t) == 0))
            continue;
        if (n == 2) {
            n = 3;
            break;
        }
        seen[n++] = t;
    }
    if (!o->targets && n != 2) {
        fprintf(stderr,
                "ringfire gate: --ab %s: %s; name the two to compare with --targets "
                "BASE,CANDIDATE\n",
                o->ab,
                n < 2 ? "it holds fewer than two targets" : "it holds more than two targets");
        return -1;
    }
    if (!o->targets) {
        snprintf(o->base_target, sizeof(o->base_target), "%s", seen[0]);
        snprintf(o->cur_target, sizeof(o->cur_target), "%s", seen[1]);
    }
    for (int side = 0; side < 2; side++) {
        const char *name = side ? o->cur_target : o->base_target;
        int found = 0;
        for (size_t i = 0; i < doc->ncells && !found; i++)
            found = strcmp(doc->cells[i].target, name) == 0;
        if (!found) {
            fprintf(stderr, "ringfire gate: --targets: %s has no target '%s'\n", o->ab, name);
            return -1;
        }
    }
    o->diff.base_target = o->base_target;
    o->diff.cur_target = o->cur_target;
    if (!doc->env.interleaved)
        fprintf(stderr,
                "ringfire gate: warning: %s did not run interleaved (\"interleave\": true in the "
                "suite), so its pairs were not measured side by side\n",
                o->ab);
    return 0;
}

/* The pull-request summary and the exports, where asked for.  Returns 0 or -1. */
static int gate_outputs(const struct gate_opts *o, const struct rp_gate *g,
                        const struct rr_doc *base, const struct rr_doc *cur)
{
    int rc = 0;
    if (o->markdown) {
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        if (m) {
            rp_gate_markdown(m, g, base, cur);
            fclose(m);
        }
        gate_write(o->markdown, m ? text : NULL); /* the verdict stands without its summary */
    }
    for (int k = 0; k < 3 && rc == 0; k++)
        if (o->export[k])
            rc = gate_write(o->export[k], rp_gate_export(cur, o->diff.mask, (enum rp_export)k));
    return rc;
}

static int gate_main(int argc, char **argv)
{
    struct gate_opts o;
    if (gate_options(argc, argv, &o) != 0)
        return RF_EXIT_USAGE;
    char err[RR_ERR_MAX];
    struct rr_doc base = {0}, cur = {0};
    struct rp_gate g = {0};
    int status = RF_EXIT_USAGE;
    if (rr_load(o.baseline, &base, err) < 0 || rr_load(o.current, &cur, err) < 0) {
        fprintf(stderr, "ringfire gate: %s\n", err);
        goto out;
    }
    if (o.ab && gate_ab_targets(&o, &base) < 0)
        goto out;
    if (rp_gate_run(&base, &cur, &o.diff, &g) < 0) {
        fprintf(stderr, "ringfire gate: out of memory\n");
        goto out;
    }
    gate_log(&o, &g, &base, &cur);
    if (gate_outputs(&o, &g, &base, &cur) < 0) {
        status = RF_EXIT_FAIL;
        goto out;
    }
    int problems = rp_gate_problems(&g);
    if (problems) {
        fprintf(stderr,
                "ringfire gate: INPUT ERROR: %d problem%s (listed above); give results of the same "
                "suite with at least %d repetitions, or refresh the baseline (make baseline)\n",
                problems, problems == 1 ? "" : "s", RP_GATE_MIN_RUNS);
        goto out;
    }
    int fail = g.regressions || (o.fail_inconclusive && g.unclear);
    printf("ringfire gate: %s: %d regression%s, %d improvement%s, %d no change, %d inconclusive",
           fail ? "FAIL" : "PASS", g.regressions, g.regressions == 1 ? "" : "s", g.improvements,
           g.improvements == 1 ? "" : "s", g.same, g.unclear);
    if (g.unclear)
        printf(" (they could only call changes beyond ±%.1f%%, the median; add repetitions%s)",
               rp_gate_detectable(&g) * 100,
               o.fail_inconclusive ? "" : ", or --fail-on inconclusive to fail on them");
    putchar('\n');
    status = g.regressions ? RF_EXIT_FAIL : fail ? RF_EXIT_INCONCLUSIVE : RF_EXIT_OK;
out:
    rp_gate_free(&g);
    rr_doc_free(&base);
    rr_doc_free(&cur);
    return status;
}
