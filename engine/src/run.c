/*
 * run.c - one load test: check the plan, start the workers, wait, merge their results.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "rate.h"
#include "schedule.h"
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
    if (!(cfg->rate >= 0 && cfg->rate <= 1e9) || cfg->nstages > RF_MAX_STAGES ||
        (cfg->nstages && !cfg->stages))
        return RF_ERANGE;
    for (unsigned i = 0; i < cfg->nstages; i++)
        if (!(cfg->stages[i].from >= 0 && cfg->stages[i].to >= 0 && cfg->stages[i].from <= 1e9 &&
              cfg->stages[i].to <= 1e9 && cfg->stages[i].duration_ns))
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

int rf_local_ports(unsigned *lo, unsigned *hi)
{
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    int ok = f && fscanf(f, "%u %u", lo, hi) == 2 && *lo <= *hi;
    if (f)
        fclose(f);
    return ok ? 0 : -1;
}

unsigned rf_ports_per_source(const struct rf_config *cfg)
{
    unsigned n = cfg->nsources ? cfg->nsources : 1;
    return (cfg->connections + n - 1) / n;
}

/* Each connection to the one target address takes a local port of one source address. */
static int run_ports(const struct rf_config *cfg, const struct sockaddr_storage *target)
{
    unsigned lo, hi;
    for (unsigned i = 0; i < cfg->nsources; i++)
        if (cfg->sources[i].ss_family != target->ss_family)
            return RF_ESOURCE;
    if (rf_local_ports(&lo, &hi) < 0)
        return 0; /* not Linux's /proc: the connects will say */
    return rf_ports_per_source(cfg) > hi - lo + 1 ? RF_EPORTS : 0;
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

/* One worker per CPU of --cpus, else per CPU this process may run on; at most one per
 * connection. */
static unsigned run_default_threads(const struct rf_config *cfg)
{
    cpu_set_t set;
    unsigned n = 1;
    if (cfg->ncpus)
        n = cfg->ncpus;
    else if (sched_getaffinity(0, sizeof(set), &set) == 0)
        n = (unsigned)CPU_COUNT(&set);
    return n < cfg->connections ? n : cfg->connections;
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
    for (int k = 0; cfg->live && k < 3; k++) {
        struct rf_hist *h = plan->live[k];
        if (!h)
            continue;
        rf_hist_reset(h);
        for (unsigned i = 0; i < n; i++) {
            pthread_mutex_lock(&ws[i].live_lock);
            if (ws[i].live[k])
                rf_hist_merge(h, ws[i].live[k]);
            pthread_mutex_unlock(&ws[i].live_lock);
        }
    }
    pr.latency = plan->live[0];
    pr.response = plan->live[1];
    pr.lag = plan->live[2];
    cfg->progress(&pr, cfg->progress_arg);
}

/* The run's start on the monotonic clock (config->start_at_ns, converted from the real-time
 * clock, or now when that has passed), and what the kernel says of the real-time clock's error.
 * Returns the real-time clock minus the monotonic one. */
static uint64_t run_start(const struct rf_config *cfg, struct rf__plan *plan, struct rf_start *st)
{
    struct timex tx;
    memset(&tx, 0, sizeof(tx)); /* modes 0: read only */
    int state = adjtimex(&tx);
    st->clock_synced = state >= 0 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
    st->esterror_us = (double)tx.esterror;
    st->maxerror_us = (double)tx.maxerror;
    struct timespec real;
    clock_gettime(CLOCK_REALTIME, &real);
    uint64_t now = rf__now_ns();
    uint64_t offset = (uint64_t)real.tv_sec * RF_NS_PER_S + (uint64_t)real.tv_nsec - now;
    plan->start_ns = now;
    if (cfg->start_at_ns > offset) { /* an instant since this machine booted */
        uint64_t at = cfg->start_at_ns - offset;
        /* already past (a machine that came late): the schedule starts now, and says so */
        st->late_ns = at < now ? now - at : 0;
        plan->start_ns = plan->start_at_ns = at < now ? now : at;
    }
    st->unix_ns = plan->start_ns + offset;
    return offset;
}

/* The open model's start: the earliest worker's schedule, and how late the latest began. */
static void run_started(struct rf_result *res, const struct rf__worker *ws, unsigned n,
                        uint64_t offset)
{
    uint64_t first = UINT64_MAX;
    for (unsigned i = 0; i < n; i++) {
        if (ws[i].sched_start_ns && ws[i].sched_start_ns < first)
            first = ws[i].sched_start_ns;
        if (ws[i].sched_late_ns > res->start.late_ns)
            res->start.late_ns = ws[i].sched_late_ns;
    }
    if (first != UINT64_MAX)
        res->start.unix_ns = first + offset;
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
        if (res->response) {
            rf_hist_merge(res->response, ws[i].response);
            rf_hist_merge(res->lag, ws[i].lag);
        }
        for (unsigned s = 0; s < ws[i].timeline_len && s < res->timeline_len; s++) {
            res->timeline[s].responses += ws[i].timeline[s].responses;
            res->timeline[s].errors += ws[i].timeline[s].errors;
            res->timeline[s].bytes_received += ws[i].timeline[s].bytes_received;
            res->timeline[s].sent += ws[i].timeline[s].sent;
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

/* How long the measured phase lasts: the stages' sum, or -d. */
static uint64_t run_measure_ns(const struct rf_config *cfg)
{
    uint64_t ns = 0;
    for (unsigned i = 0; i < cfg->nstages; i++)
        ns += cfg->stages[i].duration_ns;
    return cfg->nstages ? ns : cfg->duration_ns;
}

/*
 * The open model's account: what the schedule asked for in the measured phase (and in each of
 * its seconds), the busiest worker's CPU, and the verdict.  Each worker's schedule starts when
 * its connections are open (worker_schedule), so the measured phase is the longest worker's
 * own, not the span from the first worker's start to the last one's end.
 */
static void run_rate(struct rf_result *res, const struct rf__plan *plan,
                     const struct rf__worker *ws, unsigned n)
{
    const struct rf_config *cfg = plan->config;
    uint64_t warm = cfg->warmup_ns, length = 0;
    double cpu = 0;
    for (unsigned i = 0; i < n; i++) {
        if (!ws[i].measure_start_ns || ws[i].measure_end_ns <= ws[i].measure_start_ns)
            continue;
        if ((double)ws[i].wake_late_max_ns / 1e3 > res->rate.wake_late_max_us)
            res->rate.wake_late_max_us = (double)ws[i].wake_late_max_ns / 1e3;
        double fastest = (double)ws[i].warm_fastest_ns / 1e3;
        if (fastest > 0 && (!res->rate.warm_fastest_us || fastest < res->rate.warm_fastest_us))
            res->rate.warm_fastest_us = fastest;
        uint64_t wall = ws[i].measure_end_ns - ws[i].measure_start_ns;
        length = wall > length ? wall : length;
        if ((double)ws[i].cpu_ns / (double)wall > cpu)
            cpu = (double)ws[i].cpu_ns / (double)wall;
    }
    if (length > run_measure_ns(cfg))
        length = run_measure_ns(cfg);
    struct rf__schedule sched;
    rf__sched_init(&sched, cfg, 0, warm, 0, 1);
    for (unsigned k = 0; k < res->timeline_len; k++) {
        uint64_t a = k * RF_NS_PER_S, b = a + RF_NS_PER_S < length ? a + RF_NS_PER_S : length;
        res->timeline[k].target = b > a ? rf__sched_expected(&sched, warm + a, warm + b) : 0;
    }
    res->duration_s = (double)length / 1e9;
    rf__rate_account(res, cfg, rf__sched_expected(&sched, warm, warm + length), cpu);
}

/*
 * Hands each second's histograms, merged over the workers, to config->intervals: the workers
 * kept what each second added to each bucket (worker_interval), in order of second.
 */
static int run_intervals(const struct rf_result *res, const struct rf_config *cfg,
                         const struct rf__worker *ws, unsigned n)
{
    struct rf_hist *h[3] = {rf_hist_new(), res->response ? rf_hist_new() : NULL,
                            res->response ? rf_hist_new() : NULL};
    size_t *at = calloc(n, sizeof(*at));
    int rc = h[0] && (!res->response || (h[1] && h[2])) && at ? 0 : RF_ENOMEM;
    for (unsigned i = 0; i < n; i++)
        rc = ws[i].ivals_lost ? RF_ENOMEM : rc;
    for (uint32_t sec = 0; rc == 0; sec++) {
        int more = 0, any = 0;
        for (int k = 0; k < 3 && h[k]; k++)
            rf_hist_reset(h[k]);
        for (unsigned i = 0; i < n; i++) {
            const struct rf__worker *w = &ws[i];
            for (; at[i] < w->nivals && w->ivals[at[i]].second == sec; at[i]++, any = 1)
                rf_hist_record_n(h[w->ivals[at[i]].kind], w->ivals[at[i]].value_ns,
                                 w->ivals[at[i]].count);
            more |= at[i] < w->nivals;
        }
        double left = res->duration_s - sec;
        struct rf_interval iv = {sec, left < 1 && left > 0 ? left : 1, h[0], h[1], h[2]};
        if (any || more)
            cfg->intervals(&iv, cfg->intervals_arg);
        if (!more)
            break;
    }
    for (int k = 0; k < 3; k++)
        rf_hist_free(h[k]);
    free(at);
    return rc;
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
    int open = cfg->rate > 0 || cfg->nstages;
    for (unsigned i = 0; i < nthreads; i++) {
        struct rf__worker *w = &ws[i];
        pthread_mutex_init(&w->live_lock, NULL);
        for (int k = 0; cfg->live && k < (open ? 3 : 1); k++)
            if (!(w->live[k] = rf_hist_new()) || !plan->live[k])
                *rc = RF_ENOMEM;
        w->plan = plan;
        w->index = i;
        w->next_source = i; /* workers begin on different source addresses */
        w->nworkers = nthreads;
        w->nconns = per + (i < extra);
        w->quota = cfg->requests / nthreads + (i < cfg->requests % nthreads);
        w->cpu = cfg->cpus && cfg->ncpus ? cfg->cpus[i % cfg->ncpus] : -1;
        w->timeline_cap = timeline_cap;
    }
    for (; started < nthreads && *rc == 0; started++) {
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
    *nthreads = cfg->threads ? cfg->threads : run_default_threads(cfg);
    if (*nthreads > cfg->connections)
        *nthreads = cfg->connections;
    if (cfg->requests && *nthreads > cfg->requests)
        *nthreads = (unsigned)cfg->requests; /* every worker must have responses to collect */
    rc = run_ports(cfg, &plan->addr);
    if (rc == 0)
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
    int open = cfg->rate > 0 || cfg->nstages;
    if (open) {
        res->response = rf_hist_new();
        res->lag = rf_hist_new();
    }
    /* One second more than the phase for the open model's drain (worker.c). */
    uint64_t limit_s = run_measure_ns(cfg) / RF_NS_PER_S + 3;
    res->timeline_len = (unsigned)limit_s;
    res->timeline = calloc(limit_s, sizeof(*res->timeline));
    ws = calloc(nthreads, sizeof(*ws));
    if (!res->latency || !res->timeline || !ws || (open && (!res->response || !res->lag))) {
        rc = RF_ENOMEM;
        goto out;
    }
    for (int k = 0; cfg->live && k < (open ? 3 : 1); k++)
        plan.live[k] = rf_hist_new();
    run_sizes(cfg, &plan, cfg->connections / nthreads);
    res->refill = plan.refill;
    uint64_t offset = run_start(cfg, &plan, &res->start);
    plan.warm_end_ns = plan.start_ns + cfg->warmup_ns;
    plan.end_ns = plan.warm_end_ns + run_measure_ns(cfg);
    unsigned started = run_workers(&plan, ws, nthreads, (unsigned)limit_s, &rc);
    if (rc < 0)
        goto out;
    res->threads = started;
    run_merge(res, ws, started);
    res->timeline_len = 0;
    for (unsigned s = 0; s < limit_s; s++)
        if (res->timeline[s].responses || res->timeline[s].errors || res->timeline[s].sent)
            res->timeline_len = s + 1;
    if (open) {
        run_rate(res, &plan, ws, started);
        run_started(res, ws, started, offset);
    }
    if (cfg->intervals)
        rc = run_intervals(res, cfg, ws, started);
    res->interrupted = atomic_load(&run_stop_flag);
    res->complete = !cfg->requests || res->counts.responses >= cfg->requests;
out:
    for (int k = 0; k < 3; k++)
        rf_hist_free(plan.live[k]);
    for (unsigned i = 0; ws && i < nthreads; i++) {
        for (int k = 0; k < 3; k++)
            rf_hist_free(ws[i].live[k]);
        pthread_mutex_destroy(&ws[i].live_lock);
        rf_hist_free(ws[i].latency);
        rf_hist_free(ws[i].response);
        rf_hist_free(ws[i].lag);
        free(ws[i].timeline);
        free(ws[i].ivals);
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
    rf_hist_free(res->response);
    rf_hist_free(res->lag);
    free(res->timeline);
    res->response = res->lag = NULL;
    res->latency = NULL;
    res->timeline = NULL;
}
