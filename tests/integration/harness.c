/*
 * harness.c - integration-test helpers (see harness.h).
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "proc.h"
#include "results.h"

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

int fixture_start(struct fixture *f, const char *const *args)
{
    const char *argv[32] = {FIXTURE, "--port", "0", "--quiet"};
    int n = 4;
    for (int i = 0; args && args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return server_start(f, argv);
}

int server_start(struct fixture *f, const char *const *cmd)
{
    memset(f, 0, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/rf-test-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    char port_file[128];
    snprintf(port_file, sizeof(port_file), "%s/port", f->dir);
    const char *argv[40];
    int n = 0;
    for (; cmd[n] && n < 37; n++)
        argv[n] = cmd[n];
    argv[n++] = "--port-file";
    argv[n++] = port_file;
    argv[n] = NULL;
    f->pid = fork();
    if (f->pid < 0)
        return -1;
    if (f->pid == 0) {
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        FILE *pf = fopen(port_file, "r");
        if (pf) {
            int ok = fscanf(pf, "%u", &f->port) == 1;
            fclose(pf);
            if (ok)
                return 0;
        }
        if (waitpid(f->pid, NULL, WNOHANG) == f->pid) {
            f->pid = 0;
            return -1;
        }
        sleep_ms(10);
    }
    fixture_stop(f);
    return -1;
}

int fixture_stop(struct fixture *f)
{
    int status = -1;
    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        for (int i = 0; i < 300; i++) {
            if (waitpid(f->pid, &status, WNOHANG) == f->pid) {
                f->pid = 0;
                break;
            }
            sleep_ms(10);
        }
        if (f->pid > 0) {
            kill(f->pid, SIGKILL);
            waitpid(f->pid, NULL, 0);
            f->pid = 0;
            status = -1;
        } else {
            status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
    }
    if (f->dir[0])
        rs_remove_tree(f->dir); /* with what tests wrote there */
    f->dir[0] = '\0';
    return status;
}

static void drain(int fd, char **buf, size_t *len, size_t *cap)
{
    char tmp[65536];
    ssize_t n = read(fd, tmp, sizeof(tmp));
    if (n <= 0)
        return;
    if (*len + (size_t)n + 1 > *cap) {
        *cap = (*len + (size_t)n + 1) * 2;
        *buf = realloc(*buf, *cap);
    }
    memcpy(*buf + *len, tmp, (size_t)n);
    *len += (size_t)n;
    (*buf)[*len] = '\0';
}

void cmd_run(const char *const *argv, int timeout_s, struct cmd_result *r)
{
    cmd_run_signalled(argv, timeout_s, NULL, r);
}

void cmd_run_signalled(const char *const *argv, int timeout_s, const struct cmd_signal *sigs,
                       struct cmd_result *r)
{
    int out[2], err[2];
    memset(r, 0, sizeof(*r));
    r->status = -1;
    if (pipe(out) < 0 || pipe(err) < 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]);
        close(err[0]);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    size_t olen = 0, ocap = 1, elen = 0, ecap = 1;
    r->out = calloc(1, 1);
    r->err = calloc(1, 1);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int open_fds = 2, killed = 0;
    while (open_fds > 0) {
        struct pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
        poll(p, 2, 100);
        for (int i = 0; i < 2; i++) {
            if (!(p[i].revents & (POLLIN | POLLHUP)))
                continue;
            char **buf = i ? &r->err : &r->out;
            size_t *len = i ? &elen : &olen, *cap = i ? &ecap : &ocap;
            size_t before = *len;
            drain(p[i].fd, buf, len, cap);
            if (*len == before && (p[i].revents & POLLHUP)) {
                close(p[i].fd);
                if (i)
                    err[0] = -1;
                else
                    out[0] = -1;
                open_fds--;
            }
        }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (sigs && sigs->sig && ms >= sigs->after_ms)
            kill(pid, (sigs++)->sig);
        r->ms = ms;
        if (!killed && now.tv_sec - start.tv_sec > timeout_s) {
            kill(pid, SIGKILL);
            killed = 1;
        }
    }
    int status;
    waitpid(pid, &status, 0);
    r->status = !killed && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void cmd_free(struct cmd_result *r)
{
    free(r->out);
    free(r->err);
}

double json_hist_total(const cJSON *run, const char *key)
{
    double n = 0;
    const cJSON *pair;
    cJSON_ArrayForEach(pair, cJSON_GetObjectItem(cJSON_GetObjectItem(run, key), "buckets")) n +=
        cJSON_GetArrayItem(pair, 1)->valuedouble;
    return n;
}

static double json_hist_at(const cJSON *run, const char *key, double value)
{
    const cJSON *pair;
    cJSON_ArrayForEach(pair, cJSON_GetObjectItem(cJSON_GetObjectItem(run, key), "buckets"))
    {
        if (cJSON_GetArrayItem(pair, 0)->valuedouble == value)
            return cJSON_GetArrayItem(pair, 1)->valuedouble;
    }
    return 0;
}

/* Whether merged's histogram at key is, bucket by bucket, the sum of the n parts' (a bucket
 * that is not is logged). */
static int json_hist_is_sum(const cJSON *merged, cJSON *const *parts, int n, const char *key)
{
    double total = 0;
    for (int i = 0; i < n; i++)
        total += json_hist_total(parts[i], key);
    if (json_hist_total(merged, key) != total)
        return 0;
    const cJSON *pair;
    cJSON_ArrayForEach(pair, cJSON_GetObjectItem(cJSON_GetObjectItem(merged, key), "buckets"))
    {
        double v = cJSON_GetArrayItem(pair, 0)->valuedouble, sum = 0;
        for (int i = 0; i < n; i++)
            sum += json_hist_at(parts[i], key, v);
        if (cJSON_GetArrayItem(pair, 1)->valuedouble != sum) {
            cr_log_error("%s: the bucket at %g holds %g, the shards' %g", key, v,
                         cJSON_GetArrayItem(pair, 1)->valuedouble, sum);
            return 0;
        }
    }
    return 1;
}

void assert_merged(const cJSON *merged, cJSON *const *parts, int n)
{
    static const char *const added[] = {"requests", "responses", "status.2xx",
                                        "connections.requested"};
    for (size_t k = 0; k < sizeof(added) / sizeof(added[0]); k++) {
        double sum = 0;
        for (int i = 0; i < n; i++)
            sum += json_num(parts[i], added[k]);
        cr_assert(json_num(merged, added[k]) == sum, "%s adds up: %g, the shards %g", added[k],
                  json_num(merged, added[k]), sum);
    }
    static const char *const hists[] = {"histogram", "response_histogram", "lag_histogram"};
    for (size_t k = 0; k < 3; k++)
        cr_assert(json_hist_is_sum(merged, parts, n, hists[k]),
                  "%s: every sample of the shards, in its bucket", hists[k]);
}

double json_num(const cJSON *root, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    const cJSON *node = root;
    for (char *save, *key = strtok_r(buf, ".", &save); key && node;
         key = strtok_r(NULL, ".", &save))
        node = cJSON_GetObjectItemCaseSensitive(node, key);
    return node && cJSON_IsNumber(node) ? node->valuedouble : NAN;
}

cJSON *ringfire_json(const char *url, const char *const *args, struct cmd_result *r)
{
    const char *argv[40] = {RINGFIRE, url, "--json"};
    int n = 3;
    for (int i = 0; args[i] && n < 38; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    cmd_run(argv, 60, r);
    return cJSON_Parse(r->out);
}

double json_unaccounted(const cJSON *j)
{
    return json_num(j, "requests") - json_num(j, "responses") -
           json_num(j, "errors.lost_requests") - json_num(j, "unanswered");
}

int tcp_connect(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int tcp_send(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

size_t tcp_recv_n(int fd, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = recv(fd, buf + got, n - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

size_t tcp_recv_all(int fd, char *buf, size_t cap)
{
    size_t got = tcp_recv_n(fd, buf, cap - 1);
    buf[got] = '\0';
    return got;
}

char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        cr_assert_fail("cannot read %s", path);
    char *text = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (len + 4096 + 1 > cap) {
            cap = (cap ? cap * 2 : 8192);
            text = realloc(text, cap);
            if (!text)
                cr_assert_fail("out of memory reading %s", path);
        }
        got = fread(text + len, 1, cap - len - 1, f);
        len += got;
    } while (got > 0);
    fclose(f);
    text[len] = '\0';
    return text;
}

int load_results(const char *out, struct rr_doc *doc)
{
    char err[RR_ERR_MAX];
    int rc = rr_load(out, doc, err);
    if (rc < 0)
        cr_log_warn("%s", err);
    return rc;
}

void tree_mark(void)
{
    char value[64];
    snprintf(value, sizeof(value), "%d-%ld", (int)getpid(), (long)time(NULL));
    setenv("RF_TEST_TREE", value, 1);
}

int tree_left(void)
{
    const char *mark = getenv("RF_TEST_TREE");
    char want[96], path[300], buf[1 << 16];
    snprintf(want, sizeof(want), "RF_TEST_TREE=%s", mark ? mark : "");
    size_t wlen = strlen(want) + 1; /* with its NUL: an entry, not a prefix */
    int left = 0;
    DIR *d = opendir("/proc");
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (!isdigit((unsigned char)e->d_name[0]) || atoi(e->d_name) == (int)getpid())
            continue;
        snprintf(path, sizeof(path), "/proc/%s/environ", e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
        if (fd >= 0)
            close(fd);
        if (n > 0 && memmem(buf, (size_t)n, want, wlen)) {
            snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
            fd = open(path, O_RDONLY | O_CLOEXEC);
            n = fd >= 0 ? read(fd, buf, 200) : 0;
            if (fd >= 0)
                close(fd);
            for (ssize_t i = 0; i < n; i++)
                buf[i] = buf[i] ? buf[i] : ' ';
            buf[n > 0 ? n : 0] = '\0';
            cr_log_warn("left running: pid %s: %s", e->d_name, buf);
            left++;
        }
    }
    if (d)
        closedir(d);
    return left;
}
