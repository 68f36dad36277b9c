/*
 * test_gate.c - `ringfire gate` and `ringfire compare` on synthetic results: identical results
 * pass, a 20% throughput drop and a doubled p99 fail with the evidence, jitter and improvements
 * pass, "no change" only when the runs show it and "inconclusive" otherwise (exit 3 with
 * --fail-on inconclusive), added and removed cells are notes, many noisy cells raise no false
 * alarm, input errors exit 2 with the reason, and the exports have the shapes
 * github-action-benchmark and Bencher document.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../says.h"
#include "../tmpdir.h"
#include "cli.h"
#include "calibrate.h"
#include "compare.h"
#include "history.h"
#include "diff.h"
#include "report.h"
#include "results.h"
#include "stats.h"

TestSuite(gate, .init = tmpdir_setup, .fini = tmpdir_teardown);

/* A results document built in code: cells are added with their runs' figures. */
static struct rr_doc *doc_new(const char *cpu_model)
{
    struct rr_doc *doc = calloc(1, sizeof(*doc));
    doc->suite.name = strdup("synthetic");
    doc->env.cpu_model = strdup(cpu_model);
    doc->env.kernel = strdup("Linux 6.1.0");
    doc->env.ringfire = strdup("0.1.0");
    doc->env.cores = 2;
    doc->env.seed = 1;
    return doc;
}

/* Runs i = 0..n-1 with rps * jitter[i], p99 / jitter[i], cpu / jitter[i], for the cell whose
 * id ("x/plaintext/ringfire/c64/p1/t0") names its fields. */
static struct rr_cell *cell_add(struct rr_doc *doc, const char *id, int n, double rps, double p99,
                                double cpu, const double *jitter)
{
    char target[64], endpoint[64], tool[64];
    unsigned c, p, t;
    cr_assert(eq(
        int, sscanf(id, "%63[^/]/%63[^/]/%63[^/]/c%u/p%u/t%u", target, endpoint, tool, &c, &p, &t),
        6));
    doc->cells = realloc(doc->cells, (doc->ncells + 1) * sizeof(*doc->cells));
    struct rr_cell *cell = &doc->cells[doc->ncells++];
    *cell = (struct rr_cell){.id = strdup(id),
                             .target = strdup(target),
                             .endpoint = strdup(endpoint),
                             .tool = strdup(tool),
                             .connections = c,
                             .pipeline = p,
                             .threads = t,
                             .repetitions = (unsigned)n,
                             .status = RR_OK};
    for (int i = 0; i < n; i++) {
        double j = jitter ? jitter[i] : 1;
        struct rr_run r;
        rr_run_init(&r);
        r.rep = (unsigned)i + 1;
        r.rps = rps * j;
        r.latency_us[RR_P50] = p99 / 2 / j;
        r.latency_us[RR_P99] = p99 / j;
        r.cpu_us_per_response.target = cpu / j;
        r.cpu_us_per_response.client = cpu / j;
        cr_assert(eq(int, rr_cell_add_run(cell, &r), 0));
    }
    rr_summarize(cell);
    return cell;
}

static const char *doc_save(struct rr_doc *doc, const char *name)
{
    static char paths[4][160];
    static unsigned next;
    char *path = paths[next++ % 4];
    snprintf(path, sizeof(paths[0]), "%s/%s.json", tmpdir, name);
    cr_assert(eq(int, rr_write(doc, path), 0), "cannot write %s", path);
    rr_doc_free(doc);
    free(doc);
    return path;
}

static const double quiet[] = {1.00, 1.03, 0.97, 1.01, 0.99};

/* The usual pair: cells a and b, 3 runs each, jitter +-3%. */
static struct rr_doc *doc_pair(const char *cpu_model, double rps_a, double p99_a)
{
    struct rr_doc *doc = doc_new(cpu_model);
    cell_add(doc, "x/plaintext/ringfire/c64/p1/t0", 3, rps_a, p99_a, 5.0, quiet);
    cell_add(doc, "x/json/ringfire/c64/p1/t0", 3, 90000, 600, 6.0, quiet);
    return doc;
}

/* Runs fn(argc, argv) with stdout and stderr in out; returns its exit status. */
static int capture(int (*fn)(int, char **), char *out, size_t n, int argc, char **argv)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/out.txt", tmpdir);
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    close(fd);
    int status = fn(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    FILE *f = fopen(path, "r");
    size_t got = fread(out, 1, n - 1, f);
    out[got] = '\0';
    fclose(f);
    return status;
}

static int gate(char *out, size_t n, const char *base, const char *cur, const char *extra1,
                const char *extra2)
{
    char *argv[] = {"gate",      "--baseline",   (char *)base,   "--current",
                    (char *)cur, (char *)extra1, (char *)extra2, NULL};
    int argc = 5 + (extra1 != NULL) + (extra2 != NULL);
    return capture(cli_gate_command.main, out, n, argc, argv);
}

static char out[65536];

/* A file the command wrote in the test's directory. */
static const char *read_text(const char *name)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "r");
    cr_assert(not(eq(ptr, f, NULL)), "%s was not written", path);
    static char text[65536];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

Test(gate, identical_results_pass)
{
    const char *a = doc_save(doc_pair("cpu", 100000, 500), "a");
    cr_assert(eq(int, gate(out, sizeof(out), a, a, "--max-regression", "15%"), 0), "%s", out);
    assert_says(out, "PASS: 0 regressions, 0 improvements, 6 no change, 0 inconclusive");
}

Test(gate, a_20_percent_throughput_drop_fails_with_the_evidence)
{
    const char *a = doc_save(doc_pair("cpu", 100000, 500), "a");
    const char *b = doc_save(doc_pair("cpu", 80000, 500), "b");
    cr_assert(eq(int, gate(out, sizeof(out), a, b, NULL, NULL), 1), "%s", out);
    assert_says(out, "REGRESSION x/plaintext/ringfire/c64/p1/t0 rps: baseline "
                     "100.0k, current 80.0k, -20.0%; the 99.17% interval of the "
                     "ratio, 0.710-0.901, lies below 0.950");
    assert_says(out, "runs: baseline 100.0k 103.0k 97.0k; current 80.0k");
    assert_says(out, "FAIL: 1 regression,");
    assert_says(out, "inconclusive x/json/ringfire/c64/p1/t0 rps");
}

Test(gate, a_doubled_p99_fails)
{
    const char *a = doc_save(doc_pair("cpu", 100000, 500), "a");
    const char *b = doc_save(doc_pair("cpu", 100000, 1000), "b");
    cr_assert(eq(int, gate(out, sizeof(out), a, b, NULL, NULL), 1), "%s", out);
    assert_says(out, "REGRESSION x/plaintext/ringfire/c64/p1/t0 p99: baseline 500 "
                     "µs, current 1.00 ms, +100.0%");
    assert_says(out, "lies above 1.050");
}

Test(gate, jitter_inside_the_noise_passes)
{
    static const double other[] = {0.98, 1.02, 0.96};
    const char *a = doc_save(doc_pair("cpu", 100000, 500), "a");
    struct rr_doc *doc = doc_new("cpu");
    cell_add(doc, "x/plaintext/ringfire/c64/p1/t0", 3, 97000, 520, 5.1, other);
    cell_add(doc, "x/json/ringfire/c64/p1/t0", 3, 92000, 590, 5.9, other);
    const char *b = doc_save(doc, "b");
    cr_assert(eq(int, gate(out, sizeof(out), a, b, NULL, NULL), 0), "%s", out);
    assert_says(out, "PASS: 0 regressions");
}

Test(gate, improvements_are_reported_and_pass)
{
    const char *a = doc_save(doc_pair("cpu", 100000, 500), "a");
    const char *b = doc_save(doc_pair("cpu", 130000, 500), "b");
    cr_assert(eq(int, gate(out, sizeof(out), a, b, NULL, NULL), 0), "%s", out);
    assert_says(out, "improvement x/plaintext/ringfire/c64/p1/t0 rps");
    assert_says(out, "PASS: 0 regressions, 1 improvement,");
}

Test(gate, steady_runs_show_no_change)
{
    static const double steady[] = {1.000, 1.004, 0.996, 1.002, 0.998};
    struct rr_doc *da = doc_new("cpu"), *db = doc_new("cpu");
    cell_add(da, "x/plaintext/ringfire/c64/p1/t0", 5, 100000, 500, 5.0, steady);
    cell_add(db, "x/plaintext/ringfire/c64/p1/t0", 5, 101000, 495, 4.95, steady);
    const char *a = doc_save(da, "a"), *b = doc_save(db, "b");
    char md[128];
    snprintf(md, sizeof(md), "--markdown=%s/gate.md", tmpdir);
    cr_assert(eq(int, gate(out, sizeof(out), a, b, md, "--fail-on=inconclusive"), 0), "%s", out);
    assert_says(out, "PASS: 0 regressions, 0 improvements, 3 no change, 0 inconclusive");
    assert_says(read_text("gate.md"),
                "## ✅ ringfire gate: no regression: every comparison within ±5%");
}

Test(gate, identical_runs_too_noisy_for_the_threshold_are_inconclusive)
{
    /* 3 runs of +-3% cannot show that nothing moved by more than 5%: at 99% confidence the
     * interval of the ratio of identical runs reaches past +-5%. */
    const char *a = doc_save(doc_pair("cpu", 100000, 500), "a");
    char md[128];
    snprintf(md, sizeof(md), "--markdown=%s/gate.md", tmpdir);
    cr_assert(eq(int, gate(out, sizeof(out), a, a, md, NULL), 0), "%s", out);
    assert_says(out, "PASS: 0 regressions, 0 improvements, 0 no change, 6 inconclusive (they "
                     "could only call changes beyond ±");
    assert_says(out, "or --fail-on inconclusive to fail on them");
    assert_says(read_text("gate.md"),
                "## ❔ ringfire gate: no regression found, but 6 of 6 comparisons inconclusive");
    cr_assert(eq(int, gate(out, sizeof(out), a, a, "--fail-on", "inconclusive"), 3), "%s", out);
    assert_says(out, "FAIL: 0 regressions, 0 improvements, 0 no change, 6 inconclusive");
    cr_assert(eq(int, gate(out, sizeof(out), a, a, "--fail-on", "noise"), 2), "%s", out);
    assert_says(out, "--fail-on 'noise': the one choice is 'inconclusive'");
}

Test(gate, a_drop_hidden_in_noise_is_inconclusive_and_passes)
{
    static const double wild[] = {1.0, 1.25, 0.8};
    const char *a = doc_save(doc_pair("cpu", 100000, 500), "a");
    struct rr_doc *doc = doc_new("cpu");
    cell_add(doc, "x/plaintext/ringfire/c64/p1/t0", 3, 90000, 500, 5.0, wild);
    cell_add(doc, "x/json/ringfire/c64/p1/t0", 3, 90000, 600, 6.0, quiet);
    const char *b = doc_save(doc, "b");
    cr_assert(eq(int, gate(out, sizeof(out), a, b, NULL, NULL), 0), "%s", out);
    assert_says(out, "inconclusive x/plaintext/ringfire/c64/p1/t0 rps");
    assert_says(out, "these runs could only call changes beyond ±");
    assert_says(out, "add repetitions to decide");
}

Test(gate, many_noisy_cells_raise_no_false_alarm)
{
    /* 60 cells x 3 metrics of pure noise (+-4%, 5 runs a side, no real change) at a threshold
     * of 0: uncorrected 95% intervals would call some of these 180 changes. */
    struct rr_doc *da = doc_new("cpu"), *db = doc_new("cpu");
    uint64_t state = 42;
    for (int i = 0; i < 60; i++) {
        char id[64];
        double ja[5], jb[5];
        for (int k = 0; k < 5; k++) {
            ja[k] = 0.96 + (double)(rr_random(&state) % 8001) / 100000;
            jb[k] = 0.96 + (double)(rr_random(&state) % 8001) / 100000;
        }
        snprintf(id, sizeof(id), "x/plaintext/ringfire/c%d/p1/t0", i + 1);
        cell_add(da, id, 5, 100000, 500, 5.0, ja);
        cell_add(db, id, 5, 100000, 500, 5.0, jb);
    }
    const char *a = doc_save(da, "a"), *b = doc_save(db, "b");
    cr_assert(eq(int, gate(out, sizeof(out), a, b, "--max-regression", "0"), 0), "%s", out);
    assert_says(out, "180 comparisons");
}

Test(gate, added_and_removed_cells_are_noted_not_errors)
{
    const char *a = doc_save(doc_pair("cpu", 100000, 500), "a");
    struct rr_doc *doc = doc_new("cpu");
    cell_add(doc, "x/plaintext/ringfire/c64/p1/t0", 3, 100000, 500, 5.0, quiet);
    cell_add(doc, "x/plaintext/ringfire/c256/p1/t0", 3, 100000, 500, 5.0, quiet);
    const char *b = doc_save(doc, "b");
    char md[128];
    snprintf(md, sizeof(md), "--markdown=%s/gate.md", tmpdir);
    cr_assert(eq(int, gate(out, sizeof(out), a, b, md, NULL), 0), "%s", out);
    const char *text = read_text("gate.md");
    assert_says(text, "x/json/ringfire/c64/p1/t0: in the baseline only (a cell removed); not "
                      "compared");
    assert_says(text, "x/plaintext/ringfire/c256/p1/t0: in the current run only (a new cell); "
                      "not compared");
    cr_assert(eq(ptr, strstr(out, "INPUT ERROR"), NULL), "%s", out);
}

Test(gate, too_few_repetitions_exit_2)
{
    const char *a = doc_save(doc_pair("cpu", 100000, 500), "a");
    struct rr_doc *doc = doc_new("cpu");
    cell_add(doc, "x/plaintext/ringfire/c64/p1/t0", 2, 100000, 500, 5.0, quiet);
    cell_add(doc, "x/json/ringfire/c64/p1/t0", 3, 90000, 600, 6.0, quiet);
    const char *b = doc_save(doc, "b");
    char md[128];
    snprintf(md, sizeof(md), "--markdown=%s/gate.md", tmpdir);
    cr_assert(eq(int, gate(out, sizeof(out), a, b, md, NULL), 2), "%s", out);
    assert_says(out, "x/plaintext/ringfire/c64/p1/t0 rps: 3 runs in the baseline "
                     "and 2 in the current run; the gate needs at least 3");
    assert_says(out, "\"repetitions\" to 3 or more");
    cr_assert(
        not(eq(ptr, strstr(read_text("gate.md"), "## ⚠️ ringfire gate: 3 problems"), NULL)));
}

Test(gate, another_schema_and_a_missing_file_exit_2)
{
    const char *a = doc_save(doc_pair("cpu", 100000, 500), "a");
    cr_assert(
        eq(int, gate(out, sizeof(out), a, "tests/data/results-old-schema.json", NULL, NULL), 2));
    assert_says(out, "expected ringfire.results/3");
    cr_assert(eq(int, gate(out, sizeof(out), a, "/nonexistent/results", NULL, NULL), 2));
    assert_says(out, "/nonexistent/results: cannot read");
    cr_assert(eq(int, gate(out, sizeof(out), a, a, "--max-regression", "150%"), 2));
    assert_says(out, "--max-regression '150%'");
    cr_assert(eq(int, gate(out, sizeof(out), a, a, "--metrics", "rps,p42"), 2));
    assert_says(out, "unknown metric 'p42'");
}

Test(gate, a_cell_that_failed_is_a_regression)
{
    const char *a = doc_save(doc_pair("cpu", 100000, 500), "a");
    struct rr_doc *doc = doc_pair("cpu", 100000, 500);
    rr_cell_set_status(&doc->cells[1], RR_FAILED, "validation failed: status 500");
    const char *b = doc_save(doc, "b");
    cr_assert(eq(int, gate(out, sizeof(out), a, b, NULL, NULL), 1), "%s", out);
    assert_says(out, "REGRESSION x/json/ringfire/c64/p1/t0: measured in the baseline, "
                     "failed in the current run: validation failed: status 500");
}

Test(gate, different_environments_are_warned_about)
{
    const char *a = doc_save(doc_pair("CPU A", 100000, 500), "a");
    const char *b = doc_save(doc_pair("CPU B", 100000, 500), "b");
    cr_assert(eq(int, gate(out, sizeof(out), a, b, NULL, NULL), 0), "%s", out);
    assert_says(out, "warning: the environments differ: CPU: baseline CPU A, "
                     "current CPU B");
}

/* The host's placement of the client's and the target's CPUs, read when each suite began and
 * ended: every reading of one run more than 2x every reading of the other is said, as a warning
 * that does not change the verdict; within 2x (the noise of one placement), or ranges that
 * overlap, nothing is. */
Test(gate, runs_on_cpus_placed_apart_differently_are_warned_about)
{
    struct rr_doc *near = doc_pair("cpu", 100000, 500), *far = doc_pair("cpu", 100000, 500);
    near->env.cpu_distance_start_ns = 96, near->env.cpu_distance_end_ns = 120;
    far->env.cpu_distance_start_ns = 487, far->env.cpu_distance_end_ns = 510;
    const char *a = doc_save(near, "a"), *b = doc_save(far, "b");
    cr_assert(eq(int, gate(out, sizeof(out), a, b, NULL, NULL), 0), "%s", out);
    assert_says(out, "warning: the environments differ: the client's and the target's CPUs: a "
                     "cache line's round trip of 96-120 ns in the baseline, 487-510 ns in the "
                     "current run");
    struct rr_doc *same = doc_pair("cpu", 100000, 500);
    same->env.cpu_distance_start_ns = 150, same->env.cpu_distance_end_ns = 180;
    const char *c = doc_save(same, "c");
    cr_assert(eq(int, gate(out, sizeof(out), a, c, NULL, NULL), 0), "%s", out);
    cr_assert(eq(ptr, strstr(out, "round trip"), NULL), "%s", out);
    /* A run whose CPUs moved during it (its report says so) against itself: nothing to warn. */
    struct rr_doc *moved = doc_pair("cpu", 100000, 500);
    moved->env.cpu_distance_start_ns = 109, moved->env.cpu_distance_end_ns = 475;
    const char *m = doc_save(moved, "m");
    cr_assert(eq(int, gate(out, sizeof(out), m, m, NULL, NULL), 0), "%s", out);
    cr_assert(eq(ptr, strstr(out, "round trip"), NULL), "%s", out);
}

static cJSON *load_json(const char *name)
{
    cJSON *doc = cJSON_Parse(read_text(name));
    cr_assert(not(eq(ptr, doc, NULL)), "%s is not JSON", name);
    return doc;
}

/* github-action-benchmark: an array of {name: string, unit: string, value: number} with
 * optional range and extra strings. */
static int github_entries(const cJSON *doc, const char *want_suffix)
{
    cr_assert(cJSON_IsArray(doc));
    int n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, doc)
    {
        cr_assert(cJSON_IsString(cJSON_GetObjectItem(e, "name")));
        cr_assert(cJSON_IsString(cJSON_GetObjectItem(e, "unit")));
        cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(e, "value")));
        cr_assert(cJSON_IsString(cJSON_GetObjectItem(e, "range")));
        cr_assert(cJSON_IsString(cJSON_GetObjectItem(e, "extra")));
        const char *range = cJSON_GetObjectItem(e, "range")->valuestring;
        cr_assert(eq(ptr, strpbrk(range, "eE"), NULL), "a plain number: %s", range);
        const char *name = cJSON_GetObjectItem(e, "name")->valuestring;
        if (strstr(name, want_suffix))
            n++;
    }
    return n;
}

Test(gate, exports_have_the_documented_shapes)
{
    const char *a = doc_save(doc_pair("cpu", 100000, 500), "a");
    char md[128], big[128], small[128], bmf[128];
    snprintf(md, sizeof(md), "--markdown=%s/gate.md", tmpdir);
    snprintf(big, sizeof(big), "--github-bigger=%s/bigger.json", tmpdir);
    snprintf(small, sizeof(small), "--github-smaller=%s/smaller.json", tmpdir);
    snprintf(bmf, sizeof(bmf), "--bmf=%s/bmf.json", tmpdir);
    char *argv[] = {"gate", "--baseline", (char *)a, "--current", (char *)a,
                    md,     big,          small,     bmf,         NULL};
    cr_assert(eq(int, capture(cli_gate_command.main, out, sizeof(out), 9, argv), 0), "%s", out);

    cJSON *doc = load_json("bigger.json");
    cr_assert(eq(int, cJSON_GetArraySize(doc), 2));
    cr_assert(eq(int, github_entries(doc, " rps"), 2));
    cr_assert(
        eq(dbl, cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0), "value")->valuedouble, 100000.0));
    cJSON_Delete(doc);
    doc = load_json("smaller.json");
    cr_assert(eq(int, cJSON_GetArraySize(doc), 4)); /* p99 and cpu of two cells */
    cr_assert(eq(int, github_entries(doc, " p99"), 2));
    cr_assert(eq(int, github_entries(doc, " cpu"), 2));
    cJSON_Delete(doc);

    /* Bencher's BMF: {benchmark: {measure: {value, lower_value, upper_value}}}. */
    doc = load_json("bmf.json");
    const cJSON *bench, *measure;
    int measures = 0;
    cJSON_ArrayForEach(bench, doc)
    {
        cr_assert(cJSON_IsObject(bench));
        cJSON_ArrayForEach(measure, bench)
        {
            double v = cJSON_GetObjectItem(measure, "value")->valuedouble;
            cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(measure, "value")));
            cr_assert(le(dbl, cJSON_GetObjectItem(measure, "lower_value")->valuedouble, v));
            cr_assert(ge(dbl, cJSON_GetObjectItem(measure, "upper_value")->valuedouble, v));
            measures++;
        }
    }
    cr_assert(eq(int, measures, 6));
    const cJSON *p99 = cJSON_GetObjectItem(
        cJSON_GetObjectItem(doc, "x/plaintext/ringfire/c64/p1/t0"), "latency-p99");
    cr_assert(eq(dbl, cJSON_GetObjectItem(p99, "value")->valuedouble, 500000.0)); /* ns */
    cJSON_Delete(doc);

    cr_assert(not(
        eq(ptr, strstr(read_text("gate.md"), "## ❔ ringfire gate: no regression found"), NULL)));
}

Test(gate, compare_prints_a_table_of_changes)
{
    const char *a = doc_save(doc_pair("cpu", 100000, 500), "a");
    const char *b = doc_save(doc_pair("cpu", 80000, 500), "b");
    char *argv[] = {"compare", (char *)a, (char *)b, "--metrics", "rps,p99", NULL};
    cr_assert(eq(int, capture(cli_compare_command.main, out, sizeof(out), 5, argv), 0), "%s", out);
    assert_says(out, "| `x/plaintext/ringfire/c64/p1/t0` | req/s | 100.0k (3) | "
                     "80.0k (3) | -20.0% | -28.0% … -11.1% | ±11.2% | **worse** |");
    assert_says(out, "| `x/json/ringfire/c64/p1/t0` | req/s | 90.0k (3) | 90.0k "
                     "(3) | +0.0% | -10.0% … +11.2% | ±11.2% | inconclusive |");
}

Test(gate, t_quantiles_match_the_tables)
{
    static const struct {
        double p, df, t;
    } table[] = {
        {0.95, 1, 6.313752},   {0.975, 2, 4.302653},   {0.995, 4, 4.604095},
        {0.975, 30, 2.042272}, {0.9995, 10, 4.586894}, {0.025, 2, -4.302653},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        double t = rr_t_quantile(table[i].p, table[i].df);
        cr_assert(lt(dbl, fabs(t - table[i].t), 1e-5), "p %g df %g: %.7f, want %.6f", table[i].p,
                  table[i].df, t, table[i].t);
    }
    cr_assert(isnan(rr_t_quantile(1, 3)));
}

Test(gate, the_ratio_interval_is_welchs)
{
    /* Same spread on both sides: df = 2(n-1) = 4, se = sqrt(2 s^2 / 3), with s^2 the sample
     * variance of ln(1), ln(1.03), ln(0.97). */
    double x[] = {100, 103, 97}, y[] = {80, 82.4, 77.6}, ratio, lo, hi;
    cr_assert(eq(int, rr_ratio_interval(x, 3, y, 3, 0.99, &ratio, &lo, &hi), 0));
    double l[] = {0, log(1.03), log(0.97)}, m = (l[0] + l[1] + l[2]) / 3, s2 = 0;
    for (int i = 0; i < 3; i++)
        s2 += (l[i] - m) * (l[i] - m) / 2;
    double half = 4.604095 * sqrt(2 * s2 / 3);
    cr_assert(lt(dbl, fabs(ratio - 0.8), 1e-12));
    cr_assert(lt(dbl, fabs(lo - 0.8 * exp(-half)), 1e-6));
    cr_assert(lt(dbl, fabs(hi - 0.8 * exp(half)), 1e-6));
    double zero[] = {0, 1, 1};
    cr_assert(eq(int, rr_ratio_interval(zero, 3, y, 3, 0.95, &ratio, &lo, &hi), -1));
    cr_assert(eq(int, rr_ratio_interval(x, 1, y, 3, 0.95, &ratio, &lo, &hi), -1));
}

/* `ringfire gate ARGS...` (NULL-terminated, at most 8). */
static int gate_with(char *o, size_t n, const char *const *args)
{
    char *argv[10] = {"gate"};
    int argc = 1;
    while (args[argc - 1] && argc < 9) {
        argv[argc] = (char *)args[argc - 1];
        argc++;
    }
    return capture(cli_gate_command.main, o, n, argc, argv);
}

static const double drift[] = {1.00, 0.82, 1.18, 0.95, 1.10, 0.85, 1.20, 0.90, 1.05, 0.80};

/* An interleaved suite's results: targets base and cand, 10 repetitions that drift together by
 * up to +-20% (both sides of a pair ran side by side), cand at factor times base. */
static const char *ab_doc(double factor, const char *third)
{
    double cand[10];
    for (int i = 0; i < 10; i++)
        cand[i] = drift[i] * factor * (i % 2 ? 1.004 : 0.996); /* and a little noise of its own */
    struct rr_doc *doc = doc_new("cpu");
    doc->env.interleaved = 1;
    cell_add(doc, "base/plaintext/ringfire/c64/p1/t0", 10, 100000, 500, 5.0, drift);
    cell_add(doc, "cand/plaintext/ringfire/c64/p1/t0", 10, 100000, 500, 5.0, cand);
    if (third)
        cell_add(doc, third, 10, 100000, 500, 5.0, drift);
    return doc_save(doc, "ab");
}

Test(gate, paired_runs_see_through_shared_drift)
{
    /* A 10% drop under +-20% drift: the pairs show it where unpaired runs cannot. */
    const char *ab = ab_doc(0.9, NULL);
    cr_assert(
        eq(int, gate_with(out, sizeof(out), (const char *[]){"--ab", ab, "--metrics", "rps", NULL}),
           1),
        "%s", out);
    assert_says(out, "candidate cand against baseline base, runs paired by repetition");
    assert_says(out, "REGRESSION base/plaintext/ringfire/c64/p1/t0 rps");
    /* The same runs unpaired (as two results files would be): inconclusive. */
    double cand[10];
    for (int i = 0; i < 10; i++)
        cand[i] = drift[i] * 0.9 * (i % 2 ? 1.004 : 0.996);
    struct rr_doc *a = doc_new("cpu"), *b = doc_new("cpu");
    cell_add(a, "x/plaintext/ringfire/c64/p1/t0", 10, 100000, 500, 5.0, drift);
    cell_add(b, "x/plaintext/ringfire/c64/p1/t0", 10, 100000, 500, 5.0, cand);
    struct rp_diff d;
    struct rp_diff_opts unpaired = {.mask = 1u << RP_M_RPS, .threshold = 0.05, .min_runs = 3};
    cr_assert(eq(int, rp_diff(a, b, &unpaired, &d), 0));
    cr_assert(eq(int, d.nchanges, 1));
    cr_assert(eq(int, d.changes[0].verdict, RP_UNCLEAR), "Welch's interval %.3f-%.3f",
              d.changes[0].lo, d.changes[0].hi);
    rp_diff_free(&d);
    rr_doc_free(a);
    rr_doc_free(b);
    free(a);
    free(b);
}

Test(gate, paired_runs_of_equal_targets_raise_no_alarm)
{
    const char *ab = ab_doc(1.0, NULL);
    char md[128];
    snprintf(md, sizeof(md), "--markdown=%s/gate.md", tmpdir);
    cr_assert(
        eq(int,
           gate_with(out, sizeof(out), (const char *[]){"--ab", ab, md, "--false-alarms=1%", NULL}),
           0),
        "%s", out);
    assert_says(out, "PASS: 0 regressions, 0 improvements, 3 no change, 0 inconclusive");
    assert_says(read_text("gate.md"), "Wilcoxon signed-rank");
}

Test(gate, ab_needs_two_targets_it_can_name)
{
    const char *ab = ab_doc(1.0, "other/plaintext/ringfire/c64/p1/t0");
    cr_assert(eq(int, gate_with(out, sizeof(out), (const char *[]){"--ab", ab, NULL}), 2), "%s",
              out);
    assert_says(out, "it holds more than two targets; name the two to compare with --targets");
    cr_assert(eq(int,
                 gate_with(out, sizeof(out),
                           (const char *[]){"--ab", ab, "--targets", "base,nope", NULL}),
                 2),
              "%s", out);
    assert_says(out, "has no target 'nope'");
    cr_assert(eq(int,
                 gate_with(out, sizeof(out),
                           (const char *[]){"--ab", ab, "--targets", "other,cand", NULL}),
                 0),
              "%s", out);
    cr_assert(eq(int,
                 gate_with(out, sizeof(out), (const char *[]){"--ab", ab, "--baseline", ab, NULL}),
                 2),
              "%s", out);
    assert_says(out, "give either --ab or --baseline and --current, not both");
}

Test(gate, too_few_pairs_say_how_many_are_needed)
{
    static const double j[] = {1, 1.01, 0.99, 1, 1.02};
    struct rr_doc *doc = doc_new("cpu");
    doc->env.interleaved = 1;
    cell_add(doc, "base/plaintext/ringfire/c64/p1/t0", 5, 100000, 500, 5.0, j);
    cell_add(doc, "cand/plaintext/ringfire/c64/p1/t0", 5, 100000, 500, 5.0, j);
    const char *ab = doc_save(doc, "ab");
    cr_assert(eq(int, gate_with(out, sizeof(out), (const char *[]){"--ab", ab, NULL}), 2), "%s",
              out);
    assert_says(out, "5 pairs of runs; at 98.33% confidence the signed-rank interval needs at "
                     "least 7");
}

Test(gate, searches_and_fixed_rates_are_compared_like_any_cell)
{
    /* The highest rate under the objective (rps of a search cell) and the server's CPU per
     * answer at a fixed rate are metrics the gate compares as it compares req/s. */
    struct rr_doc *a = doc_new("cpu"), *b = doc_new("cpu");
    struct rr_cell *c;
    c = cell_add(a, "x/plaintext/ringfire/c64/p1/t0/rslo", 5, 50000, 500, 5.0, quiet);
    c->rate = (struct rr_rate){.present = 1, .rps = NAN, .of_peak = NAN, .search = 1};
    c = cell_add(a, "x/plaintext/ringfire/c64/p1/t0/r5000", 5, 5000, 300, 20.0, quiet);
    c->rate = (struct rr_rate){.present = 1, .rps = 5000, .of_peak = NAN};
    c = cell_add(b, "x/plaintext/ringfire/c64/p1/t0/rslo", 5, 35000, 500, 5.0, quiet);
    c->rate = (struct rr_rate){.present = 1, .rps = NAN, .of_peak = NAN, .search = 1};
    c = cell_add(b, "x/plaintext/ringfire/c64/p1/t0/r5000", 5, 5000, 300, 30.0, quiet);
    c->rate = (struct rr_rate){.present = 1, .rps = 5000, .of_peak = NAN};
    const char *pa = doc_save(a, "a"), *pb = doc_save(b, "b");
    cr_assert(eq(int, gate(out, sizeof(out), pa, pb, "--metrics", "rps,cpu"), 1), "%s", out);
    assert_says(out, "REGRESSION x/plaintext/ringfire/c64/p1/t0/rslo rps: baseline 50.0k, "
                     "current 35.0k, -30.0%");
    assert_says(out, "REGRESSION x/plaintext/ringfire/c64/p1/t0/r5000 cpu: baseline 20.00 µs, "
                     "current 30.01 µs, +50.0%"); /* geometric means of the jittered runs */
}

/* An A/A document: target x and its copy x.aa, n pairs under +-20% shared drift, each pair's
 * ratio off by a seeded normal noise of the given spread. */
static struct rr_doc *aa_doc(int n, double noise)
{
    double a[64], b[64];
    uint64_t seed = 42;
    for (int i = 0; i < n; i++) {
        double u = ((double)(rr_random(&seed) >> 11) + 1) / 9007199254740993.0;
        double v = (double)(rr_random(&seed) >> 11) / 9007199254740992.0;
        double z = sqrt(-2 * log(u)) * cos(2 * M_PI * v);
        a[i] = 1 + 0.2 * sin(i);
        b[i] = a[i] * exp(noise * z);
    }
    struct rr_doc *doc = doc_new("cpu");
    cell_add(doc, "x/plaintext/ringfire/c64/p1/t0", n, 100000, 500, 5.0, a);
    cell_add(doc, "x.aa/plaintext/ringfire/c64/p1/t0", n, 100000, 500, 5.0, b);
    return doc;
}

static const struct rp_calib_opts calib = {
    .mask = 1u << RP_M_RPS | 1u << RP_M_P99 | 1u << RP_M_CPU,
    .change = 0.10,
    .threshold = 0.05,
    .alpha = 0.05,
    .power = 0.9,
};

/* The repetitions an interleaved gate needs grow with the noise of a pair; against a stored
 * baseline the drift between runs counts too, and here no number of runs is enough. */
Test(gate, calibration_follows_the_noise)
{
    unsigned need[2];
    const double noise[2] = {0.01, 0.04};
    for (int k = 0; k < 2; k++) {
        struct rr_doc *doc = aa_doc(16, noise[k]);
        struct rp_calibration c;
        cr_assert(eq(int, rp_calibrate(doc, &calib, &c), 0));
        cr_assert(eq(int, c.nrows, 3), "rps, p99 and cpu of x against x.aa");
        cr_assert(eq(int, c.false_alarms, 0));
        cr_assert(le(dbl, fabs(c.rows[0].noise - noise[k]), noise[k] / 2), "noise %g",
                  c.rows[0].noise);
        need[k] = c.need_pairs;
        cr_assert(eq(int, c.need_runs, 0), "the drift needs more than %d runs a side", RP_RUNS_MAX);
        rp_calibration_free(&c);
        rr_doc_free(doc);
        free(doc);
    }
    cr_assert(eq(int, need[0], 7), "1%% noise: the fewest pairs 3 comparisons at 95%% allow");
    cr_assert(gt(int, need[1], need[0]), "4%% noise needs more: %u", need[1]);
    cr_assert(le(int, need[1], 40), "but not without bound: %u", need[1]);
}

Test(gate, calibrate_reads_an_aa_run_and_says_what_it_needs)
{
    const char *path = doc_save(aa_doc(12, 0.02), "aa");
    char *argv[] = {"calibrate", "--results", (char *)path, "--metrics", "rps", NULL};
    cr_assert(eq(int, capture(cli_calibrate_command.main, out, sizeof(out), 5, argv), 0), "%s",
              out);
    assert_says(out, "| x/plaintext/ringfire/c64/p1/t0 | rps | 12 |");
    assert_says(out, "Repetitions for the gate: **");
    assert_says(out, "A/A false alarms: 0 of 1 comparisons");
    /* A document without copies of its targets cannot calibrate. */
    const char *plain = doc_save(doc_pair("cpu", 100000, 500), "plain");
    char *argv2[] = {"calibrate", "--results", (char *)plain, NULL};
    cr_assert(eq(int, capture(cli_calibrate_command.main, out, sizeof(out), 3, argv2), 2), "%s",
              out);
    assert_says(out, "no comparison of a target with its copy");
    char *argv3[] = {"calibrate", "ci", "--change", "4%", NULL};
    cr_assert(eq(int, capture(cli_calibrate_command.main, out, sizeof(out), 4, argv3), 2));
    assert_says(out, "--change 4% is not beyond --max-regression 5%");
}

/* n results of one cell over time, run-to-run noise +-2% and day-to-day +-3% (seeded), the
 * throughput dropping by drop from result at on; written in the test's folder, paths in out. */
static void history_docs(int n, int at, double drop, char paths[][160])
{
    uint64_t seed = 7;
    for (int d = 0; d < n; d++) {
        double day = 1 + 0.03 * ((double)(rr_random(&seed) % 2001) / 1000 - 1), j[5];
        for (int r = 0; r < 5; r++)
            j[r] = day * (d >= at ? 1 - drop : 1) *
                   (1 + 0.02 * ((double)(rr_random(&seed) % 2001) / 1000 - 1));
        struct rr_doc *doc = doc_new("cpu");
        char when[32], name[32];
        snprintf(when, sizeof(when), "2026-11-%02dT10:00:00Z", d + 1);
        doc->env.started = strdup(when);
        cell_add(doc, "x/plaintext/ringfire/c64/p1/t0", 5, 100000, 500, 5.0, j);
        snprintf(name, sizeof(name), "day%02d", n - d); /* named against time's order */
        snprintf(paths[d], 160, "%s", doc_save(doc, name));
    }
}

static int history_run(char paths[][160], int n, const char *extra)
{
    char *argv[40] = {"history", "--out", (char *)tmpdir, "--no-charts"};
    int argc = 4;
    if (extra)
        argv[argc++] = (char *)extra;
    for (int d = n - 1; d >= 0; d--) /* given newest first: the command sorts them */
        argv[argc++] = paths[d];
    return capture(cli_history_command.main, out, sizeof(out), argc, argv);
}

Test(gate, history_finds_a_shift_where_it_happened)
{
    char paths[20][160];
    history_docs(20, 12, 0.10, paths);
    cr_assert(eq(int, history_run(paths, 20, "--metrics=rps"), 0), "%s", out);
    assert_says(out, "change point x/plaintext/ringfire/c64/p1/t0 rps: from result 13 "
                     "(2026-11-13T10:00:00Z)");
    assert_says(out, "1 change point");
    const char *md = read_text("history.md");
    assert_says(md, "| x/plaintext/ringfire/c64/p1/t0 | rps | #13 (2026-11-13 10:00) |");
    assert_says(read_text("history.html"), "<table");
}

Test(gate, history_of_noise_or_too_few_results_calls_nothing)
{
    char paths[20][160];
    history_docs(20, 20, 0, paths);
    cr_assert(eq(int, history_run(paths, 20, NULL), 0), "%s", out);
    assert_says(out, "0 change points");
    /* A 20% drop in the last 2 of 5 results: C(5, 2) orders cannot reach p 0.001. */
    history_docs(5, 3, 0.20, paths);
    cr_assert(eq(int, history_run(paths, 5, NULL), 0), "%s", out);
    assert_says(out, "0 change points (too few results to reach the p-value");
    assert_says(read_text("history.md"), "5 results are too few for any shift to reach that "
                                         "p-value: it takes 13, or a larger --p-value");
    cr_assert(eq(int, history_run(paths, 5, "--p-value=2"), 2));
    assert_says(out, "--p-value '2': give a number between 0 and 1");
}
