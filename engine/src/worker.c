/*
 * worker.c - the event loop of one worker: a ring and its connections.  The protocols that ride
 * on a connection (http.c, wsconn.c) parse what arrives and decide what to send.
 *
 * Loop shape (one turn):
 *   submit pending SQEs and wait for completions (one io_uring_enter; see worker_wait_plan)
 *   -> drain the CQ in batches: decode user_data, drop stale completions, dispatch by op
 *   -> one io_uring_cq_advance() per batch; one release store gives back the receive buffers
 *   -> tick: warm-up/measure phase, deadline, timeouts and reconnect back-off
 *   -> flush: refill the pipelines and re-arm receives of the connections touched this turn;
 *      sends are submitted in small groups and each is stamped (worker_submit_sends)
 */
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT /* Linux 4.2; glibc's netinet/in.h lacks it */
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#include "clock.h"
#include "conn.h"
#include "tcpinfo.h"
#include "ud.h"

#define WORKER_SQ_ENTRIES 4096
#define WORKER_CQ_ENTRIES 16384
#define WORKER_CQE_BATCH 2048
#define WORKER_BGID 1
#define WORKER_TICK_NS (1 * RF_NS_PER_MS)
#define WORKER_WAIT_MAX_NS (1 * RF_NS_PER_MS) /* see worker_wait_plan */
#define WORKER_SCAN_NS (10 * RF_NS_PER_MS)
#define WORKER_DRAIN_NS (1000 * RF_NS_PER_MS) /* see worker_drained */
#define WORKER_SEND_GROUP 4                   /* see worker_send_group */
#define WORKER_SEND_GROUP_OPEN 2              /* under a rate; see worker_send_group */
#define WORKER_SEND_GROUP_MAX 64
#define WORKER_SEND_SHARE 64      /* stamps early by at most latency / share, above the floor */
#define WORKER_CHECKS_PER_SCAN 8  /* see worker_check_reads */
#define WORKER_CLOCK_PAIR_NS 1000 /* see worker_clock_offset */
#define WORKER_CLEAN_CHECKS 64
#define WORKER_PACE_GAP_NS 25000 /* see worker_pace_wait */
#define BACKOFF_MIN_NS (10 * RF_NS_PER_MS)
#define BACKOFF_MAX_NS (1000 * RF_NS_PER_MS)
/* Up to this many pipeline bytes, sends complete inline (see conn_sndbuf) and need no CQE. */
#define SKIP_CQE_MAX_BYTES (64 * 1024)

/* ---- bookkeeping ------------------------------------------------------------------------ */

struct io_uring_sqe *rf__worker_sqe(struct rf__worker *w)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&w->loop->ring);
    if (!sqe) {
        /* The SQ is full: more than WORKER_SQ_ENTRIES operations in one turn.  Submitting
         * early here is the only second submit a turn can have. */
        io_uring_submit(&w->loop->ring);
        sqe = io_uring_get_sqe(&w->loop->ring);
    }
    return sqe;
}

/*
 * A timeout request that completes every WORKER_TICK_NS wakes the loop for its deadline,
 * timeouts and back-offs, so a turn can wait without a timer of its own: arming a timer on
 * every turn cost 11% of the client's CPU at -p 1 (under virtualization each arm exits to the
 * hypervisor).
 */
static void worker_arm_tick(struct rf__worker *w)
{
    struct io_uring_sqe *sqe = rf__worker_sqe(w);
    io_uring_prep_timeout(sqe, &w->loop->tick, 0, 0);
    io_uring_sqe_set_data64(sqe, rf__ud_pack(RF_OP_TICK, 0, 0));
}

/* The second of the measured phase the loop is in; the open model's drain, after the end,
 * is its last second's. */
static unsigned worker_second_now(const struct rf__worker *w)
{
    uint64_t at = w->loop->open && w->loop->now >= w->end_ns ? w->end_ns - 1 : w->loop->now;
    return at > w->measure_start_ns ? (unsigned)((at - w->measure_start_ns) / RF_NS_PER_S) : 0;
}

struct rf_second *rf__worker_second(struct rf__worker *w)
{
    if (!atomic_load_explicit(&w->measuring, memory_order_relaxed))
        return NULL;
    unsigned sec = worker_second_now(w);
    if (sec >= w->timeline_cap)
        return NULL;
    if (sec >= w->timeline_len)
        w->timeline_len = (unsigned)sec + 1;
    return &w->timeline[sec];
}

void rf__worker_error(struct rf__worker *w, enum rf_error_kind kind, int err, uint64_t n)
{
    w->counts.errors[kind] += n;
    if (err > 0)
        w->counts.errno_by_kind[kind][err <= RF_ERRNO_MAX ? err : 0] += n;
    struct rf_second *s = rf__worker_second(w);
    if (s)
        s->errors += n;
}

void rf__conn_mark(struct rf__worker *w, struct rf__conn *c)
{
    if (!c->dirty) {
        c->dirty = 1;
        w->loop->dirty[w->loop->ndirty++] = (uint32_t)(c - w->loop->conns);
    }
}

static uint32_t conn_idx(struct rf__worker *w, const struct rf__conn *c)
{
    return (uint32_t)(c - w->loop->conns);
}

/* ---- connection life cycle -------------------------------------------------------------- */

static void conn_backoff(struct rf__worker *w, struct rf__conn *c)
{
    c->backoff_ns = c->backoff_ns ? c->backoff_ns * 2 : BACKOFF_MIN_NS;
    if (c->backoff_ns > BACKOFF_MAX_NS)
        c->backoff_ns = BACKOFF_MAX_NS;
    c->state = RF_CONN_BACKOFF;
    c->since = w->loop->now + c->backoff_ns;
}

/*
 * A socket's send buffer holds at most one pipeline of unanswered requests, because a
 * connection never has more than `pipeline` requests in flight.  Sizing it to four pipelines
 * means a send always completes inline, in full, during the submit; so sends can carry
 * IOSQE_CQE_SKIP_SUCCESS (no completion unless they fail or fall short) and a later send can
 * never overtake an earlier one that is still waiting for room.
 */
static void conn_sndbuf(struct rf__worker *w, int fd)
{
    size_t bytes = w->plan->send_bytes;
    if (!w->loop->skip_send_cqe)
        return;
    int want = (int)(bytes * 4 > 65536 ? bytes * 4 : 65536);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
}

/* The next source address in turn; the port is chosen at connect, per destination
 * (IP_BIND_ADDRESS_NO_PORT), so each source address has the whole port range to the target. */
static int conn_bind_source(struct rf__worker *w, int fd)
{
    const struct rf_config *cfg = w->plan->config;
    const struct sockaddr_storage *a = &cfg->sources[w->next_source++ % cfg->nsources];
    int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
    return bind(fd, (const struct sockaddr *)a,
                a->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
}

static void conn_connect(struct rf__worker *w, struct rf__conn *c)
{
    const struct rf__plan *plan = w->plan;
    int fd = socket(plan->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        rf__worker_error(w, RF_ERRK_CONNECT, errno, 1);
        conn_backoff(w, c);
        return;
    }
    int one = 1;
    if (plan->config->nsources && conn_bind_source(w, fd) < 0) {
        rf__worker_error(w, RF_ERRK_CONNECT, errno, 1);
        close(fd);
        conn_backoff(w, c);
        return;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    /* Where the kernel refuses, reads carry no stamp and arrivals are the time they are seen. */
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
    conn_sndbuf(w, fd);
    c->fd = fd;
    c->reads = c->reads_mark = c->segs_mark = 0;
    c->rx_bytes = 0;
    c->state = RF_CONN_CONNECTING;
    c->since = w->loop->now;
    struct io_uring_sqe *sqe = rf__worker_sqe(w);
    io_uring_prep_connect(sqe, fd, (const struct sockaddr *)&plan->addr, plan->addrlen);
    io_uring_sqe_set_data64(sqe, rf__ud_pack(RF_OP_CONNECT, c->gen, conn_idx(w, c)));
}

/* Closes the socket; completions still on their way for it become stale. */
static void conn_close(struct rf__worker *w, struct rf__conn *c)
{
    if (c->recv_armed) {
        /* close() alone would not end the multishot receive: it holds its own reference to
         * the socket.  Cancel it by user_data; the cancel's own success needs no CQE. */
        struct io_uring_sqe *sqe = rf__worker_sqe(w);
        io_uring_prep_cancel64(sqe, rf__ud_pack(RF_OP_RECV, c->gen, conn_idx(w, c)), 0);
        io_uring_sqe_set_data64(sqe, rf__ud_pack(RF_OP_CANCEL, c->gen, conn_idx(w, c)));
        sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
    }
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->gen = (c->gen + 1) & RF_UD_GEN_MASK;
    c->recv_armed = 0;
    c->send_busy = 0;
    w->loop->inflight -= c->inflight;
    if (c->inflight)
        w->loop->busy--;
    c->inflight = 0;
    c->head = 0;
    rf__h1_reset(&c->h1);
    if (c->ws) {
        rf__ws_reset(&c->ws->parser);
        c->ws->echo_off = 0;
        c->ws->echo_bad = 0;
        c->ws->pong_pending = 0;
    }
}

void rf__conn_retry_later(struct rf__worker *w, struct rf__conn *c)
{
    conn_close(w, c);
    w->counts.reconnects++;
    conn_backoff(w, c);
}

/*
 * Gives up a connection after a failure of the target: the requests in flight on it are lost
 * (counted), and a new connection takes its place.  kind is the failure, counted once; for
 * RF_ERRK_CLOSED (the peer closed) every request in flight is counted, since each lost its answer.
 */
void rf__conn_drop(struct rf__worker *w, struct rf__conn *c, enum rf_error_kind kind, int err)
{
    if (kind == RF_ERRK_CLOSED) {
        if (c->inflight)
            rf__worker_error(w, kind, err, c->inflight);
    } else {
        rf__worker_error(w, kind, err, 1);
    }
    w->counts.lost += c->inflight;
    conn_close(w, c);
    w->counts.reconnects++;
    /* A connection that never answered (a server that accepts and then closes or resets) is
     * re-opened after a back-off, like a failed connect, not in a loop. */
    if (!c->useful) {
        conn_backoff(w, c);
        return;
    }
    c->backoff_ns = 0;
    if (!w->loop->stopping)
        conn_connect(w, c);
}

static void conn_arm_recv(struct rf__worker *w, struct rf__conn *c)
{
    struct io_uring_sqe *sqe = rf__worker_sqe(w);
    io_uring_prep_recvmsg_multishot(sqe, c->fd, &w->loop->rmsg, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = WORKER_BGID;
    io_uring_sqe_set_data64(sqe, rf__ud_pack(RF_OP_RECV, c->gen, conn_idx(w, c)));
    c->recv_armed = 1;
}

/* How many requests this connection may send now. */
uint64_t rf__conn_budget(struct rf__worker *w, const struct rf__conn *c)
{
    if (w->loop->open)
        return 0; /* the pacer sends, when requests fall due (worker_pace) */
    uint64_t free = w->loop->pipeline - c->inflight;
    /* Refill in batches: against servers that write each response on its own, a send per
     * response would put every request in its own TCP segment (whole pipelines measured best;
     * docs/engine.md, "Refill"). */
    if (c->inflight && free < w->plan->refill)
        return 0;
    if (w->quota) {
        uint64_t taken = w->counts.responses + w->loop->inflight;
        uint64_t left = w->quota > taken ? w->quota - taken : 0;
        if (free > left)
            free = left;
    }
    return free;
}

void rf__conn_send(struct rf__worker *w, struct rf__conn *c, const char *data, uint32_t len)
{
    if (!c->send_busy) {
        c->send_base = data;
        c->send_done = 0;
    }
    struct io_uring_sqe *sqe = rf__worker_sqe(w);
    /* MSG_WAITALL: a short send counts as a failure, so it posts a CQE even with SKIP_SUCCESS. */
    io_uring_prep_send(sqe, c->fd, data, len, MSG_WAITALL | MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, rf__ud_pack(RF_OP_SEND, c->gen, conn_idx(w, c)));
    if (w->loop->skip_send_cqe && !c->send_busy)
        sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
    else
        c->send_busy = 1;
    c->send_len = len;
}

void rf__conn_sent(struct rf__worker *w, struct rf__conn *c, uint64_t k, uint32_t bytes)
{
    struct rf__loop *l = w->loop;
    l->sends[l->nsends++] = (struct rf__sendlog){
        .conn = conn_idx(w, c), .slot = (c->head + c->inflight) % l->pipeline, .k = (uint32_t)k};
    if (c->inflight == 0)
        w->loop->busy++;
    c->inflight += (uint32_t)k;
    w->loop->inflight += k;
    w->counts.requests += k;
    w->counts.bytes_sent += bytes;
    struct rf_second *s = rf__worker_second(w);
    if (s)
        s->sent += k;
}

void rf__conn_answered(struct rf__worker *w, struct rf__conn *c)
{
    uint64_t sent = c->sent_at[c->head], intended = c->intended ? c->intended[c->head] : 0;
    c->useful = 1;
    c->head = c->head + 1 == w->loop->pipeline ? 0 : c->head + 1;
    c->inflight--;
    w->loop->inflight--;
    if (c->inflight == 0)
        w->loop->busy--;
    uint64_t at = w->loop->arrival ? w->loop->arrival : w->loop->now;
    uint64_t latency = at > sent ? at - sent : 0;
    w->counts.rx_stamped += w->loop->arrival != 0;
    rf_hist_record(w->latency, latency);
    if (w->loop->open) {
        rf_hist_record(w->response, at > intended ? at - intended : 0);
        rf__pace_offer(w, c);
    }
    /* An exponential average over about 64 responses; only worker_wait_plan reads it. */
    w->loop->latency_ewma_ns += ((int64_t)latency - (int64_t)w->loop->latency_ewma_ns) / 64;
    w->counts.responses++;
    struct rf_second *s = rf__worker_second(w);
    if (s)
        s->responses++;
    rf__conn_mark(w, c);
}

uint64_t rf__worker_random(struct rf__worker *w)
{
    uint64_t x = w->loop->rng; /* xorshift64*: fast, and seeded from getrandom() */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    w->loop->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* ---- completions ------------------------------------------------------------------------ */

static void on_connect(struct rf__worker *w, struct rf__conn *c)
{
    c->state = c->ws ? RF_CONN_UPGRADING : RF_CONN_OPEN;
    c->useful = 0;
    w->counts.connects_ok++;
    if (!c->ever_open) {
        c->ever_open = 1;
        w->established++;
    }
    conn_arm_recv(w, c);
    if (c->ws) {
        rf__wsconn_start(w, c);
        return;
    }
    rf__conn_mark(w, c); /* the flush fills the pipeline */
    rf__pace_offer(w, c);
}

/*
 * Receive timestamps.  A multishot recvmsg delivers with each read the kernel's receive time of
 * its last segment (SO_TIMESTAMPNS, CLOCK_REALTIME), which becomes the arrival of the
 * responses the read completes, however long the loop took to look.  It is exact for every
 * response of a read that holds one segment, and for a read that completes one response (at
 * pipeline depth 1, every read): a response has arrived when its last byte has.  A read that
 * merged segments stamps the earlier ones late, by less than the time the loop took to look;
 * worker_check_reads watches for such reads.  The recvmsg costs a few percent more client CPU
 * than a plain recv (docs/engine.md, "Receive stamps").
 *
 * Returns the read's arrival on the monotonic clock; 0 where it carries no stamp or the
 * realtime clock was stepped (the loop's own time stands in).
 */
static uint64_t recv_stamp(struct rf__loop *l, struct io_uring_recvmsg_out *out)
{
    struct cmsghdr *cm = io_uring_recvmsg_cmsg_firsthdr(out, &l->rmsg);
    for (; cm; cm = io_uring_recvmsg_cmsg_nexthdr(out, &l->rmsg, cm)) {
        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_TIMESTAMPNS)
            continue;
        struct timespec ts;
        memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
        uint64_t real = (uint64_t)ts.tv_sec * RF_NS_PER_S + (uint64_t)ts.tv_nsec;
        uint64_t at = real - l->real_offset;
        return real > l->real_offset && at <= l->now ? at : 0;
    }
    return 0;
}

/* The bytes of a receive completion, their number in *n: they follow the recvmsg header and
 * control messages, whose stamp becomes l->arrival.  None without a buffer (the end of the
 * stream); NULL when a buffer lacks its header. */
static const char *recv_bytes(struct rf__loop *l, const struct io_uring_cqe *cqe, size_t *n)
{
    *n = 0;
    if (!(cqe->flags & IORING_CQE_F_BUFFER))
        return "";
    char *buf = rf__bufring_data(&l->bufs, cqe->flags >> IORING_CQE_BUFFER_SHIFT);
    struct io_uring_recvmsg_out *out = io_uring_recvmsg_validate(buf, cqe->res, &l->rmsg);
    if (!out)
        return NULL;
    *n = io_uring_recvmsg_payload_length(out, cqe->res, &l->rmsg);
    if (*n) {
        l->arrival = recv_stamp(l, out);
        l->last_read_stamped = l->arrival != 0;
    }
    return io_uring_recvmsg_payload(out, &l->rmsg);
}

static void on_recv(struct rf__worker *w, struct rf__conn *c, struct io_uring_cqe *cqe)
{
    struct rf__loop *l = w->loop;
    if (!(cqe->flags & IORING_CQE_F_MORE))
        c->recv_armed = 0;
    unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
    int has_buf = (cqe->flags & IORING_CQE_F_BUFFER) != 0; /* a recvmsg's end of stream has one */
    size_t n;
    const char *data = recv_bytes(l, cqe, &n);
    if (!data || n == 0) {
        if (has_buf)
            rf__bufring_put(&l->bufs, bid);
        if (!data)
            rf__conn_drop(w, c, RF_ERRK_READ, EPROTO); /* never seen */
        else if (c->ws)
            rf__conn_drop(w, c, RF_ERRK_CLOSED, 0);
        else
            rf__http_eof(w, c);
        return;
    }
    uint32_t gen = c->gen;
    c->reads++;
    c->rx_bytes += n;
    w->counts.bytes_received += n;
    struct rf_second *s = rf__worker_second(w);
    if (s)
        s->bytes_received += n;
    if (c->ws)
        rf__wsconn_bytes(w, c, data, n);
    else
        rf__http_bytes(w, c, data, n);
    rf__bufring_put(&l->bufs, bid);
    l->arrival = 0;
    if (c->gen == gen && !c->recv_armed)
        rf__conn_mark(w, c); /* the multishot receive ended: the flush re-arms it */
}

static void on_send(struct rf__worker *w, struct rf__conn *c, int res)
{
    c->send_done += (uint32_t)res;
    c->send_busy = 0;
    if (c->send_done < c->send_len) {
        /* A short send: the rest goes now, and with a CQE, so nothing overtakes it. */
        w->counts.short_sends++;
        uint32_t rest = c->send_len - c->send_done, done = c->send_done;
        rf__conn_send(w, c, c->send_base + done, rest);
        c->send_len = done + rest;
        c->send_done = done;
        return;
    }
    rf__conn_mark(w, c);
    rf__pace_offer(w, c);
}

static void on_failure(struct rf__worker *w, struct rf__conn *c, enum rf__op op, int res)
{
    switch (op) {
    case RF_OP_CONNECT:
        rf__worker_error(w, RF_ERRK_CONNECT, -res, 1);
        close(c->fd);
        c->fd = -1;
        c->gen = (c->gen + 1) & RF_UD_GEN_MASK;
        conn_backoff(w, c);
        break;
    case RF_OP_RECV:
        c->recv_armed = 0;
        if (res == -ENOBUFS) {
            /* Every provided buffer was in use: nothing was lost, the data waits in the
             * socket.  The flush re-arms the receive after this turn gave buffers back. */
            w->counts.enobufs++;
            rf__conn_mark(w, c);
            break;
        }
        rf__conn_drop(w, c, RF_ERRK_READ, -res);
        break;
    case RF_OP_SEND:
        rf__conn_drop(w, c, RF_ERRK_WRITE, -res);
        break;
    case RF_OP_CANCEL:
    case RF_OP_TICK:
        break;
    }
}

static void worker_dispatch(struct rf__worker *w, struct io_uring_cqe *cqe)
{
    uint64_t ud = io_uring_cqe_get_data64(cqe);
    enum rf__op op = rf__ud_op(ud);
    struct rf__conn *c = &w->loop->conns[rf__ud_idx(ud)];

    if (op == RF_OP_TICK) {
        worker_arm_tick(w);
        return;
    }
    if (op == RF_OP_CANCEL)
        return; /* only failed cancels post a CQE: the receive had already ended */
    if (rf__ud_gen(ud) != c->gen) {
        if (cqe->flags & IORING_CQE_F_BUFFER)
            rf__bufring_put(&w->loop->bufs, cqe->flags >> IORING_CQE_BUFFER_SHIFT);
        return;
    }
    if (cqe->res < 0) {
        on_failure(w, c, op, cqe->res);
        return;
    }
    switch (op) {
    case RF_OP_CONNECT:
        on_connect(w, c);
        break;
    case RF_OP_RECV:
        on_recv(w, c, cqe);
        break;
    case RF_OP_SEND:
        on_send(w, c, cqe->res);
        break;
    case RF_OP_CANCEL:
    case RF_OP_TICK:
        break;
    }
}

/* ---- per turn --------------------------------------------------------------------------- */

static void worker_begin_measuring(struct rf__worker *w)
{
    /* Warm-up traffic is forgotten by the worker itself, on its own thread; its fastest answer,
     * from before a saturated server's queue grew, is kept for the verdict (rate.c). */
    w->warm_fastest_ns = rf_hist_min(w->latency);
    memset(&w->counts, 0, sizeof(w->counts));
    rf_hist_reset(w->latency);
    if (w->loop->open) {
        rf_hist_reset(w->response);
        rf_hist_reset(w->lag);
    }
    struct timespec cpu;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    w->cpu_start_ns = (uint64_t)cpu.tv_sec * RF_NS_PER_S + (uint64_t)cpu.tv_nsec;
    w->wake_late_max_ns = 0;
    memset(w->timeline, 0, sizeof(*w->timeline) * w->timeline_cap);
    w->timeline_len = 0;
    /* The open model's seconds are its schedule's: they start at the end of the warm-up. */
    w->measure_start_ns = w->loop->open ? w->warm_end_ns : w->loop->now;
    for (int k = 0; k < 3 && w->loop->snap[k]; k++)
        rf_hist_reset(w->loop->snap[k]);
    w->loop->interval_next = w->measure_start_ns + RF_NS_PER_S;
    w->loop->interval_second = 0;
    atomic_store_explicit(&w->measuring, 1, memory_order_relaxed);
}

/* Timeouts, connect timeouts and back-off deadlines: a scan every WORKER_SCAN_NS. */
static void worker_scan(struct rf__worker *w)
{
    struct rf__loop *l = w->loop;
    uint64_t timeout = w->plan->config->timeout_ns;
    for (unsigned i = 0; i < w->nconns; i++) {
        struct rf__conn *c = &l->conns[i];
        switch (c->state) {
        case RF_CONN_OPEN:
            if (c->inflight && l->now > c->sent_at[c->head] + timeout)
                rf__conn_drop(w, c, RF_ERRK_TIMEOUT, 0);
            break;
        case RF_CONN_UPGRADING:
            if (l->now - c->since > timeout)
                rf__conn_drop(w, c, RF_ERRK_TIMEOUT, 0);
            break;
        case RF_CONN_CONNECTING:
            if (l->now - c->since > timeout) {
                rf__worker_error(w, RF_ERRK_CONNECT, ETIMEDOUT, 1);
                conn_close(w, c);
                conn_backoff(w, c);
            }
            break;
        case RF_CONN_BACKOFF:
            if (l->now >= c->since)
                conn_connect(w, c);
            break;
        }
    }
}

/*
 * Where a server writes each batch of pipelined responses at once (one segment), every read at
 * any depth holds one segment and its stamp is exact; where it writes them one by one, reads
 * that waited merge segments.  Which one is the case is checked here, a few connections every
 * scan: the kernel's count of data segments received (TCP_INFO) against the reads that brought
 * bytes, taken when the loop has read everything the kernel received.  More segments than reads
 * means some read merged segments: io.rx_merged counts them, and deeper pipelines go back to
 * the short wait until WORKER_CLEAN_CHECKS checks in a row find one segment per read.
 */
static void worker_check_reads(struct rf__worker *w)
{
    struct rf__loop *l = w->loop;
    for (unsigned i = 0; i < WORKER_CHECKS_PER_SCAN && i < w->nconns; i++) {
        struct rf__conn *c = &l->conns[l->check_next];
        l->check_next = l->check_next + 1 == w->nconns ? 0 : l->check_next + 1;
        uint64_t bytes;
        uint32_t segs;
        if (c->state != RF_CONN_OPEN || rf__tcp_received(c->fd, &bytes, &segs) < 0 ||
            bytes != c->rx_bytes)
            continue; /* unread bytes: their segments are counted, their reads not yet */
        uint32_t nsegs = segs - c->segs_mark, nreads = c->reads - c->reads_mark;
        c->segs_mark = segs;
        c->reads_mark = c->reads;
        if (nsegs > nreads) {
            w->counts.rx_merged += nsegs - nreads;
            l->clean_checks = 0;
        } else if (nreads && l->clean_checks < WORKER_CLEAN_CHECKS) {
            l->clean_checks++;
        }
    }
}

/*
 * Whether the run may end at its end time.  The open model sends nothing after it, but waits
 * for the answers still on their way, up to WORKER_DRAIN_NS (or the request timeout): their
 * response times belong to the run, and leaving the slowest out would flatter the tail.  The
 * measured phase still ends at the end time.
 */
static int worker_drained(struct rf__worker *w)
{
    struct rf__loop *l = w->loop;
    uint64_t grace = w->plan->config->timeout_ns < WORKER_DRAIN_NS ? w->plan->config->timeout_ns
                                                                   : WORKER_DRAIN_NS;
    if (!l->open || l->inflight == 0 || l->now >= w->end_ns + grace)
        return 1;
    if (!l->stopping) {
        l->stopping = 1;
        w->measure_end_ns = w->end_ns;
    }
    return 0;
}

struct interval_visit {
    struct rf__worker *w;
    uint32_t second, kind;
};

static void interval_entry(uint64_t value_ns, uint64_t count, void *arg)
{
    struct interval_visit *v = arg;
    struct rf__worker *w = v->w;
    if (w->nivals == w->ivals_cap) {
        size_t cap = w->ivals_cap ? 2 * w->ivals_cap : 4096;
        struct rf__interval_entry *e = realloc(w->ivals, cap * sizeof(*e));
        if (!e) {
            w->ivals_lost = 1;
            return;
        }
        w->ivals = e;
        w->ivals_cap = cap;
    }
    w->ivals[w->nivals++] = (struct rf__interval_entry){v->second, v->kind, value_ns, count};
}

/* Keeps what the worker's histograms gained since the last call as the given second's: a
 * pass over the buckets once a second, nothing on the hot path. */
static void worker_interval(struct rf__worker *w, unsigned second)
{
    struct rf__loop *l = w->loop;
    struct rf_hist *const now[3] = {w->latency, w->response, w->lag};
    for (uint32_t k = 0; k < 3 && l->snap[k]; k++)
        rf_hist_delta(now[k], l->snap[k], interval_entry, &(struct interval_visit){w, second, k});
}

/*
 * The open model's schedule starts when every connection of the worker is open (a WebSocket
 * upgraded), or when the request timeout has passed since the run began: a request intended
 * while the connections are still being made would wait for them, and its lag would be the
 * handshake's.  With a start time (plan->start_at_ns, shards started together) it starts then,
 * or, when the connections opened too late, still counts from then: the requests already due
 * go at once and their lag says so.  The warm-up and the measured phase follow from that start.
 */
static void worker_schedule(struct rf__worker *w)
{
    struct rf__loop *l = w->loop;
    const struct rf__plan *plan = w->plan;
    unsigned open = 0;
    for (unsigned i = 0; i < w->nconns; i++)
        open += l->conns[i].state == RF_CONN_OPEN;
    if (open < w->nconns && l->now < plan->start_ns + plan->config->timeout_ns)
        return;
    uint64_t base = plan->start_at_ns ? plan->start_at_ns : l->now;
    w->sched_start_ns = base;
    w->sched_late_ns = plan->start_at_ns && l->now > base ? l->now - base : 0;
    w->warm_end_ns = base + (plan->warm_end_ns - plan->start_ns);
    w->end_ns = w->warm_end_ns + (plan->end_ns - plan->warm_end_ns);
    rf__sched_init(&l->sched, plan->config, base, w->warm_end_ns, w->index, w->nworkers);
}

/* config->live: the histograms as they are now, for the main thread (once a second). */
static void worker_live(struct rf__worker *w)
{
    struct rf_hist *const now[3] = {w->latency, w->response, w->lag};
    pthread_mutex_lock(&w->live_lock);
    for (int k = 0; k < 3; k++)
        if (w->live[k] && now[k]) {
            rf_hist_reset(w->live[k]);
            rf_hist_merge(w->live[k], now[k]);
        }
    pthread_mutex_unlock(&w->live_lock);
}

/* Returns 1 when the worker is done. */
static int worker_tick(struct rf__worker *w)
{
    struct rf__loop *l = w->loop;
    if (l->open && w->end_ns == UINT64_MAX)
        worker_schedule(w);
    if (!atomic_load_explicit(&w->measuring, memory_order_relaxed) && l->now >= w->warm_end_ns)
        worker_begin_measuring(w);
    int measuring = atomic_load_explicit(&w->measuring, memory_order_relaxed);
    if (w->live[0] && measuring && l->now >= w->live_next_ns) {
        worker_live(w);
        w->live_next_ns = l->now + RF_NS_PER_S;
    }
    if (l->snap[0] && measuring && l->now >= l->interval_next && l->interval_next <= w->end_ns) {
        worker_interval(w, l->interval_second++);
        l->interval_next += RF_NS_PER_S;
    }
    atomic_store_explicit(&w->progress_responses, measuring ? w->counts.responses : 0,
                          memory_order_relaxed);
    uint64_t errors = 0;
    for (int k = 0; k < RF_ERRK_COUNT_; k++)
        errors += w->counts.errors[k];
    atomic_store_explicit(&w->progress_errors, measuring ? errors : 0, memory_order_relaxed);

    if (atomic_load_explicit(w->plan->stop, memory_order_relaxed))
        return 1;
    if (w->quota && measuring && w->counts.responses >= w->quota)
        return 1;
    if (l->now >= w->end_ns && worker_drained(w))
        return 1;
    if (l->now >= l->next_scan) {
        worker_scan(w);
        worker_check_reads(w);
        l->next_scan = l->now + WORKER_SCAN_NS;
    }
    return 0;
}

/* Whether the reads' arrival times are the kernel's (recv_stamp), so that reading an answer
 * later changes no latency. */
static int worker_stamps_exact(const struct rf__loop *l)
{
    return l->last_read_stamped && (l->pipeline == 1 || l->clean_checks >= WORKER_CLEAN_CHECKS);
}

/*
 * How long to wait, and for how many completions.  Waking for every segment is the costliest
 * thing a client does against a server that writes each pipelined response on its own.  So a
 * turn may wait for a quarter of the busy connections to hear back, but never longer than
 * 1/64 of the recent latency: a response is observed at most that much later than it arrived,
 * which bounds the error this adds to any latency at about 1.6%.  Where that bound is below
 * the rule's min_ns the timer would cost more than it saves: wait for one completion, with no
 * timer (returns 0).
 *
 * Where stamps are exact (recv_stamp: at pipeline depth 1, and at any depth while
 * worker_check_reads finds one segment per read) waiting adds nothing to a latency, so a turn
 * waits for half the busy connections, up to 1/8 of the latency: fewer, fuller turns (the
 * measurements behind both rules: docs/engine.md, "Waiting").
 */
static uint64_t worker_wait_plan(const struct rf__loop *l, unsigned *nr)
{
    static const struct wait_rule {
        uint64_t share;  /* the wait is at most latency / share */
        uint64_t min_ns; /* below this a timer costs more than it saves */
        unsigned part;   /* wait for busy / part completions */
    } rules[2] = {
        {64, 50 * RF_NS_PER_S / 1000000, 4}, /* arrivals as the loop sees them */
        {8, 2 * RF_NS_PER_S / 1000000, 2},   /* arrivals as the kernel stamped them */
    };
    const struct wait_rule *r = &rules[worker_stamps_exact(l)];
    uint64_t bound = l->latency_ewma_ns / r->share;
    if (bound < r->min_ns || l->busy < 8) {
        *nr = 1;
        return 0;
    }
    *nr = l->busy / r->part;
    return bound < WORKER_WAIT_MAX_NS ? bound : WORKER_WAIT_MAX_NS;
}

/*
 * How many sends a flush submits together: as many as keep a group's stamp early by at most
 * 1/WORKER_SEND_SHARE of the recent latency, at the recent time per send (the bound the wait
 * puts on a late look at an arrival), and at least WORKER_SEND_GROUP.  At -c 1000 -p 1 a
 * latency of milliseconds allows tens of sends to a submit, where the fixed group of 4 made
 * one system call per 4 responses (docs/engine.md, "Send stamps").  Under a rate the floor is
 * WORKER_SEND_GROUP_OPEN: there the stamp starts the service time and ends the generator lag,
 * which the verdict reads; a floor of 2 cost a median 1.01x the CPU at 50k/s (docs/engine.md).
 */
static unsigned worker_send_group(const struct rf__loop *l)
{
    unsigned floor = l->open ? WORKER_SEND_GROUP_OPEN : WORKER_SEND_GROUP;
    if (!l->send_ewma_ns)
        return floor;
    uint64_t n = l->latency_ewma_ns / WORKER_SEND_SHARE / l->send_ewma_ns;
    return n < floor ? floor : n > WORKER_SEND_GROUP_MAX ? WORKER_SEND_GROUP_MAX : (unsigned)n;
}

/*
 * Submits the sends queued since the last call and stamps them with t0, the moment the previous
 * submit ended (or the flush began): a submit runs its sends one after another, inline (see
 * conn_sndbuf), so none of them left before t0.  One submit for a whole turn's sends would make
 * that stamp early by nearly the whole submit, and shares of it interpolated by position can
 * fall after a send left (docs/engine.md, "Send stamps").  So the flush submits every
 * l->send_group sends (worker_send_group), and a stamp is early by at most its group's submit,
 * t1 - t0, which io.tx_early_ns adds up per request.  A last single send goes with the submit
 * that also waits, right after t0, and counts as not early.
 */
static void worker_submit_sends(struct rf__worker *w)
{
    struct rf__loop *l = w->loop;
    unsigned from = l->nstamped, m = l->nsends - from;
    uint64_t t0 = l->sends_t0, t1 = t0;
    if (m > 1) {
        io_uring_submit(&l->ring);
        t1 = rf__now_ns();
        l->send_ewma_ns += ((int64_t)((t1 - t0) / m) - (int64_t)l->send_ewma_ns) / 8;
    }
    for (unsigned j = 0; j < m; j++) {
        const struct rf__sendlog *s = &l->sends[from + j];
        struct rf__conn *c = &l->conns[s->conn];
        w->counts.tx_early_ns += (t1 - t0) * s->k;
        for (uint32_t i = 0, slot = s->slot; i < s->k; i++) {
            c->sent_at[slot] = t0;
            if (l->open)
                rf_hist_record(w->lag, t0 > c->intended[slot] ? t0 - c->intended[slot] : 0);
            slot = slot + 1 == l->pipeline ? 0 : slot + 1;
        }
    }
    l->nstamped = l->nsends;
    l->sends_t0 = t1;
}

/*
 * The open model.  Requests fall due at the schedule's intended times (schedule.c), whatever
 * the answers.  Each flush gives every due request to a connection with room (open, under the
 * pipeline depth), one request per connection per pass, round robin over the connections in
 * the order they got room: one slow connection holds back nobody (wrk2 ties a schedule to each
 * connection).  A connection given several requests in a flush sends them in one send.  A
 * request still due when no connection has room waits for the next flush that finds one, and
 * is counted as waited; its intended time stays, so its response time includes the wait.
 */
void rf__pace_offer(struct rf__worker *w, struct rf__conn *c)
{
    struct rf__loop *l = w->loop;
    if (!l->open || c->in_avail || c->state != RF_CONN_OPEN)
        return;
    c->in_avail = 1;
    l->avail[(l->avail_head + l->navail++) % w->nconns] = conn_idx(w, c);
}

/* The next connection with room, or NULL.  Entries whose connection closed or filled since
 * they were queued are dropped here. */
static struct rf__conn *pace_take(struct rf__worker *w)
{
    struct rf__loop *l = w->loop;
    while (l->navail) {
        struct rf__conn *c = &l->conns[l->avail[l->avail_head]];
        l->avail_head = l->avail_head + 1 == w->nconns ? 0 : l->avail_head + 1;
        l->navail--;
        c->in_avail = 0;
        if (c->state == RF_CONN_OPEN && !c->send_busy && c->inflight + c->pace_k < l->pipeline)
            return c;
    }
    return NULL;
}

/* Whether -n leaves room for another request. */
static int pace_quota(const struct rf__worker *w)
{
    const struct rf__loop *l = w->loop;
    return !w->quota || w->counts.responses + l->inflight + l->pending < w->quota;
}

static void worker_pace(struct rf__worker *w, int head_start)
{
    struct rf__loop *l = w->loop;
    uint64_t now = l->sends_t0;
    unsigned npaced = 0;
    while (l->sched.next_ns <= now && !l->stopping && pace_quota(w)) {
        struct rf__conn *c = pace_take(w);
        if (!c)
            break;
        c->intended[(c->head + c->inflight + c->pace_k) % l->pipeline] = l->sched.next_ns;
        if (c->pace_k++ == 0)
            l->paced[npaced++] = conn_idx(w, c);
        l->pending++;
        w->counts.waited += l->sched.next_ns < l->backlog_mark;
        rf__sched_advance(&l->sched);
        rf__pace_offer(w, c);
    }
    /* Requests due now and not given out wait: the next flushes count them.  A head start
     * (worker_pace_early) runs before the turn's answers are read, so it leaves that to the
     * turn's flush. */
    if (!head_start)
        l->backlog_mark = l->sched.next_ns <= now ? now + 1 : 0;
    for (unsigned i = 0; i < npaced; i++) {
        struct rf__conn *c = &l->conns[l->paced[i]];
        uint64_t k = c->pace_k;
        c->pace_k = 0;
        if (c->ws)
            rf__wsconn_send(w, c, k);
        else
            rf__http_send(w, c, k);
        if (l->nsends - l->nstamped >= l->send_group)
            worker_submit_sends(w);
    }
    l->pending = 0;
}

static void worker_flush(struct rf__worker *w)
{
    struct rf__loop *l = w->loop;
    l->sends_t0 = rf__now_ns();
    l->send_group = worker_send_group(l);
    for (unsigned i = 0; i < l->ndirty; i++) {
        struct rf__conn *c = &l->conns[l->dirty[i]];
        c->dirty = 0;
        if (c->state != RF_CONN_OPEN && c->state != RF_CONN_UPGRADING)
            continue;
        if (!c->recv_armed)
            conn_arm_recv(w, c);
        if (c->state != RF_CONN_OPEN || c->send_busy || l->stopping)
            continue;
        if (c->ws)
            rf__wsconn_flush(w, c);
        else
            rf__http_refill(w, c);
        if (l->nsends - l->nstamped >= l->send_group)
            worker_submit_sends(w);
    }
    l->ndirty = 0;
    if (l->open)
        worker_pace(w, 0);
    worker_submit_sends(w);
    l->nsends = l->nstamped = 0;
}

/*
 * Open model: the wait ends at the next intended send time at the latest, so pacing is as
 * accurate as the kernel's high-resolution timer (a relative timeout of io_uring_enter, no
 * timer request).  A request already due and a connection with room: no wait at all; due and
 * no room: the first answer ends the wait, with no batching of answers.
 *
 * Not yet due, with kernel-stamped reads, answers do not end the wait: their arrival times
 * are the kernel's, so reading them at the next send changes no latency, and the loop wakes
 * once per send rather than once per send and once per answer.  A wake-up comes at least
 * WORKER_PACE_GAP_NS after the last: a timed wake-up costs about 20 us of CPU on the machine
 * this was measured on, so at higher rates the sends due within that gap go out together, late
 * by at most the gap, which the lag shows (docs/engine.md, "Pacing").
 *
 * l->wake_at is when the wait should end at the latest (0: it has no end to keep); the loop
 * measures how late it really ended (rf__worker.wake_late_max_ns).
 */
static uint64_t worker_pace_wait(struct rf__loop *l, uint64_t ns, unsigned *nr)
{
    uint64_t due = l->sched.next_ns, now = rf__now_ns();
    l->wake_at = 0;
    if (due == UINT64_MAX || l->stopping)
        return ns; /* nothing more to send: wait for answers as the closed loop does */
    if (due <= now) {
        *nr = l->navail ? 0 : 1; /* every connection full: the first answer makes room */
        return 0;
    }
    if (worker_stamps_exact(l)) {
        uint64_t at = due > l->now + WORKER_PACE_GAP_NS ? due : l->now + WORKER_PACE_GAP_NS;
        *nr = WORKER_CQ_ENTRIES; /* more than can come: only the timer ends the wait */
        ns = at - now < WORKER_WAIT_MAX_NS ? at - now : WORKER_WAIT_MAX_NS;
    } else if (!ns || due - now < ns) {
        ns = due - now;
        *nr = *nr ? *nr : 1;
    }
    l->wake_at = now + ns;
    return ns;
}

/*
 * Open model: how late the wait ended after the time it was given.  The kernel's timer is
 * accurate to microseconds, so a wake-up milliseconds late means the worker was ready to run
 * and something else had its CPU: another task, the kernel's own threads, or the host.  The
 * latest of the measured phase goes into the verdict's reason (rate.c).
 */
static void worker_wake_late(struct rf__worker *w)
{
    const struct rf__loop *l = w->loop;
    if (l->wake_at && l->now > l->wake_at && l->now - l->wake_at > w->wake_late_max_ns)
        w->wake_late_max_ns = l->now - l->wake_at;
}

/*
 * The offset of the realtime clock from the monotonic one, which turns receive stamps into
 * arrivals.  A pair of readings split by a preemption would make every arrival of the turn
 * early by the preemption; a reading is taken only between two monotonic ones at most
 * WORKER_CLOCK_PAIR_NS apart, else the last good offset stays.
 */
static void worker_clock_offset(struct rf__loop *l)
{
    uint64_t real = rf__real_ns(), after = rf__now_ns();
    if (after - l->now <= WORKER_CLOCK_PAIR_NS || !l->real_offset)
        l->real_offset = real - l->now - (after - l->now) / 2;
}

/*
 * Open model: a wake-up that finds requests due gives them to the connections known to have
 * room before it reads the turn's answers, so their lag leaves out the answers' handling.  They
 * are stamped with the time the wait returned, before their submit: none left earlier.  Not on
 * the turn whose tick begins the measured phase: that forgets what was sent before it.
 */
static void worker_pace_early(struct rf__worker *w)
{
    struct rf__loop *l = w->loop;
    if (!l->open || !l->navail || l->sched.next_ns > l->now || l->stopping)
        return;
    if (!atomic_load_explicit(&w->measuring, memory_order_relaxed) && l->now >= w->warm_end_ns)
        return;
    l->sends_t0 = l->now;
    l->send_group = worker_send_group(l);
    worker_pace(w, 1);
    worker_submit_sends(w); /* submits groups of two or more; a last single send waits */
    if (io_uring_sq_ready(&l->ring))
        io_uring_submit(&l->ring);
    l->nsends = l->nstamped = 0;
}

static int worker_loop(struct rf__worker *w)
{
    struct rf__loop *l = w->loop;
    struct io_uring_cqe *cqes[WORKER_CQE_BATCH];

    for (;;) {
        struct io_uring_cqe *cqe;
        unsigned nr;
        uint64_t ns = worker_wait_plan(l, &nr);
        if (l->open)
            ns = worker_pace_wait(l, ns, &nr);
        struct __kernel_timespec wait = {.tv_sec = 0, .tv_nsec = (long long)ns};
        /* Not waiting, the open model still enters the kernel for the answers' deferred work:
         * a turn that only submitted would leave them unread and their connections full. */
        int rc = ns ? io_uring_submit_and_wait_timeout(&l->ring, &cqe, nr, &wait, NULL)
                 : nr || !l->open ? io_uring_submit_and_wait(&l->ring, nr)
                                  : io_uring_submit_and_get_events(&l->ring);
        if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY)
            return rc;
        l->now = rf__now_ns();
        worker_wake_late(w);
        worker_clock_offset(l);
        worker_pace_early(w);
        unsigned n;
        do {
            n = io_uring_peek_batch_cqe(&l->ring, cqes, WORKER_CQE_BATCH);
            for (unsigned i = 0; i < n; i++)
                worker_dispatch(w, cqes[i]);
            io_uring_cq_advance(&l->ring, n);
        } while (n == WORKER_CQE_BATCH);
        rf__bufring_publish(&l->bufs);
        if (worker_tick(w))
            break;
        worker_flush(w);
    }
    if (!l->stopping || !w->measure_end_ns)
        w->measure_end_ns = l->now;
    l->stopping = 1;
    if (l->snap[0] && atomic_load_explicit(&w->measuring, memory_order_relaxed))
        worker_interval(w, worker_second_now(w));
    w->counts.unanswered = l->inflight;
    struct timespec cpu;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    w->cpu_ns = (uint64_t)cpu.tv_sec * RF_NS_PER_S + (uint64_t)cpu.tv_nsec - w->cpu_start_ns;
    return 0;
}

/* ---- set-up ----------------------------------------------------------------------------- */

/*
 * SINGLE_ISSUER (only this thread submits) and DEFER_TASKRUN (completion work runs when this
 * thread enters the kernel, not in interrupts) together take the locking and the task-work
 * interruptions out of the io_uring path.  Older kernels refuse them; fall back step by step
 * and say which flags are in effect.
 */
static int worker_ring(struct rf__worker *w)
{
    static const struct {
        unsigned flags;
        const char *name;
    } tries[] = {
        {IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, "SINGLE_ISSUER|DEFER_TASKRUN"},
        {IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN, "SINGLE_ISSUER|COOP_TASKRUN"},
        {IORING_SETUP_COOP_TASKRUN, "COOP_TASKRUN"},
        {0, "no setup flags"},
    };
    int first_err = 0;
    for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
        struct io_uring_params p;
        memset(&p, 0, sizeof(p));
        p.flags = tries[i].flags | IORING_SETUP_CQSIZE;
        p.cq_entries = WORKER_CQ_ENTRIES;
        int rc = io_uring_queue_init_params(WORKER_SQ_ENTRIES, &w->loop->ring, &p);
        if (rc == 0) {
            w->ring_flags = tries[i].flags;
            /* A registered ring fd spares io_uring_enter() its file-table lookup (Linux 5.18+);
             * where the kernel refuses, the plain fd works the same. */
            io_uring_register_ring_fd(&w->loop->ring);
            if (i > 0)
                snprintf(w->ring_fallback, sizeof(w->ring_fallback),
                         "the kernel refused SINGLE_ISSUER|DEFER_TASKRUN (%s); using %s",
                         rf_err_name(first_err), tries[i].name);
            w->loop->ring_ok = 1;
            return 0;
        }
        if (!first_err)
            first_err = rc;
    }
    return RF_ERING;
}

static int worker_setup(struct rf__worker *w)
{
    const struct rf__plan *plan = w->plan;
    unsigned p = plan->config->pipeline;
    struct rf__loop *l = calloc(1, sizeof(*l));
    if (!l)
        return RF_ENOMEM;
    w->loop = l;
    w->warm_end_ns = plan->warm_end_ns;
    w->end_ns = plan->end_ns;
    l->pipeline = p;
    l->skip_send_cqe = plan->send_bytes <= SKIP_CQE_MAX_BYTES;
    l->conns = calloc(w->nconns, sizeof(*l->conns));
    l->sent_at = calloc((size_t)w->nconns * p, sizeof(*l->sent_at));
    l->carry = malloc((size_t)w->nconns * RF_H1_LINE_MAX);
    l->dirty = calloc(w->nconns, sizeof(*l->dirty));
    l->sends = calloc(w->nconns, sizeof(*l->sends));
    w->latency = rf_hist_new();
    w->timeline = calloc(w->timeline_cap, sizeof(*w->timeline));
    if (!l->conns || !l->sent_at || !l->carry || !l->dirty || !l->sends || !w->latency ||
        !w->timeline)
        return RF_ENOMEM;
    if (plan->config->rate > 0 || plan->config->nstages) {
        l->open = 1;
        l->sched.next_ns = UINT64_MAX; /* nothing is due before worker_schedule */
        w->warm_end_ns = w->end_ns = UINT64_MAX;
        l->intended = calloc((size_t)w->nconns * p, sizeof(*l->intended));
        l->avail = calloc(w->nconns, sizeof(*l->avail));
        l->paced = calloc(w->nconns, sizeof(*l->paced));
        w->response = rf_hist_new();
        w->lag = rf_hist_new();
        if (!l->intended || !l->avail || !l->paced || !w->response || !w->lag)
            return RF_ENOMEM;
    }
    for (int k = 0; plan->config->intervals && k < (l->open ? 3 : 1); k++)
        if (!(l->snap[k] = rf_hist_new()))
            return RF_ENOMEM;
    if (plan->config->websocket) {
        l->ws = calloc(w->nconns, sizeof(*l->ws));
        l->wsbufs = malloc((size_t)w->nconns * plan->send_bytes);
        if (!l->ws || !l->wsbufs)
            return RF_ENOMEM;
    }
    if (getrandom(&l->rng, sizeof(l->rng), 0) != sizeof(l->rng) || l->rng == 0)
        l->rng = rf__now_ns() | 1;
    int rc = worker_ring(w);
    if (rc < 0)
        return rc;
    rc = rf__bufring_setup(&l->ring, &l->bufs, plan->buffers, plan->buffer_size, WORKER_BGID);
    if (rc < 0)
        return rc;
    l->now = rf__now_ns();
    l->rmsg.msg_controllen = CMSG_SPACE(sizeof(struct timespec));
    l->tick.tv_nsec = (long long)WORKER_TICK_NS;
    worker_arm_tick(w);
    for (unsigned i = 0; i < w->nconns; i++) {
        struct rf__conn *c = &l->conns[i];
        c->fd = -1;
        c->sent_at = l->sent_at + (size_t)i * p;
        c->intended = l->intended ? l->intended + (size_t)i * p : NULL;
        rf__h1_init(&c->h1, l->carry + (size_t)i * RF_H1_LINE_MAX, plan->request.head, &l->repeat);
        if (l->ws) {
            c->ws = &l->ws[i];
            c->ws->sendbuf = l->wsbufs + (size_t)i * plan->send_bytes;
            rf__ws_reset(&c->ws->parser);
        }
        conn_connect(w, c); /* all connects go out together in the first submit */
    }
    if (!l->open && plan->warm_end_ns <= plan->start_ns)
        worker_begin_measuring(w);
    return 0;
}

static void worker_teardown(struct rf__worker *w)
{
    struct rf__loop *l = w->loop;
    if (!l)
        return;
    if (l->ring_ok) {
        rf__bufring_free(&l->ring, &l->bufs);
        io_uring_queue_exit(&l->ring);
    }
    for (unsigned i = 0; l->conns && i < w->nconns; i++)
        if (l->conns[i].fd >= 0)
            close(l->conns[i].fd);
    free(l->conns);
    free(l->sent_at);
    free(l->carry);
    free(l->dirty);
    free(l->sends);
    free(l->intended);
    free(l->avail);
    free(l->paced);
    for (int k = 0; k < 3; k++)
        rf_hist_free(l->snap[k]);
    free(l->ws);
    free(l->wsbufs);
    free(l);
    w->loop = NULL;
}

static void *worker_main(void *arg)
{
    struct rf__worker *w = arg;
    if (w->cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(w->cpu, &set);
        pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
    }
    int rc = worker_setup(w);
    if (rc == 0)
        rc = worker_loop(w);
    if (rc < 0)
        w->err = rc;
    if (!w->measure_end_ns)
        w->measure_end_ns = rf__now_ns();
    worker_teardown(w);
    atomic_store_explicit(&w->done, 1, memory_order_release);
    return NULL;
}

int rf__worker_start(struct rf__worker *w)
{
    int rc = pthread_create(&w->thread, NULL, worker_main, w);
    return rc ? RF_ETHREAD : 0;
}
