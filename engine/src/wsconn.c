/*
 * wsconn.c - WebSocket echo load on a worker's connection (RFC 6455): the opening handshake,
 * masked message frames out, every echo checked byte for byte against what was sent, pings
 * answered with pongs, a server's close answered and the connection re-opened.
 */
#include <string.h>
#include <sys/socket.h>

#include "conn.h"

void rf__wsconn_start(struct rf__worker *w, struct rf__conn *c)
{
    struct rf__wsconn *ws = c->ws;
    const struct rf__request *req = &w->plan->request;
    /* A fresh random key per connection (section 4.1), and the answer it calls for. */
    unsigned char nonce[16];
    uint64_t a = rf__worker_random(w), b = rf__worker_random(w);
    memcpy(nonce, &a, 8);
    memcpy(nonce + 8, &b, 8);
    char key[RF_WS_KEY_LEN + 1];
    rf__ws_make_key(nonce, key);
    rf__ws_accept(key, ws->accept);
    memcpy(ws->sendbuf, req->pipeline, req->len);
    memcpy(ws->sendbuf + req->key_offset, key, RF_WS_KEY_LEN);
    c->since = w->loop->now;
    rf__conn_send(w, c, (const char *)ws->sendbuf, (uint32_t)req->len);
    w->counts.bytes_sent += req->len;
}

/*
 * Control replies are rare and tiny, and go out with a plain send() from here: every send this
 * connection submitted before has completed in full (the caller checks send_busy), and the
 * turn's own messages are submitted after this, so frames never interleave.
 */
static int ws_control_reply(struct rf__worker *w, struct rf__conn *c, int opcode,
                            const char *payload, size_t n)
{
    unsigned char frame[RF_WS_HEADER_MAX + RF_WS_CONTROL_MAX];
    size_t len = rf__ws_encode(frame, opcode, payload, n, (uint32_t)rf__worker_random(w));
    ssize_t sent = send(c->fd, frame, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent != (ssize_t)len)
        return -1;
    w->counts.bytes_sent += len;
    return 0;
}

/* The opening handshake's answer (section 4.2.2).  Returns the bytes it used, or -1 when the
 * connection was given up. */
static long ws_upgrade(struct rf__worker *w, struct rf__conn *c, const char *p, size_t n)
{
    struct rf__h1_response r;
    long used = rf__h1_feed(&c->h1, p, n, &r);
    if (used == RF_PARSE_INCOMPLETE)
        return (long)n;
    if (used == RF_PARSE_ERROR) {
        w->counts.ws_upgrade_failed++;
        w->counts.status_other++;
        rf__conn_retry_later(w, c);
        return -1;
    }
    w->counts.status[r.status]++;
    if (r.status >= 600)
        w->counts.status_other++;
    if (r.status != 101 || !r.upgrade_websocket || strcmp(r.ws_accept, c->ws->accept) != 0) {
        /* Refused or invalid: never treated as open.  Retried after a back-off, so a server
         * that refuses every upgrade is not hammered in a loop. */
        w->counts.ws_upgrade_failed++;
        rf__conn_retry_later(w, c);
        return -1;
    }
    w->counts.ws_upgrades++;
    c->state = RF_CONN_OPEN;
    c->useful = 1;
    rf__conn_mark(w, c); /* the flush sends the first messages */
    rf__pace_offer(w, c);
    return used;
}

/* Payload bytes of an echo: compared with what was sent, at the same offset. */
static void ws_echo(struct rf__worker *w, struct rf__conn *c, const struct rf__ws_event *ev)
{
    struct rf__wsconn *ws = c->ws;
    const struct rf__plan *plan = w->plan;
    if (ev->len) {
        if (ws->echo_off + ev->len > plan->ws_payload_len ||
            memcmp(plan->ws_payload + ws->echo_off, ev->data, ev->len) != 0)
            ws->echo_bad = 1;
        ws->echo_off += ev->len;
    }
    if (!ev->end)
        return;
    int opcode = plan->config->ws_binary ? RF_WS_OP_BINARY : RF_WS_OP_TEXT;
    if (ws->echo_bad || ws->echo_off != plan->ws_payload_len || ev->opcode != opcode ||
        c->inflight == 0)
        w->counts.ws_mismatches++;
    ws->echo_off = 0;
    ws->echo_bad = 0;
    if (c->inflight)
        rf__conn_answered(w, c);
}

/* Returns -1 when the connection was given up. */
static int ws_control(struct rf__worker *w, struct rf__conn *c, const struct rf__ws_event *ev)
{
    struct rf__wsconn *ws = c->ws;
    switch (ev->opcode) {
    case RF_WS_OP_PING:
        /* Answered in the flush; a later ping replaces an unanswered one (section 5.5.3). */
        memcpy(ws->pong, ev->data, ev->len);
        ws->pong_len = (unsigned)ev->len;
        ws->pong_pending = 1;
        rf__conn_mark(w, c);
        return 0;
    case RF_WS_OP_CLOSE:
        /* Echo the status code, then close (section 5.5.1); messages in flight are lost. */
        w->counts.ws_closes++;
        if (!c->send_busy)
            ws_control_reply(w, c, RF_WS_OP_CLOSE, ev->data, ev->len >= 2 ? 2 : 0);
        rf__conn_drop(w, c, RF_ERRK_CLOSED, 0);
        return -1;
    default: /* an unsolicited pong */
        return 0;
    }
}

void rf__wsconn_bytes(struct rf__worker *w, struct rf__conn *c, const char *p, size_t n)
{
    if (c->state == RF_CONN_UPGRADING) {
        long used = ws_upgrade(w, c, p, n);
        if (used < 0)
            return;
        p += used;
        n -= (size_t)used;
    }
    while (n > 0) {
        struct rf__ws_event ev;
        long used = rf__ws_feed(&c->ws->parser, p, n, &ev);
        if (used == RF_PARSE_INCOMPLETE)
            return;
        if (used == RF_PARSE_ERROR) {
            w->counts.ws_protocol_errors++;
            rf__conn_drop(w, c, RF_ERRK_PARSE, 0);
            return;
        }
        p += used;
        n -= (size_t)used;
        if (ev.kind == RF_WS_EV_DATA)
            ws_echo(w, c, &ev);
        else if (ws_control(w, c, &ev) < 0)
            return;
    }
}

void rf__wsconn_flush(struct rf__worker *w, struct rf__conn *c)
{
    struct rf__wsconn *ws = c->ws;
    if (ws->pong_pending) {
        ws->pong_pending = 0;
        if (ws_control_reply(w, c, RF_WS_OP_PONG, ws->pong, ws->pong_len) < 0) {
            rf__conn_drop(w, c, RF_ERRK_WRITE, 0);
            return;
        }
        w->counts.ws_pings_answered++;
    }
    uint64_t k = rf__conn_budget(w, c);
    if (k)
        rf__wsconn_send(w, c, k);
}

void rf__wsconn_send(struct rf__worker *w, struct rf__conn *c, uint64_t k)
{
    struct rf__wsconn *ws = c->ws;
    /* Each message gets a fresh mask key (section 5.3), so frames are built per send. */
    const struct rf__plan *plan = w->plan;
    int opcode = plan->config->ws_binary ? RF_WS_OP_BINARY : RF_WS_OP_TEXT;
    size_t size = rf__ws_frame_size(plan->ws_payload_len);
    for (uint64_t i = 0; i < k; i++)
        rf__ws_encode(ws->sendbuf + i * size, opcode, plan->ws_payload, plan->ws_payload_len,
                      (uint32_t)rf__worker_random(w));
    rf__conn_sent(w, c, k, (uint32_t)(k * size));
    rf__conn_send(w, c, (const char *)ws->sendbuf, (uint32_t)(k * size));
}
