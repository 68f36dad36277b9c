/*
 * run.c - one load test: check the plan, start the workers, wait, merge their results.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "clock.h"
#include "stamps.h"
#include "worker.h"
#include "ws.h"

#define RUN_BUFFER_SIZE (16 * 1024)
#define RUN_BUFFERS_MIN 256
#define RUN_BUFFERS_MAX 4096
#define RUN_POLL_NS (50 * RF_NS_PER_MS)
#define RUN_FD_SPARE 64 /* descriptors besides the sockets: rings, files, stdio */

static atomic_int run_stop_flag;

void rf_stop(void)
{
    atomic_store(&run_stop_flag, 1);
}

const char *rf_error_kind_name(enum rf_error_kind kind)
{
    switch (kind) {
    case RF_ERRK_CONNECT:
        return "connect";
    case RF_ERRK_READ:
        return "read";
    case RF_ERRK_WRITE:
        return "write";
    case RF_ERRK_TIMEOUT:
        return "timeout";
    case RF_ERRK_PARSE:
        return "parse";
    case RF_ERRK_CLOSED:
        return "closed";
    case RF_ERRK_COUNT_:
        break;
    }
    return "unknown";
}

static int run_check(const struct rf_config *cfg)
{
    if (cfg->connections < 1 || cfg->connections > RF_MAX_CONNECTIONS)
        return RF_ERANGE;
    if (cfg->pipeline < 1 || cfg->pipeline > RF_MAX_PIPELINE)
        return RF_ERANGE;
    if (cfg->threads > RF_MAX_THREADS || cfg->refill > cfg->pipeline)
        return RF_ERANGE;
    if (cfg->buffers && (cfg->buffers < RF_MIN_BUFFERS || cfg->buffers > RF_MAX_BUFFERS ||
                         (cfg->buffers & (cfg->buffers - 1))))
        return RF_ERANGE;
    if (cfg->duration_ns == 0 || cfg->timeout_ns == 0)
        return RF_ERANGE;
    if (cfg->url.scheme == RF_SCHEME_WS && !cfg->websocket)
        return RF_EURL_SCHEME;
    if (cfg->websocket && (!cfg->ws_message || cfg->ws_message_len > RF_MAX_WS_MESSAGE))
        return RF_ERANGE;
    /* a worker pinned where this process may not run would run unpinned, unnoticed */
    return cfg->ncpus ? rf_cpus_check(cfg->cpus, cfg->ncpus, NULL, 0) : 0;
}

static int run_address(const struct rf_url *url, struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof(*ss));
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    const char *host = strcasecmp(url->host, "localhost") == 0 ? "127.0.0.1" : url->host;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(url->port);
        *len = sizeof(*v4);
        return 0;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(url->port);
        *len = sizeof(*v6);
        return 0;
    }
    return RF_EURL_HOST;
}

/* Each connection is a socket; raise the soft limit, and the hard one where we may. */
static int run_nofile(unsigned connections)
{
    struct rlimit rl;
    rlim_t need = (rlim_t)connections + RUN_FD_SPARE;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return -errno;
    if (rl.rlim_cur >= need)
        return 0;
    if (rl.rlim_max < need)
        rl.rlim_max = need;
    rl.rlim_cur = need;
    if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
        return 0;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    return rl.rlim_cur >= need ? 0 : RF_ENOFILE;
}

/* One blocking connect before any worker starts, so that a target that is not there is told
 * apart from a target that fails under load. */
static int run_probe(const struct rf__plan *plan, int *err)
{
    int fd = socket(plan->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *err = errno;
        return RF_ETARGET;
    }
    int rc = connect(fd, (const struct sockaddr *)&plan->addr, plan->addrlen);
    if (rc < 0 && errno == EINPROGRESS) {
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        uint64_t ms = plan->config->timeout_ns / RF_NS_PER_MS;
        rc = poll(&pfd, 1, ms > 10000 ? 10000 : (int)ms + 1);
        if (rc == 0) {
            errno = ETIMEDOUT;
            rc = -1;
        } else if (rc > 0) {
            socklen_t sl = sizeof(*err);
            getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &sl);
            errno = *err;
            rc = *err ? -1 : 0;
        }
    }
    *err = rc < 0 ? errno : 0;
    close(fd);
    return rc < 0 ? RF_ETARGET : 0;
}

static unsigned run_pow2(unsigned v)
{
    unsigned p = 1;
    while (p < v)
        p <<= 1;
    return p;
}

static unsigned run_default_threads(unsigned connections)
{
    cpu_set_t set;
    unsigned n = 1;
    if (sched_getaffinity(0, sizeof(set), &set) == 0)
        n = (unsigned)CPU_COUNT(&set);
    return n < connections ? n : connections;
}

static void run_progress(const struct rf__plan *plan, struct rf__worker *ws, unsigned n,
                         uint64_t now)
{
    const struct rf_config *cfg = plan->config;
    struct rf_progress pr = {0};
    pr.elapsed_s = (double)(now - plan->start_ns) / 1e9;
    pr.total_s = (double)(plan->end_ns - plan->start_ns) / 1e9;
    pr.warming_up = now < plan->warm_end_ns;
    for (unsigned i = 0; i < n; i++) {
        pr.responses += atomic_load_explicit(&ws[i].progress_responses, memory_order_relaxed);
        pr.errors += atomic_load_explicit(&ws[i].progress_errors, memory_order_relaxed);
    }
    cfg->progress(&pr, cfg->progress_arg);
}

/* Waits for the workers, calling the progress hook about once a second. */
static void run_wait(const struct rf__plan *plan, struct rf__worker *ws, unsigned n)
{
    uint64_t next = plan->start_ns + RF_NS_PER_S;
    for (;;) {
        unsigned done = 0;
        for (unsigned i = 0; i < n; i++)
            done += (unsigned)atomic_load_explicit(&ws[i].done, memory_order_acquire);
        if (done == n)
            return;
        struct timespec ts = {0, (long)RUN_POLL_NS};
        nanosleep(&ts, NULL);
        uint64_t now = rf__now_ns();
        if (plan->config->progress && now >= next) {
            run_progress(plan, ws, n, now);
            next += RF_NS_PER_S;
        }
    }
}

static void run_merge(struct rf_result *res, struct rf__worker *ws, unsigned n)
{
    uint64_t start = UINT64_MAX, end = 0;
    uint64_t *sum = (uint64_t *)&res->counts;
    for (unsigned i = 0; i < n; i++) {
        const uint64_t *add = (const uint64_t *)&ws[i].counts;
        for (size_t k = 0; k < sizeof(res->counts) / sizeof(uint64_t); k++)
            sum[k] += add[k];
        rf_hist_merge(res->latency, ws[i].latency);
        for (unsigned s = 0; s < ws[i].timeline_len && s < res->timeline_len; s++) {
            res->timeline[s].responses += ws[i].timeline[s].responses;
            res->timeline[s].errors += ws[i].timeline[s].errors;
            res->timeline[s].bytes_received += ws[i].timeline[s].bytes_received;
        }
        if (ws[i].measure_start_ns && ws[i].measure_start_ns < start)
            start = ws[i].measure_start_ns;
        if (ws[i].measure_end_ns > end)
            end = ws[i].measure_end_ns;
        res->established += ws[i].established;
        if (ws[i].ring_fallback[0] && !res->env.ring_fallback[0])
            memcpy(res->env.ring_fallback, ws[i].ring_fallback, sizeof(ws[i].ring_fallback));
    }
    res->env.ring_flags = ws[0].ring_flags;
    res->env.buffers = ws[0].plan->buffers;
    res->env.buffer_size = ws[0].plan->buffer_size;
    res->duration_s = end > start && start != UINT64_MAX ? (double)(end - start) / 1e9 : 0.0;
}

/* The plan's sizes: what a refill sends, and the receive buffers each worker provides. */
static void run_sizes(const struct rf_config *cfg, struct rf__plan *plan, unsigned per_worker)
{
    plan->refill = cfg->refill ? cfg->refill : cfg->pipeline;
    plan->send_bytes = plan->request.len * plan->request.copies;
    if (cfg->websocket) {
        size_t frames = cfg->pipeline * rf__ws_frame_size(cfg->ws_message_len);
        plan->send_bytes = frames > plan->request.len ? frames : plan->request.len;
        plan->ws_payload = cfg->ws_message;
        plan->ws_payload_len = cfg->ws_message_len;
    }
    plan->buffer_size = RUN_BUFFER_SIZE;
    plan->buffers = run_pow2((per_worker + 1) * 4);
    if (plan->buffers < RUN_BUFFERS_MIN)
        plan->buffers = RUN_BUFFERS_MIN;
    if (plan->buffers > RUN_BUFFERS_MAX)
        plan->buffers = RUN_BUFFERS_MAX;
    if (cfg->buffers)
        plan->buffers = cfg->buffers;
}

/* Starts the workers, waits for the run to end and joins them.  Returns how many started, and
 * the first failure in *rc. */
static unsigned run_workers(struct rf__plan *plan, struct rf__worker *ws, unsigned nthreads,
                            unsigned timeline_cap, int *rc)
{
    const struct rf_config *cfg = plan->config;
    unsigned per = cfg->connections / nthreads, extra = cfg->connections % nthreads, started = 0;
    for (unsigned i = 0; i < nthreads; i++) {
        struct rf__worker *w = &ws[i];
        w->plan = plan;
        w->nconns = per + (i < extra);
        w->quota = cfg->requests / nthreads + (i < cfg->requests % nthreads);
        w->cpu = cfg->cpus && cfg->ncpus ? cfg->cpus[i % cfg->ncpus] : -1;
        w->timeline_cap = timeline_cap;
    }
    for (; started < nthreads; started++) {
        *rc = rf__worker_start(&ws[started]);
        if (*rc < 0) {
            rf_stop();
            break;
        }
    }
    run_wait(plan, ws, started);
    for (unsigned i = 0; i < started; i++)
        pthread_join(ws[i].thread, NULL);
    for (unsigned i = 0; i < started; i++)
        if (ws[i].err < 0 && *rc == 0)
            *rc = ws[i].err;
    return started;
}

/* Everything rf_run checks before it allocates: the config, the address, the threads, the
 * open-file limit, the request. */
static int run_prepare(const struct rf_config *cfg, struct rf__plan *plan, unsigned *nthreads)
{
    int rc = run_check(cfg);
    if (rc == 0)
        rc = run_address(&cfg->url, &plan->addr, &plan->addrlen);
    if (rc < 0)
        return rc;
    *nthreads = cfg->threads ? cfg->threads : run_default_threads(cfg->connections);
    if (*nthreads > cfg->connections)
        *nthreads = cfg->connections;
    if (cfg->requests && *nthreads > cfg->requests)
        *nthreads = (unsigned)cfg->requests; /* every worker must have responses to collect */
    rc = run_nofile(cfg->connections);
    return rc < 0 ? rc : rf__request_build(cfg, &plan->request);
}

int rf_run(const struct rf_config *cfg, struct rf_result *res)
{
    _Static_assert(sizeof(struct rf_counts) % sizeof(uint64_t) == 0, "counts are all uint64_t");
    memset(res, 0, sizeof(*res));
    rf_env_read(&res->env);
    res->connections = cfg->connections;
    atomic_store(&run_stop_flag, 0);
    struct rf__worker *ws = NULL;
    unsigned nthreads = 0;
    struct rf__plan plan;
    memset(&plan, 0, sizeof(plan));
    plan.config = cfg;
    plan.stop = &run_stop_flag;
    int rc = run_prepare(cfg, &plan, &nthreads);
    if (rc < 0)
        return rc;
    int stamps = rf__stamps_hold();
    rc = run_probe(&plan, &res->target_errno);
    if (rc < 0)
        goto out;
    res->latency = rf_hist_new();
    uint64_t limit_s = cfg->duration_ns / RF_NS_PER_S + 2;
    res->timeline_len = (unsigned)limit_s;
    res->timeline = calloc(limit_s, sizeof(*res->timeline));
    ws = calloc(nthreads, sizeof(*ws));
    if (!res->latency || !res->timeline || !ws) {
        rc = RF_ENOMEM;
        goto out;
    }
    run_sizes(cfg, &plan, cfg->connections / nthreads);
    res->refill = plan.refill;
    plan.start_ns = rf__now_ns();
    plan.warm_end_ns = plan.start_ns + cfg->warmup_ns;
    plan.end_ns = plan.warm_end_ns + cfg->duration_ns;
    unsigned started = run_workers(&plan, ws, nthreads, (unsigned)limit_s, &rc);
    if (rc < 0)
        goto out;
    res->threads = started;
    run_merge(res, ws, started);
    res->timeline_len = 0;
    for (unsigned s = 0; s < limit_s; s++)
        if (res->timeline[s].responses || res->timeline[s].errors)
            res->timeline_len = s + 1;
    res->interrupted = atomic_load(&run_stop_flag);
    res->complete = !cfg->requests || res->counts.responses >= cfg->requests;
out:
    for (unsigned i = 0; ws && i < nthreads; i++) {
        rf_hist_free(ws[i].latency);
        free(ws[i].timeline);
    }
    free(ws);
    rf__request_free(&plan.request);
    if (stamps >= 0)
        close(stamps);
    if (rc < 0) /* a failed run leaves nothing for the caller to free */
        rf_result_free(res);
    return rc;
}

void rf_result_free(struct rf_result *res)
{
    rf_hist_free(res->latency);
    free(res->timeline);
    res->latency = NULL;
    res->timeline = NULL;
}
