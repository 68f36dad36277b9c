/*
 * test_frameworks.c - real servers through their recipes: nginx and Node.js installed,
 * started, validated, loaded for one short cell and stopped with nothing left running; and a
 * recipe whose install fails, reported with the installer's message.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../says.h"
#include "../tmpdir.h"
#include "harness.h"
#include "results.h"

static void run_suite(const char *json, const char *name, struct cmd_result *r, struct rr_doc *doc)
{
    char file[64], out[128];
    snprintf(file, sizeof(file), "%s.json", name);
    snprintf(out, sizeof(out), "%s/%s", tmpdir, name);
    const char *suite = tmpdir_write(file, json);
    cmd_run((const char *const[]){RINGFIRE, "suite", suite, "--out", out, "-q", NULL}, 600, r);
    cr_assert(eq(int, load_results(out, doc), 0), "no results: %s", r->err);
}

/* Whether any process still runs a command line containing s.  The first character goes in
 * brackets, so the pattern does not match the shell that runs pgrep. */
static int still_running(const char *s)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "pgrep -f '[%c]%s' >/dev/null", s[0], s + 1);
    return system(cmd) == 0;
}

Test(frameworks, nginx_and_node_end_to_end, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    struct cmd_result r;
    struct rr_doc doc;
    run_suite(
        "{\"name\": \"quick-two\", \"targets\": [\"nginx\", \"node-http\"],"
        " \"endpoints\": {"
        "  \"plaintext\": {\"path\": \"/plaintext\", \"content_type\": \"text/plain\","
        "                 \"body\": \"Hello, World!\"},"
        "  \"json\": {\"path\": \"/json\", \"content_type\": \"application/json\","
        "            \"body\": \"{\\\"message\\\":\\\"Hello, World!\\\"}\"},"
        "  \"json-static\": {\"path\": \"/json\", \"json\": {\"message\": \"Hello, World!\"}},"
        "  \"ws-echo\": {\"path\": \"/ws\", \"websocket\": true}},"
        " \"matrix\": {\"connections\": [8]}, \"repetitions\": 1, \"duration\": \"500ms\","
        " \"warmup\": \"0s\"}",
        "two", &r, &doc);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    for (size_t i = 0; i < doc.ncells; i++) {
        const struct rr_cell *c = &doc.cells[i];
        cr_assert(eq(int, c->status, RR_OK), "%s: %s", c->id, c->reason ? c->reason : "");
        cr_assert(gt(dbl, c->summary.rps.median, 100));
    }
    cr_assert(eq(sz, doc.ncells, 5),
              "nginx: plaintext, json-static; node-http: plaintext, json, ws-echo");
    const char *nginx = NULL;
    for (size_t i = 0; i < doc.env.targets.n; i++)
        if (strcmp(doc.env.targets.v[i].name, "nginx") == 0)
            nginx = doc.env.targets.v[i].value;
    cr_assert(not(eq(ptr, nginx ? strstr(nginx, "nginx/") : NULL, NULL)),
              "the nginx version is recorded");
    cr_assert(eq(int, still_running(tmpdir), 0), "nothing the suite started is left running");
    cr_assert(eq(int, still_running("fixtures/targets/node/http.js"), 0));
    rr_doc_free(&doc);
    cmd_free(&r);
}

Test(frameworks, failed_install_is_a_failed_cell_with_the_message, .init = tmpdir_setup,
     .fini = tmpdir_teardown)
{
    struct cmd_result r;
    struct rr_doc doc;
    run_suite("{\"name\": \"bad-install\", \"targets\": [{\"name\": \"missing\","
              " \"apt\": [\"ringfire-no-such-package\"], \"start\": \"exec sleep 60 {port}\","
              " \"endpoints\": [\"plaintext\"]}],"
              " \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\"}},"
              " \"matrix\": {\"connections\": [1]}, \"repetitions\": 1, \"duration\": \"500ms\"}",
              "bad", &r, &doc);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    cr_assert(eq(int, doc.cells[0].status, RR_FAILED));
    const char *reason = doc.cells[0].reason;
    if (geteuid() == 0) {
        assert_says(reason, "installing ringfire-no-such-package failed: ");
        cr_assert(not(eq(ptr, strstr(reason, "ringfire-no-such-package"), NULL)));
        cr_assert(not(eq(ptr, strstr(reason, "E: "), NULL)), "apt-get's own message: %s", reason);
    } else {
        assert_says(reason, "run sudo apt-get install -y ringfire-no-such-package");
    }
    rr_doc_free(&doc);
    cmd_free(&r);
}
