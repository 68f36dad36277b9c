/*
 * test_shard.c - --shard and --start-at as people and launchers give them: I/N, the launchers'
 * environments (Slurm, MPI, a Kubernetes Indexed Job with its count), RFC 3339, Unix seconds
 * and +DURATION, what each bad value is told, and the Kubernetes Job that runs shards.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../says.h"
#include "cli.h"

static void clear_env(void)
{
    static const char *const vars[] = {
        "SLURM_PROCID", "SLURM_NTASKS", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE",
        "PMI_RANK",     "PMI_SIZE",     "JOB_COMPLETION_INDEX", "RINGFIRE_SHARDS"};
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        unsetenv(vars[i]);
}

TestSuite(shard, .init = clear_env);

Test(shard, given_and_from_the_launchers)
{
    unsigned i = 9, n = 9;
    char why[256];
    cr_assert(eq(int, cli_shard_parse("2/5", &i, &n, why, sizeof(why)), 0));
    cr_assert(eq(u32, i, 2));
    cr_assert(eq(u32, n, 5));
    setenv("SLURM_PROCID", "3", 1);
    setenv("SLURM_NTASKS", "4", 1);
    cr_assert(eq(int, cli_shard_parse("auto", &i, &n, why, sizeof(why)), 0), "%s", why);
    cr_assert(eq(u32, i, 3));
    cr_assert(eq(u32, n, 4));
    clear_env();
    setenv("JOB_COMPLETION_INDEX", "1", 1);
    n = 0;
    cr_assert(eq(int, cli_shard_parse("auto", &i, &n, why, sizeof(why)), -1));
    assert_says(why, "or give the count: --shard auto/N");
    cr_assert(eq(int, cli_shard_parse("auto/3", &i, &n, why, sizeof(why)), 0), "%s", why);
    cr_assert(eq(u32, i, 1));
    cr_assert(eq(u32, n, 3));
}

Test(shard, bad_shards_say_what_is_expected)
{
    unsigned i = 0, n = 0;
    char why[256];
    static const struct {
        const char *v, *says;
    } bad[] = {
        {"5/5", "the index counts from 0 to N-1"},
        {"1/0", "the index counts from 0"},
        {"x/2", "expected I/N with whole numbers"},
        {"3", "expected I/N"},
        {"-1/2", "expected I/N with whole numbers"},
        {"auto", "no launcher's shard number"},
        {"auto/0", "expected auto/N"},
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        n = 0;
        cr_assert(eq(int, cli_shard_parse(bad[k].v, &i, &n, why, sizeof(why)), -1), "%s", bad[k].v);
        assert_says(why, bad[k].says);
    }
}

Test(shard, start_times_as_people_write_them)
{
    const uint64_t now = 1796119200ULL * 1000000000ULL; /* 2026-12-01T10:00:00Z */
    uint64_t at;
    char why[256];
    cr_assert(eq(int, cli_start_at_parse("2026-12-01T10:00:30.5Z", now, &at, why, sizeof(why)), 0),
              "%s", why);
    cr_assert(eq(u64, at, now + 30500000000ULL));
    cr_assert(
        eq(int, cli_start_at_parse("2026-12-01T11:00:10+01:00", now, &at, why, sizeof(why)), 0),
        "%s", why);
    cr_assert(eq(u64, at, now + 10000000000ULL));
    cr_assert(eq(int, cli_start_at_parse("1796119245.25", now, &at, why, sizeof(why)), 0));
    cr_assert(eq(u64, at, now + 45250000000ULL));
    cr_assert(eq(int, cli_start_at_parse("+2s", now, &at, why, sizeof(why)), 0));
    cr_assert(eq(u64, at, now + 2000000000ULL));
    cr_assert(eq(int, cli_start_at_parse("2026-12-01 10:00:30", now, &at, why, sizeof(why)), -1));
    assert_says(why, "expected RFC 3339");
    cr_assert(eq(int, cli_start_at_parse("+2h", now, &at, why, sizeof(why)), -1));
    assert_says(why, "not within an hour of now");
    cr_assert(eq(int, cli_start_at_parse("1796110000", now, &at, why, sizeof(why)), -1));
    assert_says(why, "not within an hour of now");
    cr_assert(eq(int, cli_start_at_parse("1796119000", now, &at, why, sizeof(why)), 0),
              "a start 200 s past (a pod scheduled late) begins at once");
}

/* Runs a command with stdout in buf; returns its exit status. */
static int capture(const struct cli_command *cmd, int argc, char **argv, char *buf, size_t n)
{
    fflush(stdout);
    FILE *f = tmpfile();
    int saved = dup(1);
    dup2(fileno(f), 1);
    int status = cmd->main(argc, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    rewind(f);
    size_t got = fread(buf, 1, n - 1, f);
    buf[got] = '\0';
    fclose(f);
    return status;
}

/*
 * The Indexed Job: the fields the Job API requires of one (completion mode, completions and
 * parallelism, a restart policy of Never, a named container with an image), and the container's
 * command as a pod runs it: with the pod's JOB_COMPLETION_INDEX it parses as shard 2 of 4.
 */
Test(shard, the_kubernetes_job_runs_one_shard_per_pod)
{
    static char out[16384];
    char *argv[] = {
        "k8s-job", "http://10.0.0.5:8080/", "-R",    "100k", "-c", "400", "--shards", "4",
        "--image", "ringfire:0.1",          "--cpu", "2",    NULL};
    cr_assert(eq(int, capture(&cli_k8s_command, 12, argv, out, sizeof(out)), 0));
    cJSON *job = cJSON_Parse(out), *spec = cJSON_GetObjectItem(job, "spec");
    cr_assert(not(eq(ptr, job, NULL)), "%s", out);
    cr_assert(eq(str, cJSON_GetObjectItem(job, "apiVersion")->valuestring, "batch/v1"));
    cr_assert(eq(str, cJSON_GetObjectItem(job, "kind")->valuestring, "Job"));
    cr_assert(eq(str, cJSON_GetObjectItem(spec, "completionMode")->valuestring, "Indexed"));
    cr_assert(eq(int, cJSON_GetObjectItem(spec, "completions")->valueint, 4));
    cr_assert(eq(int, cJSON_GetObjectItem(spec, "parallelism")->valueint, 4));
    cJSON *pod = cJSON_GetObjectItem(cJSON_GetObjectItem(spec, "template"), "spec");
    cr_assert(eq(str, cJSON_GetObjectItem(pod, "restartPolicy")->valuestring, "Never"));
    cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(pod, "containers"), 0), *a;
    cr_assert(eq(str, cJSON_GetObjectItem(c, "image")->valuestring, "ringfire:0.1"));
    char *args[64];
    int n = 0;
    cJSON_ArrayForEach(a, cJSON_GetObjectItem(c, "args")) args[n++] = a->valuestring;
    setenv("JOB_COMPLETION_INDEX", "2", 1);
    struct rf_config cfg;
    cr_assert(eq(int, cli_run_check(n, args, &cfg), 0), "the pod's command parses");
    cr_assert(eq(u32, cfg.shard, 2));
    cr_assert(eq(u32, cfg.nshards, 4));
    cr_assert(eq(u32, cfg.connections, 100), "400 connections over 4 pods");
    cr_assert(gt(u64, cfg.start_at_ns, 0), "one common start");
    cJSON_Delete(job);
    char *bad[] = {"k8s-job", "http://10.0.0.5:8080/", "-p", "0", "--shards", "4", "--image", "x"};
    cr_assert(eq(int, capture(&cli_k8s_command, 8, bad, out, sizeof(out)), 2),
              "the run's options are checked as ringfire run checks them");
}
