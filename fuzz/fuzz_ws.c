/*
 * fuzz_ws.c - the WebSocket frame parser and encoder: a stream of server frames parsed whole
 * and split at points the fuzzer chooses (each piece its own exact-size allocation) must give
 * the same messages and control frames and the same end; masking must equal a byte loop; and a
 * frame the encoder makes, unmasked, must parse back to its payload.  Input: one byte of split
 * lengths count, the lengths, then the stream.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws.h"

#define FZ_MAX_EVENTS 64
#define FZ_MAX_DATA 4096

struct fz_outcome {
    int n;
    struct {
        int kind, opcode;
        uint64_t message_len;     /* data: the whole message's, at its end */
        size_t len;               /* bytes so far (data: of the message) */
        unsigned char bytes[256]; /* the first bytes: a control frame fits whole */
    } ev[FZ_MAX_EVENTS];
    unsigned char message[FZ_MAX_DATA]; /* the data message being assembled */
    size_t message_len;
    int error;
};

/* Data events are compared by message, whatever the splits; control frames one by one. */
static void fz_event(struct fz_outcome *o, const struct rf__ws_event *ev)
{
    if (ev->kind == RF_WS_EV_DATA) {
        if (ev->data == NULL && ev->len)
            abort();
        size_t room = FZ_MAX_DATA - o->message_len, n = ev->len < room ? ev->len : room;
        memcpy(o->message + o->message_len, ev->data, n);
        o->message_len += n;
        if (!ev->end)
            return;
    }
    if (o->n == FZ_MAX_EVENTS)
        return;
    o->ev[o->n].kind = (int)ev->kind;
    o->ev[o->n].opcode = ev->opcode;
    if (ev->kind == RF_WS_EV_DATA) {
        o->ev[o->n].message_len = ev->message_len;
        o->ev[o->n].len = o->message_len;
        memcpy(o->ev[o->n].bytes, o->message, o->message_len < 256 ? o->message_len : 256);
        o->message_len = 0;
    } else {
        if (ev->len > RF_WS_CONTROL_MAX)
            abort();
        o->ev[o->n].len = ev->len;
        memcpy(o->ev[o->n].bytes, ev->data, ev->len);
    }
    o->n++;
}

static void fz_parse(const char *data, size_t len, const uint8_t *cuts, size_t ncuts,
                     struct fz_outcome *o)
{
    struct rf__ws p;
    memset(o, 0, sizeof(*o));
    rf__ws_reset(&p);
    for (size_t pos = 0, c = 0; pos < len && !o->error;) {
        size_t n = ncuts ? 1 + cuts[c++ % ncuts] % 97 : len - pos;
        n = n > len - pos ? len - pos : n;
        char *piece = malloc(n);
        memcpy(piece, data + pos, n);
        for (size_t off = 0; off < n && !o->error;) {
            struct rf__ws_event ev;
            long r = rf__ws_feed(&p, piece + off, n - off, &ev);
            if (r == RF_PARSE_INCOMPLETE)
                break;
            if (r == RF_PARSE_ERROR) {
                o->error = 1;
                break;
            }
            if (r < 0 || (size_t)r > n - off)
                abort();
            if (ev.kind == RF_WS_EV_DATA && ev.len &&
                (ev.data < piece + off || ev.data + ev.len > piece + off + (size_t)r))
                abort(); /* data must lie in what this call consumed */
            off += (size_t)r;
            fz_event(o, &ev);
        }
        free(piece);
        pos += n;
    }
}

static void fz_mask_and_encode(const uint8_t *data, size_t size)
{
    uint32_t mask = 0x9e3779b9u ^ (uint32_t)size;
    size_t n = size < 1024 ? size : 1024;
    unsigned char *a = malloc(n + 1), *b = malloc(n + 1);
    memcpy(a, data, n);
    memcpy(b, data, n);
    rf__ws_mask(a, n, mask);
    for (size_t i = 0; i < n; i++)
        b[i] ^= (unsigned char)(mask >> (8 * (i % 4)));
    if (memcmp(a, b, n))
        abort();
    unsigned char *frame = malloc(rf__ws_frame_size(n));
    size_t len = rf__ws_encode(frame, RF_WS_OP_BINARY, data, n, mask);
    if (len != rf__ws_frame_size(n))
        abort();
    size_t head = len - n; /* the server side sends unmasked: clear the bit, drop the key */
    frame[1] &= 0x7f;
    rf__ws_mask(frame + head, n, mask);
    memmove(frame + head - 4, frame + head, n);
    struct fz_outcome o;
    fz_parse((const char *)frame, len - 4, NULL, 0, &o);
    if (o.error || o.n != 1 || o.ev[0].len != n || memcmp(o.ev[0].bytes, data, n < 256 ? n : 256))
        abort();
    free(a);
    free(b);
    free(frame);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t ncuts = data[0] % 16;
    if (size < 1 + ncuts)
        return 0;
    const char *stream = (const char *)data + 1 + ncuts;
    size_t len = size - 1 - ncuts;
    static struct fz_outcome whole, split;
    fz_parse(stream, len, NULL, 0, &whole);
    fz_parse(stream, len, data + 1, ncuts ? ncuts : 1, &split);
    if (memcmp(&whole, &split, sizeof(whole)))
        abort();
    fz_mask_and_encode(data, size);
    return 0;
}
