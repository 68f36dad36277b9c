/*
 * metrics.c - `ringfire run ... --metrics ADDR:PORT`: the run's counters and its three latency
 * histograms, as they stand, in the Prometheus text exposition format (version 0.0.4) on
 * http://ADDR:PORT/metrics, for Prometheus or anything that reads it.  The figures are rendered
 * once a second from the engine's progress (the workers' histograms as of their last second)
 * and once more at the end; a small thread serves the latest rendering.  After the run the
 * final figures stay up until they have been scraped once, or METRICS_LINGER_S.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define METRICS_LINGER_S 15
#define METRICS_BUCKETS 81 /* from 10 us, each 2^(1/4) wider: up to about 10.5 s, then +Inf */
#define METRICS_STEP 1.189207115002721 /* 2^(1/4): a bucket's bound is within 19% of a value */

struct cli_metrics {
    int fd;
    pthread_t thread;
    pthread_mutex_t lock;
    char *text; /* the latest rendering */
    int final;  /* the rendering is the run's last */
    int scraped_final;
    volatile int stop;
};

/* Serves one connection: whatever it asked, the latest figures. */
static void metrics_serve(struct cli_metrics *m, int c)
{
    char req[2048];
    struct pollfd p = {c, POLLIN, 0};
    if (poll(&p, 1, 1000) <= 0 || read(c, req, sizeof(req)) <= 0)
        return;
    pthread_mutex_lock(&m->lock); /* a copy: a slow reader must not hold up the next rendering */
    char *body = strdup(m->text ? m->text : "");
    m->scraped_final |= m->final && body;
    pthread_mutex_unlock(&m->lock);
    if (!body)
        return;
    size_t len = strlen(body);
    char head[256];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                     len);
    ssize_t w = write(c, head, (size_t)n);
    for (size_t off = 0; w >= 0 && off < len; off += (size_t)w)
        w = write(c, body + off, len - off);
    free(body);
}

static void *metrics_main(void *arg)
{
    struct cli_metrics *m = arg;
    while (!m->stop) {
        struct pollfd p = {m->fd, POLLIN, 0};
        if (poll(&p, 1, 200) <= 0)
            continue;
        int c = accept4(m->fd, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0)
            continue;
        metrics_serve(m, c);
        close(c);
    }
    return NULL;
}

int cli_metrics_start(const char *where, struct cli_metrics **out, char *why, size_t n)
{
    char host[64];
    unsigned port;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    int six = where[0] == '[';
    if ((six ? sscanf(where, "[%63[0-9a-fA-F:.]]:%u", host, &port)
             : sscanf(where, "%63[0-9.]:%u", host, &port)) != 2 ||
        port < 1 || port > 65535 ||
        (six ? inet_pton(AF_INET6, host, &v6->sin6_addr)
             : inet_pton(AF_INET, host, &v4->sin_addr)) != 1) {
        snprintf(why, n,
                 "expected ADDR:PORT with a numeric address, e.g. 127.0.0.1:9464 or "
                 "[::1]:9464");
        return -1;
    }
    ss.ss_family = six ? AF_INET6 : AF_INET;
    if (six)
        v6->sin6_port = htons((uint16_t)port);
    else
        v4->sin_port = htons((uint16_t)port);
    struct cli_metrics *m = calloc(1, sizeof(*m));
    int one = 1;
    int fd = m ? socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0) : -1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&ss, six ? sizeof(*v6) : sizeof(*v4)) < 0 ||
        listen(fd, 16) < 0) {
        snprintf(why, n, "cannot listen there: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        free(m);
        return -1;
    }
    m->fd = fd;
    pthread_mutex_init(&m->lock, NULL);
    if (pthread_create(&m->thread, NULL, metrics_main, m) != 0) {
        snprintf(why, n, "cannot start its thread");
        close(fd);
        free(m);
        return -1;
    }
    *out = m;
    return 0;
}

/* Adds a bucket's count to the first of the exposition's buckets that holds its value. */
static void metrics_count(uint64_t value_ns, uint64_t count, void *arg)
{
    uint64_t *counts = arg;
    double le = 10e3; /* ns */
    int b = 0;
    while (b < METRICS_BUCKETS && (double)value_ns > le) {
        le *= METRICS_STEP;
        b++;
    }
    counts[b] += count; /* b == METRICS_BUCKETS: +Inf only */
}

/* A histogram in the exposition format: cumulative buckets, sum and count, in seconds. */
static void metrics_hist(FILE *f, const char *name, const char *help, const struct rf_hist *h)
{
    if (!h)
        return;
    uint64_t counts[METRICS_BUCKETS + 1] = {0}, cumulative = 0;
    rf_hist_foreach(h, metrics_count, counts);
    fprintf(f, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
    double le = 10e-6;
    for (int b = 0; b < METRICS_BUCKETS; b++, le *= METRICS_STEP) {
        cumulative += counts[b];
        fprintf(f, "%s_bucket{le=\"%.6g\"} %llu\n", name, le, (unsigned long long)cumulative);
    }
    uint64_t total = rf_hist_count(h);
    fprintf(f, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.9g\n%s_count %llu\n", name,
            (unsigned long long)total, name, rf_hist_mean(h) * (double)total / 1e9, name,
            (unsigned long long)total);
}

void cli_metrics_update(struct cli_metrics *m, const struct cli_metrics_figures *x)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    fprintf(
        f,
        "# HELP ringfire_responses_total Responses received in the measured phase.\n"
        "# TYPE ringfire_responses_total counter\nringfire_responses_total %llu\n"
        "# HELP ringfire_errors_total Transport errors and unexpected answers so far.\n"
        "# TYPE ringfire_errors_total counter\nringfire_errors_total %llu\n"
        "# HELP ringfire_elapsed_seconds Time since the run began, warm-up included.\n"
        "# TYPE ringfire_elapsed_seconds gauge\nringfire_elapsed_seconds %.3f\n"
        "# HELP ringfire_warming_up 1 during the warm-up, whose traffic is not counted.\n"
        "# TYPE ringfire_warming_up gauge\nringfire_warming_up %d\n"
        "# HELP ringfire_target_rate The rate of -R in requests per second (0: the closed loop, "
        "or --stages).\n# TYPE ringfire_target_rate gauge\nringfire_target_rate %.9g\n"
        "# HELP ringfire_finished 1 once the run has ended: the figures are final.\n"
        "# TYPE ringfire_finished gauge\nringfire_finished %d\n",
        (unsigned long long)x->responses, (unsigned long long)x->errors, x->elapsed_s,
        x->warming_up, x->target_rate, x->final);
    metrics_hist(f, "ringfire_service_time_seconds",
                 "Actual send to response (the closed loop's latency).", x->latency);
    metrics_hist(f, "ringfire_response_time_seconds", "Intended send to response (the open model).",
                 x->response);
    metrics_hist(f, "ringfire_generator_lag_seconds",
                 "Actual minus intended send (the open model).", x->lag);
    fclose(f);
    pthread_mutex_lock(&m->lock);
    free(m->text);
    m->text = text;
    m->final = x->final;
    pthread_mutex_unlock(&m->lock);
}

void cli_metrics_stop(struct cli_metrics *m)
{
    if (!m)
        return;
    for (int i = 0; i < METRICS_LINGER_S * 10; i++) { /* until the final figures are read */
        pthread_mutex_lock(&m->lock);
        int done = m->scraped_final || !m->final;
        pthread_mutex_unlock(&m->lock);
        if (done)
            break;
        nanosleep(&(struct timespec){0, 100000000L}, NULL);
    }
    m->stop = 1;
    pthread_join(m->thread, NULL);
    close(m->fd);
    pthread_mutex_destroy(&m->lock);
    free(m->text);
    free(m);
}
