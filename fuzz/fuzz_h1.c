/*
 * fuzz_h1.c - the HTTP/1.1 response parser: the same stream parsed whole, split at points the
 * fuzzer chooses (each piece its own exact-size allocation), split with a fresh repeat cache,
 * and whole with a cache another parser primed, must give the same responses and the same end.
 * Input: one byte of flags (bit 0: the requests were HEAD), one byte of split lengths count,
 * that many split lengths, then the stream.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h1.h"

#define FZ_MAX_RESPONSES 64

struct fz_outcome {
    int n;
    struct {
        int status, close, upgrade, upgrade_ws;
        uint64_t body;
        size_t end;
    } r[FZ_MAX_RESPONSES];
    int last; /* how it ended: 0 all consumed, 1 parse error, 2 upgrade, 3 full */
    int eof;  /* rf__h1_eof's answer */
};

static void fz_record(struct fz_outcome *o, const struct rf__h1_response *resp, size_t end)
{
    o->r[o->n].status = resp->status;
    o->r[o->n].close = resp->close;
    o->r[o->n].upgrade = resp->upgrade;
    o->r[o->n].upgrade_ws = resp->upgrade_websocket;
    o->r[o->n].body = resp->body_len;
    o->r[o->n++].end = end;
}

/* Feeds one piece; returns 0 to go on, or how the stream ended. */
static int fz_piece(struct rf__h1 *p, const char *buf, size_t len, size_t pos, struct fz_outcome *o)
{
    size_t off = 0;
    while (off < len) {
        struct rf__h1_response resp;
        long r = rf__h1_feed(p, buf + off, len - off, &resp);
        if (r == RF_PARSE_INCOMPLETE)
            return 0;
        if (r == RF_PARSE_ERROR)
            return 1;
        if (r < 1 || (size_t)r > len - off)
            abort(); /* consumed nothing, or more than it was given */
        off += (size_t)r;
        fz_record(o, &resp, pos + off);
        if (resp.upgrade)
            return 2;
        if (o->n == FZ_MAX_RESPONSES)
            return 3;
    }
    return 0;
}

static void fz_parse(const char *data, size_t len, const uint8_t *cuts, size_t ncuts, int head,
                     struct rf__h1_repeat *rep, struct fz_outcome *o)
{
    static char carry[RF_H1_LINE_MAX];
    struct rf__h1 p;
    memset(o, 0, sizeof(*o));
    rf__h1_init(&p, carry, head, rep);
    for (size_t pos = 0, c = 0; pos < len && !o->last;) {
        size_t n = ncuts ? 1 + cuts[c++ % ncuts] % 97 : len - pos;
        n = n > len - pos ? len - pos : n;
        char *piece = malloc(n); /* exactly n bytes: ASan sees any read past the piece */
        memcpy(piece, data + pos, n);
        o->last = fz_piece(&p, piece, n, pos, o);
        free(piece);
        pos += n;
    }
    if (!o->last) {
        struct rf__h1_response resp;
        o->eof = rf__h1_eof(&p, &resp);
        if (o->eof == 1)
            fz_record(o, &resp, len);
    }
}

/* Whether a line is longer than a split parse may carry (a documented limit: such a line
 * parses in one buffer and fails when split). */
static int fz_long_line(const char *d, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        run = d[i] == '\n' ? 0 : run + 1;
        if (run >= RF_H1_LINE_MAX - 2)
            return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    int head = data[0] & 1;
    size_t ncuts = data[1] % 16;
    if (size < 2 + ncuts)
        return 0;
    const uint8_t *cuts = data + 2;
    const char *stream = (const char *)data + 2 + ncuts;
    size_t len = size - 2 - ncuts;
    static struct fz_outcome whole, split, cached, primed;
    static struct rf__h1_repeat rep;
    fz_parse(stream, len, NULL, 0, head, NULL, &whole);
    if (fz_long_line(stream, len))
        return 0;
    fz_parse(stream, len, cuts, ncuts ? ncuts : 1, head, NULL, &split);
    memset(&rep, 0, sizeof(rep));
    fz_parse(stream, len, cuts, ncuts ? ncuts : 1, head, &rep, &cached);
    fz_parse(stream, len, NULL, 0, head, &rep, &primed); /* rep primed by the run before */
    if (memcmp(&whole, &split, sizeof(whole)) || memcmp(&whole, &cached, sizeof(whole)) ||
        memcmp(&whole, &primed, sizeof(whole)))
        abort();
    return 0;
}
