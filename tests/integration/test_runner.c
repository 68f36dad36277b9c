/*
 * test_runner.c - `ringfire suite` end to end: the smoke suite, targets that fail to start,
 * fail validation or die during a cell, an interrupted suite finished with --resume, dry runs,
 * skipped cells, and every tool's adapter against the fixture.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "../says.h"
#include "../tmpdir.h"
#include "harness.h"
#include "results.h"
#include "tools.h"

static const struct rr_cell *cell(const struct rr_doc *doc, const char *id)
{
    const struct rr_cell *c = rr_cell_find(doc, id);
    if (!c)
        cr_fatal("no cell %s", id);
    return c;
}

static const char *reason_of(const struct rr_cell *c)
{
    return c->reason ? c->reason : "";
}

static const char *status_of(const struct rr_cell *c)
{
    return rr_status_name(c->status);
}

Test(runner, smoke_suite_end_to_end, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    char out[128];
    snprintf(out, sizeof(out), "%s/smoke", tmpdir);
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, "suite", "smoke", "--out", out, "-q", NULL}, 120, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    assert_says(r.err, "4 ok, 0 failed, 0 skipped");
    struct rr_doc doc;
    cr_assert(eq(int, load_results(out, &doc), 0), "the results load");
    cr_assert(eq(sz, strlen(doc.env.suite_sha256), 64));
    cr_assert(eq(u64, doc.env.seed, 1), "the suite's seed is recorded");
    cr_assert(not(eq(ptr, strstr(doc.env.ringfire, "0.1.0"), NULL)));
    /* The kernel threads that take a CPU were looked for; DAMON's monitor, where its sysfs says
     * it is on, was found. */
    cr_assert(not(eq(ptr, doc.env.cpu_takers, NULL)));
    FILE *damon = fopen("/sys/kernel/mm/damon/admin/kdamonds/0/state", "r");
    char state[16] = "";
    if (damon && fgets(state, sizeof(state), damon) && strncmp(state, "on", 2) == 0)
        assert_says(doc.env.cpu_takers, "kdamond.");
    if (damon)
        fclose(damon);
    /* With the client and the target on different CPUs, their distance when it began and ended
     * (a cache line's round trip: tens of ns on one die, hundreds across a machine). */
    if (strcmp(doc.env.client_cpus, doc.env.target_cpus) != 0) {
        cr_assert(gt(dbl, doc.env.cpu_distance_start_ns, 10));
        cr_assert(lt(dbl, doc.env.cpu_distance_start_ns, 1e6));
        cr_assert(gt(dbl, doc.env.cpu_distance_end_ns, 10));
        cr_assert(lt(dbl, doc.env.cpu_distance_end_ns, 1e6));
    }
    cr_assert(eq(sz, doc.ncells, 4));
    for (size_t i = 0; i < doc.ncells; i++) {
        const struct rr_cell *c = &doc.cells[i];
        const struct rr_summary *sum = &c->summary;
        cr_assert(eq(str, (char *)status_of(c), "ok"), "%s", c->id);
        cr_assert(eq(sz, c->nruns, 3));
        cr_assert(gt(dbl, sum->rps.median, 0));
        cr_assert(le(dbl, sum->rps.ci[0], sum->rps.median));
        cr_assert(ge(dbl, sum->rps.ci[1], sum->rps.median));
        cr_assert(gt(dbl, sum->cpu_us_per_response.client, 0));
        cr_assert(gt(dbl, sum->cpu_us_per_response.target, 0));
        const struct rr_run *run = &c->runs[0];
        cr_assert(not(eq(ptr, strstr(run->command, "--json"), NULL)));
        cr_assert(gt(sz, run->nbuckets, 0), "the engine's histogram is kept");
        cr_assert(not(eq(ptr, run->raw, NULL)), "the engine's own result is kept");
        /* How early the send stamps can be is recorded, and it is a plausible figure: a few
         * sends' time, under the run's longest latency (a plain comparison: NaN, not recorded,
         * fails it). */
        cr_assert(run->send_early_us >= 0 && run->send_early_us <= run->latency_us[RR_MAX],
                  "send_early_us %g, max latency %g us", run->send_early_us,
                  run->latency_us[RR_MAX]);
    }
    rr_doc_free(&doc);
    cmd_free(&r);

    /* The gate and compare read real results: a run against itself passes (with 3 runs, "no
     * change" or "inconclusive", never a regression or an improvement). */
    cmd_run((const char *const[]){RINGFIRE, "gate", "--baseline", out, "--current", out, NULL}, 30,
            &r);
    cr_assert(eq(int, r.status, 0), "%s%s", r.out, r.err);
    assert_says(r.out, "PASS: 0 regressions, 0 improvements, ");
    cmd_free(&r);
    cmd_run((const char *const[]){RINGFIRE, "compare", out, out, NULL}, 30, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    assert_says(r.out, "| `ringfire-fixture/json/ringfire/c16/p16/t0` | p99 latency");
    cmd_free(&r);
}

Test(runner, the_committed_ci_baseline_is_usable_by_the_gate)
{
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, "gate", "--baseline", "ci/baselines/ci.json",
                                  "--current", "ci/baselines/ci.json", NULL},
            30, &r);
    cr_assert(eq(int, r.status, 0), "%s%s", r.out, r.err);
    assert_says(r.out, "PASS: 0 regressions");
    cmd_free(&r);
    cmd_run((const char *const[]){RINGFIRE, "gate", "--baseline", "ci/baselines/ci.json", NULL}, 30,
            &r);
    cr_assert(eq(int, r.status, 2));
    assert_says(r.err, "name both --baseline and --current");
    cmd_free(&r);
}

Test(runner, interleaved_targets_take_turns_and_pair, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    const char *suite = tmpdir_write(
        "ab.json",
        "{\"name\": \"ab\", \"interleave\": true,\n"
        " \"targets\": [{\"name\": \"base\", \"start\": \"exec build/ringfire-fixture --port "
        "{port} "
        "--quiet\", \"endpoints\": [\"plaintext\"]},\n"
        "   {\"name\": \"cand\", \"start\": \"exec build/ringfire-fixture --port {port} --quiet\","
        "    \"endpoints\": [\"plaintext\"]}],\n"
        " \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\", \"body\": \"Hello, "
        "World!\"}},\n"
        " \"matrix\": {\"connections\": [4]}, \"repetitions\": 4, \"duration\": \"200ms\","
        " \"warmup\": \"0s\"}\n");
    char out[128];
    snprintf(out, sizeof(out), "%s/ab", tmpdir);
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, "suite", suite, "--out", out, NULL}, 120, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    /* Both servers start before the first run; then A B, B A, A B, B A. */
    const char *a = strstr(r.err, "target base: install"),
               *b = strstr(r.err, "target cand: install");
    const char *first = strstr(r.err, "[1/8]");
    cr_assert(a && b && first && a < first && b < first, "%s", r.err);
    static const char *const turns[] = {"[1/8] base", "[2/8] cand", "[3/8] cand", "[4/8] base",
                                        "[5/8] base", "[6/8] cand", "[7/8] cand", "[8/8] base"};
    for (size_t i = 0; i < 8; i++)
        assert_says(r.err, turns[i]);
    cmd_free(&r);
    struct rr_doc doc;
    cr_assert(eq(int, load_results(out, &doc), 0));
    cr_assert(eq(int, doc.env.interleaved, 1));
    cr_assert(eq(sz, cell(&doc, "cand/plaintext/ringfire/c4/p1/t0")->nruns, 4));
    rr_doc_free(&doc);
    /* 4 pairs are too few for a distribution-free interval at 95%: the gate says how many. */
    cmd_run((const char *const[]){RINGFIRE, "gate", "--ab", out, "--metrics", "rps", NULL}, 30, &r);
    cr_assert(eq(int, r.status, 2), "%s%s", r.out, r.err);
    assert_says(r.err, "4 pairs of runs; at 95.00% confidence the signed-rank interval needs at "
                       "least 6");
    cmd_free(&r);
}

/*
 * ringfire calibrate runs a suite A/A (each target beside a copy of itself, interleaved) and
 * says what the gate needs; a target's own "ringfire" loads its cells (here a wrapper that
 * leaves a mark), and one that cannot be run fails its target's cells with the reason.
 */
Test(runner, calibrate_runs_a_suite_aa_with_each_targets_ringfire, .init = tmpdir_setup,
     .fini = tmpdir_teardown)
{
    char text[1024], used[160], dir[160];
    snprintf(used, sizeof(used), "%s/used", tmpdir);
    snprintf(text, sizeof(text), "#!/bin/sh\necho run >> %s\nexec %s \"$@\"\n", used, RINGFIRE);
    const char *wrapper = tmpdir_write("rf.sh", text);
    cr_assert(eq(int, chmod(wrapper, 0755), 0));
    snprintf(text, sizeof(text),
             "{\"name\": \"aa\", \"targets\": [\n"
             " {\"name\": \"fx\", \"start\": \"exec build/ringfire-fixture --port {port} --quiet\","
             "  \"ringfire\": \"%s\", \"endpoints\": [\"plaintext\"]},\n"
             " {\"name\": \"gone\", \"start\": \"exec build/ringfire-fixture --port {port}\","
             "  \"ringfire\": \"/nonexistent/ringfire\", \"endpoints\": [\"plaintext\"]}],\n"
             " \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\"}},\n"
             " \"matrix\": {\"connections\": [4]}, \"duration\": \"200ms\", \"warmup\": \"0s\"}\n",
             wrapper);
    const char *suite = tmpdir_write("aa.json", text);
    snprintf(dir, sizeof(dir), "%s/aa", tmpdir);
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, "calibrate", suite, "--out", dir, "--repetitions", "3",
                                  "--metrics", "rps", "-q", NULL},
            120, &r);
    cr_assert(eq(int, r.status, 0), "%s%s", r.out, r.err);
    assert_says(r.out, "| fx/plaintext/ringfire/c4/p1/t0 | rps | 3 |");
    assert_says(r.err, "target gone failed: its ringfire command /nonexistent/ringfire cannot be "
                       "run");
    cmd_free(&r);
    struct rr_doc doc;
    cr_assert(eq(int, load_results(dir, &doc), 0));
    cr_assert(eq(int, doc.env.interleaved, 1));
    cr_assert(eq(sz, cell(&doc, "fx.aa/plaintext/ringfire/c4/p1/t0")->nruns, 3));
    cr_assert(
        eq(str, (char *)status_of(cell(&doc, "gone.aa/plaintext/ringfire/c4/p1/t0")), "failed"));
    rr_doc_free(&doc);
    snprintf(text, sizeof(text), "%s/calibration.md", dir);
    cr_assert(eq(int, access(text, R_OK), 0), "the table is kept beside the results");
    FILE *f = fopen(used, "r");
    int runs = 0;
    while (f && fgets(text, sizeof(text), f))
        runs++;
    if (f)
        fclose(f);
    cr_assert(ge(int, runs, 6), "fx and its copy ran through their own ringfire: %d", runs);
}

/* Writes a suite into the test's folder, runs it quietly into out (the test's folder/name) and
 * loads its results; the test fails when the suite does not finish. */
static void run_quiet_suite(const char *name, const char *json, char *out, size_t n,
                            struct rr_doc *doc)
{
    char file[32];
    struct cmd_result r;
    snprintf(file, sizeof(file), "%s.json", name);
    const char *suite = tmpdir_write(file, json);
    snprintf(out, n, "%s/%s", tmpdir, name);
    cmd_run((const char *const[]){RINGFIRE, "suite", suite, "--out", out, "-q", NULL}, 120, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    cmd_free(&r);
    cr_assert(eq(int, load_results(out, doc), 0));
}

Test(runner, cells_at_a_fixed_rate_are_judged_and_ranked_by_cpu, .init = tmpdir_setup,
     .fini = tmpdir_teardown)
{
    /* slow spends 100 µs of CPU per answer (at most 10k/s), lean 10 µs: at 2k/s both keep the
     * rate and lean ranks first; at 20k/s slow cannot, and is not ranked. */
    char out[128];
    struct rr_doc doc;
    run_quiet_suite(
        "rates",
        "{\"name\": \"rates\",\n"
        " \"targets\": [{\"name\": \"slow\", \"start\": \"exec build/ringfire-fixture --port "
        "{port} "
        "--quiet --work-ns 100000\", \"endpoints\": [\"plaintext\"]},\n"
        "   {\"name\": \"lean\", \"start\": \"exec build/ringfire-fixture --port {port} --quiet "
        "--work-ns 10000\", \"endpoints\": [\"plaintext\"]}],\n"
        " \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\", \"body\": \"Hello, "
        "World!\"}},\n"
        " \"matrix\": {\"connections\": [16], \"rate\": [2000, 20000]}, \"repetitions\": 3,"
        " \"duration\": \"1s\", \"warmup\": \"200ms\"}\n",
        out, sizeof(out), &doc);
    const struct rr_cell *over = cell(&doc, "slow/plaintext/ringfire/c16/p1/t0/r20000");
    cr_assert(eq(int, over->runs[0].rate.present, 1));
    cr_assert(eq(str, (char *)rr_verdict_name(over->runs[0].rate.verdict), "server-bound"));
    cr_assert(lt(dbl, over->summary.rps.median, 12000), "it answers at most 10k/s");
    const struct rr_cell *held = cell(&doc, "lean/plaintext/ringfire/c16/p1/t0/r2000");
    cr_assert(gt(dbl, held->runs[0].rate.response_us[RR_P99], 0));
    rr_doc_free(&doc);
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, "report", out, "--no-charts", NULL}, 60, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    cmd_free(&r);
    char path[256];
    snprintf(path, sizeof(path), "%s/report.md", out);
    char *md = read_file(path);
    assert_says(md, "## At a fixed rate");
    assert_says(md, "### plaintext, c=16 p=1, 2.0k req/s");
    /* lean, when ranked, ranks first, and slow then second; either goes unranked when a stall
     * of the machine made one of its runs invalid (the verdict is strict: lag p99 within 1 ms,
     * the schedule kept), which happens here now and then, more under the sanitizers. */
    cr_assert(eq(ptr, strstr(md, "| 2 | lean | 2.0k |"), NULL), "%s", md);
    int both_first = strstr(md, "| 1 | lean | 2.0k |") && strstr(md, "| 1 | slow | 2.0k |");
    cr_assert(eq(int, both_first, 0), "%s", md);
    assert_says(md, "| – | slow | 20.0k | ");
    assert_says(md, "server-bound (0 of 3)");
    free(md);
}

Test(runner, a_search_finds_the_highest_rate_under_the_objective, .init = tmpdir_setup,
     .fini = tmpdir_teardown)
{
    /* slow spends 200 µs of CPU per answer: it cannot answer more than 5k/s, so the highest
     * rate with p99 within 20 ms lies below that. */
    char out[128];
    struct rr_doc doc;
    run_quiet_suite(
        "slo",
        "{\"name\": \"slo\",\n"
        " \"targets\": [{\"name\": \"slow\", \"start\": \"exec build/ringfire-fixture --port "
        "{port} "
        "--quiet --work-ns 200000\", \"endpoints\": [\"plaintext\"]}],\n"
        " \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\"}},\n"
        " \"slo\": {\"p99\": \"20ms\", \"precision\": \"5%\"},\n"
        " \"matrix\": {\"connections\": [16], \"rate\": [\"peak\", \"slo\"]}, \"repetitions\": 1,"
        " \"duration\": \"1s\", \"warmup\": \"200ms\"}\n",
        out, sizeof(out), &doc);
    const struct rr_cell *found = cell(&doc, "slow/plaintext/ringfire/c16/p1/t0/rslo");
    const struct rr_run *run = &found->runs[0];
    cr_assert(le(dbl, run->rps, 5000), "capacity 5k/s: found %.0f", run->rps);
    /* How close to 5k/s it gets depends on this machine's stalls (a rate fails when a run of it
     * and its repeat are not valid); the bisection's own bound does not. */
    cr_assert(ge(dbl, run->rps, 2000), "found %.0f in %zu steps, stopped by %s", run->rps,
              run->nsteps, run->stopped_by);
    double lowest_failed = /* the peak, when no step below it failed */
        cell(&doc, "slow/plaintext/ringfire/c16/p1/t0")->summary.rps.median;
    for (size_t k = 0; k < run->nsteps; k++)
        if (!run->steps[k].passed && run->steps[k].rps > run->rps &&
            run->steps[k].rps < lowest_failed)
            lowest_failed = run->steps[k].rps;
    cr_assert(le(dbl, lowest_failed - run->rps, 0.05 * lowest_failed + 1e-9),
              "within the precision: %.0f passed, %.0f failed", run->rps, lowest_failed);
    cr_assert(ge(sz, run->nsteps, 4), "bisection to 5%% of the peak");
    cr_assert(not(eq(ptr, run->stopped_by, NULL)));
    for (size_t k = 0; k < run->nsteps; k++) /* a failed step may pass when run again */
        cr_assert(run->steps[k].passed ? run->steps[k].rps <= run->rps
                                       : run->steps[k].rps > run->rps || k + 1 < run->nsteps,
                  "step %zu", k);
    cr_assert(eq(str, (char *)rr_lat_name((enum rr_lat)doc.env.slo.percentile), "p99"));
    rr_doc_free(&doc);

    /* No server answers within 1 µs: the search says so, and the cell is still a result. */
    run_quiet_suite("never",
                    "{\"name\": \"never\", \"targets\": [\"ringfire-fixture\"],\n"
                    " \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\"}},\n"
                    " \"slo\": {\"p50\": \"1us\", \"precision\": \"10%\"},\n"
                    " \"matrix\": {\"connections\": [4], \"rate\": [\"peak\", \"slo\"]},"
                    " \"repetitions\": 1, \"duration\": \"300ms\", \"warmup\": \"0s\"}\n",
                    out, sizeof(out), &doc);
    run = &cell(&doc, "ringfire-fixture/plaintext/ringfire/c4/p1/t0/rslo")->runs[0];
    cr_assert(eq(dbl, run->rps, 0));
    cr_assert(le(sz, run->nsteps, 8), "halving to 10%% of the peak, each rate twice: %zu steps",
              run->nsteps);
    cr_assert(
        not(eq(ptr, strstr(run->stopped_by, "no rate met the objective; lowest tried: "), NULL)),
        "%s", run->stopped_by);
    rr_doc_free(&doc);
}

/* Whether the hanging build's sleep still runs. */
static int still_sleeping(void)
{
    /* An odd duration, so that no other sleep on the machine is taken for the hung build. */
    return system("pgrep -f '^[s]leep 60.0417$' >/dev/null") == 0;
}

Test(runner, failing_targets_are_data, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    const char *suite = tmpdir_write(
        "failing.json",
        "{\"name\": \"failing\",\n"
        " \"targets\": [\"ringfire-fixture\",\n"
        "   {\"name\": \"no-start\", \"start\": \"echo cannot start {port}; exit 3\","
        "    \"endpoints\": [\"plaintext\"], \"ready\": {\"timeout\": \"5s\"}},\n"
        "   {\"name\": \"liar\", \"start\": \"exec build/ringfire-fixture --port {port} --quiet\","
        "    \"endpoints\": [\"hello\"]},\n"
        "   {\"name\": \"dies\", \"start\": \"exec timeout 2 build/ringfire-fixture --port {port} "
        "--quiet\", \"endpoints\": [\"plaintext\"]},\n"
        "   {\"name\": \"hangs\", \"build\": \"sleep 60.0417\", \"build_timeout\": \"1s\","
        "    \"start\": \"exec build/ringfire-fixture --port {port}\", \"endpoints\": "
        "[\"plaintext\"]},\n"
        "   {\"name\": \"killed\", \"start\": \"(sleep 2.5; kill -9 $$) & exec "
        "build/ringfire-fixture --port {port} --quiet\", \"endpoints\": [\"plaintext\"]},\n"
        "   {\"name\": \"never-ready\", \"start\": \"exec sleep 30.0731 {port}\", \"endpoints\": "
        "[\"plaintext\"], \"ready\": {\"timeout\": \"1s\"}},\n"
        "   {\"name\": \"resets\", \"start\": \"exec build/ringfire-fixture --port {port} --quiet "
        "--reset-every 1\", \"endpoints\": [\"plaintext\"], \"ready\": {\"timeout\": \"2s\"}},\n"
        "   {\"name\": \"hostile\", \"start\": \"exec build/ringfire-fixture --port {port} "
        "--quiet\", \"endpoints\": [\"silent\", \"endless-head\", \"endless-body\"]}],\n"
        " \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\", \"body\": \"Hello, World!\"},\n"
        "               \"hello\": {\"path\": \"/json\", \"body\": \"Hello, World!\"},\n"
        "               \"silent\": {\"path\": \"/delay/60000\"},\n"
        "               \"endless-head\": {\"path\": \"/endless/head\"},\n"
        "               \"endless-body\": {\"path\": \"/endless/body\"}},\n"
        " \"matrix\": {\"connections\": [4]}, \"repetitions\": 3, \"duration\": \"1s\","
        " \"warmup\": \"0s\", \"seed\": 3}\n");
    char out[128];
    snprintf(out, sizeof(out), "%s/out", tmpdir);
    struct cmd_result r;
    tree_mark();
    cmd_run((const char *const[]){RINGFIRE, "suite", suite, "--out", out, "-q", NULL}, 120, &r);
    cr_assert(eq(int, r.status, 0), "failed targets do not fail the suite: %s", r.err);
    cr_assert(eq(int, tree_left(), 0), "every target's process tree was stopped");
    struct rr_doc doc;
    cr_assert(eq(int, load_results(out, &doc), 0));
    const struct rr_cell *ok = cell(&doc, "ringfire-fixture/plaintext/ringfire/c4/p1/t0");
    cr_assert(eq(str, (char *)status_of(ok), "ok"), "the others go on");
    const struct rr_cell *ns = cell(&doc, "no-start/plaintext/ringfire/c4/p1/t0");
    cr_assert(eq(str, (char *)status_of(ns), "failed"));
    cr_assert(not(eq(ptr, strstr(reason_of(ns), "exited (status 3) before it was ready"), NULL)),
              "%s", reason_of(ns));
    cr_assert(not(eq(ptr, strstr(reason_of(ns), "cannot start"), NULL)),
              "the reason quotes what the server said");
    const struct rr_cell *liar = cell(&doc, "liar/hello/ringfire/c4/p1/t0");
    cr_assert(eq(str, (char *)status_of(liar), "failed"));
    cr_assert(eq(str, (char *)reason_of(liar),
                 "validation failed: GET: body \"{\"message\":\"Hello, World!\"}\", expected "
                 "\"Hello, World!\""));
    cr_assert(eq(sz, liar->nruns, 0), "no load on a target that failed validation");
    const struct rr_cell *dies = cell(&doc, "dies/plaintext/ringfire/c4/p1/t0");
    cr_assert(eq(str, (char *)status_of(dies), "failed"));
    cr_assert(not(eq(ptr, strstr(reason_of(dies), "died"), NULL)), "%s", reason_of(dies));
    cr_assert(lt(sz, dies->nruns, 3));
    const struct rr_cell *hangs = cell(&doc, "hangs/plaintext/ringfire/c4/p1/t0");
    cr_assert(eq(str, (char *)status_of(hangs), "failed"));
    cr_assert(
        not(eq(ptr,
               strstr(reason_of(hangs), "the build command did not finish in 1 s and was stopped"),
               NULL)),
        "%s", reason_of(hangs));
    cr_assert(not(still_sleeping()), "the hung build's process group was killed");
    static const struct {
        const char *id, *reason;
    } failed[] = {
        {"killed/plaintext/ringfire/c4/p1/t0", "the target died (it was killed by SIGKILL) during"},
        {"never-ready/plaintext/ringfire/c4/p1/t0", "not ready after 1.0 s"},
        {"resets/plaintext/ringfire/c4/p1/t0", "not ready after 2.0 s"},
        {"hostile/silent/ringfire/c4/p1/t0", "GET /delay/60000: no answer in 5 s"},
        {"hostile/endless-head/ringfire/c4/p1/t0", "no complete HTTP/1.1 response"},
        {"hostile/endless-body/ringfire/c4/p1/t0", "no complete HTTP/1.1 response"},
    };
    for (size_t i = 0; i < sizeof(failed) / sizeof(failed[0]); i++) {
        const struct rr_cell *f = cell(&doc, failed[i].id);
        cr_assert(eq(str, (char *)status_of(f), "failed"), "%s", failed[i].id);
        assert_says(reason_of(f), failed[i].reason);
    }
    char log[256];
    snprintf(log, sizeof(log), "%s/no-start.log", out);
    cr_assert(eq(int, access(log, R_OK), 0), "target logs are kept");
    rr_doc_free(&doc);
    cmd_free(&r);
}

static int count_runs(const char *out)
{
    struct rr_doc doc;
    char err[RR_ERR_MAX];
    int n = 0;
    if (rr_load(out, &doc, err) < 0) /* not written yet: polled until it is */
        return 0;
    for (size_t i = 0; i < doc.ncells; i++)
        n += (int)doc.cells[i].nruns;
    rr_doc_free(&doc);
    return n;
}

Test(runner, interrupted_suite_keeps_its_runs_and_resumes, .init = tmpdir_setup,
     .fini = tmpdir_teardown)
{
    char out[128];
    snprintf(out, sizeof(out), "%s/resume", tmpdir);
    tree_mark();
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", 1);
        dup2(null, 2);
        execl(RINGFIRE, RINGFIRE, "suite", "smoke", "--out", out, (char *)NULL);
        _exit(127);
    }
    int done = 0;
    for (int i = 0; i < 600 && done < 3; i++) {
        usleep(50000);
        done = count_runs(out);
    }
    cr_assert(ge(int, done, 3), "the suite made progress");
    kill(pid, SIGINT);
    int status;
    waitpid(pid, &status, 0);
    cr_assert(eq(int, WEXITSTATUS(status), 130), "an interrupted suite exits 130");
    cr_assert(eq(int, tree_left(), 0), "the fixture and the tools were stopped");
    struct rr_doc before;
    cr_assert(eq(int, load_results(out, &before), 0), "results.json is whole after the interrupt");
    int kept = count_runs(out);
    cr_assert(ge(int, kept, 3));
    cr_assert(lt(int, kept, 12), "it really was interrupted");
    const struct rr_cell *first = NULL;
    for (size_t i = 0; i < before.ncells && !first; i++)
        if (before.cells[i].nruns)
            first = &before.cells[i];
    char id[200], command[1024];
    snprintf(id, sizeof(id), "%s", first->id);
    snprintf(command, sizeof(command), "%s", first->runs[0].command);
    double rps0 = first->runs[0].rps;
    rr_doc_free(&before);

    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, "suite", "smoke", "--resume", out, "-q", NULL}, 120,
            &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    struct rr_doc after;
    cr_assert(eq(int, load_results(out, &after), 0));
    for (size_t i = 0; i < after.ncells; i++) {
        cr_assert(eq(str, (char *)status_of(&after.cells[i]), "ok"), "%s", after.cells[i].id);
        cr_assert(eq(sz, after.cells[i].nruns, 3), "%s", after.cells[i].id);
    }
    const struct rr_run *again = &cell(&after, id)->runs[0];
    cr_assert(eq(str, again->command, command), "finished runs are kept");
    cr_assert(eq(dbl, again->rps, rps0));
    rr_doc_free(&after);
    cmd_free(&r);
}

Test(runner, a_second_interrupt_stops_at_once, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    /* A target that outlives SIGTERM (its shell ignores it and sleeps on), with a long grace:
     * the first signal leaves the suite waiting for it, the second must not. */
    const char *suite = tmpdir_write(
        "stubborn.json",
        "{\"name\": \"stubborn\", \"targets\": [{\"name\": \"stubborn\", \"start\": \"trap '' "
        "TERM; build/ringfire-fixture --port {port} --quiet; sleep 61.23\", \"stop_timeout\": "
        "\"30s\", \"endpoints\": [\"plaintext\"]}],\n"
        " \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\", \"body\": \"Hello, "
        "World!\"}},\n"
        " \"matrix\": {\"connections\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}, \"repetitions\": 1, "
        "\"duration\": \"1s\", \"warmup\": \"0s\"}\n");
    char out[128];
    snprintf(out, sizeof(out), "%s/out", tmpdir);
    tree_mark();
    struct cmd_result r;
    cmd_run_signalled((const char *const[]){RINGFIRE, "suite", suite, "--out", out, "-q", NULL}, 60,
                      (const struct cmd_signal[]){{SIGTERM, 3500}, {SIGINT, 5000}, {0, 0}}, &r);
    cr_assert(eq(int, r.status, 130), "%s", r.err);
    cr_assert(lt(long, r.ms, 7000), "the second signal did not wait the 30 s grace");
    assert_says(r.err, "stopped at once; the programs it started were killed");
    cr_assert(eq(int, tree_left(), 0), "the stubborn target's whole group is gone");
    struct rr_doc doc;
    cr_assert(eq(int, load_results(out, &doc), 0), "the results written before are whole");
    cr_assert(ge(int, count_runs(out), 1));
    rr_doc_free(&doc);
    cmd_free(&r);
}

/* ---- a results folder that fills up or becomes unwritable mid-suite ---------------------- */

static char small[160]; /* a small tmpfs, when this test may mount one */

static void unmount_and_teardown(void)
{
    if (small[0])
        umount2(small, MNT_DETACH);
    tmpdir_teardown();
}

/* In a child, after ms: fill the folder's file system, or make the folder read-only. */
static void meanwhile(long ms, const char *dir, int fill)
{
    if (fork() != 0)
        return;
    usleep((useconds_t)ms * 1000);
    if (!fill)
        _exit(chmod(dir, 0555) < 0);
    char path[200], zeros[65536] = {0};
    snprintf(path, sizeof(path), "%s/filler", dir);
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    while (fd >= 0 && write(fd, zeros, sizeof(zeros)) > 0)
        ;
    _exit(0);
}

/* Ten one-second cells; the suite runs as nobody when this test is root, so that permissions
 * bind it, from copies of ringfire and the fixture in the test's folder (a checkout may be
 * where nobody can reach).  Returns what the suite said. */
static void suite_into(const char *out, struct cmd_result *r)
{
    char copy[256], text[1024], rf[160], fx[160];
    snprintf(rf, sizeof(rf), "%s/ringfire", tmpdir);
    snprintf(fx, sizeof(fx), "%s/ringfire-fixture", tmpdir);
    snprintf(copy, sizeof(copy), "cp %s %s %s/", RINGFIRE, FIXTURE, tmpdir);
    cr_assert(eq(int, system(copy), 0));
    snprintf(text, sizeof(text),
             "{\"name\": \"ten\", \"targets\": [{\"name\": \"fx\", \"start\": \"exec %s --port "
             "{port} --quiet\", \"endpoints\": [\"plaintext\"]}],\n"
             " \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\", \"body\": \"Hello, "
             "World!\"}},\n"
             " \"matrix\": {\"connections\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}, \"repetitions\": 1, "
             "\"duration\": \"1s\", \"warmup\": \"0s\"}\n",
             fx);
    const char *suite = tmpdir_write("ten.json", text);
    const char *as_nobody[] = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", NULL};
    const char *argv[16];
    int n = 0;
    for (const char **a = as_nobody; geteuid() == 0 && *a; a++)
        argv[n++] = *a;
    const char *rest[] = {rf, "suite", suite, "--out", out, "-q", NULL};
    memcpy(argv + n, rest, sizeof(rest));
    tree_mark();
    cmd_run(argv, 60, r);
}

static void assert_stopped_and_kept(const char *out, const struct cmd_result *r, const char *why)
{
    cr_assert(eq(int, r->status, 1), "%s", r->err);
    assert_says(r->err, "results.json: ");
    assert_says(r->err, why);
    assert_says(r->err, "the suite stops");
    assert_says(r->err, "then finish with --resume");
    cr_assert(eq(int, tree_left(), 0), "the target was stopped");
    struct rr_doc doc;
    cr_assert(eq(int, load_results(out, &doc), 0), "the results written before are whole");
    cr_assert(lt(int, count_runs(out), 10), "it stopped early");
    rr_doc_free(&doc);
}

Test(runner, a_results_folder_that_fills_up_stops_the_suite, .init = tmpdir_setup,
     .fini = unmount_and_teardown)
{
    snprintf(small, sizeof(small), "%s/small", tmpdir);
    cr_assert(eq(int, mkdir(small, 0777), 0));
    chmod(tmpdir, 0755);
    if (mount("rf-test", small, "tmpfs", 0, "size=8m,mode=0777") < 0) {
        small[0] = '\0';
        cr_skip_test("cannot mount a small tmpfs here (%s): a full disk needs root",
                     strerror(errno));
    }
    char out[200];
    snprintf(out, sizeof(out), "%s/out", small);
    cr_assert(eq(int, mkdir(out, 0777), 0));
    cr_assert(eq(int, chmod(out, 0777), 0));
    meanwhile(2500, small, 1);
    struct cmd_result r;
    suite_into(out, &r);
    assert_stopped_and_kept(out, &r, "No space left on device");
    cmd_free(&r);
}

Test(runner, a_results_folder_made_read_only_stops_the_suite, .init = tmpdir_setup,
     .fini = tmpdir_teardown)
{
    char out[200];
    snprintf(out, sizeof(out), "%s/out", tmpdir);
    chmod(tmpdir, 0755);
    cr_assert(eq(int, mkdir(out, 0777), 0));
    cr_assert(eq(int, chmod(out, 0777), 0));
    meanwhile(2500, out, 0);
    struct cmd_result r;
    suite_into(out, &r);
    assert_stopped_and_kept(out, &r, "Permission denied");
    cmd_free(&r);
}

Test(runner, dry_run_and_errors, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, "suite", "tools", "--dry-run", NULL}, 30, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    assert_says(r.out, "suite tools (suites/tools.json): 16 cells");
    cr_assert(not(eq(ptr, strstr(r.out, "ringfire-fixture/plaintext/hey/c16/p16/t0"), NULL)));
    cr_assert(
        not(eq(ptr, strstr(r.out, "skipped: hey cannot pipeline requests (pipeline 16)"), NULL)));
    cr_assert(not(eq(ptr, strstr(r.out, "estimated duration: "), NULL)));
    cmd_free(&r);
    const char *bad =
        tmpdir_write("bad.json", "{\"name\": \"x\", \"targets\": [\"ringfire-fixture\"], "
                                 "\"endpoints\": {\"plaintext\": {\"path\": \"/p\"}}, "
                                 "\"matrix\": {\"connections\": [16, \"64\"]}}");
    cmd_run((const char *const[]){RINGFIRE, "suite", bad, NULL}, 30, &r);
    cr_assert(eq(int, r.status, 2));
    char want[256];
    snprintf(want, sizeof(want),
             "%s: .matrix.connections[1]: expected a positive integer, got \"64\"\n", bad);
    cr_assert(eq(str, r.err, want));
    cmd_free(&r);
    cmd_run((const char *const[]){RINGFIRE, "suite", "no-such-suite", NULL}, 30, &r);
    cr_assert(eq(int, r.status, 2));
    cr_assert(not(eq(ptr, strstr(r.err, "suites/no-such-suite.json: cannot read"), NULL)));
    cmd_free(&r);
    /* A CPU the runner may not use (no test machine has 1024) stops it before any target starts. */
    const char *cpus =
        tmpdir_write("cpus.json", "{\"name\": \"x\", \"targets\": [\"ringfire-fixture\"], "
                                  "\"endpoints\": {\"plaintext\": {\"path\": \"/p\"}}, "
                                  "\"matrix\": {\"connections\": [16]}, "
                                  "\"cpus\": {\"client\": \"1023\", \"target\": \"0\"}}");
    char out[128];
    snprintf(out, sizeof(out), "%s/cpus-out", tmpdir);
    cmd_run((const char *const[]){RINGFIRE, "suite", cpus, "--out", out, NULL}, 30, &r);
    cr_assert(eq(int, r.status, 2), "%s", r.err);
    assert_says(r.err, ".cpus.client \"1023\": a CPU to pin a worker to is not one this process "
                       "may run on; pick from the CPUs it may use (");
    cr_assert(eq(int, access(out, F_OK), -1), "nothing was started or written");
    cmd_free(&r);
}

/* Each tool on one cell of the fixture: ok where installed, skipped with the package to
 * install where not; cells a tool cannot do are skipped with the reason. */
Test(runner, every_tool_adapter, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    const char *suite = tmpdir_write(
        "tools.json",
        "{\"name\": \"mini-tools\", \"targets\": [\"ringfire-fixture\"],"
        " \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\", \"body\": \"Hello, World!\"},"
        "   \"ws-echo\": {\"path\": \"/ws\", \"websocket\": true}},"
        " \"matrix\": {\"connections\": [8], \"pipeline\": [1, 4]},"
        " \"tools\": [\"ringfire\", \"wrk\", \"hey\", \"h2load\"],"
        " \"exclude\": [{\"endpoint\": \"ws-echo\", \"pipeline\": 4}],"
        " \"repetitions\": 1, \"duration\": \"1s\", \"warmup\": \"200ms\"}");
    char out[128];
    snprintf(out, sizeof(out), "%s/tools", tmpdir);
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, "suite", suite, "--out", out, "-q", NULL}, 180, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    struct rr_doc doc;
    cr_assert(eq(int, load_results(out, &doc), 0));
    static const char *const tools[] = {"ringfire", "wrk", "hey", "h2load"};
    for (int t = 0; t < 4; t++) {
        for (int p = 1; p <= 4; p *= 4) {
            char id[128];
            snprintf(id, sizeof(id), "ringfire-fixture/plaintext/%s/c8/p%d/t0", tools[t], p);
            const struct rr_cell *c = cell(&doc, id);
            const char *status = status_of(c), *reason = reason_of(c);
            if (strcmp(tools[t], "hey") == 0 && p == 4) {
                cr_assert(eq(str, (char *)status, "skipped"));
                cr_assert(eq(str, (char *)reason, "hey cannot pipeline requests (pipeline 4)"));
            } else if (strcmp(status, "skipped") == 0) {
                cr_assert(not(eq(ptr, strstr(reason, "is not installed (Debian package"), NULL)),
                          "%s: %s", id, reason);
            } else {
                cr_assert(eq(str, (char *)status, "ok"), "%s: %s", id, reason);
                cr_assert(gt(dbl, c->summary.rps.median, 1000), "%s", id);
            }
        }
        char ws[128];
        snprintf(ws, sizeof(ws), "ringfire-fixture/ws-echo/%s/c8/p1/t0/m13", tools[t]);
        const struct rr_cell *c = cell(&doc, ws);
        if (t == 0) {
            cr_assert(eq(str, (char *)status_of(c), "ok"), "%s", reason_of(c));
        } else {
            char want[64];
            snprintf(want, sizeof(want), "%s has no WebSocket load", tools[t]);
            cr_assert(eq(str, (char *)reason_of(c), want));
        }
    }
    rr_doc_free(&doc);
    cmd_free(&r);
}

Test(runner, report_without_gnuplot_says_what_to_install, .init = tmpdir_setup,
     .fini = tmpdir_teardown)
{
    char out[128];
    snprintf(out, sizeof(out), "%s/report", tmpdir);
    struct cmd_result r;
    cmd_run((const char *const[]){"/usr/bin/env", "PATH=/nonexistent", RINGFIRE, "report",
                                  "tests/data/results-golden.json", "--out", out, NULL},
            30, &r);
    cr_assert(eq(int, r.status, 2));
    cr_assert(eq(str, r.err,
                 "ringfire report: gnuplot is not installed; install it with `apt-get install "
                 "gnuplot-nox`, or pass --no-charts\n"));
    cmd_free(&r);
    cmd_run((const char *const[]){"/usr/bin/env", "PATH=/nonexistent", RINGFIRE, "report",
                                  "tests/data/results-golden.json", "--out", out, "--no-charts",
                                  NULL},
            30, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    char path[200];
    snprintf(path, sizeof(path), "%s/report.md", out);
    cr_assert(eq(int, access(path, R_OK), 0));
    cmd_free(&r);
    cmd_run((const char *const[]){RINGFIRE, "report", "tests/data/results-old-schema.json", NULL},
            30, &r);
    cr_assert(eq(int, r.status, 2));
    assert_says(r.err, "expected ringfire.results/3");
    cmd_free(&r);
}

/* Results files from someone else, with names that were commands, gnuplot lines and paths in
 * the past: each gets a message naming the path and the value and exit 2, runs nothing and
 * writes nothing. */
Test(runner, hostile_results_run_nothing_and_write_nothing, .init = tmpdir_setup,
     .fini = tmpdir_teardown)
{
    static const struct {
        const char *to, *message;
    } cases[] = {
        {"x'; touch PWNED; '", ".cells[0].endpoint: expected a name"},
        {"x\\n!touch PWNED\\n#", ".cells[0].endpoint: expected a name"},
        {"../../escaped", "got \"../../escaped\""},
    };
    FILE *f = fopen("tests/data/results-golden.json", "r");
    static char golden[1 << 20];
    size_t n = fread(golden, 1, sizeof(golden) - 1, f);
    golden[n] = '\0';
    fclose(f);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        static char text[1 << 20];
        const char *key = strstr(golden, "\"endpoint\":");
        const char *at = key ? strstr(key, "\"plaintext\"") : NULL;
        cr_assert(not(eq(ptr, (void *)at, NULL)));
        snprintf(text, sizeof(text), "%.*s\"%s\"%s", (int)(at - golden), golden, cases[i].to,
                 at + strlen("\"plaintext\""));
        const char *file = tmpdir_write("hostile.json", text);
        char out[128];
        snprintf(out, sizeof(out), "%s/out", tmpdir);
        struct cmd_result r;
        cmd_run((const char *const[]){RINGFIRE, "report", file, "--out", out, NULL}, 30, &r);
        cr_assert(eq(int, r.status, 2), "%s: %s", cases[i].to, r.err);
        assert_says(r.err, cases[i].message);
        cmd_free(&r);
        cmd_run(
            (const char *const[]){RINGFIRE, "gate", "--baseline", file, "--current", file, NULL},
            30, &r);
        cr_assert(eq(int, r.status, 2));
        cmd_free(&r);
        cr_assert(not(eq(int, access(out, F_OK), 0)), "nothing written for %s", cases[i].to);
    }
    char marker[128];
    snprintf(marker, sizeof(marker), "%s/PWNED", tmpdir);
    cr_assert(not(eq(int, access(marker, F_OK), 0)));
    cr_assert(not(eq(int, access("PWNED", F_OK), 0)));
}

/*
 * A server already running (a url in the recipe): measured, never started or stopped, its
 * CPU not claimed; the report says it was not managed.  An endpoint with its own request
 * (POST with a body to /echo) and a JSON value checked by value; an endpoint that answers 404
 * where 200 is expected fails validation, and one whose every answer is the expected 404
 * counts them as successes.
 */
Test(runner, an_external_target_is_measured_and_left_alone, .init = tmpdir_setup,
     .fini = tmpdir_teardown)
{
    struct fixture fx;
    cr_assert(eq(int, fixture_start(&fx, NULL), 0));
    char suite_text[2048], out[128];
    snprintf(suite_text, sizeof(suite_text),
             "{\"name\": \"ext\", \"targets\": [{\"name\": \"staging\", \"url\": "
             "\"http://127.0.0.1:%u\", \"settings\": \"one epoll thread\", \"endpoints\": "
             "[\"json\", \"echo\", \"missing\"]}],"
             " \"endpoints\": {\"json\": {\"path\": \"/json\", \"json\": {\"message\": "
             "\"Hello, World!\"}},"
             " \"echo\": {\"path\": \"/echo\", \"request\": {\"method\": \"POST\", \"headers\": "
             "[\"X-Test: 1\"], \"body\": \"ping\"}, \"body\": \"ping\"},"
             " \"missing\": {\"path\": \"/nope\", \"status\": 404}},"
             " \"matrix\": {\"connections\": [4]}, \"repetitions\": {\"min\": 2, \"max\": 4, "
             "\"target\": \"50%%\"}, \"duration\": \"300ms\", \"warmup\": \"0s\"}",
             fx.port);
    const char *suite = tmpdir_write("ext.json", suite_text);
    snprintf(out, sizeof(out), "%s/ext", tmpdir);
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, "suite", suite, "--out", out, "-q", NULL}, 120, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    cmd_free(&r);
    cr_assert(eq(int, kill(fx.pid, 0), 0), "the server is still running");
    struct rr_doc doc;
    cr_assert(eq(int, load_results(out, &doc), 0));
    for (size_t i = 0; i < doc.ncells; i++) {
        const struct rr_cell *c = &doc.cells[i];
        cr_assert(eq(str, (char *)status_of(c), "ok"), "%s: %s", c->id, reason_of(c));
        cr_assert(ge(sz, c->nruns, 2), "%s: at least min", c->id);
        cr_assert(le(sz, c->nruns, 4), "%s: at most max", c->id);
        cr_assert(isnan(c->runs[0].target_cpu_s), "%s: its CPU is not ours to measure", c->id);
        cr_assert(gt(dbl, c->summary.rps.median, 0), "%s", c->id);
        cr_assert(eq(dbl, c->runs[0].error_kinds.status, 0), "%s: every answer expected", c->id);
    }
    cr_assert(not(eq(ptr, strstr(doc.env.targets.v[0].value, "not managed"), NULL)));
    cr_assert(not(eq(ptr, strstr(doc.env.target_settings.v[0].value, "one epoll thread"), NULL)));
    rr_doc_free(&doc);
    cr_assert(eq(int, fixture_stop(&fx), 0), "and it stops when its owner stops it");
}

/* {share}: a folder any user may enter (servers that read files as nobody), gone at the stop. */
Test(runner, a_share_folder_is_open_to_all_and_removed_at_the_stop, .init = tmpdir_setup,
     .fini = tmpdir_teardown)
{
    const char *suite = tmpdir_write(
        "share.json",
        "{\"name\": \"share\", \"targets\": [{\"name\": \"files\", \"start\": \"stat -c %a "
        "{share} > {dir}/share.mode && echo {share} > {dir}/share.path && exec "
        "build/ringfire-fixture --port {port} --quiet\", \"endpoints\": [\"plaintext\"]}],"
        " \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\", \"body\": \"Hello, "
        "World!\"}}, \"matrix\": {\"connections\": [4]}, \"repetitions\": 1, \"duration\": "
        "\"300ms\", \"warmup\": \"0s\"}");
    char out[128], path[256];
    snprintf(out, sizeof(out), "%s/out", tmpdir);
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, "suite", suite, "--out", out, "-q", NULL}, 60, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    cmd_free(&r);
    snprintf(path, sizeof(path), "%s/share.mode", out);
    char *mode = read_file(path);
    cr_assert(not(eq(ptr, mode, NULL)), "the start command ran with {share}");
    cr_assert(eq(str, mode, "755\n"), "others may enter it: %s", mode);
    snprintf(path, sizeof(path), "%s/share.path", out);
    char *share = read_file(path);
    cr_assert(not(eq(ptr, share, NULL)));
    share[strcspn(share, "\n")] = '\0';
    cr_assert(eq(int, strncmp(share, "/tmp/ringfire-share-", 20), 0), "%s", share);
    cr_assert(not(eq(int, access(share, F_OK), 0)), "%s is removed when the target stops", share);
    free(mode);
    free(share);
}

/* Answers with another status than expected are errors, not throughput. */
Test(runner, unexpected_statuses_are_errors)
{
    struct fixture fx;
    cr_assert(eq(int, fixture_start(&fx, NULL), 0));
    char url[128];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/status/404", fx.port);
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, url, "-n", "200", "-c", "4", "--json", NULL}, 30, &r);
    fixture_stop(&fx);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    struct rr_run run;
    cr_assert(eq(int, rs_ringfire_parse(r.out, 200, &run), 0));
    cr_assert(eq(dbl, run.responses, 200));
    cr_assert(eq(dbl, run.error_kinds.status, 200), "every 404 where 200 was expected");
    cr_assert(eq(dbl, run.rps, 0), "no throughput from errors");
    rr_run_free(&run);
    cr_assert(eq(int, rs_ringfire_parse(r.out, 404, &run), 0));
    cr_assert(eq(dbl, run.error_kinds.status, 0), "expected: 404");
    cr_assert(gt(dbl, run.rps, 0));
    rr_run_free(&run);
    cmd_free(&r);
}
