/*
 * agents.c - `ringfire run URL ... --agents HOST,HOST`: the run split into one shard per agent,
 * each started over ssh (OpenSSH in batch mode; RINGFIRE_SSH names another command) with one
 * common --start-at, their JSON collected and merged (schema/rundoc.c).  An agent that cannot be
 * reached, has no ringfire (RINGFIRE_REMOTE: its path there) or another version, or does not
 * finish in time is reported and left out: the merged run then says it is degraded.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "proc.h"
#include "results.h"
#include "rundoc.h"
#include "suite.h"

#define AGENTS_MAX 64
#define AGENTS_LEAD_S 5   /* from launch to the common start: time to connect everywhere */
#define AGENTS_SLACK_S 60 /* beyond the run before an agent is given up */

struct agent {
    const char *host;
    const char *argv[16];
    char *command; /* the remote command line, quoted for the remote shell */
    char log[96];
    char *out;
    int status;
    int timeout_s;
};

static struct agent ag[AGENTS_MAX]; /* one per host; static: the command runs once */

/* Appends s to the command line, single-quoted for a POSIX shell. */
static void agents_quote(char **cmd, size_t *len, size_t *cap, const char *s)
{
    size_t need = *len + 4 * strlen(s) + 4;
    if (need > *cap) {
        char *grown = realloc(*cmd, need * 2);
        if (!grown)
            return;
        *cmd = grown;
        *cap = need * 2;
    }
    char *p = *cmd + *len;
    *p++ = *len ? ' ' : '\'';
    if (*len)
        *p++ = '\'';
    for (; *s; s++) {
        if (*s == '\'') {
            memcpy(p, "'\\''", 4);
            p += 4;
        } else {
            *p++ = *s;
        }
    }
    *p++ = '\'';
    *p = '\0';
    *len = (size_t)(p - *cmd);
}

/* The remote command: ringfire run, the arguments given but --agents, and this shard's. */
static char *agents_command(int argc, char **argv, unsigned i, unsigned n, const char *start)
{
    char *cmd = NULL, shard[32];
    size_t len = 0, cap = 0;
    const char *remote = getenv("RINGFIRE_REMOTE");
    agents_quote(&cmd, &len, &cap, remote && *remote ? remote : "ringfire");
    agents_quote(&cmd, &len, &cap, "run");
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--agents") == 0) {
            k++;
            continue;
        }
        if (strncmp(argv[k], "--agents=", 9) != 0)
            agents_quote(&cmd, &len, &cap, argv[k]);
    }
    snprintf(shard, sizeof(shard), "%u/%u", i, n);
    const char *mine[] = {"--json", "-q", "--shard", shard, "--start-at", start};
    for (size_t k = 0; k < (start ? 6 : 4); k++) /* a closed loop has no schedule to start */
        agents_quote(&cmd, &len, &cap, mine[k]);
    return cmd;
}

static void *agents_one(void *arg)
{
    struct agent *a = arg;
    struct rs_proc p = {.log = a->log, .timeout_s = a->timeout_s};
    a->status = rs_proc_run(a->argv, &p, &a->out, NULL);
    return NULL;
}

/* Why an agent gave no shard, or NULL when it did. */
static const char *agents_failure(const struct agent *a, char *buf, size_t n)
{
    if (a->status == 255)
        return "could not be reached (ssh exit 255)";
    if (a->status == 127)
        return "has no ringfire to run (exit 127; RINGFIRE_REMOTE names its path)";
    if (a->status == RS_TIMED_OUT)
        return rs_stopping() ? "was stopped by the interrupt" : "did not finish in time; stopped";
    if (a->status != 0) {
        snprintf(buf, n, "exited %d", a->status);
        return buf;
    }
    if (!a->out || !strstr(a->out, "\"ringfire\":\"" RF_VERSION "\""))
        return "runs another ringfire version, or printed no run (ringfire " RF_VERSION " here)";
    return NULL;
}

/* Hosts go to ssh as arguments: none may be an option.  Returns 0, or -1 having said why. */
static int agents_check(const char *hosts, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (!rs_agent_host_ok(ag[i].host)) {
            fprintf(stderr, "ringfire: --agents: '%s' is not a host ([user@]name or address)\n",
                    ag[i].host);
            return -1;
        }
    if (n == 0)
        fprintf(stderr, "ringfire: --agents '%s': name one host or more, comma-separated\n", hosts);
    return n ? 0 : -1;
}

int cli_agents_run(const char *hosts, const struct rf_config *cfg, int argc, char **argv)
{
    static char list[4096];
    unsigned n = 0;
    snprintf(list, sizeof(list), "%s", hosts);
    for (char *save, *h = strtok_r(list, ",", &save); h && n < AGENTS_MAX;
         h = strtok_r(NULL, ",", &save))
        ag[n++] = (struct agent){.host = h};
    if (agents_check(hosts, n) < 0)
        return RF_EXIT_USAGE;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t at = cfg->start_at_ns ? cfg->start_at_ns
                                   : ((uint64_t)now.tv_sec + AGENTS_LEAD_S) * 1000000000ULL;
    char start[32], dir[] = "/tmp/ringfire-agents-XXXXXX";
    snprintf(start, sizeof(start), "%.3f", (double)at / 1e9);
    if (!mkdtemp(dir)) {
        fprintf(stderr, "ringfire: --agents: cannot make a folder for the agents' logs\n");
        return RF_EXIT_FAIL;
    }
    const char *ssh = getenv("RINGFIRE_SSH");
    uint64_t since = (uint64_t)now.tv_sec * 1000000000ULL;
    uint64_t ahead = at > since ? at - since : 0; /* a start already past: at once */
    int timeout =
        (int)((ahead + cfg->warmup_ns + cfg->duration_ns) / 1000000000ULL) + AGENTS_SLACK_S;
    int threaded[AGENTS_MAX] = {0};
    pthread_t t[AGENTS_MAX];
    cli_catch_interrupts(); /* Ctrl-C stops the ssh sessions, which the terminal's does not */
    for (unsigned i = 0; i < n; i++) {
        struct agent *a = &ag[i];
        a->command = agents_command(argc, argv, i, n, cfg->rate > 0 || cfg->nstages ? start : NULL);
        snprintf(a->log, sizeof(a->log), "%s/agent-%u.log", dir, i);
        const char *v[] = {ssh && *ssh ? ssh : "ssh", "-o",    "BatchMode=yes", "-o",
                           "ConnectTimeout=10",       a->host, a->command,      NULL};
        memcpy(a->argv, v, sizeof(v));
        a->timeout_s = timeout;
        threaded[i] = pthread_create(&t[i], NULL, agents_one, a) == 0;
        if (!threaded[i])
            agents_one(a); /* no thread to spare: this one in turn */
    }
    fprintf(stderr,
            "ringfire: %u agents, shard i on the i-th, starting at %s (Unix time); logs "
            "and each shard's JSON in %s\n",
            n, start, dir);
    const char *texts[AGENTS_MAX], *names[AGENTS_MAX];
    int ok = 0;
    for (unsigned i = 0; i < n; i++) {
        char buf[64];
        if (threaded[i])
            pthread_join(t[i], NULL);
        const char *why = agents_failure(&ag[i], buf, sizeof(buf));
        char kept[sizeof(dir) + 32];
        snprintf(kept, sizeof(kept), "%s/agent-%u.json", dir, i);
        if (ag[i].out && ag[i].out[0] && rr_write_atomic(kept, ag[i].out) < 0)
            fprintf(stderr, "ringfire: agent %s: its shard could not be kept as %s\n", ag[i].host,
                    kept); /* the shard as it came, beside its log */
        if (why)
            fprintf(stderr, "ringfire: agent %s (shard %u/%u) %s; see %s\n", ag[i].host, i, n, why,
                    ag[i].log);
        else {
            texts[ok] = ag[i].out;
            names[ok++] = ag[i].host;
        }
    }
    char err[512];
    char *merged = ok ? rr_rundoc_merge(texts, names, ok, err, sizeof(err)) : NULL;
    if (merged) {
        cli_merge_say(merged);
        fputs(merged, stdout);
    } else {
        fprintf(stderr, "ringfire: --agents: %s\n", ok ? err : "no agent gave its shard");
    }
    for (unsigned i = 0; i < n; i++) {
        free(ag[i].command);
        free(ag[i].out);
    }
    int status = rs_stopping() ? RF_EXIT_INTERRUPTED : merged ? RF_EXIT_OK : RF_EXIT_FAIL;
    free(merged);
    return status;
}
