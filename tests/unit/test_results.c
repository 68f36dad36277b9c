/*
 * test_results.c - the results document: a document built in code survives writing and
 * loading unchanged; every malformed or hostile input the fuzzing review found gets an exact
 * message naming the file, the JSON path and the value; names, ids and file-name slugs; the
 * derived figures and the summary.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../says.h"
#include "../tmpdir.h"
#include "results.h"
#include "rundoc.h"

/* A small valid document: one measured cell with two runs, one failed cell. */
static const char valid[] =
    "{\"schema\": \"ringfire.results/3\", \"suite\": {\"name\": \"s\", \"file\": \"s.json\"},"
    " \"env\": {\"cores\": 2, \"seed\": 5, \"tools\": {\"ringfire\": \"ringfire 0.1.0\"},"
    "          \"targets\": {\"a\": \"a 1\"}},"
    " \"cells\": [{\"id\": \"a/e/ringfire/c8/p1/t0\", \"target\": \"a\", \"endpoint\": \"e\","
    "  \"tool\": \"ringfire\", \"connections\": 8, \"pipeline\": 1, \"repetitions\": 2,"
    "  \"status\": \"ok\", \"runs\": [{\"rep\": 1, \"rps\": 100, \"responses\": 100,"
    "  \"latency_us\": {\"p99\": 5}, \"histogram_ns\": [[1000, 90], [2000, 10]],"
    "  \"timeline\": [{\"second\": 0, \"responses\": 100}]}, {\"rep\": 2, \"rps\": 110}],"
    "  \"summary\": {\"rps\": {\"median\": 1, \"ci\": [100, 110], \"runs\": 7}}},"
    " {\"id\": \"a/e/wrk/c8/p1/t0\", \"target\": \"a\", \"endpoint\": \"e\", \"tool\": \"wrk\","
    "  \"connections\": 8, \"pipeline\": 1, \"repetitions\": 2, \"status\": \"failed\","
    "  \"reason\": \"it broke\"}]}";

static int parse(const char *text, struct rr_doc *doc, char *err)
{
    return rr_parse("r.json", text, strlen(text), doc, err);
}

Test(results, a_valid_document_loads_with_every_field)
{
    struct rr_doc d;
    char err[RR_ERR_MAX];
    cr_assert(eq(int, parse(valid, &d, err), 0), "%s", err);
    cr_assert(eq(sz, d.ncells, 2));
    const struct rr_cell *c = &d.cells[0];
    cr_assert(eq(int, c->status, RR_OK));
    cr_assert(eq(sz, c->nruns, 2));
    cr_assert(eq(dbl, c->runs[0].latency_us[RR_P99], 5));
    cr_assert(isnan(c->runs[0].latency_us[RR_P50]), "not given: not measured");
    cr_assert(eq(sz, c->runs[0].nbuckets, 2));
    cr_assert(eq(u64, c->runs[0].buckets[1].value_ns, 2000));
    cr_assert(eq(sz, c->runs[0].ntimeline, 1));
    cr_assert(eq(dbl, c->summary.rps.median, 105), "summaries are recomputed from the runs");
    cr_assert(eq(uint, c->summary.rps.runs, 2));
    cr_assert(eq(dbl, c->summary.rps.ci[1], 110));
    cr_assert(eq(dbl, c->summary.rps.ci_coverage, 0.5), "the range of 2 runs");
    cr_assert(eq(str, d.cells[1].reason, "it broke"));
    cr_assert(eq(str, d.env.tools.v[0].value, "ringfire 0.1.0"));
    cr_assert(eq(u64, d.env.seed, 5));
    rr_doc_free(&d);
}

Test(results, writing_and_loading_changes_nothing, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    struct rr_doc d, again;
    char err[RR_ERR_MAX], path[128];
    cr_assert(eq(int, parse(valid, &d, err), 0), "%s", err);
    snprintf(path, sizeof(path), "%s/results.json", tmpdir);
    cr_assert(eq(int, rr_write(&d, path), 0));
    cr_assert(eq(int, rr_load(tmpdir, &again, err), 0), "%s", err);
    char *a = rr_print(&d), *b = rr_print(&again);
    cr_assert(eq(str, a, b));
    free(a);
    free(b);
    rr_doc_free(&d);
    rr_doc_free(&again);
}

/* Published results may be compressed: a folder with results.json.gz loads as one with
 * results.json. */
Test(results, a_compressed_document_loads, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    char path[160], err[RR_ERR_MAX];
    snprintf(path, sizeof(path), "%s/results.json.gz", tmpdir);
    gzFile z = gzopen(path, "wb");
    cr_assert(not(eq(ptr, z, NULL)));
    cr_assert(eq(int, gzputs(z, valid), (int)strlen(valid)));
    cr_assert(eq(int, gzclose(z), Z_OK));
    struct rr_doc d;
    cr_assert(eq(int, rr_load(tmpdir, &d, err), 0), "%s", err);
    cr_assert(eq(sz, d.ncells, 2));
    rr_doc_free(&d);
    FILE *f = fopen(path, "wb");
    fputs("\x1f\x8b not really gzip", f);
    fclose(f);
    cr_assert(eq(int, rr_load(tmpdir, &d, err), -1));
    assert_says(err, "results.json.gz: cannot read:");
}

/* Found by fuzzing: a summary without its interval was written as [null, null], which the
 * loader refused. An unknown interval is written as null and read back as unknown. */
Test(results, an_unknown_interval_survives_writing_and_loading)
{
    struct rr_doc d, again;
    char err[RR_ERR_MAX];
    cr_assert(eq(int, parse(valid, &d, err), 0), "%s", err);
    d.cells[0].summary.rps.ci[0] = d.cells[0].summary.rps.ci[1] = NAN;
    char *a = rr_print(&d);
    cr_assert(strstr(a, "\"ci\":\tnull") != NULL, "%s", a);
    cr_assert(eq(int, parse(a, &again, err), 0), "%s", err);
    cr_assert(eq(dbl, again.cells[0].summary.rps.ci[1], 110), "recomputed from the runs");
    free(a);
    rr_doc_free(&d);
    rr_doc_free(&again);
}

struct bad_doc {
    const char *what;
    const char *from; /* a part of the valid document */
    const char *to;   /* what it becomes */
    const char *message;
};

/* The inputs of the fuzzing review (shell quotes, gnuplot commands, paths, nulls, absurd
 * numbers, mismatched cells) and the message each gets. */
static const struct bad_doc bad[] = {
    {"a quote that would end a shell string", "\"endpoint\": \"e\"",
     "\"endpoint\": \"x'; touch PWNED; '\"",
     ".cells[0].endpoint: expected a name of 1 to 64 characters from A-Z a-z 0-9 . _ - starting "
     "with a letter or digit, got \"x'; touch PWNED; '\""},
    {"a newline and a gnuplot shell command", "\"target\": \"a\"",
     "\"target\": \"x\\n!touch PWNED\\n#\"", ".cells[0].target: expected a name"},
    {"a path that leaves the folder", "\"endpoint\": \"e\"", "\"endpoint\": \"../../escaped\"",
     "got \"../../escaped\""},
    {"null where runs are", "\"reason\": \"it broke\"}",
     "\"reason\": \"it broke\", \"runs\": null}", ".cells[1].runs: expected an array, got null"},
    {"an ok cell without runs", "\"status\": \"failed\",  \"reason\": \"it broke\"}",
     "\"status\": \"ok\", \"summary\": null}",
     ".cells[1].runs: a cell with status \"ok\" needs its runs"},
    {"a summary without its interval", "\"ci\": [100, 110]", "\"ci\": [100]",
     ".cells[0].summary.rps.ci: expected [low, high], got an array"},
    {"fewer runs at most than at least", "\"repetitions\": 2,  \"status\": \"ok\"",
     "\"repetitions\": 2, \"repetitions_min\": 3, \"status\": \"ok\"",
     ".cells[0].repetitions_min: 3, above the 2 repetitions"},
    {"a bucket that is no pair", "[[1000, 90], [2000, 10]]", "[[1000, 90], [2000]]",
     ".cells[0].runs[0].histogram_ns[1]: expected [value_ns, count], got an array"},
    {"buckets that fall", "[[1000, 90], [2000, 10]]", "[[2000, 90], [1000, 10]]",
     ".cells[0].runs[0].histogram_ns[1]: bucket values must rise, got 1000 after 2000"},
    {"an infinite rate", "\"rps\": 100,", "\"rps\": 1e999,",
     ".cells[0].runs[0].rps: expected a number from 0 to 9007199254740992, got inf"},
    {"a huge count", "\"connections\": 8, \"pipeline\": 1, \"repetitions\": 2,  \"status\": \"ok\"",
     "\"connections\": 77777777777777777200, \"pipeline\": 1, \"repetitions\": 2,  \"status\": "
     "\"ok\"",
     ".cells[0].connections: expected a whole number from 1 to 100000, got 7.77778e+19"},
    {"a negative count", "\"responses\": 100,", "\"responses\": -5,",
     ".cells[0].runs[0].responses: expected a whole number from 0 to 9007199254740992, got -5"},
    {"a fraction of a response", "\"responses\": 100,", "\"responses\": 1.5,",
     ".cells[0].runs[0].responses: expected a whole number"},
    {"an id its fields do not make", "\"id\": \"a/e/ringfire/c8/p1/t0\"",
     "\"id\": \"a/e/ringfire/c9/p1/t0\"",
     ".cells[0].id: \"a/e/ringfire/c9/p1/t0\" does not match the cell's fields, which make "
     "\"a/e/ringfire/c8/p1/t0\""},
    {"two cells with one id",
     "\"id\": \"a/e/wrk/c8/p1/t0\", \"target\": \"a\", \"endpoint\": \"e\", \"tool\": \"wrk\"",
     "\"id\": \"a/e/ringfire/c8/p1/t0\", \"target\": \"a\", \"endpoint\": \"e\", \"tool\": "
     "\"ringfire\"",
     ".cells[1]: the id \"a/e/ringfire/c8/p1/t0\" is also the id of .cells[0]"},
    {"more runs than repetitions", "\"repetitions\": 2,  \"status\": \"ok\"",
     "\"repetitions\": 1,  \"status\": \"ok\"", ".cells[0].runs: 2 runs, more than the 1"},
    {"a misspelt key", "\"rps\": 110}", "\"rsp\": 110}", ".cells[0].runs[1].rsp: unknown key"},
    {"a key given twice", "\"rep\": 2,", "\"rep\": 2, \"rep\": 2,",
     ".cells[0].runs[1].rep: given twice"},
    {"a status nobody writes", "\"status\": \"failed\"", "\"status\": \"broken\"",
     ".cells[1].status: expected one of \"pending\", \"ok\", \"failed\", \"skipped\", got "
     "\"broken\""},
    {"a tool name with a space", "{\"ringfire\": \"ringfire 0.1.0\"}", "{\"a b\": \"x\"}",
     ".env.tools.a b: expected a tool or target name"},
};

/* The valid document with one part replaced. */
static char *variant(const char *from, const char *to)
{
    const char *at = strstr(valid, from);
    cr_assert(not(eq(ptr, (void *)at, NULL)), "'%s' is not in the valid document", from);
    char *out = malloc(sizeof(valid) + strlen(to));
    size_t head = (size_t)(at - valid);
    memcpy(out, valid, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

Test(results, every_bad_input_gets_a_message_naming_the_path_and_value)
{
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct rr_doc d;
        char err[RR_ERR_MAX], *text = variant(bad[i].from, bad[i].to);
        int rc = parse(text, &d, err);
        if (rc == 0)
            rr_doc_free(&d);
        free(text);
        cr_assert(eq(int, rc, -1), "%s: loaded", bad[i].what);
        cr_assert(eq(int, strncmp(err, "r.json: ", 8), 0), "%s: %s", bad[i].what, err);
        cr_assert(not(eq(ptr, strstr(err, bad[i].message), NULL)), "%s: '%s' not in '%s'",
                  bad[i].what, bad[i].message, err);
    }
}

Test(results, other_files_get_their_own_message)
{
    struct rr_doc d;
    char err[RR_ERR_MAX];
    cr_assert(eq(int, parse("{\"schema\": \"ringfire.results/3\", \"cells\": [", &d, err), -1));
    cr_assert(eq(str, err, "r.json: line 1: not valid JSON"));
    cr_assert(eq(int, parse("{\"schema\": \"ringfire.results/3\", \"x\": NaN}", &d, err), -1));
    cr_assert(eq(str, err, "r.json: line 1: not valid JSON"), "NaN is no JSON number");
    cr_assert(eq(int, parse("[1, 2]", &d, err), -1));
    assert_says(err, "r.json: schema nothing, expected ringfire.results/3");
    cr_assert(eq(int, parse("{\"schema\": \"ringfire.results/3\"}", &d, err), -1));
    cr_assert(eq(str, err, "r.json: .suite: missing"));
    cr_assert(eq(int, rr_load("/dev/null", &d, err), -1));
    assert_says(err, "/dev/null: line 1: not valid JSON");
}

/* 0.1 + 0.2 is 0.30000000000000004: fifteen digits ("0.3") read back as another number.  The
 * writer must keep every bit, or figures derived on loading move (found by fuzz_results). */
Test(results, numbers_are_written_to_read_back_exactly)
{
    char *text =
        variant("\"rps\": 110", "\"rps\": 0.30000000000000004, \"wall_s\": 1.2179657550004777");
    struct rr_doc d, again;
    char err[RR_ERR_MAX];
    cr_assert(eq(int, parse(text, &d, err), 0), "%s", err);
    char *out = rr_print(&d);
    assert_says(out, "0.30000000000000004");
    cr_assert(eq(int, parse(out, &again, err), 0), "%s", err);
    cr_assert(eq(dbl, again.cells[0].runs[1].rps, 0.1 + 0.2), "every bit kept");
    char *out2 = rr_print(&again);
    cr_assert(eq(str, out, out2), "printing what was loaded changes nothing");
    free(out);
    free(out2);
    free(text);
    rr_doc_free(&d);
    rr_doc_free(&again);
}

Test(results, names_ids_and_slugs)
{
    static const char *const good[] = {"nginx", "ws-echo", "node_http", "a.b", "X9"};
    static const char *const evil[] = {"",   ".",       "..",  "../x", "a/b", "a b",
                                       "-x", ".hidden", "x'y", "x\ny", "_x"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        cr_assert(rr_name_ok(good[i]), "%s", good[i]);
    for (size_t i = 0; i < sizeof(evil) / sizeof(evil[0]); i++)
        cr_assert(not(rr_name_ok(evil[i])), "%s", evil[i]);
    char id[128], a[64], b[64];
    cr_assert(eq(int, rr_cell_id(id, sizeof(id), "t", "e", "wrk", 64, 16, 0, 0, 13), 18));
    cr_assert(eq(str, id, "t/e/wrk/c64/p16/t0"));
    rr_cell_id(id, sizeof(id), "t", "ws", "ringfire", 8, 1, 2, 1, 13);
    cr_assert(eq(str, id, "t/ws/ringfire/c8/p1/t2/m13"));
    cr_assert(eq(int, rr_cell_id(id, 8, "t", "e", "wrk", 64, 16, 0, 0, 0), -1), "too long");
    rr_slug("plaintext", a, sizeof(a));
    cr_assert(eq(str, a, "plaintext"), "a safe name is its own slug");
    for (size_t i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
        rr_slug(evil[i], a, sizeof(a));
        cr_assert(not(eq(ptr, strchr(a, '+'), NULL)), "%s -> %s", evil[i], a);
        cr_assert(eq(ptr, strchr(a, '/'), NULL), "%s -> %s", evil[i], a);
        cr_assert(not(eq(int, a[0], '.')), "%s -> %s", evil[i], a);
        cr_assert(not(eq(int, a[0], '-')), "%s -> %s", evil[i], a);
    }
    rr_slug("x'y", a, sizeof(a));
    rr_slug("x_y", b, sizeof(b));
    cr_assert(not(eq(str, a, b)), "names that clean alike stay apart");
}

Test(results, derived_figures_and_the_verdict)
{
    struct rr_run r;
    rr_run_init(&r);
    r.wall_s = 2;
    r.duration_s = 1;
    r.responses = 1000;
    r.client_cpu_s = 1.9;
    r.target_cpu_s = 1.0;
    rr_run_derive(&r, 1, 1);
    cr_assert(eq(dbl, r.client_utilization, 0.95));
    cr_assert(eq(dbl, r.cpu_us_per_response.client, 950), "scaled to the measured second");
    cr_assert(eq(int, r.bottleneck, RR_CLIENT_BOUND));
    r.target_cpu_s = NAN; /* the target died: its CPU was not measured */
    r.client_cpu_s = 0.2;
    rr_run_derive(&r, 1, 1);
    cr_assert(eq(int, r.bottleneck, RR_NEITHER), "not server-bound on no evidence");
    cr_assert(isnan(r.cpu_us_per_response.target));
    char why[128];
    cr_assert(eq(int, rr_run_check(&r, why, sizeof(why)), -1), "rps is required");
    r.rps = 500;
    cr_assert(eq(int, rr_run_check(&r, why, sizeof(why)), 0), "%s", why);
    r.target_peak_rss_bytes = -1;
    cr_assert(eq(int, rr_run_check(&r, why, sizeof(why)), -1));
    assert_says(why, "target_peak_rss_bytes is -1");
    rr_run_free(&r);
}

Test(results, the_summary_of_a_cell)
{
    struct rr_cell c = {.repetitions = 3};
    static const double rps[] = {100, 120, 110};
    static const enum rr_bottleneck verdict[] = {RR_SERVER_BOUND, RR_NEITHER, RR_SERVER_BOUND};
    for (int i = 0; i < 3; i++) {
        struct rr_run r;
        rr_run_init(&r);
        r.rps = rps[i];
        r.latency_us[RR_P99] = 10 * (i + 1);
        r.bottleneck = verdict[i];
        cr_assert(eq(int, rr_cell_add_run(&c, &r), 0));
    }
    rr_summarize(&c);
    cr_assert(eq(int, c.summary.present, 1));
    cr_assert(eq(dbl, c.summary.rps.median, 110));
    cr_assert(eq(dbl, c.summary.rps.min, 100));
    cr_assert(eq(uint, c.summary.rps.runs, 3));
    cr_assert(eq(dbl, c.summary.latency_us[RR_P99], 20));
    cr_assert(isnan(c.summary.latency_us[RR_P50]));
    cr_assert(eq(int, c.summary.bottleneck, RR_SERVER_BOUND), "the verdict most runs gave");
    cr_assert(eq(dbl, c.summary.rps.ci[0], 100), "3 runs: their range");
    cr_assert(eq(dbl, c.summary.rps.ci_coverage, 0.75));
    cr_assert(eq(int, c.summary.rps.resolved, 0), "75%% is no 95%% interval");
    for (size_t i = 0; i < c.nruns; i++)
        rr_run_free(&c.runs[i]);
    free(c.runs);
}

Test(results, the_engine_document_is_read_by_its_owner)
{
    struct rr_run r;
    cr_assert(eq(int,
                 rr_rundoc_read("{\"schema\": \"ringfire.run/1\", \"rps\": 10, "
                                "\"responses\": 20, \"errors\": {\"connect\": 0, "
                                "\"read\": 2, \"write\": 0, \"timeout\": 0, \"parse\": 0, "
                                "\"closed\": 0}, "
                                "\"duration_s\": 2, \"websocket\": {\"mismatches\": 1}, "
                                "\"histogram\": {\"buckets\": [[5, 1], [9, 2]]}}",
                                0, &r),
                 0));
    cr_assert(eq(dbl, r.errors, 3), "every kind, and mismatched echoes");
    cr_assert(eq(dbl, r.error_kinds.status, 1), "a wrong echo is a wrong answer");
    cr_assert(eq(dbl, r.rps, 9.5), "the 19 right answers over 2 s");
    cr_assert(eq(sz, r.nbuckets, 2));
    cr_assert(eq(ptr, cJSON_GetObjectItem(r.raw, "histogram"), NULL), "kept in the record");
    rr_run_free(&r);
    cr_assert(eq(int,
                 rr_rundoc_read("{\"schema\": \"ringfire.run/1\", \"rps\": 10, \"errors\": {}, "
                                "\"histogram\": {\"buckets\": [[5, 1]]}}",
                                0, &r),
                 -1),
              "error counts missing");
    cr_assert(eq(int, rr_rundoc_read("Segmentation fault", 0, &r), -1));
    /* HTTP: the answers with the expected status count, the others are errors. */
    cr_assert(eq(int,
                 rr_rundoc_read("{\"schema\": \"ringfire.run/1\", \"duration_s\": 1, "
                                "\"responses\": 10, \"errors\": {\"connect\": 0}, "
                                "\"status\": {\"2xx\": 7, \"codes\": {\"200\": 6, "
                                "\"201\": 1, \"404\": 3}}}",
                                200, &r),
                 0));
    cr_assert(eq(dbl, r.error_kinds.status, 4), "404s and the 201 are not the expected 200");
    cr_assert(eq(dbl, r.rps, 6));
    rr_run_free(&r);
    cr_assert(eq(int,
                 rr_rundoc_read("{\"schema\": \"ringfire.run/1\", \"duration_s\": 1, "
                                "\"responses\": 10, \"errors\": {}, \"status\": {\"2xx\": 7}}",
                                0, &r),
                 0));
    cr_assert(eq(dbl, r.rps, 7), "any 2xx when no status is expected");
    rr_run_free(&r);
}

/* How late ringfire's timed wake-ups came is read from the engine's document, written to the
 * results and read back; a document from before it has none (NaN), not a zero. */
Test(results, the_latest_wake_up_is_kept, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    static const char *const doc =
        "{\"schema\": \"ringfire.run/1\", \"duration_s\": 1, \"responses\": 10, "
        "\"errors\": {\"connect\": 0}, \"status\": {\"2xx\": 10}, \"rate\": {\"target_rps\": 10, "
        "\"completed_rps\": 10, "
        "\"rate_ratio\": 1, \"verdict\": \"generator-bound\"%s}}";
    char text[512];
    struct rr_run r;
    snprintf(text, sizeof(text), doc, ", \"wake_late_max_us\": 2140, \"stalled\": true");
    cr_assert(eq(int, rr_rundoc_read(text, 0, &r), 0));
    cr_assert(eq(dbl, r.rate.wake_late_max_us, 2140));
    cr_assert(eq(int, r.rate.stalled, 1));
    rr_run_free(&r);
    snprintf(text, sizeof(text), doc, "");
    cr_assert(eq(int, rr_rundoc_read(text, 0, &r), 0));
    cr_assert(isnan(r.rate.wake_late_max_us), "not given: not measured");
    cr_assert(eq(int, r.rate.stalled, 0));
    rr_run_free(&r);

    struct rr_doc d, again;
    char err[RR_ERR_MAX], path[128];
    cr_assert(eq(int, parse(valid, &d, err), 0), "%s", err);
    struct rr_run *run = &d.cells[0].runs[0];
    run->rate.present = 1;
    run->rate.target_rps = 10;
    run->rate.wake_late_max_us = 2140;
    run->rate.stalled = 1;
    run->steps = calloc(1, sizeof(*run->steps));
    run->nsteps = 1;
    run->steps[0] = (struct rr_step){.rps = 10,
                                     .latency_us = 5,
                                     .error_rate = 0,
                                     .verdict = RR_V_GENERATOR,
                                     .wake_late_max_us = 1500,
                                     .stalled = 1};
    snprintf(path, sizeof(path), "%s/results.json", tmpdir);
    cr_assert(eq(int, rr_write(&d, path), 0));
    cr_assert(eq(int, rr_load(tmpdir, &again, err), 0), "%s", err);
    cr_assert(eq(dbl, again.cells[0].runs[0].rate.wake_late_max_us, 2140));
    cr_assert(eq(dbl, again.cells[0].runs[0].steps[0].wake_late_max_us, 1500));
    cr_assert(eq(int, again.cells[0].runs[0].rate.stalled, 1));
    cr_assert(eq(int, again.cells[0].runs[0].steps[0].stalled, 1));
    cr_assert(isnan(again.cells[0].runs[1].rate.wake_late_max_us));
    rr_doc_free(&d);
    rr_doc_free(&again);
}
