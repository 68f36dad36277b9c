/*
 * http.c - HTTP/1.1 on a worker's connection: pipelined requests out, responses parsed and
 * matched to them in order (RFC 9112 section 9.3.2).
 */
#include "conn.h"

void rf__http_send(struct rf__worker *w, struct rf__conn *c, uint64_t k)
{
    uint32_t bytes = (uint32_t)(k * w->plan->request.len);
    rf__conn_sent(w, c, k, bytes);
    rf__conn_send(w, c, w->plan->request.pipeline, bytes);
}

void rf__http_refill(struct rf__worker *w, struct rf__conn *c)
{
    uint64_t k = rf__conn_budget(w, c);
    if (k)
        rf__http_send(w, c, k);
}

/* One complete response.  Returns -1 when the connection was dropped. */
static int http_response(struct rf__worker *w, struct rf__conn *c, const struct rf__h1_response *r)
{
    if (c->inflight == 0) {
        rf__conn_drop(w, c, RF_ERRK_PARSE, 0); /* a response nobody asked for */
        return -1;
    }
    rf__conn_answered(w, c);
    w->counts.status[r->status]++;
    if (r->status >= 600)
        w->counts.status_other++;
    if (r->close || r->upgrade) {
        /* The server said it closes after this response: requests sent behind it are lost. */
        rf__conn_drop(w, c, RF_ERRK_CLOSED, 0);
        return -1;
    }
    return 0;
}

void rf__http_bytes(struct rf__worker *w, struct rf__conn *c, const char *p, size_t n)
{
    while (n > 0) {
        struct rf__h1_response r;
        long used = rf__h1_feed(&c->h1, p, n, &r);
        if (used == RF_PARSE_INCOMPLETE)
            return;
        if (used == RF_PARSE_ERROR) {
            rf__conn_drop(w, c, RF_ERRK_PARSE, 0);
            return;
        }
        if (http_response(w, c, &r) < 0)
            return;
        p += used;
        n -= (size_t)used;
    }
}

void rf__http_eof(struct rf__worker *w, struct rf__conn *c)
{
    struct rf__h1_response r;
    if (rf__h1_eof(&c->h1, &r) == 1 && http_response(w, c, &r) < 0)
        return;
    rf__conn_drop(w, c, RF_ERRK_CLOSED, 0);
}
