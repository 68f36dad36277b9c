/*
 * test_agents.c - --agents over real ssh between real hosts on one machine: network namespaces
 * this test creates (tests/integration/agents-netns.sh), the target in one, OpenSSH's sshd in
 * two others.  A rate run is split across the two agents, started together, and merged: the
 * totals are the shards' sums, the merged histogram holds every shard's samples, and the run
 * answered its whole target.  Traffic stays inside the namespaces.  And the Kubernetes path:
 * the Job that ringfire k8s-job prints is valid for the Job API's own schema.
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
#include "results.h"

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

/* The shards as the agents printed them (kept beside their logs) add up to the merged run:
 * counts, and each histogram bucket by bucket. */
static void assert_shards_add_up(const cJSON *m, const char *said)
{
    const char *at = strstr(said, "each shard's JSON in ");
    cr_assert(not(eq(ptr, (void *)at, NULL)), "%s", said);
    char dir[128], path[192];
    sscanf(at + strlen("each shard's JSON in "), "%127s", dir);
    cJSON *part[2];
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/agent-%d.json", dir, i);
        char *text = read_file(path);
        part[i] = cJSON_Parse(text);
        free(text);
        cr_assert(not(eq(ptr, part[i], NULL)), "%s", path);
    }
    assert_merged(m, part, 2);
    for (int i = 0; i < 2; i++)
        cJSON_Delete(part[i]);
    cr_assert(eq(int, rs_remove_tree(dir), 0), "%s is left", dir);
}

/* The namespaces up, the target in its own with --count-file tmpdir/answered; ssh gets the
 * path of the wrapper that logs in, remote ringfire's.  Skips where that cannot be done. */
static void hosts_up(char *ssh, size_t sshlen, char *remote, char *count, size_t countlen)
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
    char ns[32];
    snprintf(ns, sizeof(ns), "rf%ssrv", tag);
    snprintf(count, countlen, "%s/answered", tmpdir);
    const char *argv[] = {"ip",           "netns",      "exec",   ns,  FIXTURE,
                          "--bind",       "10.213.0.1", "--port", "0", "--quiet",
                          "--count-file", count,        NULL};
    cr_assert(eq(int, server_start(&target, argv), 0), "the target starts in its namespace");
    cr_assert(not(eq(ptr, realpath(RINGFIRE, remote), NULL)));
    snprintf(ssh, sshlen, "%s/ssh", tmpdir);
}

Test(agents, a_rate_run_over_two_ssh_agents_merges_exactly, .init = tmpdir_setup,
     .fini = hosts_down)
{
    char ssh[192], remote[PATH_MAX], cmd[PATH_MAX + 512], count[96];
    hosts_up(ssh, sizeof(ssh), remote, count, sizeof(count));
    struct cmd_result r;
    snprintf(cmd, sizeof(cmd),
             "RINGFIRE_SSH=%s RINGFIRE_REMOTE=%s %s http://10.213.0.1:%u/plaintext -R 2k -c 8 "
             "-d 2s --warmup 0s --agents root@10.213.0.2,root@10.213.0.3",
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
    assert_shards_add_up(m, r.err);
    cr_assert(eq(int, fixture_stop(&target), 0));
    char *answered = read_file(count);
    cr_assert(eq(dbl, strtod(answered, NULL), json_num(m, "requests")),
              "the server answered every request the shards sent (%s)", answered);
    free(answered);
    const cJSON *h, *health = cJSON_GetObjectItem(cJSON_GetObjectItem(m, "merge"), "health");
    double sum = 0;
    cJSON_ArrayForEach(h, health) sum += json_num(h, "responses");
    cr_assert(eq(dbl, sum, responses), "the merged count is the shards' sum");
    cJSON_ArrayForEach(h, health)
        cr_assert(le(dbl, fabs(json_num(h, "start_skew_us")), 1000), "started together");
    cJSON_Delete(m);
    cmd_free(&r);
}

/* A suite's "agents": its ringfire runs go to the agents, merged; the cell records the merged
 * run, says its client CPU was not measured here, and the server answered what was sent. */
Test(agents, a_suite_spreads_its_runs_over_its_agents, .init = tmpdir_setup, .fini = hosts_down)
{
    char ssh[192], remote[PATH_MAX], count[96], text[1024], out[128];
    hosts_up(ssh, sizeof(ssh), remote, count, sizeof(count));
    snprintf(text, sizeof(text),
             "{\"name\": \"spread\", \"targets\": [{\"name\": \"far\", \"url\": "
             "\"http://10.213.0.1:%u\", \"endpoints\": [\"plaintext\"]}],\n"
             " \"endpoints\": {\"plaintext\": {\"path\": \"/plaintext\", \"body\": "
             "\"Hello, World!\"}},\n"
             " \"matrix\": {\"connections\": [8], \"rate\": [2000]}, \"repetitions\": 1, "
             "\"duration\": \"2s\", \"warmup\": \"0s\",\n"
             " \"agents\": [\"root@10.213.0.2\", \"root@10.213.0.3\"]}\n",
             target.port);
    const char *suite = tmpdir_write("spread.json", text);
    snprintf(out, sizeof(out), "%s/out", tmpdir);
    setenv("RINGFIRE_SSH", ssh, 1);
    setenv("RINGFIRE_REMOTE", remote, 1);
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, "suite", suite, "--out", out, "-q", NULL}, 120, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    cmd_free(&r);
    struct rr_doc doc;
    cr_assert(eq(int, load_results(out, &doc), 0));
    const struct rr_cell *c = &doc.cells[0];
    cr_assert(eq(int, c->status, RR_OK), "%s", c->reason ? c->reason : "");
    cr_assert(eq(sz, c->nruns, 1));
    const struct rr_run *run = &c->runs[0];
    assert_says(run->command, "--agents root@10.213.0.2,root@10.213.0.3");
    cr_assert(le(dbl, fabs(run->responses / 4000.0 - 1), 0.02), "%g answers", run->responses);
    cr_assert(isnan(run->client_cpu_s), "the agents' CPU is not measured here");
    cr_assert(isnan(doc.env.cpu_distance_start_ns) && isnan(doc.env.cpu_distance_end_ns),
              "nor how far the agents' CPUs are from the target's");
    cr_assert(eq(int, fixture_stop(&target), 0));
    char *answered = read_file(count);
    /* The results keep answers, not requests sent; the suite's checks before the run add a
     * few requests (readiness, validation). */
    double served = strtod(answered, NULL);
    cr_assert(ge(dbl, served, run->responses));
    cr_assert(le(dbl, served, run->responses + run->unanswered + run->errors + 8),
              "the server answered %g", served);
    free(answered);
    rr_doc_free(&doc);
}

/* kubernetes-models (fixtures/k8s-node) holds the schemas generated from Kubernetes' OpenAPI;
 * a manifest it refuses would be refused by the API server. */
Test(k8s, the_job_manifest_is_valid_for_the_job_api, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    if (access("fixtures/k8s-node/node_modules/kubernetes-models", F_OK) != 0)
        cr_skip_test("fixtures/k8s-node has no node_modules: run ci/install-deps test");
    static const char *const variants[][8] = {
        {"--cpu", "2", "--memory", "1Gi", NULL},
        {"--name", "load-42", "--cpu", "500m", NULL},
        {"--stages", "5s:1k,10s:1k..5k", NULL},
    };
    for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
        const char *argv[24] = {RINGFIRE, "k8s-job", "http://10.0.0.5:8080/plaintext",
                                "-c",     "64",      "--shards",
                                "3",      "--image", "ringfire:0.1"};
        int n = 9;
        for (const char *const *a = variants[v]; *a; a++)
            argv[n++] = *a;
        if (strcmp(variants[v][0], "--stages") != 0) {
            argv[n++] = "-R";
            argv[n++] = "30k";
        }
        struct cmd_result r;
        cmd_run(argv, 30, &r);
        cr_assert(eq(int, r.status, 0), "%s", r.err);
        const char *job = tmpdir_write("job.json", r.out);
        cmd_free(&r);
        cmd_run((const char *const[]){"node", "fixtures/k8s-node/validate.js", job, NULL}, 60, &r);
        cr_assert(eq(int, r.status, 0), "variant %zu: %s%s", v, r.out, r.err);
        assert_says(r.out, "valid Job ");
        cmd_free(&r);
    }
    /* And the check can fail: a Job with a string for its completions is refused. */
    const char *bad = tmpdir_write(
        "bad.json", "{\"apiVersion\": \"batch/v1\", \"kind\": \"Job\", \"metadata\": {\"name\": "
                    "\"x\"}, \"spec\": {\"completions\": \"three\", \"template\": {\"spec\": "
                    "{\"containers\": [{\"name\": \"x\", \"image\": \"y\"}]}}}}");
    struct cmd_result r;
    cmd_run((const char *const[]){"node", "fixtures/k8s-node/validate.js", bad, NULL}, 60, &r);
    cr_assert(eq(int, r.status, 1), "%s", r.out);
    assert_says(r.out, "completions must be integer");
    cmd_free(&r);
}
