/*
 * test_websocket.c - WebSocket load (`ringfire ws://...`) against ringfire-fixture's /ws and
 * against Node's ws package: exact message counts, echoes checked, pings, closes, refusals,
 * protocol errors.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../says.h"
#include "fixture_test.h"

static void assert_accounted(const cJSON *j)
{
    cr_assert(eq(dbl, json_unaccounted(j), 0), "every message is accounted for");
    cr_assert(eq(dbl, json_num(j, "websocket.messages_sent"), json_num(j, "requests")));
    cr_assert(eq(dbl, json_num(j, "websocket.messages_received"), json_num(j, "responses")));
}

Test(ws, exact_count_pipelined, .fini = stop)
{
    start(NULL);
    const char *args[] = {"-n", "1000", "-c", "10", "-p", "8", NULL};
    cJSON *j = run_ok("ws", "/ws", args);
    cr_assert(eq(dbl, json_num(j, "websocket.messages_received"), 1000));
    cr_assert(eq(dbl, json_num(j, "websocket.messages_sent"), 1000));
    cr_assert(eq(dbl, json_num(j, "websocket.upgrades"), 10));
    cr_assert(eq(dbl, json_num(j, "websocket.upgrade_failed"), 0));
    cr_assert(eq(dbl, json_num(j, "websocket.mismatches"), 0));
    cr_assert(eq(dbl, json_num(j, "websocket.protocol_errors"), 0));
    cr_assert(eq(dbl, json_num(j, "status.codes.101"), 10));
    /* "Hello, World!": a 13-byte echo is 15 bytes from the server, after each 101 response. */
    cr_assert(gt(dbl, json_num(j, "latency_us.p50"), 0));
    assert_accounted(j);
    cJSON_Delete(j);
}

Test(ws, large_binary_and_text_messages, .fini = stop)
{
    start(NULL);
    const char *bin[] = {"-n", "60",        "-c",     "3",           "-p",
                         "2",  "--ws-size", "100000", "--ws-binary", NULL};
    cJSON *j = run_ok("ws", "/ws", bin);
    cr_assert(eq(dbl, json_num(j, "websocket.messages_received"), 60));
    cr_assert(eq(dbl, json_num(j, "websocket.mismatches"), 0));
    cr_assert(ge(dbl, json_num(j, "websocket.bytes_received"), 60.0 * 100000));
    cJSON_Delete(j);
    const char *text[] = {"-d", "500ms", "-c", "4", "-p", "16", "--ws-size", "300", NULL};
    j = run_ok("ws", "/ws", text);
    cr_assert(gt(dbl, json_num(j, "websocket.messages_received"), 100));
    cr_assert(eq(dbl, json_num(j, "websocket.mismatches"), 0));
    assert_accounted(j);
    cJSON_Delete(j);
}

/* One connection, one message at a time: the server's n-th echo is the client's n-th
 * message, so the counts below are exact. */
Test(ws, pings_are_answered, .fini = stop)
{
    start((const char *const[]){"--ws-ping-every", "10", NULL});
    const char *args[] = {"-n", "205", "-c", "1", NULL};
    cJSON *j = run_ok("ws", "/ws", args);
    cr_assert(eq(dbl, json_num(j, "websocket.messages_received"), 205));
    cr_assert(eq(dbl, json_num(j, "websocket.pings_answered"), 20));
    cr_assert(eq(dbl, json_num(j, "websocket.mismatches"), 0));
    cJSON_Delete(j);
}

Test(ws, server_close_is_answered_and_reopened, .fini = stop)
{
    start((const char *const[]){"--close-after", "50", NULL});
    const char *args[] = {"-n", "200", "-c", "1", NULL};
    cJSON *j = run_ok("ws", "/ws", args);
    cr_assert(eq(dbl, json_num(j, "websocket.messages_received"), 200));
    cr_assert(eq(dbl, json_num(j, "websocket.closes"), 4), "after echoes 50, 100, 150, 200");
    cr_assert(ge(dbl, json_num(j, "websocket.upgrades"), 4));
    cr_assert(eq(dbl, json_num(j, "errors.closed"), 0), "nothing was in flight at -p 1");
    cr_assert(eq(dbl, json_num(j, "websocket.mismatches"), 0));
    cJSON_Delete(j);
}

Test(ws, altered_echoes_are_mismatches, .fini = stop)
{
    start((const char *const[]){"--ws-corrupt-every", "10", NULL});
    const char *args[] = {"-n", "100", "-c", "1", NULL};
    cJSON *j = run_ok("ws", "/ws", args);
    cr_assert(eq(dbl, json_num(j, "websocket.messages_received"), 100));
    cr_assert(eq(dbl, json_num(j, "websocket.mismatches"), 10));
    cJSON_Delete(j);
}

Test(ws, protocol_errors_reopen_the_connection, .fini = stop)
{
    start((const char *const[]){"--malformed-every", "10", NULL});
    const char *args[] = {"-n", "100", "-c", "1", NULL};
    cJSON *j = run_ok("ws", "/ws", args);
    cr_assert(eq(dbl, json_num(j, "websocket.messages_received"), 100));
    cr_assert(eq(dbl, json_num(j, "websocket.protocol_errors"), 11));
    cr_assert(eq(dbl, json_num(j, "errors.lost_requests"), 11));
    cr_assert(eq(dbl, json_num(j, "websocket.upgrades"), 12));
    assert_accounted(j);
    cJSON_Delete(j);
}

Test(ws, refused_upgrade_is_counted_and_retried_with_backoff, .fini = stop)
{
    start(NULL);
    const char *args[] = {"-d", "1s", "-c", "2", NULL};
    cJSON *j = run_ok("ws", "/plaintext", args);
    double failed = json_num(j, "websocket.upgrade_failed");
    cr_assert(ge(dbl, failed, 2), "each connection tried");
    cr_assert(le(dbl, failed, 2 * 12), "%g upgrades in 1 s: not backing off", failed);
    cr_assert(eq(dbl, json_num(j, "websocket.upgrades"), 0), "never treated as open");
    cr_assert(eq(dbl, json_num(j, "websocket.messages_sent"), 0));
    cr_assert(eq(dbl, json_num(j, "status.codes.200"), failed), "the refusals' status");
    cJSON_Delete(j);
}

Test(ws, text_output_shows_websocket_figures, .fini = stop)
{
    start(NULL);
    char url[128];
    snprintf(url, sizeof(url), "ws://127.0.0.1:%u/ws", fx.port);
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, url, "-n", "100", "-c", "2", NULL}, 30, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    static const char *const want[] = {"Running 100 messages @", "100 messages echoed in",
                                       "WebSocket: 100 messages sent, 2 upgrades (0 failed), 0 "
                                       "mismatches",
                                       "Upgrade answers: 101 x2", "Messages/sec:"};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        cr_assert(not(eq(ptr, strstr(r.out, want[i]), NULL)), "missing '%s' in:\n%s", want[i],
                  r.out);
    cmd_free(&r);
}

Test(ws, usage_errors)
{
    static const struct {
        const char *args[4];
        const char *message;
    } t[] = {
        {{"--ws-size", "17M"}, "--ws-size '17M'"},
        {{"--ws-message", "\xff\xfe"}, "not valid UTF-8"},
        {{"--ws-message", "a", "--ws-size", "3"}, "give one of them"},
        {{"--body", "x"}, "drop --raw, --body and -m"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        const char *argv[8] = {RINGFIRE, "ws://127.0.0.1:1/"};
        int n = 2;
        for (int k = 0; k < 4 && t[i].args[k]; k++)
            argv[n++] = t[i].args[k];
        argv[n] = NULL;
        struct cmd_result r;
        cmd_run(argv, 10, &r);
        cr_assert(eq(int, r.status, 2), "case %zu", i);
        cr_assert(not(eq(ptr, strstr(r.err, t[i].message), NULL)), "%s", r.err);
        cmd_free(&r);
    }
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, "http://127.0.0.1:1/", "--ws-binary", NULL}, 10, &r);
    cr_assert(eq(int, r.status, 2));
    assert_says(r.err, "need a ws:// URL or --ws");
    cmd_free(&r);
}

/* A real, independent peer: Node's ws package (fixtures/ws-node, installed by make test). */
Test(ws, against_node_ws, .fini = stop)
{
    if (access("fixtures/ws-node/node_modules/ws", F_OK) != 0)
        cr_skip_test("fixtures/ws-node has no node_modules: run ci/install-deps test");
    cr_assert(eq(int,
                 server_start(&fx, (const char *const[]){"node", "fixtures/ws-node/server.js",
                                                         "--ping-ms", "50", NULL}),
                 0),
              "node fixtures/ws-node/server.js did not start");
    const char *args[] = {"-n", "3000", "-c", "4", "-p", "4", NULL};
    cJSON *j = run_ok("ws", "/", args);
    cr_assert(eq(dbl, json_num(j, "websocket.messages_received"), 3000));
    cr_assert(eq(dbl, json_num(j, "websocket.mismatches"), 0));
    cr_assert(eq(dbl, json_num(j, "websocket.protocol_errors"), 0));
    cJSON_Delete(j);
    const char *big[] = {"-n", "40", "-c", "2", "--ws-size", "70000", "--ws-binary", NULL};
    j = run_ok("ws", "/", big);
    cr_assert(eq(dbl, json_num(j, "websocket.messages_received"), 40));
    cr_assert(eq(dbl, json_num(j, "websocket.mismatches"), 0), "64-bit lengths both ways");
    cJSON_Delete(j);
}
