/*
 * fuzz_fixture.c - ringfire-fixture's request side: the HTTP/1.1 request parser, the routes and
 * the WebSocket frame parser after an upgrade, fed a client's bytes whole and split at points
 * the fuzzer chooses.  Oracle besides the sanitizers: the bytes the fixture answers (the Date
 * header masked, at most FZ_OUT_CAP of them) and whether it closes must not depend on how the
 * requests were split into reads.  /delay answers at once, as if its time had come.
 *
 * Input: one byte of switches (bits 0-1 --malformed-every 2/3/5, bit 2 --reset-every 7, bit 3
 * --close-after 4, bit 4 --ws-ping-every 3, bit 5 --ws-corrupt-every 2), one byte of split
 * lengths count, that many split lengths, then the stream.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define FZ_OUT_CAP (256u * 1024)

struct fz_answer {
    char *data;
    size_t len;
    int closed; /* 0 open, 1 closed, 2 reset, 3 capped */
};

static void fz_take_output(struct fx_conn *c, struct fz_answer *a)
{
    size_t n = c->out.len - c->out.off;
    if (n == 0)
        return;
    if (a->len + n > FZ_OUT_CAP) {
        n = FZ_OUT_CAP - a->len;
        a->closed = 3;
    }
    memcpy(a->data + a->len, c->out.data + c->out.off, n);
    a->len += n;
    fx_buf_consume(&c->out, c->out.len - c->out.off);
}

/* What the fixture's loop does after a read, with every write taken whole.  Returns 1 when the
 * connection is over. */
static int fz_pump(struct fx_thread *t, struct fx_conn *c, struct fz_answer *a)
{
    for (int turns = 0; turns < 100000 && !a->closed; turns++) {
        int rc = c->mode == FX_MODE_HTTP ? fx_http_process(t, c) : fx_ws_process(t, c);
        if (rc == 0 && c->mode == FX_MODE_WS && c->in.len > c->in.off && !c->close_after_write)
            rc = fx_ws_process(t, c);
        if (rc < 0)
            a->closed = 1;
        if (c->delay_until_ms) {
            fx_delay_respond(t, c);
            t->delayed = NULL;
        }
        fx_gen_fill(c);
        int produced = c->out.len > c->out.off || fx_gen_active(&c->gen);
        fz_take_output(c, a);
        if (!a->closed && (c->reset_now || c->close_after_write))
            a->closed = c->reset_now ? 2 : 1;
        if (!produced)
            break;
    }
    return a->closed != 0;
}

static void fz_mask_dates(struct fz_answer *a)
{
    static const char date[] = "\r\nDate: ";
    for (char *p = a->data; (p = memmem(p, a->len - (size_t)(p - a->data), date, 8));) {
        size_t room = a->len - (size_t)(p - a->data);
        size_t n = room < 8 + 29 ? room : 8 + 29;
        memset(p, 'D', n);
        p += n;
    }
}

static void fz_feed(const struct fx_options *o, const uint8_t *splits, size_t nsplits,
                    const uint8_t *data, size_t size, struct fz_answer *a)
{
    struct fx_thread t = {.opt = o, .epfd = -1, .listen_fd = -1};
    struct fx_conn c = {.fd = -1};
    size_t pos = 0, k = 0;
    while (pos < size && !a->closed) {
        size_t n = size - pos;
        if (k < nsplits && splits[k] && splits[k] < n)
            n = splits[k];
        k++;
        if (fx_buf_append(&c.in, data + pos, n, FX_BODY_MAX + FX_READ_MAX) < 0) {
            a->closed = 1;
            break;
        }
        pos += n;
        fz_pump(&t, &c, a);
    }
    fz_mask_dates(a);
    fx_buf_free(&c.in);
    fx_buf_free(&c.out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint64_t malformed[] = {0, 2, 3, 5};
    if (size < 2)
        return 0;
    uint8_t sw = data[0];
    size_t nsplits = data[1];
    if (size < 2 + nsplits)
        return 0;
    const uint8_t *splits = data + 2;
    struct fx_options o = {
        .threads = 1,
        .malformed_every = malformed[sw & 3],
        .reset_every = sw & 4 ? 7 : 0,
        .close_after = sw & 8 ? 4 : 0,
        .ws_ping_every = sw & 16 ? 3 : 0,
        .ws_corrupt_every = sw & 32 ? 2 : 0,
    };
    data += 2 + nsplits;
    size -= 2 + nsplits;

    static char whole_buf[FZ_OUT_CAP], split_buf[FZ_OUT_CAP];
    struct fz_answer whole = {.data = whole_buf}, split = {.data = split_buf};
    fz_feed(&o, NULL, 0, data, size, &whole);
    fz_feed(&o, splits, nsplits, data, size, &split);
    size_t common = whole.len < split.len ? whole.len : split.len;
    if (memcmp(whole.data, split.data, common) != 0)
        abort(); /* the answer depends on how the requests were split */
    if (whole.closed != 3 && split.closed != 3 &&
        (whole.len != split.len || whole.closed != split.closed))
        abort();
    return 0;
}
