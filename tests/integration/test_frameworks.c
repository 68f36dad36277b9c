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

static cJSON *run_suite(const char *json, const char *name, struct cmd_result *r)
{
    char file[64], out[128];
    snprintf(file, sizeof(file), "%s.json", name);
    snprintf(out, sizeof(out), "%s/%s", tmpdir, name);
    const char *suite = tmpdir_write(file, json);
    cmd_run((const char *const[]){RINGFIRE, "suite", suite, "--out", out, "-q", NULL}, 600, r);
    cJSON *doc = load_results(out);
    cr_assert(not(eq(ptr, doc, NULL)), "no results: %s", r->err);
    return doc;
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
    cJSON *doc = run_suite(
        "{\"name\": \"quick-two\", \"targets\": [\"nginx\", \"node-http\"],"
        " \"endpoints\": {"
        "  \"plaintext\": {\"path\": \"/plaintext\", \"content_type\": \"text/plain\","
        "                 \"body\": \"Hello, World!\"},"
        "  \"json\": {\"path\": \"/json\", \"content_type\": \"application/json\","
        "            \"body\": \"{\\\"message\\\":\\\"Hello, World!\\\"}\"},"
        "  \"ws-echo\": {\"path\": \"/ws\", \"websocket\": true}},"
        " \"matrix\": {\"connections\": [8]}, \"repetitions\": 1, \"duration\": \"500ms\","
        " \"warmup\": \"0s\"}",
        "two", &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    int ok = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "cells"))
    {
        const char *status = cJSON_GetObjectItem(c, "status")->valuestring;
        const cJSON *reason = cJSON_GetObjectItem(c, "reason");
        cr_assert(eq(str, (char *)status, "ok"), "%s: %s",
                  cJSON_GetObjectItem(c, "id")->valuestring,
                  cJSON_IsString(reason) ? reason->valuestring : "");
        cr_assert(gt(dbl, json_num(c, "summary.rps.median"), 100));
        ok++;
    }
    cr_assert(eq(int, ok, 5), "nginx: plaintext, json; node-http: plaintext, json, ws-echo");
    const cJSON *targets = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "env"), "targets");
    cr_assert(
        not(eq(ptr, strstr(cJSON_GetObjectItem(targets, "nginx")->valuestring, "nginx/"), NULL)),
        "the nginx version is recorded");
    cr_assert(eq(int, still_running(tmpdir), 0), "nothing the suite started is left running");
    cr_assert(eq(int, still_running("fixtures/targets/node/http.js"), 0));
    cJSON_Delete(doc);
    cmd_free(&r);
}

Test(frameworks, failed_install_is_a_failed_cell_with_the_message, .init = tmpdir_setup,
     .fini = tmpdir_teardown)
{
    struct cmd_result r;
    cJSON *doc = run_suite(
        "{\"name\": \"bad-install\", \"targets\": [{\"name\": \"missing\","
        " \"apt\": [\"ringfire-no-such-package\"], \"start\": \"exec sleep 60 {port}\","
        " \"endpoints\": [\"plaintext\"]}],"
        " \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\"}},"
        " \"matrix\": {\"connections\": [1]}, \"repetitions\": 1, \"duration\": \"500ms\"}",
        "bad", &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "cells"), 0);
    cr_assert(eq(str, cJSON_GetObjectItem(c, "status")->valuestring, "failed"));
    const char *reason = cJSON_GetObjectItem(c, "reason")->valuestring;
    if (geteuid() == 0) {
        assert_says(reason, "installing ringfire-no-such-package failed: ");
        cr_assert(not(eq(ptr, strstr(reason, "ringfire-no-such-package"), NULL)));
        cr_assert(not(eq(ptr, strstr(reason, "E: "), NULL)), "apt-get's own message: %s", reason);
    } else {
        assert_says(reason, "run sudo apt-get install -y ringfire-no-such-package");
    }
    cJSON_Delete(doc);
    cmd_free(&r);
}
