/*
 * k8s.c - `ringfire k8s-job URL [run options] --shards N --image IMAGE ...`: a Kubernetes
 * Indexed Job (batch/v1, as JSON, which kubectl applies like YAML) that runs the run as N
 * shards, one per pod, each `--shard auto/N` (the pod's JOB_COMPLETION_INDEX) with one common
 * --start-at.  The run options are checked here as `ringfire run` would check them.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define K8S_LEAD_S 120 /* default start: time for the pods to be scheduled and pull the image */
#define K8S_ARGS_MAX 128

static int k8s_main(int argc, char **argv);

const struct cli_command cli_k8s_command = {
    "k8s-job",
    "URL [run options] --shards N --image IMAGE [--name NAME] [--cpu C] [--memory M]",
    "print a Kubernetes Indexed Job that runs the run as N shards",
    "  the pods start the rate's schedule together (--start-at, default 2 minutes after\n"
    "  now); each prints its shard's JSON: collect them with kubectl logs, then merge\n"
    "  (docs/distributed.md); C and M are Kubernetes quantities (2, 500m; 1Gi)",
    k8s_main,
};

/* A DNS-1123 label: what a Job's name must be. */
static int k8s_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 52 || s[0] == '-' || s[n - 1] == '-') /* 63 less the pods' suffixes */
        return 0;
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* A Kubernetes quantity: digits, an optional fraction and an optional suffix. */
static int k8s_quantity_ok(const char *s)
{
    size_t d = strspn(s, "0123456789.");
    static const char *const suffixes[] = {"", "m", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti"};
    for (size_t i = 0; d > 0 && i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
        if (strcmp(s + d, suffixes[i]) == 0)
            return 1;
    return 0;
}

static cJSON *k8s_labels(const char *name)
{
    cJSON *l = cJSON_CreateObject();
    cJSON_AddStringToObject(l, "app.kubernetes.io/name", "ringfire");
    cJSON_AddStringToObject(l, "app.kubernetes.io/instance", name);
    return l;
}

/* The container: ringfire run with the given options, this pod's shard and the start. */
static cJSON *k8s_container(const char *image, char **run_args, int nargs, unsigned shards,
                            const char *start, const char *cpu, const char *mem)
{
    cJSON *c = cJSON_CreateObject(), *args = cJSON_CreateArray();
    char shard[32];
    snprintf(shard, sizeof(shard), "auto/%u", shards);
    cJSON_AddStringToObject(c, "name", "ringfire");
    cJSON_AddStringToObject(c, "image", image);
    cJSON_AddItemToObject(c, "command", cJSON_CreateStringArray((const char *[]){"ringfire"}, 1));
    cJSON_AddItemToArray(args, cJSON_CreateString("run"));
    for (int i = 0; i < nargs; i++)
        cJSON_AddItemToArray(args, cJSON_CreateString(run_args[i]));
    const char *mine[] = {"--shard", shard, "--json", "-q", "--start-at", start};
    for (int i = 0; i < (start ? 6 : 4); i++)
        cJSON_AddItemToArray(args, cJSON_CreateString(mine[i]));
    cJSON_AddItemToObject(c, "args", args);
    if (cpu || mem) {
        cJSON *res = cJSON_AddObjectToObject(c, "resources");
        for (int k = 0; k < 2; k++) {
            cJSON *q = cJSON_AddObjectToObject(res, k ? "limits" : "requests");
            if (cpu)
                cJSON_AddStringToObject(q, "cpu", cpu);
            if (mem)
                cJSON_AddStringToObject(q, "memory", mem);
        }
    }
    /* io_uring's system calls are refused by the runtimes' default seccomp profiles */
    cJSON *sc = cJSON_AddObjectToObject(c, "securityContext");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(sc, "seccompProfile"), "type", "Unconfined");
    return c;
}

static cJSON *k8s_job(const char *name, unsigned shards, cJSON *container)
{
    cJSON *job = cJSON_CreateObject();
    cJSON_AddStringToObject(job, "apiVersion", "batch/v1");
    cJSON_AddStringToObject(job, "kind", "Job");
    cJSON *meta = cJSON_AddObjectToObject(job, "metadata");
    cJSON_AddStringToObject(meta, "name", name);
    cJSON_AddItemToObject(meta, "labels", k8s_labels(name));
    cJSON *spec = cJSON_AddObjectToObject(job, "spec");
    cJSON_AddStringToObject(spec, "completionMode", "Indexed");
    cJSON_AddNumberToObject(spec, "completions", shards);
    cJSON_AddNumberToObject(spec, "parallelism", shards);
    cJSON_AddNumberToObject(spec, "backoffLimit", 0); /* a shard that failed is data */
    cJSON *tmpl = cJSON_AddObjectToObject(spec, "template");
    cJSON_AddItemToObject(cJSON_AddObjectToObject(tmpl, "metadata"), "labels", k8s_labels(name));
    cJSON *pod = cJSON_AddObjectToObject(tmpl, "spec");
    cJSON_AddStringToObject(pod, "restartPolicy", "Never");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(pod, "containers"), container);
    return job;
}

static int k8s_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"shards", required_argument, NULL, 's'}, {"image", required_argument, NULL, 'i'},
        {"name", required_argument, NULL, 'n'},   {"cpu", required_argument, NULL, 'c'},
        {"memory", required_argument, NULL, 'm'}, {NULL, 0, NULL, 0},
    };
    const struct cli_command *cmd = &cli_k8s_command;
    const char *image = NULL, *name = "ringfire", *cpu = NULL, *mem = NULL;
    unsigned long shards = 0;
    char *run_args[K8S_ARGS_MAX], *end;
    int nargs = 0;
    /* Its own options are taken out; everything else is the run's. */
    for (int i = 1; i < argc; i++) {
        int k = -1;
        for (int o = 0; opts[o].name && k < 0; o++)
            if (strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i] + 2, opts[o].name) == 0)
                k = o;
        if (k >= 0 && i + 1 >= argc)
            return cli_usage(cmd, "%s needs a value", argv[i]);
        if (k < 0 && nargs == K8S_ARGS_MAX)
            return cli_usage(cmd, "too many arguments");
        if (k < 0) {
            run_args[nargs++] = argv[i];
            continue;
        }
        const char *v = argv[++i];
        if (opts[k].val == 's' && ((shards = strtoul(v, &end, 10)) < 1 || shards > 10000 || *end))
            return cli_usage(cmd, "--shards '%s': give a whole number from 1 to 10000", v);
        if (opts[k].val == 'n' && !k8s_name_ok(v))
            return cli_usage(cmd, "--name '%s': lowercase letters, digits and '-', at most 52", v);
        if ((opts[k].val == 'c' || opts[k].val == 'm') && !k8s_quantity_ok(v))
            return cli_usage(cmd, "%s '%s': a Kubernetes quantity such as 2, 500m or 1Gi",
                             argv[i - 1], v);
        *(opts[k].val == 'i'   ? &image
          : opts[k].val == 'n' ? &name
          : opts[k].val == 'c' ? &cpu
                               : &mem) = v;
    }
    if (!shards || !image)
        return cli_usage(cmd, "give --shards N and --image IMAGE (an image with ringfire on its "
                              "PATH)");
    char *check[K8S_ARGS_MAX + 1] = {"run"};
    memcpy(check + 1, run_args, (size_t)nargs * sizeof(*run_args));
    struct rf_config cfg;
    int status = cli_run_check(nargs + 1, check, &cfg);
    if (status != 0)
        return status;
    if (cfg.nshards > 1)
        return cli_usage(cmd, "--shard is the Job's to give: drop it");
    char start[32];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t at =
        cfg.start_at_ns ? cfg.start_at_ns : ((uint64_t)now.tv_sec + K8S_LEAD_S) * 1000000000ULL;
    snprintf(start, sizeof(start), "%.3f", (double)at / 1e9);
    int open = cfg.rate > 0 || cfg.nstages;
    cJSON *job = k8s_job(name, (unsigned)shards,
                         k8s_container(image, run_args, nargs, (unsigned)shards,
                                       open && !cfg.start_at_ns ? start : NULL, cpu, mem));
    char *text = cJSON_Print(job);
    cJSON_Delete(job);
    if (!text)
        return RF_EXIT_FAIL;
    puts(text);
    free(text);
    return RF_EXIT_OK;
}
