/*
 * target.c - target servers: install, build, start, ready, validate, sample, stop; and running
 * a client command with a time bound.
 *
 * A target runs in its own process group (setsid), so signals and CPU sampling cover every
 * process it forks, and nothing it starts outlives it.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ringfire.h"
#include "runner.h"
#include "target.h"

#define TG_NS_PER_MS 1000000ULL
#define TG_INSTALL_S 1200 /* apt-get or npm ci: downloads included */
#define TG_TIMED_OUT -2

static uint64_t tg_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void tg_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static void tg_pin(const char *cpus)
{
    int list[1024];
    int n = cpus ? rf_parse_cpu_list(cpus, list, 1024) : 0;
    if (n <= 0)
        return;
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int i = 0; i < n; i++)
        CPU_SET(list[i], &set);
    sched_setaffinity(0, sizeof(set), &set);
}

/* The last lines of a log, for a reason that says what the command said. */
static void tg_log_tail(const char *log, char *out, size_t n)
{
    out[0] = '\0';
    FILE *f = fopen(log, "r");
    if (!f)
        return;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    long from = size > 400 ? size - 400 : 0;
    fseek(f, from, SEEK_SET);
    size_t got = fread(out, 1, n - 1, f);
    out[got] = '\0';
    fclose(f);
    for (char *p = out; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

/* sh -c cmd in its own process group, output appended to log, for at most timeout_s seconds
 * (then the whole group is killed: an installer or build that hangs must not hang the suite).
 * Returns the exit status, TG_TIMED_OUT, or -1. */
static int tg_shell(const char *cmd, const char *log, int timeout_s)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        setpgid(0, 0);
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    uint64_t deadline = tg_now_ms() + (uint64_t)timeout_s * 1000;
    int status, timed_out = 0;
    for (;;) {
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid)
            break;
        if (done < 0)
            return -1;
        if (!timed_out && (tg_now_ms() > deadline || rs_interrupted)) {
            kill(-pid, SIGKILL);
            timed_out = 1;
        }
        usleep(50000);
    }
    if (timed_out)
        return TG_TIMED_OUT;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The reason of a failed tg_shell: its time limit, or the end of its log. */
static void tg_shell_reason(int rc, int timeout_s, const char *what, const char *log,
                            char reason[RS_REASON_MAX])
{
    char tail[420];
    if (rc == TG_TIMED_OUT) {
        snprintf(reason, RS_REASON_MAX,
                 "%.400s did not finish in %d s and was stopped (its output: %.400s)", what,
                 timeout_s, log);
        return;
    }
    tg_log_tail(log, tail, sizeof(tail));
    snprintf(reason, RS_REASON_MAX, "%.400s failed: %s", what, tail);
}

int rs_target_install(const struct rs_target *t, const char *log, char reason[RS_REASON_MAX])
{
    char missing[512] = "";
    for (unsigned i = 0; i < t->napt; i++) {
        char cmd[256];
        snprintf(cmd, sizeof(cmd),
                 "dpkg-query -W -f='${Status}' '%s' 2>/dev/null | grep -q 'install ok installed'",
                 t->apt[i]);
        if (system(cmd) != 0)
            snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " %s",
                     t->apt[i]);
    }
    if (missing[0]) {
        if (geteuid() != 0) {
            snprintf(reason, RS_REASON_MAX,
                     "needs Debian packages%s: run sudo apt-get install -y%s", missing, missing);
            return -1;
        }
        /* policy-rc.d keeps the packages' own services from starting on port 80. */
        char cmd[2048];
        snprintf(cmd, sizeof(cmd),
                 "set -e; p=/usr/sbin/policy-rc.d; made=; if [ ! -e $p ]; then printf "
                 "'#!/bin/sh\\nexit 101\\n' > $p; chmod +x $p; made=1; fi; "
                 "trap '[ -n \"$made\" ] && rm -f $p' EXIT; export DEBIAN_FRONTEND=noninteractive; "
                 "apt-get install -y -qq --no-install-recommends%s",
                 missing);
        int rc = tg_shell(cmd, log, TG_INSTALL_S);
        if (rc != 0) {
            char what[600];
            snprintf(what, sizeof(what), "installing%s", missing);
            tg_shell_reason(rc, TG_INSTALL_S, what, log, reason);
            return -1;
        }
    }
    if (t->npm_dir) {
        char nm[600], cmd[700];
        snprintf(nm, sizeof(nm), "%s/node_modules", t->npm_dir);
        struct stat st;
        if (stat(nm, &st) != 0) {
            snprintf(cmd, sizeof(cmd), "cd '%s' && npm ci --no-audit --no-fund --loglevel=error",
                     t->npm_dir);
            int rc = tg_shell(cmd, log, TG_INSTALL_S);
            if (rc != 0) {
                char what[700];
                snprintf(what, sizeof(what), "npm ci in %s", t->npm_dir);
                tg_shell_reason(rc, TG_INSTALL_S, what, log, reason);
                return -1;
            }
        }
    }
    return 0;
}

int rs_target_build(const struct rs_target *t, const char *log, char reason[RS_REASON_MAX])
{
    int limit = (int)((t->build_timeout_ns + TG_NS_PER_MS * 999) / (TG_NS_PER_MS * 1000));
    int rc = t->build ? tg_shell(t->build, log, limit) : 0;
    if (rc == 0)
        return 0;
    tg_shell_reason(rc, limit, "the build command", log, reason);
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

/* cmd with {port} and {dir} replaced. */
static void tg_expand(const char *cmd, unsigned port, const char *dir, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = cmd; *p && o + 1 < n;) {
        if (strncmp(p, "{port}", 6) == 0) {
            o += (size_t)snprintf(out + o, n - o, "%u", port);
            p += 6;
        } else if (strncmp(p, "{dir}", 5) == 0) {
            o += (size_t)snprintf(out + o, n - o, "%s", dir);
            p += 5;
        } else {
            out[o++] = *p++;
        }
        if (o >= n)
            o = n - 1;
    }
    out[o] = '\0';
}

/* ---- a small blocking HTTP/1.1 client for readiness and validation ----------------------- */

struct hc {
    int fd;
    char buf[1 << 16];
    size_t len;
};

struct hc_response {
    int status;
    char content_type[128];
    char body[8192];
    size_t body_len;
    char raw[256]; /* the first bytes, printable, for reasons */
};

static int hc_open(struct hc *h, unsigned port, int timeout_ms)
{
    h->len = 0;
    h->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(h->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(h->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (h->fd < 0 || connect(h->fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        if (h->fd >= 0)
            close(h->fd);
        return -1;
    }
    return 0;
}

static int hc_fill(struct hc *h)
{
    if (h->len == sizeof(h->buf))
        return -1;
    ssize_t n = recv(h->fd, h->buf + h->len, sizeof(h->buf) - h->len, 0);
    if (n <= 0)
        return -1;
    h->len += (size_t)n;
    return 0;
}

static void hc_consume(struct hc *h, size_t n)
{
    memmove(h->buf, h->buf + n, h->len - n);
    h->len -= n;
}

static void hc_printable(const char *in, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++) {
        unsigned char ch = (unsigned char)in[i];
        if (ch == '\r')
            o += (size_t)snprintf(out + o, cap - o, "\\r");
        else if (ch == '\n')
            o += (size_t)snprintf(out + o, cap - o, "\\n");
        else if (ch < 32 || ch > 126)
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", ch);
        else
            out[o++] = (char)ch;
    }
    out[o] = '\0';
}

/* Reads one response (Content-Length or chunked body).  Returns 0 or -1. */
static int hc_read(struct hc *h, struct hc_response *r)
{
    memset(r, 0, sizeof(*r));
    char *end;
    while (!(end = memmem(h->buf, h->len, "\r\n\r\n", 4)))
        if (hc_fill(h) < 0) {
            hc_printable(h->buf, h->len, r->raw, sizeof(r->raw));
            return -1;
        }
    size_t head = (size_t)(end - h->buf) + 4;
    hc_printable(h->buf, h->len < 200 ? h->len : 200, r->raw, sizeof(r->raw));
    if (h->len < 12 || strncmp(h->buf, "HTTP/1.", 7) != 0)
        return -1;
    r->status = atoi(h->buf + 9);
    long length = -1;
    int chunked = 0;
    for (char *line = memchr(h->buf, '\n', head) + 1; line < h->buf + head - 2;) {
        char *nl = memchr(line, '\n', (size_t)(h->buf + head - line));
        if (!nl)
            break;
        if (strncasecmp(line, "content-length:", 15) == 0)
            length = atol(line + 15);
        else if (strncasecmp(line, "transfer-encoding:", 18) == 0 && strcasestr(line, "chunked"))
            chunked = 1;
        else if (strncasecmp(line, "content-type:", 13) == 0) {
            char *v = line + 13;
            while (*v == ' ')
                v++;
            snprintf(r->content_type, sizeof(r->content_type), "%.*s",
                     (int)(nl - v - (nl[-1] == '\r')), v);
        }
        line = nl + 1;
    }
    hc_consume(h, head);
    if (chunked) {
        for (;;) {
            char *nl;
            while (!(nl = memchr(h->buf, '\n', h->len)))
                if (hc_fill(h) < 0)
                    return -1;
            long size = strtol(h->buf, NULL, 16);
            hc_consume(h, (size_t)(nl - h->buf) + 1);
            if (size < 0 || size > (long)sizeof(r->body) - 1 - (long)r->body_len)
                return -1;
            while (h->len < (size_t)size + 2)
                if (hc_fill(h) < 0)
                    return -1;
            memcpy(r->body + r->body_len, h->buf, (size_t)size);
            r->body_len += (size_t)size;
            hc_consume(h, (size_t)size + 2);
            if (size == 0)
                return 0; /* trailers are not expected from the targets we validate */
        }
    }
    if (length < 0 || length > (long)sizeof(r->body) - 1)
        return length < 0 ? 0 : -1;
    while (h->len < (size_t)length)
        if (hc_fill(h) < 0)
            return -1;
    memcpy(r->body, h->buf, (size_t)length);
    r->body_len = (size_t)length;
    hc_consume(h, (size_t)length);
    return 0;
}

/* ---- start, ready ------------------------------------------------------------------------- */

int rs_target_alive(const struct rs_running *r)
{
    return r->pid > 0 && waitpid(r->pid, NULL, WNOHANG) == 0;
}

static int tg_ready(const struct rs_target *t, const struct rs_running *r,
                    char reason[RS_REASON_MAX])
{
    uint64_t deadline = tg_now_ms() + t->ready_timeout_ns / TG_NS_PER_MS;
    const char *path = t->ready_path ? t->ready_path : "/";
    char req[512];
    snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n", path, r->port);
    while (tg_now_ms() < deadline) {
        int status;
        pid_t done = waitpid(r->pid, &status, WNOHANG);
        if (done == r->pid) {
            char tail[420];
            tg_log_tail(r->log, tail, sizeof(tail));
            snprintf(reason, RS_REASON_MAX, "it exited (status %d) before it was ready: %s",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1, tail);
            return -1;
        }
        static struct hc h;
        static struct hc_response resp;
        if (hc_open(&h, r->port, 1000) == 0) {
            int ok = send(h.fd, req, strlen(req), MSG_NOSIGNAL) > 0 && hc_read(&h, &resp) == 0;
            close(h.fd);
            if (ok)
                return 0;
        }
        tg_sleep_ms(50);
    }
    snprintf(reason, RS_REASON_MAX, "not ready after %.1f s (no HTTP answer on port %u to GET %s)",
             (double)t->ready_timeout_ns / 1e9, r->port, path);
    return -1;
}

int rs_target_start(const struct rs_target *t, const char *cpus, const char *dir,
                    struct rs_running *r, char reason[RS_REASON_MAX])
{
    memset(r, 0, sizeof(*r));
    r->port = tg_free_port();
    snprintf(r->log, sizeof(r->log), "%s/%s.log", dir, t->name);
    if (t->version) {
        char *out = NULL;
        const char *argv[] = {"/bin/sh", "-c", t->version, NULL};
        rs_run_capture(argv, NULL, 30, r->log, &out, NULL, NULL);
        if (out)
            snprintf(r->version, sizeof(r->version), "%.*s", (int)strcspn(out, "\n"), out);
        free(out);
    }
    char cmd[4096];
    tg_expand(t->start, r->port, dir, cmd, sizeof(cmd));
    r->pid = fork();
    if (r->pid < 0) {
        snprintf(reason, RS_REASON_MAX, "fork: %s", strerror(errno));
        return -1;
    }
    if (r->pid == 0) {
        setsid();
        tg_pin(cpus);
        int fd = open(r->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        if (null >= 0)
            dup2(null, 0);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    if (tg_ready(t, r, reason) < 0) {
        rs_target_stop(r, t->stop_timeout_ns);
        return -1;
    }
    return 0;
}

/* ---- validation --------------------------------------------------------------------------- */

static int tg_check(const struct rs_endpoint *e, const struct hc_response *resp, const char *what,
                    char reason[RS_REASON_MAX])
{
    if (resp->status != e->status)
        snprintf(reason, RS_REASON_MAX, "%s: status %d, expected %d; it sent \"%s\"", what,
                 resp->status, e->status, resp->raw);
    else if (e->content_type &&
             strncasecmp(resp->content_type, e->content_type, strlen(e->content_type)) != 0)
        snprintf(reason, RS_REASON_MAX, "%s: Content-Type \"%s\", expected \"%s...\"", what,
                 resp->content_type, e->content_type);
    else if (e->body && (resp->body_len != strlen(e->body) ||
                         memcmp(resp->body, e->body, resp->body_len) != 0))
        snprintf(reason, RS_REASON_MAX, "%s: body \"%.*s\", expected \"%s\"", what,
                 (int)(resp->body_len < 200 ? resp->body_len : 200), resp->body, e->body);
    else if (e->body_contains &&
             !memmem(resp->body, resp->body_len, e->body_contains, strlen(e->body_contains)))
        snprintf(reason, RS_REASON_MAX, "%s: the body does not contain \"%s\"", what,
                 e->body_contains);
    else
        return 0;
    return -1;
}

static int tg_validate_http(const struct rs_running *r, const struct rs_endpoint *e,
                            char reason[RS_REASON_MAX])
{
    static struct hc h;
    static struct hc_response resp;
    char req[1024];
    int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n", e->path,
                     r->port);
    if (hc_open(&h, r->port, 5000) < 0) {
        snprintf(reason, RS_REASON_MAX, "cannot connect to port %u", r->port);
        return -1;
    }
    int rc = -1;
    if (send(h.fd, req, (size_t)n, MSG_NOSIGNAL) != n || hc_read(&h, &resp) < 0) {
        snprintf(reason, RS_REASON_MAX, "GET %s: no complete HTTP/1.1 response; it sent \"%s\"",
                 e->path, resp.raw);
        goto out;
    }
    if (tg_check(e, &resp, "GET", reason) < 0)
        goto out;
    /* Two requests in one write: both must be answered, complete and right. */
    char two[2048];
    memcpy(two, req, (size_t)n);
    memcpy(two + n, req, (size_t)n);
    if (send(h.fd, two, 2 * (size_t)n, MSG_NOSIGNAL) != 2 * n) {
        snprintf(reason, RS_REASON_MAX, "the connection closed after one request: no keep-alive");
        goto out;
    }
    for (int i = 0; i < 2; i++) {
        if (hc_read(&h, &resp) < 0) {
            snprintf(reason, RS_REASON_MAX,
                     "pipelined request %d of 2: no complete response; it sent \"%s\"", i + 1,
                     resp.raw);
            goto out;
        }
        if (tg_check(e, &resp, i ? "pipelined request 2" : "pipelined request 1", reason) < 0)
            goto out;
    }
    rc = 0;
out:
    close(h.fd);
    return rc;
}

/* Through the engine itself: 4 messages, 2 in flight, every echo compared. */
static int tg_validate_ws(const struct rs_running *r, const struct rs_endpoint *e,
                          const char *ringfire, char reason[RS_REASON_MAX])
{
    char url[512];
    snprintf(url, sizeof(url), "ws://127.0.0.1:%u%s", r->port, e->path);
    const char *argv[] = {ringfire, url,   "-n",        "4",  "-c",     "1",  "-p", "2",
                          "-d",     "10s", "--timeout", "3s", "--json", "-q", NULL};
    char *out = NULL;
    int status = rs_run_capture(argv, NULL, 20, NULL, &out, NULL, NULL);
    cJSON *j = out ? cJSON_Parse(out) : NULL;
    free(out);
    const cJSON *ws = cJSON_GetObjectItem(j, "websocket");
    double got = cJSON_GetNumberValue(cJSON_GetObjectItem(ws, "messages_received"));
    double bad = cJSON_GetNumberValue(cJSON_GetObjectItem(ws, "mismatches"));
    double failed = cJSON_GetNumberValue(cJSON_GetObjectItem(ws, "upgrade_failed"));
    double perr = cJSON_GetNumberValue(cJSON_GetObjectItem(ws, "protocol_errors"));
    int rc = 0;
    if (!j || status < 0)
        snprintf(reason, RS_REASON_MAX, "WebSocket check on %s: ringfire gave no result", url);
    else if (failed > 0)
        snprintf(reason, RS_REASON_MAX, "WebSocket upgrade on %s refused or invalid %g times", url,
                 failed);
    else if (got != 4 || bad > 0 || perr > 0)
        snprintf(reason, RS_REASON_MAX,
                 "WebSocket echo on %s: %g of 4 echoes, %g mismatches, %g protocol errors", url,
                 got, bad, perr);
    else
        rc = 1;
    cJSON_Delete(j);
    return rc ? 0 : -1;
}

int rs_target_validate(const struct rs_running *r, const struct rs_endpoint *e,
                       const char *ringfire, char reason[RS_REASON_MAX])
{
    return e->websocket ? tg_validate_ws(r, e, ringfire, reason) : tg_validate_http(r, e, reason);
}

/* ---- sampling, stop ------------------------------------------------------------------------ */

double rs_target_cpu(const struct rs_running *r, uint64_t *peak_rss)
{
    double ticks = 0;
    uint64_t rss = 0;
    long hz = sysconf(_SC_CLK_TCK);
    DIR *d = opendir("/proc");
    struct dirent *ent;
    while (d && (ent = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)ent->d_name[0]))
            continue;
        char path[300], buf[1024];
        snprintf(path, sizeof(path), "/proc/%s/stat", ent->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = '\0';
        char *p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
        long pgrp;
        unsigned long utime, stime;
        if (!p ||
            sscanf(p + 2, "%*c %*d %ld %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &pgrp, &utime,
                   &stime) != 3 ||
            pgrp != r->pid)
            continue;
        ticks += (double)(utime + stime);
        snprintf(path, sizeof(path), "/proc/%s/status", ent->d_name);
        f = fopen(path, "r");
        while (f && fgets(buf, sizeof(buf), f))
            if (strncmp(buf, "VmHWM:", 6) == 0)
                rss += strtoull(buf + 6, NULL, 10) * 1024;
        if (f)
            fclose(f);
    }
    if (d)
        closedir(d);
    if (peak_rss)
        *peak_rss = rss;
    return ticks / (double)hz;
}

int rs_target_stop(struct rs_running *r, uint64_t timeout_ns)
{
    if (r->pid <= 0)
        return 0;
    kill(-r->pid, SIGTERM);
    uint64_t deadline = tg_now_ms() + timeout_ns / TG_NS_PER_MS;
    int rc = -1;
    while (tg_now_ms() < deadline) {
        if (waitpid(r->pid, NULL, WNOHANG) == r->pid) {
            rc = 0;
            break;
        }
        tg_sleep_ms(20);
    }
    kill(-r->pid, SIGKILL); /* whatever is left of the group */
    if (rc < 0)
        waitpid(r->pid, NULL, 0);
    r->pid = 0;
    return rc;
}

/* ---- clients ------------------------------------------------------------------------------ */

int rs_run_capture(const char *const *argv, const char *cpus, int timeout_s, const char *log,
                   char **out, double *cpu_s, uint64_t *rss)
{
    int pipefd[2];
    *out = NULL;
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return -1;
    }
    if (pid == 0) {
        tg_pin(cpus);
        dup2(pipefd[1], 1);
        int fd = log ? open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)
                     : open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (fd >= 0)
            dup2(fd, 2);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(pipefd[1]);
    size_t len = 0, cap = 65536;
    char *buf = malloc(cap);
    uint64_t deadline = tg_now_ms() + (uint64_t)timeout_s * 1000;
    int killed = 0;
    for (;;) {
        struct pollfd p = {.fd = pipefd[0], .events = POLLIN};
        int rc = poll(&p, 1, 200);
        if (rc > 0) {
            if (len + 4096 > cap) {
                char *bigger = realloc(buf, cap * 2);
                if (!bigger)
                    break;
                buf = bigger;
                cap *= 2;
            }
            ssize_t n = read(pipefd[0], buf + len, cap - len - 1);
            if (n <= 0)
                break;
            len += (size_t)n;
        }
        if (!killed && (tg_now_ms() > deadline || rs_interrupted)) {
            kill(pid, SIGKILL);
            killed = 1;
        }
    }
    close(pipefd[0]);
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    buf[len] = '\0';
    *out = buf;
    if (cpu_s)
        *cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    if (rss)
        *rss = (uint64_t)ru.ru_maxrss * 1024;
    if (killed || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}
