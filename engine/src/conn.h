/*
 * conn.h - a worker's connections and loop state, shared by the loop (worker.c) and the two
 * protocols that ride on it (http.c, wsconn.c).  Internal to the worker thread.
 */
#ifndef RF_CONN_H
#define RF_CONN_H

#include <liburing.h>

#include "bufring.h"
#include "h1.h"
#include "schedule.h"
#include "worker.h"
#include "ws.h"

enum rf__conn_state {
    RF_CONN_BACKOFF,    /* waiting to (re)connect */
    RF_CONN_CONNECTING, /* connect submitted */
    RF_CONN_UPGRADING,  /* WebSocket: upgrade request sent, waiting for 101 */
    RF_CONN_OPEN,
};

/* The WebSocket side of a connection. */
struct rf__wsconn {
    struct rf__ws parser;
    char accept[RF_WS_ACCEPT_LEN + 1]; /* the Sec-WebSocket-Accept the server must send */
    uint64_t echo_off;                 /* bytes of the current echo checked so far */
    int echo_bad;                      /* they differed from what was sent */
    int pong_pending;
    unsigned pong_len;
    char pong[RF_WS_CONTROL_MAX];
    unsigned char *sendbuf; /* the upgrade request, then a pipeline of frames */
};

struct rf__conn {
    int fd;
    uint32_t gen;
    uint8_t state;
    uint8_t recv_armed;
    uint8_t dirty;     /* on the loop's dirty list */
    uint8_t send_busy; /* a send with a CQE is under way */
    uint8_t ever_open;
    uint8_t useful;    /* answered something since it was opened */
    uint8_t in_avail;  /* open model: on the loop's queue of connections with room */
    uint32_t pace_k;   /* open model: requests given to it in this flush, not yet sent */
    uint32_t inflight; /* requests (messages) sent and not yet answered */
    uint32_t head;     /* sent_at index of the oldest request in flight */
    uint32_t send_len; /* bytes of the send under way */
    uint32_t send_done;
    uint32_t reads;      /* receives that brought bytes, since the connect */
    uint32_t reads_mark; /* reads, and the kernel's count of data segments, at the last check */
    uint32_t segs_mark;
    uint64_t rx_bytes;     /* bytes received since the connect */
    const char *send_base; /* the buffer of the send under way */
    uint64_t since;        /* connect or upgrade submitted; or the back-off deadline */
    uint64_t backoff_ns;
    uint64_t *sent_at;  /* pipeline-depth ring of send times */
    uint64_t *intended; /* open model: the same slots' intended send times */
    struct rf__h1 h1;
    struct rf__wsconn *ws; /* NULL for HTTP */
};

struct rf__loop {
    struct io_uring ring;
    int ring_ok;
    struct rf__bufring bufs;
    struct rf__conn *conns;
    uint64_t *sent_at;
    char *carry;
    struct rf__h1_repeat repeat; /* shared by the connections' parsers */
    struct rf__wsconn *ws;
    unsigned char *wsbufs;
    uint32_t *dirty;
    unsigned ndirty;
    struct rf__sendlog {
        uint32_t conn, slot, k; /* sent_at[slot] and the k - 1 after it (mod pipeline) */
    } * sends; /* this turn's sends, in submission order: one per connection, from the flush */
    unsigned nsends;
    unsigned nstamped;     /* of them, submitted and stamped */
    uint64_t sends_t0;     /* the latest submit of sends ended; or the flush began */
    uint64_t send_ewma_ns; /* time per send in a submit, averaged (worker_send_group) */
    unsigned send_group;   /* sends per submit in this flush */
    uint64_t inflight;     /* over all connections */
    unsigned busy;         /* connections with requests in flight */
    uint64_t latency_ewma_ns;
    struct __kernel_timespec tick;
    uint64_t now;
    uint64_t real_offset;  /* CLOCK_REALTIME - CLOCK_MONOTONIC, sampled with now */
    uint64_t arrival;      /* the kernel's receive stamp of the bytes being parsed; 0: none */
    int last_read_stamped; /* the latest read had a stamp: worker_wait_plan may wait longer */
    unsigned check_next;   /* the connection worker_check_reads looks at next */
    unsigned clean_checks; /* checks in a row that found one segment per read */
    struct msghdr rmsg;    /* the receives' template: room for one SCM_TIMESTAMPNS */
    uint64_t next_scan;
    uint64_t rng; /* xorshift state for WebSocket keys and masks */
    unsigned pipeline;
    int skip_send_cqe;
    int stopping;
    /* The open model (worker_pace): the schedule, the connections with room in the order they
     * got it, and those given requests in the current flush. */
    int open;
    struct rf__schedule sched;
    uint64_t *intended;
    uint32_t *avail;
    unsigned avail_head, navail;
    uint32_t *paced;
    uint64_t pending;      /* requests given to connections in this flush, not yet sent */
    uint64_t backlog_mark; /* requests due before this were left waiting by the last flush */
    uint64_t wake_at;      /* the end of this turn's timed wait; 0: none (worker_pace_wait) */
    /* Per-second histograms (config->intervals): the counts at the last second's end, one
     * copy per histogram of the worker, and the next second's end. */
    struct rf_hist *snap[3];
    uint64_t interval_next;
    unsigned interval_second;
};

/* worker.c: the loop's services to the protocols */
struct io_uring_sqe *rf__worker_sqe(struct rf__worker *w);
void rf__worker_error(struct rf__worker *w, enum rf_error_kind kind, int err, uint64_t n);
struct rf_second *rf__worker_second(struct rf__worker *w);
uint64_t rf__worker_random(struct rf__worker *w);
void rf__conn_mark(struct rf__worker *w, struct rf__conn *c);
/* Gives up the connection after a failure of the target and opens a new one. */
void rf__conn_drop(struct rf__worker *w, struct rf__conn *c, enum rf_error_kind kind, int err);
/* Closes the connection and opens a new one after a back-off. */
void rf__conn_retry_later(struct rf__worker *w, struct rf__conn *c);
/* How many requests the connection may send now (pipeline, refill policy, -n budget). */
uint64_t rf__conn_budget(struct rf__worker *w, const struct rf__conn *c);
/* Sends len bytes at data (which must stay valid until the send completes). */
void rf__conn_send(struct rf__worker *w, struct rf__conn *c, const char *data, uint32_t len);
/* k requests of `bytes` bytes in all are queued to go out; the flush submits and stamps them
 * (worker_submit_sends). */
void rf__conn_sent(struct rf__worker *w, struct rf__conn *c, uint64_t k, uint32_t bytes);
/* The oldest request in flight was answered: latency and counts.  The caller checked that
 * one is in flight. */
void rf__conn_answered(struct rf__worker *w, struct rf__conn *c);
/* Open model: the connection may have room for more requests; queue it for the pacer. */
void rf__pace_offer(struct rf__worker *w, struct rf__conn *c);

/* http.c */
void rf__http_refill(struct rf__worker *w, struct rf__conn *c);
void rf__http_send(struct rf__worker *w, struct rf__conn *c, uint64_t k);
void rf__http_bytes(struct rf__worker *w, struct rf__conn *c, const char *p, size_t n);
void rf__http_eof(struct rf__worker *w, struct rf__conn *c);

/* wsconn.c */
void rf__wsconn_start(struct rf__worker *w, struct rf__conn *c);
void rf__wsconn_bytes(struct rf__worker *w, struct rf__conn *c, const char *p, size_t n);
void rf__wsconn_flush(struct rf__worker *w, struct rf__conn *c);
void rf__wsconn_send(struct rf__worker *w, struct rf__conn *c, uint64_t k);

#endif
