/*
 * test_suite.c - the suite loader (a table of bad suites and the exact message each gets),
 * matrix expansion with exclusions and overrides, the statistics, and the tool adapters on
 * real output captured in tests/data.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stats.h"
#include "../says.h"
#include "../tmpdir.h"
#include "suite.h"
#include "tools.h"

static const char *write_suite(const char *name, const char *text)
{
    char file[64];
    snprintf(file, sizeof(file), "%s.json", name);
    return tmpdir_write(file, text);
}

#define OK_TARGET "\"targets\": [\"ringfire-fixture\"]"
#define OK_ENDPOINTS "\"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\"}}"
#define OK_MATRIX "\"matrix\": {\"connections\": [16]}"

struct bad_suite {
    const char *what;
    const char *json;
    const char *message; /* what follows "FILE: " */
};

static const struct bad_suite bad[] = {
    {"a string in an axis",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS
     ", \"matrix\": {\"connections\": [16, 64, \"64\"]}}",
     ".matrix.connections[2]: expected a positive integer, got \"64\""},
    {"an unknown top-level key",
     "{\"name\": \"x\", \"bogus\": 1, " OK_TARGET ", " OK_ENDPOINTS ", " OK_MATRIX "}",
     ".bogus: unknown key (expected one of: name, description, targets, endpoints, matrix, "
     "tools, repetitions, duration, warmup, timeout, cpus, seed, exclude, overrides, "
     "interleave, slo, agents)"},
    {"percentages without the peak",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS
     ", \"matrix\": {\"connections\": [1], \"rate\": [\"50%\"]}}",
     ".matrix.rate: percentages of the peak need \"peak\" in the list too, to measure the peak "
     "they are taken from"},
    {"percentages and rates mixed",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS
     ", \"matrix\": {\"connections\": [1], \"rate\": [\"peak\", \"50%\", \"20k\"]}}",
     ".matrix.rate: mixes percentages of the peak with requests per second; use one kind (or two "
     "suites)"},
    {"a rate that is no rate",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS
     ", \"matrix\": {\"connections\": [1], \"rate\": [\"fast\"]}}",
     ".matrix.rate[0]: expected \"peak\", a percentage of it (\"50%\") or requests per second "
     "(20000, \"20k\") from 1 to 1G, got \"fast\""},
    {"a percentage of nothing",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS
     ", \"matrix\": {\"connections\": [1], \"rate\": [\"peak\", \"0%\"]}}",
     ".matrix.rate[1]: expected a percentage of the peak above 0% and at most 1000%, got \"0%\""},
    {"a rate twice",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS
     ", \"matrix\": {\"connections\": [1], \"rate\": [20000, \"20k\"]}}",
     ".matrix.rate[1]: given twice"},
    {"an objective on an unknown percentile",
     "{\"name\": \"x\", \"slo\": {\"p95\": \"10ms\"}, " OK_TARGET ", " OK_ENDPOINTS ", " OK_MATRIX
     "}",
     ".slo.p95: unknown key (expected one of: p50, p75, p90, p99, p99_9, p99_99, max_error_rate, "
     "precision)"},
    {"an objective on two percentiles",
     "{\"name\": \"x\", \"slo\": {\"p50\": \"1ms\", \"p99\": \"10ms\"}, " OK_TARGET
     ", " OK_ENDPOINTS ", " OK_MATRIX "}",
     ".slo.p99: one percentile per objective (p50 is given too)"},
    {"an objective without a limit",
     "{\"name\": \"x\", \"slo\": {\"precision\": \"2%\"}, " OK_TARGET ", " OK_ENDPOINTS
     ", " OK_MATRIX "}",
     ".slo: expected a percentile of response time and its limit, such as \"p99\": \"10ms\" (one "
     "of p50, p75, p90, p99, p99_9, p99_99), got an object"},
    {"a search without an objective",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS
     ", \"matrix\": {\"connections\": [1], \"rate\": [\"peak\", \"slo\"]}}",
     ".matrix.rate: \"slo\" needs the suite's objective: add \"slo\": {\"p99\": \"10ms\"} at the "
     "top "
     "level"},
    {"a search without the peak",
     "{\"name\": \"x\", \"slo\": {\"p99\": \"10ms\"}, " OK_TARGET ", " OK_ENDPOINTS
     ", \"matrix\": {\"connections\": [1], \"rate\": [\"slo\"]}}",
     ".matrix.rate: \"slo\" needs \"peak\" in the list too: the search looks below the measured "
     "peak"},
    {"an error bound that is no share",
     "{\"name\": \"x\", \"slo\": {\"p99\": \"10ms\", \"max_error_rate\": 0.1}, " OK_TARGET
     ", " OK_ENDPOINTS ", " OK_MATRIX "}",
     ".slo.max_error_rate: expected a percentage from 0% to 50% such as \"5%\", got 0.1"},
    {"interleave as a word",
     "{\"name\": \"x\", \"interleave\": \"yes\", " OK_TARGET ", " OK_ENDPOINTS ", " OK_MATRIX "}",
     ".interleave: expected true or false, got \"yes\""},
    {"an empty axis",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS ", \"matrix\": {\"connections\": []}}",
     ".matrix.connections: expected a non-empty array of integers, got an array"},
    {"no matrix", "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS "}",
     ".matrix: missing (expected an object with at least connections)"},
    {"a pipeline of 0",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS
     ", \"matrix\": {\"connections\": [1], \"pipeline\": [0]}}",
     ".matrix.pipeline[0]: expected an integer from 1 to 1024, got 0"},
    {"no targets", "{\"name\": \"x\", " OK_ENDPOINTS ", " OK_MATRIX "}",
     ".targets: expected a non-empty array of recipe names or objects (missing)"},
    {"no name", "{" OK_TARGET ", " OK_ENDPOINTS ", " OK_MATRIX "}",
     ".name: missing (expected a string)"},
    {"an endpoint nobody serves",
     "{\"name\": \"x\", " OK_TARGET ", \"endpoints\": {\"nope\": {\"path\": \"/nope\"}}, " OK_MATRIX
     "}",
     ".endpoints.nope: no target of this suite serves it (check each recipe's endpoints)"},
    {"a path without a slash",
     "{\"name\": \"x\", " OK_TARGET
     ", \"endpoints\": {\"plaintext\": {\"path\": \"plaintext\"}}, " OK_MATRIX "}",
     ".endpoints.plaintext.path: expected a path starting with /, got \"plaintext\""},
    {"an unknown endpoint key",
     "{\"name\": \"x\", " OK_TARGET
     ", \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\", \"stauts\": 200}}, " OK_MATRIX
     "}",
     ".endpoints.plaintext.stauts: unknown key (expected one of: path, websocket, status, "
     "content_type, body, json, request, body_contains)"},
    {"a bad duration",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS ", " OK_MATRIX ", \"duration\": \"5x\"}",
     ".duration: expected a positive duration such as \"500ms\", \"10s\" or \"2m\", got \"5x\""},
    {"repetitions as a string",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS ", " OK_MATRIX ", \"repetitions\": \"3\"}",
     ".repetitions: expected a number of runs or {\"min\", \"max\", \"target\"}, got \"3\""},
    {"a target without its percent sign",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS ", " OK_MATRIX
     ", \"repetitions\": {\"min\": 6, \"target\": \"3\"}}",
     ".repetitions.target: expected a share of the median such as \"3%\" (above 0, at most 50%), "
     "got \"3\""},
    {"fewer runs at most than at least",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS ", " OK_MATRIX
     ", \"repetitions\": {\"min\": 8, \"max\": 5, \"target\": \"3%\"}}",
     ".repetitions.max: 5, below min 8"},
    {"a bad request header",
     "{\"name\": \"x\", " OK_TARGET
     ", \"endpoints\": {\"plaintext\": {\"path\": \"/p\", \"request\": {\"headers\": "
     "[\"NoColon\"]}}}, " OK_MATRIX "}",
     ".endpoints.plaintext.request.headers[0]: \"NoColon\": a header is malformed (expected "
     "'Name: value' without CR or LF)"},
    {"body and json both",
     "{\"name\": \"x\", " OK_TARGET ", \"endpoints\": {\"plaintext\": {\"path\": \"/p\", \"body\": "
     "\"a\", \"json\": {}}}, " OK_MATRIX "}",
     ".endpoints.plaintext.json: give body (bytes) or json (a value), not both"},
    {"a url with a path",
     "{\"name\": \"x\", \"targets\": [{\"name\": \"ext\", \"url\": \"http://127.0.0.1:9/x\", "
     "\"endpoints\": [\"plaintext\"]}], " OK_ENDPOINTS ", " OK_MATRIX "}",
     ".targets[0].url: expected http://HOST:PORT with a numeric IPv4 or [IPv6] host and no path, "
     "got \"http://127.0.0.1:9/x\""},
    {"a url and a start command",
     "{\"name\": \"x\", \"targets\": [{\"name\": \"ext\", \"url\": \"http://127.0.0.1:9\", "
     "\"start\": \"x {port}\", \"endpoints\": [\"plaintext\"]}], " OK_ENDPOINTS ", " OK_MATRIX "}",
     ".targets[0].start: a target with a url is already running: ringfire does not install, "
     "start or stop it"},
    {"agents with a target started here",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS ", " OK_MATRIX ", \"agents\": [\"a@h1\"]}",
     ".agents: target ringfire-fixture is started here, on loopback, where the agents cannot "
     "reach it: give it a \"url\" they reach (a server already running)"},
    {"agents with another tool",
     "{\"name\": \"x\", \"targets\": [{\"name\": \"ext\", \"url\": \"http://10.0.0.5:80\", "
     "\"endpoints\": [\"plaintext\"]}], " OK_ENDPOINTS ", " OK_MATRIX
     ", \"tools\": [\"ringfire\", \"wrk\"], \"agents\": [\"h1\"]}",
     ".agents: only ringfire runs on agents: drop the other tools (\"tools\": [\"ringfire\"])"},
    {"an agent that is an option",
     "{\"name\": \"x\", \"targets\": [{\"name\": \"ext\", \"url\": \"http://10.0.0.5:80\", "
     "\"endpoints\": [\"plaintext\"]}], " OK_ENDPOINTS ", " OK_MATRIX
     ", \"agents\": [\"h1\", \"-oProxyCommand=x\"]}",
     ".agents[1]: \"-oProxyCommand=x\" is not a host for ssh ([user@]name or address)"},
    {"an unknown tool",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS ", " OK_MATRIX ", \"tools\": [\"ab\"]}",
     ".tools[0]: expected one of ringfire, wrk, hey, h2load, got \"ab\""},
    {"an inline recipe without {port}",
     "{\"name\": \"x\", \"targets\": [{\"name\": \"t\", \"start\": \"server\", \"endpoints\": "
     "[\"plaintext\"]}], " OK_ENDPOINTS ", " OK_MATRIX "}",
     ".targets[0].start: the start command must contain {port}, where the port goes"},
    {"an exclusion naming no target",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS ", " OK_MATRIX
     ", \"exclude\": [{\"target\": \"zz\"}]}",
     ".exclude[0].target: no target \"zz\" in this suite"},
    {"a bad CPU list",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS ", " OK_MATRIX
     ", \"cpus\": {\"client\": \"one\", \"target\": \"0\"}}",
     ".cpus.client: expected a CPU list such as \"1\" or \"2-3\", got \"one\""},
    {"not JSON", "{\"name\": \"x\",\n \"targets\": [\n", "line 2: not valid JSON"},
    {"a package name that is a shell command",
     "{\"name\": \"x\", \"targets\": [{\"name\": \"t\", \"apt\": [\"nginx; touch PWNED\"], "
     "\"start\": \"server {port}\", \"endpoints\": [\"plaintext\"]}], " OK_ENDPOINTS ", " OK_MATRIX
     "}",
     ".targets[0].apt[0]: expected a Debian package name (a-z 0-9 + - ., starting with a letter "
     "or digit), got \"nginx; touch PWNED\""},
    {"a package name that is an option",
     "{\"name\": \"x\", \"targets\": [{\"name\": \"t\", \"apt\": [\"--purge\"], "
     "\"start\": \"server {port}\", \"endpoints\": [\"plaintext\"]}], " OK_ENDPOINTS ", " OK_MATRIX
     "}",
     ".targets[0].apt[0]: expected a Debian package name (a-z 0-9 + - ., starting with a letter "
     "or digit), got \"--purge\""},
    {"an endpoint name with a quote",
     "{\"name\": \"x\", " OK_TARGET
     ", \"endpoints\": {\"plain'text\": {\"path\": \"/p\"}}, " OK_MATRIX "}",
     ".endpoints.plain'text: expected a name of 1 to 64 characters from A-Z a-z 0-9 . _ - starting "
     "with a letter or digit, got \"plain'text\""},
    {"a recipe name that climbs out of its folder",
     "{\"name\": \"x\", \"targets\": [\"../../etc/x\"], " OK_ENDPOINTS ", " OK_MATRIX "}",
     ".targets[0]: expected a name of 1 to 64 characters from A-Z a-z 0-9 . _ - starting with a "
     "letter or digit, got \"../../etc/x\""},
    {"an inline target name with a newline",
     "{\"name\": \"x\", \"targets\": [{\"name\": \"t\\n!id\", \"start\": \"s {port}\", "
     "\"endpoints\": [\"plaintext\"]}], " OK_ENDPOINTS ", " OK_MATRIX "}",
     ".targets[0].name: expected a name of 1 to 64 characters from A-Z a-z 0-9 . _ - starting "
     "with a letter or digit, got \"t\\n!id\""},
    {"a tool given twice",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS ", " OK_MATRIX
     ", \"tools\": [\"wrk\", \"hey\", \"wrk\"]}",
     ".tools[2]: \"wrk\" is given twice"},
    {"a matrix too large to expand",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS
     ", \"matrix\": {\"connections\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,"
     "23,24,25,26,27,28,29,30,31,32], \"pipeline\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,"
     "18,19,20,21,22,23,24,25,26,27,28,29,30,31,32], \"threads\": [1,2,3,4,5,6,7,8,9,10,11,12,13,"
     "14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32]}, \"tools\": [\"ringfire\", "
     "\"wrk\", \"hey\", \"h2load\"]}",
     ".matrix: the targets, endpoints, tools and axes make up to 131072 cells, more than the "
     "100000 a suite may have; make the matrix smaller or split the suite"},
    {"a connection count past any integer",
     "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS ", \"matrix\": {\"connections\": [1e300]}}",
     ".matrix.connections[0]: expected a positive integer up to 100000, got 1e+300"},
};

Test(suite, bad_suites_get_exact_messages, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *file = write_suite("bad", bad[i].json);
        struct rs_suite s;
        char err[RS_ERR_MAX], want[RS_ERR_MAX + 200];
        cr_assert(eq(int, rs_suite_load(file, &s, err), -1), "%s: loaded", bad[i].what);
        snprintf(want, sizeof(want), "%s: %s", file, bad[i].message);
        cr_assert(eq(str, err, want), "%s", bad[i].what);
        rs_suite_free(&s);
    }
}

Test(suite, missing_recipe_lists_the_recipes, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    const char *file = write_suite(
        "norecipe", "{\"name\": \"x\", \"targets\": [\"nope\"], " OK_ENDPOINTS ", " OK_MATRIX "}");
    struct rs_suite s;
    char err[RS_ERR_MAX], want[256];
    cr_assert(eq(int, rs_suite_load(file, &s, err), -1));
    snprintf(want, sizeof(want),
             "%s: .targets[0]: no recipe fixtures/targets/nope.json (the recipes there: ", file);
    cr_assert(eq(int, strncmp(err, want, strlen(want)), 0), "%s", err);
    assert_says(err, "ringfire-fixture");
    rs_suite_free(&s);
}

Test(suite, smoke_loads_with_defaults)
{
    struct rs_suite s;
    char err[RS_ERR_MAX];
    cr_assert(eq(int, rs_suite_load("smoke", &s, err), 0), "%s", err);
    cr_assert(eq(str, s.file, "suites/smoke.json"));
    cr_assert(eq(uint, s.ntargets, 1));
    cr_assert(eq(str, s.targets[0].start, "exec build/ringfire-fixture --port {port} --quiet"));
    cr_assert(eq(u64, s.targets[0].stop_timeout_ns, 5000000000ULL), "default stop timeout");
    cr_assert(eq(uint, s.nthreads, 1), "threads default to [0]");
    cr_assert(eq(u64, s.timeout_ns, 5000000000ULL));
    cr_assert(eq(int, s.interleave, 0), "targets run one after another unless interleaved");
    struct rs_cell *cells;
    int n = rs_expand(&s, &cells);
    cr_assert(eq(int, n, 4));
    cr_assert(eq(str, cells[0].id, "ringfire-fixture/plaintext/ringfire/c16/p1/t0"));
    cr_assert(eq(str, cells[3].id, "ringfire-fixture/json/ringfire/c16/p16/t0"));
    free(cells);
    rs_suite_free(&s);
}

Test(suite, rates_make_cells_of_their_own, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    const char *file = write_suite(
        "rates", "{\"name\": \"x\", " OK_TARGET ", " OK_ENDPOINTS
                 ", \"tools\": [\"ringfire\", \"wrk\"], \"matrix\": {\"connections\": [8], "
                 "\"rate\": [\"peak\", \"25%\", \"90%\"]}}");
    struct rs_suite s;
    char err[RS_ERR_MAX], why[256];
    cr_assert(eq(int, rs_suite_load(file, &s, err), 0), "%s", err);
    struct rs_cell *cells;
    int n = rs_expand(&s, &cells);
    cr_assert(eq(int, n, 6), "2 tools x 3 rates");
    cr_assert(eq(int, cells[0].rate.present, 0));
    cr_assert(not(eq(ptr, strstr(cells[1].id, "/c8/p1/t0/r25%"), NULL)), "%s", cells[1].id);
    cr_assert(eq(dbl, cells[2].rate.of_peak, 0.9));
    cr_assert(
        eq(int, rs_tool_supports(cells[4].tool, &cells[4], &s.endpoints[0], why, sizeof(why)), 0),
        "wrk has no fixed rate here");
    cr_assert(not(eq(ptr, strstr(why, "only ringfire's -R"), NULL)), "%s", why);
    free(cells);
    rs_suite_free(&s);
}

Test(suite, matrix_exclusions_and_overrides, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    const char *file = write_suite(
        "matrix",
        "{\"name\": \"m\", " OK_TARGET ", \"endpoints\": {"
        "\"plaintext\": {\"path\": \"/plaintext\"},"
        "\"ws-echo\": {\"path\": \"/ws\", \"websocket\": true}},"
        "\"matrix\": {\"connections\": [1, 2], \"pipeline\": [1, 4], \"ws_bytes\": [13, 100]},"
        "\"tools\": [\"ringfire\", \"wrk\"],"
        "\"exclude\": [{\"tool\": \"wrk\", \"pipeline\": 4}],"
        "\"overrides\": [{\"match\": {\"endpoint\": \"ws-echo\"}, \"repetitions\": 5,"
        " \"duration\": \"2s\"}]}");
    struct rs_suite s;
    char err[RS_ERR_MAX];
    cr_assert(eq(int, rs_suite_load(file, &s, err), 0), "%s", err);
    struct rs_cell *cells;
    int n = rs_expand(&s, &cells);
    /* plaintext: 2 tools x 2 x 2 = 8, less wrk at p4 (2) = 6; ws: 16 less 4 = 12. */
    cr_assert(eq(int, n, 18));
    int ws = 0, wrk_p4 = 0;
    for (int i = 0; i < n; i++) {
        wrk_p4 += cells[i].tool == rs_tool_find("wrk") && cells[i].pipeline == 4;
        if (cells[i].ws_bytes) {
            ws++;
            cr_assert(eq(uint, cells[i].reps.max, 5), "%s", cells[i].id);
            cr_assert(eq(u64, cells[i].duration_ns, 2000000000ULL));
        } else {
            cr_assert(eq(uint, cells[i].reps.max, 3), "%s", cells[i].id);
        }
    }
    cr_assert(eq(int, ws, 12));
    cr_assert(eq(int, wrk_p4, 0));
    cr_assert(eq(str, cells[n - 1].id, "ringfire-fixture/ws-echo/wrk/c2/p1/t0/m100"));
    free(cells);
    rs_suite_free(&s);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(not(eq(ptr, f, NULL)), "%s", path);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

Test(tools, wrk_output)
{
    struct rr_run r;
    cr_assert(eq(int, rs_wrk_parse(slurp("tests/data/wrk-pipeline1.txt"), 0, &r), 0));
    cr_assert(eq(dbl, r.responses, 143832));
    cr_assert(le(dbl, fabs(r.rps - 143832 / 1.100085), 0.01));
    cr_assert(eq(dbl, r.errors, 0));
    cr_assert(eq(dbl, r.latency_us[0], 47), "p50");
    cr_assert(eq(dbl, r.latency_us[3], 96), "p99");
    cr_assert(eq(dbl, r.latency_us[6], 2861), "max");
    rr_run_free(&r);

    /* Pipelined, wrk's latency is of whole batches: not reported. */
    cr_assert(eq(int, rs_wrk_parse(slurp("tests/data/wrk-pipeline4.txt"), 0, &r), 0));
    cr_assert(eq(dbl, r.responses, 337876));
    for (int i = 0; i < RR_NLAT; i++)
        cr_assert(isnan(r.latency_us[i]), "latency %d: %g", i, r.latency_us[i]);
    rr_run_free(&r);
}

Test(tools, hey_output)
{
    struct rr_run r;
    cr_assert(eq(int, rs_hey_parse(slurp("tests/data/hey-json.txt"), 0, &r), 0));
    cr_assert(le(dbl, fabs(r.rps - 40837.868), 1e-6));
    cr_assert(eq(dbl, r.responses, 40862));
    cr_assert(eq(dbl, r.errors, 0));
    cr_assert(le(dbl, fabs(r.latency_us[0] - 200), 1e-6), "50%% in 0.0002 secs");
    cr_assert(le(dbl, fabs(r.latency_us[6] - 5200), 1e-6), "Slowest: 0.0052 secs");
    cr_assert(eq(int, isnan(r.latency_us[4]), 1), "hey has no p99.9");
    rr_run_free(&r);
    struct rr_run e;
    cr_assert(eq(int, rs_hey_parse(slurp("tests/data/hey-refused.txt"), 0, &e), 0));
    cr_assert(eq(dbl, e.responses, 0));
    cr_assert(eq(dbl, e.errors, 20));
    rr_run_free(&e);
}

Test(tools, h2load_output)
{
    struct rr_run r;
    cr_assert(eq(int, rs_h2load_parse(slurp("tests/data/h2load-pipeline4.txt"), 0, &r), 0));
    cr_assert(eq(dbl, r.rps, 350020));
    cr_assert(eq(dbl, r.responses, 350020));
    cr_assert(eq(dbl, r.duration_s, 1.0));
    cr_assert(eq(dbl, r.errors, 0));
    cr_assert(eq(dbl, r.latency_us[6], 3860), "max 3.86ms");
    rr_run_free(&r);
}

Test(tools, ringfire_output)
{
    struct rr_run r;
    cr_assert(eq(int, rs_ringfire_parse(slurp("tests/data/ringfire-plaintext.json"), 0, &r), 0));
    cr_assert(eq(dbl, r.responses, 500));
    cr_assert(le(dbl, fabs(r.rps - 36328.42817208573), 1e-6));
    cr_assert(eq(dbl, r.latency_us[0], 38.527));
    rr_run_free(&r);
}

Test(tools, other_output_is_refused)
{
    struct rr_run r;
    const char *junk = "Segmentation fault\n";
    cr_assert(eq(int, rs_ringfire_parse(junk, 0, &r), -1));
    cr_assert(eq(int, rs_wrk_parse(junk, 0, &r), -1));
    cr_assert(eq(int, rs_hey_parse(junk, 0, &r), -1));
    cr_assert(eq(int, rs_h2load_parse(junk, 0, &r), -1));
    cr_assert(eq(int, rs_wrk_parse(slurp("tests/data/hey-json.txt"), 0, &r), -1), "not wrk's");
}

Test(tools, what_each_tool_can_do)
{
    struct rs_cell c = {.pipeline = 16};
    struct rs_endpoint http = {.path = "/"}, ws = {.path = "/ws", .websocket = 1};
    char why[128];
    cr_assert(eq(int, rs_tool_supports(rs_tool_find("hey"), &c, &http, why, sizeof(why)), 0));
    cr_assert(eq(str, why, "hey cannot pipeline requests (pipeline 16)"));
    cr_assert(eq(int, rs_tool_supports(rs_tool_find("wrk"), &c, &ws, why, sizeof(why)), 0));
    cr_assert(eq(str, why, "wrk has no WebSocket load"));
    cr_assert(eq(int, rs_tool_supports(rs_tool_find("ringfire"), &c, &ws, why, sizeof(why)), 1));
    cr_assert(eq(int, rs_tool_supports(rs_tool_find("h2load"), &c, &http, why, sizeof(why)), 1));
}

/* Every recipe the frameworks suites use loads, and names what it installs or builds. */
Test(suite, frameworks_recipes_are_well_formed)
{
    static const char *const suites[] = {"frameworks", "frameworks-quick"};
    for (size_t i = 0; i < 2; i++) {
        struct rs_suite s;
        char err[RS_ERR_MAX];
        cr_assert(eq(int, rs_suite_load(suites[i], &s, err), 0), "%s", err);
        cr_assert(eq(uint, s.ntargets, 9));
        for (unsigned t = 0; t < s.ntargets; t++) {
            const struct rs_target *r = &s.targets[t];
            cr_assert(gt(uint, r->napt + (r->npm_dir != NULL) + (r->build != NULL), 0),
                      "%s installs or builds nothing", r->name);
            cr_assert(not(eq(ptr, r->version, NULL)), "%s records no version", r->name);
            cr_assert(not(eq(ptr, strstr(r->file, "fixtures/targets/"), NULL)));
        }
        struct rs_cell *cells;
        cr_assert(gt(int, rs_expand(&s, &cells), 0));
        free(cells);
        rs_suite_free(&s);
    }
}
