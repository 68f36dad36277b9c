/*
 * test_report.c - the markdown report against a golden file made from fixed results (ties,
 * failures, noisy and client-bound cells, a WebSocket cell, missing tools), every chart type
 * drawn from the same results, and results of another schema refused.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../says.h"
#include "../tmpdir.h"
#include "board.h"
#include "charts.h"
#include "rank.h"
#include "report.h"
#include "results.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    *len = fread(buf, 1, (size_t)n, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* The golden results, loaded through the one loader. */
static void golden(struct rr_doc *doc)
{
    char err[RR_ERR_MAX];
    cr_assert(eq(int, rr_load("tests/data/results-golden.json", doc, err), 0), "%s", err);
}

/* The markdown report of doc, as text; the caller frees it.  Not inlined: gcc 12 then takes the
 * text open_memstream hands back for a pointer to the helper's own locals (-Wdangling-pointer). */
__attribute__((noinline)) static char *markdown(const struct rr_doc *doc)
{
    char *md = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&md, &len);
    rp_markdown(out, doc, NULL, NULL);
    fclose(out);
    return md;
}

Test(report, markdown_matches_the_golden_file)
{
    struct rr_doc doc;
    golden(&doc);
    char *got = markdown(&doc);
    size_t want_len;
    char *want = slurp("tests/data/report-golden.md", &want_len);
    cr_assert(not(eq(ptr, want, NULL)), "tests/data/report-golden.md is missing");
    if (strcmp(got, want) != 0) {
        FILE *f = fopen("build/report-golden.got.md", "w");
        if (f) {
            fputs(got, f);
            fclose(f);
        }
    }
    cr_assert(eq(str, got, want), "differs from the golden file: see build/report-golden.got.md");
    free(got);
    free(want);
    rr_doc_free(&doc);
}

/* The method's row "ringfire's latency" for doc, which must have one; the caller frees it. */
static char *latency_row(const struct rr_doc *doc)
{
    struct rp_fact facts[RP_METHOD_MAX];
    int n = rp_method(doc, facts);
    char *text = NULL;
    for (int i = 0; i < n; i++)
        if (!strcmp(facts[i].label, "ringfire's latency"))
            text = strdup(facts[i].text);
    rp_facts_free(facts, n);
    cr_assert(not(eq(ptr, (void *)text, NULL)), "no row for ringfire's latency");
    return text;
}

/* The method names the run whose send stamps may add most to its p50 (the golden file's beta
 * at c=64: 12 us of 300), and says so when no run recorded it (files from before the field). */
Test(report, the_method_says_how_early_send_stamps_can_be)
{
    struct rr_doc doc;
    golden(&doc);
    char *text = latency_row(&doc);
    assert_says(text, "early by at most 12 µs on average, up to 4% of a run's p50 (beta plaintext "
                      "c=64 p=1)");
    cr_assert(eq(ptr, strstr(text, "fixed rate"), NULL), "no rate runs, no rate part");
    free(text);
    /* A run at a fixed rate is named apart, against its service time, with its rate; the
     * closed loop's figure stays beta's. */
    struct rr_run *alpha = NULL;
    for (size_t i = 0; i < doc.ncells && !alpha; i++)
        if (!strcmp(doc.cells[i].target, "alpha") && !strcmp(doc.cells[i].tool, "ringfire"))
            alpha = &doc.cells[i].runs[0];
    cr_assert(not(eq(ptr, alpha, NULL)));
    struct rr_run saved = *alpha;
    alpha->rate.present = 1;
    alpha->rate.target_rps = 5000;
    alpha->send_early_us = 20;
    alpha->latency_us[RR_P50] = 50;
    text = latency_row(&doc);
    assert_says(text, "up to 4% of a run's p50 (beta plaintext c=64 p=1)");
    assert_says(text, "at a fixed rate, by at most 20 µs on average, up to 40% of a run's service "
                      "time p50 (alpha plaintext c=16 p=1 at 5.0k req/s)");
    free(text);
    *alpha = saved;
    /* A run without a p50 has no share: the next largest is named (alpha's 8.5 us of 300). */
    for (size_t i = 0; i < doc.ncells; i++)
        if (!strcmp(doc.cells[i].target, "beta"))
            for (size_t k = 0; k < doc.cells[i].nruns; k++)
                doc.cells[i].runs[k].latency_us[RR_P50] = 0;
    text = latency_row(&doc);
    assert_says(text, "8.5 µs on average, up to 2.8% of a run's p50 (alpha");
    free(text);
    for (size_t i = 0; i < doc.ncells; i++)
        for (size_t k = 0; k < doc.cells[i].nruns; k++)
            doc.cells[i].runs[k].send_early_us = NAN;
    text = latency_row(&doc);
    assert_says(text, "not recorded in this file"); /* a file without the field says so */
    free(text);
    rr_doc_free(&doc);
}

/* A cell for the ranking rule: a median, its interval, and what makes it unranked. */
static struct rr_cell rank_cell(double lo, double hi, int resolved, enum rr_bottleneck b, int ref)
{
    struct rr_cell c = {.reference = ref};
    c.summary.rps = (struct rr_rps){.median = (lo + hi) / 2, .ci = {lo, hi}, .resolved = resolved};
    c.summary.bottleneck = b;
    return c;
}

Test(report, ranks_follow_one_rule)
{
    /* a 100-110, b 95-105 (overlaps a), c 80-90 (below both), d 85-100 (overlaps b, not a),
     * e client-bound, f unresolved, g the reference: the last three are not ranked. */
    struct rr_cell cells[] = {
        rank_cell(100, 110, 1, RR_SERVER_BOUND, 0), rank_cell(95, 105, 1, RR_SERVER_BOUND, 0),
        rank_cell(80, 90, 1, RR_NEITHER, 0),        rank_cell(85, 100, 1, RR_SERVER_BOUND, 0),
        rank_cell(200, 210, 1, RR_CLIENT_BOUND, 0), rank_cell(50, 300, 0, RR_SERVER_BOUND, 0),
        rank_cell(900, 910, 1, RR_BOTH_BOUND, 1),
    };
    const struct rr_cell *v[7];
    int rank[7];
    for (int i = 0; i < 7; i++)
        v[i] = &cells[i];
    rp_rank(v, 7, rank);
    static const int want[] = {1, 1, 3, 1, 0, 0, 0};
    for (int i = 0; i < 7; i++)
        cr_assert(eq(int, rank[i], want[i]), "cell %d: rank %d", i, rank[i]);
    cr_assert(eq(int, rp_unranked(&cells[4]), RP_CLIENT));
    cr_assert(eq(int, rp_unranked(&cells[5]), RP_UNRESOLVED));
    cr_assert(eq(int, rp_unranked(&cells[6]), RP_REFERENCE));
}

Test(report, unranked_rows_say_why)
{
    struct rr_doc doc;
    golden(&doc);
    char *got = markdown(&doc);
    /* At c=16 alpha and beta overlap: both #1.  At c=64 beta's client was full, the reference
     * is shown for scale, gamma's runs spread too far: none of the three is ranked. */
    assert_says(got, "| 1 | alpha | 100.2k | \\[98.0k–102.0k\\] |");
    assert_says(got, "| 1 | beta | 99.2k | \\[97.0k–101.0k\\] |");
    assert_says(got, "| – | beta ‡ | 119.8k |");
    assert_says(got, "| – | ref † | 1.53M |");
    assert_says(got, "| – | gamma \\~ | 95.0k |");
    assert_says(got, "0.025% | 16 | 97% / 70% |");
    assert_says(got, "\\[49.0k–51.0k\\] range of 3 runs, 75%");
    assert_says(got, "140.1k · p99 500 µs · 0.93x ≠ ‡");
    free(got);
    rr_doc_free(&doc);
}

static void check_image(const char *dir, const char *name)
{
    char path[512];
    size_t len;
    snprintf(path, sizeof(path), "%s/%s.png", dir, name);
    char *png = slurp(path, &len);
    cr_assert(not(eq(ptr, png, NULL)), "%s was not drawn", path);
    cr_assert(gt(sz, len, 1000), "%s is %zu bytes", path, len);
    cr_assert(eq(int, memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0), "%s is not a PNG", path);
    free(png);
    snprintf(path, sizeof(path), "%s/%s.svg", dir, name);
    char *svg = slurp(path, &len);
    cr_assert(not(eq(ptr, svg, NULL)), "%s was not drawn", path);
    cr_assert(not(eq(ptr, strstr(svg, "<svg"), NULL)), "%s", path);
    cr_assert(not(eq(ptr, strstr(svg, "</svg>"), NULL)), "%s is cut short", path);
    free(svg);
    static const char *const kept[] = {"gp", "dat"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/%s.%s", dir, name, kept[i]);
        cr_assert(eq(int, access(path, R_OK), 0), "%s is kept beside the chart", path);
    }
}

Test(report, every_chart_type_is_drawn, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    if (system("gnuplot --version >/dev/null 2>&1") != 0)
        cr_skip_test("gnuplot is not installed (apt-get install gnuplot-nox)");
    const char *dir = tmpdir;
    struct rr_doc doc;
    golden(&doc);
    static struct rp_chart_list list;
    cr_assert(eq(int, rp_charts(&doc, dir, &list, NULL, NULL), 0),
              "gnuplot failed: see %s/gnuplot.log", dir);
    cr_assert(eq(int, list.n, 2), "plaintext p1 and ws-echo p1");
    static const char *const names[] = {
        "plaintext-p1-rps",
        "plaintext-p1-bars",
        "plaintext-c64-p1-latency",
        "plaintext-c64-p1-timeline",
        "ws-echo-p1-bars",
        "ws-echo-c16-p1-latency",
        "tools",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        check_image(dir, names[i]);
    /* ws-echo was measured at one connection count: no line to draw against connections. */
    cr_assert(eq(int, list.charts[1].drawn[0], 0));
    /* Runs of a second or two have no timeline worth drawing; the reference target at 16x the
     * others puts the c=64 throughput on a log axis. */
    char tl[512], bars[512];
    snprintf(tl, sizeof(tl), "%s/ws-echo-c16-p1-timeline.png", dir);
    cr_assert(not(eq(int, access(tl, F_OK), 0)), "no timeline of 2-second runs");
    cr_assert(eq(int, list.charts[1].drawn[3], 0));
    snprintf(bars, sizeof(bars), "%s/plaintext-p1-bars.gp", dir);
    size_t gplen;
    char *script = slurp(bars, &gplen);
    cr_assert(not(eq(ptr, strstr(script, "set logscale x 10"), NULL)), "%s", script);
    cr_assert(not(eq(ptr, strstr(script, "xerrorbars"), NULL)), "bars carry their interval");
    free(script);
    /* Of the other tools the results measured wrk on ok cells, h2load never: no key entry. */
    char path[512];
    size_t len;
    snprintf(path, sizeof(path), "%s/tools.gp", dir);
    char *gp = slurp(path, &len);
    cr_assert(not(eq(ptr, strstr(gp, "title 'wrk'"), NULL)));
    cr_assert(eq(ptr, strstr(gp, "h2load'"), NULL), "%s", gp);
    free(gp);
    rr_doc_free(&doc);
}

Test(report, another_schema_is_refused)
{
    char err[RR_ERR_MAX];
    struct rr_doc doc;
    cr_assert(eq(int, rr_load("tests/data/results-old-schema.json", &doc, err), -1));
    cr_assert(eq(str, err,
                 "tests/data/results-old-schema.json: schema \"ringfire.results/0\", expected "
                 "ringfire.results/3 (results from another version of ringfire, or not a results "
                 "file)"));
    cr_assert(eq(int, rr_load("tests/data/no-such-results", &doc, err), -1));
    assert_says(err, "cannot read");
}

/* Replaces every cell's field (at offset) that equals from by to. */
static void rename_all(struct rr_doc *doc, size_t offset, const char *from, const char *to)
{
    for (size_t i = 0; i < doc->ncells; i++) {
        char **field = (char **)((char *)&doc->cells[i] + offset);
        if (strcmp(*field, from) == 0) {
            free(*field);
            *field = strdup(to);
        }
    }
}

/* Names the loader refuses, given to the charts by a caller that built the records itself:
 * gnuplot draws them as text, no command runs, and no file lands outside the charts folder. */
Test(report, hostile_names_are_only_text_in_charts, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    if (system("gnuplot --version >/dev/null 2>&1") != 0)
        cr_skip_test("gnuplot is not installed (apt-get install gnuplot-nox)");
    struct rr_doc doc;
    golden(&doc);
    rename_all(&doc, offsetof(struct rr_cell, endpoint), "plaintext",
               "x'; touch PWNED; '\n!touch PWNED\n#");
    rename_all(&doc, offsetof(struct rr_cell, endpoint), "ws-echo", "../../escaped");
    rename_all(&doc, offsetof(struct rr_cell, target), "alpha", "a'; x=system(\"touch PWNED\"); #");
    char charts[128], path[256];
    snprintf(charts, sizeof(charts), "%s/charts", tmpdir);
    cr_assert(eq(int, mkdir(charts, 0755), 0));
    static struct rp_chart_list list;
    cr_assert(eq(int, rp_charts(&doc, charts, &list, NULL, NULL), 0),
              "gnuplot failed: see %s/gnuplot.log", charts);
    cr_assert(eq(int, list.n, 2));
    static const char *const places[] = {"/charts/PWNED", "/PWNED", "/../escaped-p1-rps.dat",
                                         "/escaped-p1-rps.dat"};
    cr_assert(not(eq(int, access("PWNED", F_OK), 0)), "a command ran");
    for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", tmpdir, places[i]);
        cr_assert(not(eq(int, access(path, F_OK), 0)), "%s exists", path);
    }
    /* Each chart the list says was drawn is where the list says. */
    for (int i = 0; i < list.n; i++)
        for (int k = 0; k < RP_CHART_KINDS; k++) {
            snprintf(path, sizeof(path), "%s/%s.png", charts, list.charts[i].files[k]);
            cr_assert(eq(int, access(path, R_OK) == 0, list.charts[i].drawn[k]), "%s", path);
            cr_assert(eq(ptr, strchr(list.charts[i].files[k], '/'), NULL));
        }
    char *md = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&md, &len);
    rp_markdown(out, &doc, "charts", &list);
    fclose(out);
    cr_assert(eq(ptr, strstr(md, "\n!touch"), NULL), "a newline in a name stays inside its line");
    assert_says(md, "x'; touch PWNED; ' !touch PWNED #");
    free(md);
    rr_doc_free(&doc);
}

/* A plot function that only keeps the script's text, for reading back. */
static int keep_script(const char *dir, const char *script, void *arg)
{
    char path[512], *text;
    size_t len;
    snprintf(path, sizeof(path), "%s/%s", dir, script);
    if (strstr(script, "-curve") && (text = slurp(path, &len))) {
        snprintf(arg, 8192, "%s", text);
        free(text);
    }
    return 0;
}

Test(report, a_latency_curve_marks_each_knee, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    /* One target at 25%, 50% and 90% of its peak: p99 200 µs, 300 µs, then 5 ms: the knee is the
     * 50% point, drawn before the plot that would otherwise hide it. */
    static const double frac[] = {0.25, 0.5, 0.9}, p99[] = {200, 300, 5000};
    static char name[] = "curve", id[] = "t/plaintext/ringfire/c16/p1/t0", t[] = "t",
                ep[] = "plaintext", tool[] = "ringfire";
    struct rr_doc doc = {.suite = {.name = name}};
    struct rr_cell cells[3];
    doc.cells = cells;
    for (int i = 0; i < 3; i++) {
        struct rr_cell *c = &cells[doc.ncells++];
        *c = (struct rr_cell){.id = id,
                              .target = t,
                              .endpoint = ep,
                              .tool = tool,
                              .connections = 16,
                              .pipeline = 1,
                              .status = RR_OK,
                              .rate = {.present = 1, .rps = 1e5 * frac[i], .of_peak = frac[i]}};
        struct rr_run r;
        rr_run_init(&r);
        r.rps = 1e5 * frac[i];
        r.rate.present = 1;
        r.rate.response_us[RR_P50] = p99[i] / 2;
        r.rate.response_us[RR_P99] = p99[i];
        r.rate.response_us[RR_P99_9] = p99[i] * 2;
        cr_assert(eq(int, rr_cell_add_run(c, &r), 0));
        rr_summarize(c);
    }
    static struct rp_chart_list list;
    static char script[8192];
    cr_assert(eq(int, rp_charts(&doc, tmpdir, &list, keep_script, script), 0));
    const char *knee = strstr(script, "set arrow from 50000, graph 0"),
               *plot = strstr(script, "plot ");
    cr_assert(knee && plot && knee < plot, "%s", script);
    for (int i = 0; i < 3; i++)
        free(cells[i].runs);
}

/* A ringfire cell at a fixed rate is not set beside another tool's closed-loop cell of the same
 * target and load: the tool comparison compares closed loops only (a published report read
 * wrk's peak of 76.2k req/s as 15.24x a ringfire run held at 5k/s). */
Test(report, the_tool_comparison_leaves_out_cells_at_a_fixed_rate)
{
    struct rr_doc doc;
    golden(&doc);
    int marked = 0;
    for (size_t i = 0; i < doc.ncells; i++) {
        struct rr_cell *c = &doc.cells[i];
        if (!strcmp(c->target, "alpha") && !strcmp(c->tool, "ringfire") &&
            !strcmp(c->endpoint, "plaintext") && c->connections == 64) {
            c->rate = (struct rr_rate){.present = 1, .rps = 5000, .of_peak = NAN};
            marked++;
        }
    }
    cr_assert(eq(int, marked, 1));
    char *md = markdown(&doc);
    cr_assert(eq(ptr, strstr(md, "## Tool comparison"), NULL), "%s", md);
    free(md);
    rr_doc_free(&doc);
}

/* A generator-bound cell at a fixed rate says when ringfire was woken a millisecond or more
 * late with its worker not busy (the engine's rate.stalled: something else held its CPU), and
 * only then. */
static char *rate_cell_markdown(double wake_late_us, int stalled)
{
    struct rr_doc doc;
    golden(&doc);
    for (size_t i = 0; i < doc.ncells; i++) {
        struct rr_cell *c = &doc.cells[i];
        if (strcmp(c->target, "alpha") || strcmp(c->tool, "ringfire") ||
            strcmp(c->endpoint, "plaintext") || c->connections != 64)
            continue;
        c->rate = (struct rr_rate){.present = 1, .rps = 5000, .of_peak = NAN};
        for (size_t r = 0; r < c->nruns; r++) {
            c->runs[r].rate.present = 1;
            c->runs[r].rate.target_rps = 5000;
            c->runs[r].rate.verdict = r ? RR_V_VALID : RR_V_GENERATOR;
            c->runs[r].rate.wake_late_max_us = r ? 5000 : wake_late_us; /* valid runs: unread */
            c->runs[r].rate.stalled = !r && stalled;
        }
    }
    char *md = markdown(&doc);
    rr_doc_free(&doc);
    return md;
}

Test(report, a_generator_bound_cell_says_when_ringfire_was_woken_late)
{
    char *md = rate_cell_markdown(2140, 1);
    assert_says(md, "| generator-bound (5 of 6; woken up to 2.1 ms late) |");
    assert_says(md, "something else held its CPU");
    free(md);
    md = rate_cell_markdown(999, 0);
    assert_says(md, "| generator-bound (5 of 6) |");
    free(md);
    md = rate_cell_markdown(2140, 0); /* late, but the engine found its worker busy */
    assert_says(md, "| generator-bound (5 of 6) |");
    free(md);
}

/* The method block names kernel threads that take a CPU on their own, and says what they do to
 * the figures; a machine without them, or results from before the field, say nothing. */
Test(report, the_method_names_threads_that_take_a_cpu)
{
    struct rr_doc doc;
    golden(&doc);
    char *md = markdown(&doc);
    cr_assert(eq(ptr, strstr(md, "take a CPU on their own"), NULL), "%s", md);
    free(md);
    doc.env.cpu_takers = strdup("kdamond.0");
    md = markdown(&doc);
    assert_says(md, "kernel threads that take a CPU on their own: kdamond.0 (DAMON's");
    assert_says(md, "generator-bound runs at a fixed rate, may be its");
    free(md);
    rr_doc_free(&doc);
}
