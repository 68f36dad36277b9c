/*
 * target.c - target servers: install, build, start, ready, sample, stop (target.h).
 *
 * Package names and directories from a suite go to programs as arguments, never into a shell
 * line; only a recipe's own build, start and version commands run through /bin/sh, because
 * they are commands by design (a suite is trusted like a Makefile).
 */
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "ringfire.h"
#include "target.h"
#include "validate.h"

#define TG_INSTALL_S 1200 /* apt-get or npm ci: downloads included */
#define TG_VERSION_S 30
#define TG_POLICY "/usr/sbin/policy-rc.d"

static uint64_t tg_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The last lines of a log, on one line, for a reason that says what the command said. */
static void tg_log_tail(const char *log, char *out, size_t n)
{
    out[0] = '\0';
    FILE *f = fopen(log, "r");
    if (!f)
        return;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, size > 400 ? size - 400 : 0, SEEK_SET);
    size_t got = fread(out, 1, n - 1, f);
    out[got] = '\0';
    fclose(f);
    for (char *p = out; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

/* The reason of a failed step: its time limit, or the end of its log. */
static void tg_reason(int rc, int timeout_s, const char *what, const char *log,
                      char reason[RS_REASON_MAX])
{
    char tail[420];
    if (rc == RS_TIMED_OUT) {
        snprintf(reason, RS_REASON_MAX,
                 "%.400s did not finish in %d s and was stopped (its output: %.400s)", what,
                 timeout_s, log);
        return;
    }
    tg_log_tail(log, tail, sizeof(tail));
    snprintf(reason, RS_REASON_MAX, "%.400s failed: %s", what, tail);
}

static int tg_installed(const char *package)
{
    const char *argv[] = {"dpkg-query", "-W", "-f=${Status}", package, NULL};
    char *out = NULL;
    int rc = rs_proc_run(argv, &(struct rs_proc){.timeout_s = 30}, &out, NULL);
    int yes = rc == 0 && out && strcmp(out, "install ok installed") == 0;
    free(out);
    return yes;
}

/* apt-get install of the missing packages, with no service started: policy-rc.d keeps the
 * packages' own services from starting on port 80. */
static int tg_apt(const char *const *missing, unsigned n, const char *log,
                  char reason[RS_REASON_MAX])
{
    const char *argv[RS_MAX_NAMES + 8] = {"apt-get", "install", "-y", "-qq",
                                          "--no-install-recommends"};
    unsigned a = 5;
    for (unsigned i = 0; i < n; i++)
        argv[a++] = missing[i];
    argv[a] = NULL;
    struct stat st;
    int made = 0;
    if (stat(TG_POLICY, &st) != 0) {
        FILE *f = fopen(TG_POLICY, "w");
        made = f && fputs("#!/bin/sh\nexit 101\n", f) >= 0;
        if (f)
            fclose(f);
        if (made)
            chmod(TG_POLICY, 0755);
    }
    static const char *const env[] = {"DEBIAN_FRONTEND=noninteractive", NULL};
    int rc = rs_proc_run(argv, &(struct rs_proc){.log = log, .timeout_s = TG_INSTALL_S, .env = env},
                         NULL, NULL);
    if (made)
        unlink(TG_POLICY);
    if (rc != 0) {
        char what[600] = "installing";
        for (unsigned i = 0; i < n; i++)
            snprintf(what + strlen(what), sizeof(what) - strlen(what), " %s", missing[i]);
        tg_reason(rc, TG_INSTALL_S, what, log, reason);
        return -1;
    }
    return 0;
}

int rs_target_install(const struct rs_target *t, const char *log, char reason[RS_REASON_MAX])
{
    const char *missing[RS_MAX_NAMES];
    unsigned n = 0;
    char list[600] = "";
    for (unsigned i = 0; i < t->napt; i++)
        if (!tg_installed(t->apt[i])) {
            missing[n++] = t->apt[i];
            snprintf(list + strlen(list), sizeof(list) - strlen(list), " %s", t->apt[i]);
        }
    if (n && geteuid() != 0) {
        snprintf(reason, RS_REASON_MAX, "needs Debian packages%s: run sudo apt-get install -y%s",
                 list, list);
        return -1;
    }
    if (n && tg_apt(missing, n, log, reason) < 0)
        return -1;
    char nm[600];
    struct stat st;
    snprintf(nm, sizeof(nm), "%s/node_modules", t->npm_dir ? t->npm_dir : "");
    if (t->npm_dir && stat(nm, &st) != 0) {
        const char *argv[] = {"npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", NULL};
        int rc = rs_proc_run(
            argv, &(struct rs_proc){.dir = t->npm_dir, .log = log, .timeout_s = TG_INSTALL_S}, NULL,
            NULL);
        if (rc != 0) {
            char what[700];
            snprintf(what, sizeof(what), "npm ci in %s", t->npm_dir);
            tg_reason(rc, TG_INSTALL_S, what, log, reason);
            return -1;
        }
    }
    return 0;
}

int rs_target_build(const struct rs_target *t, const char *log, char reason[RS_REASON_MAX])
{
    if (!t->build)
        return 0;
    int limit = (int)((t->build_timeout_ns + 999999999ULL) / 1000000000ULL);
    const char *argv[] = {"/bin/sh", "-c", t->build, NULL};
    int rc = rs_proc_run(argv, &(struct rs_proc){.log = log, .timeout_s = limit}, NULL, NULL);
    if (rc == 0)
        return 0;
    tg_reason(rc, limit, "the build command", log, reason);
    return -1;
}

static unsigned tg_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    unsigned port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* cmd with {port}, {dir} and {share} replaced. */
static void tg_expand(const char *cmd, const struct rs_running *r, const char *dir, char *out,
                      size_t n)
{
    size_t o = 0;
    for (const char *p = cmd; *p && o + 1 < n;) {
        if (strncmp(p, "{port}", 6) == 0) {
            o += (size_t)snprintf(out + o, n - o, "%u", r->port);
            p += 6;
        } else if (strncmp(p, "{dir}", 5) == 0) {
            o += (size_t)snprintf(out + o, n - o, "%s", dir);
            p += 5;
        } else if (strncmp(p, "{share}", 7) == 0) {
            o += (size_t)snprintf(out + o, n - o, "%s", r->share);
            p += 7;
        } else {
            out[o++] = *p++;
        }
        if (o >= n)
            o = n - 1;
    }
    out[o] = '\0';
}

/* {share}: a folder of its own that any user may enter, for servers that read files as another
 * user (h2o and apache2 as nobody), which a results folder inside a private checkout hides. */
static int tg_share(struct rs_running *r, char reason[RS_REASON_MAX])
{
    snprintf(r->share, sizeof(r->share), "/tmp/ringfire-share-XXXXXX");
    int made = mkdtemp(r->share) != NULL;
    if (made && chmod(r->share, 0755) == 0)
        return 0;
    snprintf(reason, RS_REASON_MAX, "cannot make a folder in /tmp for {share}: %s",
             strerror(errno));
    if (!made)
        r->share[0] = '\0'; /* else the stop removes it */
    return -1;
}

static void tg_share_remove(struct rs_running *r)
{
    if (r->share[0])
        rs_remove_tree(r->share);
    r->share[0] = '\0';
}

int rs_target_alive(const struct rs_running *r)
{
    return r->pid == 0 || rs_proc_alive(r->pid);
}

static int tg_ready(const struct rs_target *t, const struct rs_running *r,
                    char reason[RS_REASON_MAX])
{
    uint64_t deadline = tg_now_ms() + t->ready_timeout_ns / 1000000;
    const char *path = t->ready_path ? t->ready_path : "/";
    while (tg_now_ms() < deadline && !rs_stopping()) {
        char how[64];
        if (r->pid && rs_proc_ended(r->pid, how, sizeof(how))) {
            char tail[420];
            tg_log_tail(r->log, tail, sizeof(tail));
            snprintf(reason, RS_REASON_MAX, "it %s before it was ready: %s", how, tail);
            return -1;
        }
        if (rs_http_answers(r, path) == 0)
            return 0;
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
    }
    snprintf(reason, RS_REASON_MAX, "not ready after %.1f s (no HTTP answer from %s to GET %s)",
             (double)t->ready_timeout_ns / 1e9, r->authority, path);
    return -1;
}

/* A target already running at its url: it must answer there. */
static int tg_external(const struct rs_target *t, struct rs_running *r, char reason[RS_REASON_MAX])
{
    struct rf_url u;
    rf_url_parse(t->url, &u); /* checked when the suite was loaded */
    r->port = u.port;
    snprintf(r->host, sizeof(r->host), "%s", u.host);
    snprintf(r->authority, sizeof(r->authority), "%s", u.authority);
    snprintf(r->version, sizeof(r->version), "not managed by ringfire (%s)", t->url);
    return tg_ready(t, r, reason);
}

int rs_target_start(const struct rs_target *t, const char *cpus, const char *dir,
                    struct rs_running *r, char reason[RS_REASON_MAX])
{
    memset(r, 0, sizeof(*r));
    snprintf(r->log, sizeof(r->log), "%s/%s.log", dir, t->name);
    if (t->url)
        return tg_external(t, r, reason);
    r->port = tg_free_port();
    snprintf(r->host, sizeof(r->host), "127.0.0.1");
    snprintf(r->authority, sizeof(r->authority), "127.0.0.1:%u", r->port);
    if (t->version) {
        char *out = NULL;
        const char *argv[] = {"/bin/sh", "-c", t->version, NULL};
        rs_proc_run(argv, &(struct rs_proc){.log = r->log, .timeout_s = TG_VERSION_S}, &out, NULL);
        if (out)
            snprintf(r->version, sizeof(r->version), "%.*s", (int)strcspn(out, "\n"), out);
        free(out);
    }
    if (strstr(t->start, "{share}") && tg_share(r, reason) < 0) {
        rs_target_stop(r, t->stop_timeout_ns);
        return -1;
    }
    char cmd[4096];
    tg_expand(t->start, r, dir, cmd, sizeof(cmd));
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    r->pid = rs_proc_start(argv, &(struct rs_proc){.cpus = cpus, .log = r->log});
    if (r->pid < 0) {
        snprintf(reason, RS_REASON_MAX, "fork: %s", strerror(errno));
        return -1;
    }
    if (tg_ready(t, r, reason) < 0) {
        rs_target_stop(r, t->stop_timeout_ns);
        return -1;
    }
    return 0;
}

double rs_target_cpu(const struct rs_running *r, uint64_t *peak_rss)
{
    if (r->pid == 0) {
        if (peak_rss)
            *peak_rss = 0;
        return NAN;
    }
    return rs_proc_group_cpu(r->pid, peak_rss);
}

int rs_target_stop(struct rs_running *r, uint64_t timeout_ns)
{
    int rc = 0;
    if (r->pid != 0)
        rc = rs_proc_stop(r->pid, timeout_ns);
    r->pid = 0;
    tg_share_remove(r);
    return rc;
}
