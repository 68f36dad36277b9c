/*
 * test_agents.c - --agents over real ssh between real hosts on one machine: network namespaces
 * this test creates (tests/integration/agents-netns.sh), the target in one, OpenSSH's sshd in
 * two others.  A rate run is split across the two agents, started together, and merged: the
 * totals are the shards' sums, the merged histogram holds every shard's samples, and the run
 * answered its whole target.  Traffic stays inside the namespaces.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../says.h"
#include "../tmpdir.h"
#include "harness.h"

#define NETNS "tests/integration/agents-netns.sh"

static struct fixture target;
static char tag[16];

static void hosts_down(void)
{
    if (target.pid > 0)
        fixture_stop(&target);
    struct cmd_result r;
    cmd_run((const char *const[]){NETNS, "down", tag, tmpdir, NULL}, 30, &r);
    cmd_free(&r);
    tmpdir_teardown();
}

Test(agents, a_rate_run_over_two_ssh_agents_merges_exactly, .init = tmpdir_setup,
     .fini = hosts_down)
{
    if (geteuid() != 0 || access("/usr/sbin/sshd", X_OK) != 0)
        cr_skip_test("needs root and OpenSSH's sshd (ci/install-deps test) for its namespaces");
    snprintf(tag, sizeof(tag), "%d", (int)getpid() % 100000);
    struct cmd_result r;
    cmd_run((const char *const[]){NETNS, "up", tag, tmpdir, NULL}, 60, &r);
    if (r.status != 0) {
        char why[512];
        snprintf(why, sizeof(why), "network namespaces cannot be made here: %.400s", r.err);
        cmd_free(&r);
        cr_skip_test("%s", why);
    }
    cmd_free(&r);
    char ns[32], ssh[192], remote[PATH_MAX], cmd[PATH_MAX + 512];
    snprintf(ns, sizeof(ns), "rf%ssrv", tag);
    const char *argv[] = {"ip",         "netns",  "exec", ns,        FIXTURE, "--bind",
                          "10.213.0.1", "--port", "0",    "--quiet", NULL};
    cr_assert(eq(int, server_start(&target, argv), 0), "the target starts in its namespace");
    cr_assert(not(eq(ptr, realpath(RINGFIRE, remote), NULL)));
    snprintf(ssh, sizeof(ssh), "%s/ssh", tmpdir);
    snprintf(cmd, sizeof(cmd),
             "RINGFIRE_SSH=%s RINGFIRE_REMOTE=%s %s http://10.213.0.1:%u/plaintext -R 2k -c 8 "
             "-d 2s --agents root@10.213.0.2,root@10.213.0.3",
             ssh, remote, RINGFIRE, target.port);
    cmd_run((const char *const[]){"sh", "-c", cmd, NULL}, 90, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    assert_says(r.err, "ringfire merge: 2 of 2 shards: ");
    cJSON *m = cJSON_Parse(r.out);
    cr_assert(not(eq(ptr, m, NULL)), "%s\n%s", r.out, r.err);
    cr_assert(eq(dbl, json_num(m, "merge.shards"), 2));
    cr_assert(eq(dbl, json_num(m, "config.connections"), 8), "4 connections from each agent");
    cr_assert(eq(dbl, json_num(m, "rate.target_rps"), 2000), "two halves of the rate");
    double responses = json_num(m, "responses");
    cr_assert(le(dbl, fabs(responses / 4000 - 1), 0.02), "the whole target answered: %g",
              responses);
    cr_assert(eq(dbl, json_hist_total(m, "histogram"), responses), "every sample of both shards");
    cr_assert(eq(dbl, json_hist_total(m, "response_histogram"), responses));
    const cJSON *h, *health = cJSON_GetObjectItem(cJSON_GetObjectItem(m, "merge"), "health");
    double sum = 0;
    cJSON_ArrayForEach(h, health) sum += json_num(h, "responses");
    cr_assert(eq(dbl, sum, responses), "the merged count is the shards' sum");
    cJSON_ArrayForEach(h, health)
        cr_assert(le(dbl, fabs(json_num(h, "start_skew_us")), 1000), "started together");
    cJSON_Delete(m);
    cmd_free(&r);
}
