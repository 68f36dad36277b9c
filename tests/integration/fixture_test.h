/*
 * fixture_test.h - for Criterion test files that load ringfire-fixture: the server of the
 * current test, start() in the test, stop() as its .fini, and a ringfire run against it.
 * Included once per test file.
 */
#ifndef RF_FIXTURE_TEST_H
#define RF_FIXTURE_TEST_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>

#include "harness.h"

static struct fixture fx;

static inline void start(const char *const *args)
{
    cr_assert(eq(int, fixture_start(&fx, args), 0), "the fixture server did not start");
}

/* A server started with fixture_start() or server_start() must exit 0 on SIGTERM. */
static inline void stop(void)
{
    cr_assert(eq(int, fixture_stop(&fx), 0), "the server exits 0 on SIGTERM");
}

/* Runs ringfire on SCHEME://127.0.0.1:PORT/PATH of the server with args (NULL-terminated),
 * --json added, and returns what it printed, parsed. */
static inline cJSON *run_on_fixture(const char *scheme, const char *path, const char *const *args,
                                    struct cmd_result *r)
{
    char url[256];
    snprintf(url, sizeof(url), "%s://127.0.0.1:%u%s", scheme, fx.port, path);
    cJSON *j = ringfire_json(url, args, r);
    cr_assert(not(eq(ptr, j, NULL)), "ringfire printed no JSON (exit %d): %s", r->status, r->err);
    return j;
}

/* run_on_fixture for a run that must complete: asserts exit 0 and returns the parsed output,
 * which the caller frees with cJSON_Delete. */
static inline cJSON *run_ok(const char *scheme, const char *path, const char *const *args)
{
    struct cmd_result r;
    cJSON *j = run_on_fixture(scheme, path, args, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    cmd_free(&r);
    return j;
}

#endif
