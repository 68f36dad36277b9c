/*
 * test_ws.c - WebSocket framing: the handshake values, the encoder and mask, and the server
 * frame parser fed whole, at every split point and byte by byte against a guard page.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "ws.h"

/* ---- handshake, encoder, mask ------------------------------------------------------------ */

Test(ws, accept_matches_rfc_6455_example)
{
    char accept[RF_WS_ACCEPT_LEN + 1];
    rf__ws_accept("dGhlIHNhbXBsZSBub25jZQ==", accept);
    cr_assert(eq(str, accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

Test(ws, key_is_base64_of_16_bytes)
{
    unsigned char zero[16] = {0}, nonce[16] = "the sample nonce";
    char key[RF_WS_KEY_LEN + 1];
    rf__ws_make_key(zero, key);
    cr_assert(eq(str, key, "AAAAAAAAAAAAAAAAAAAAAA=="));
    rf__ws_make_key(nonce, key);
    cr_assert(eq(str, key, "dGhlIHNhbXBsZSBub25jZQ=="), "the RFC's own nonce");
}

Test(ws, mask_equals_bytewise_xor_at_every_length_and_alignment)
{
    unsigned char buf[80], want[80];
    uint32_t mask = 0x9a3c51e7;
    unsigned char k[4];
    memcpy(k, &mask, 4);
    for (size_t off = 0; off < 8; off++) {
        for (size_t n = 0; n + off <= 64; n++) {
            for (size_t i = 0; i < sizeof(buf); i++)
                buf[i] = want[i] = (unsigned char)(i * 7 + 3);
            for (size_t i = 0; i < n; i++)
                want[off + i] ^= k[i & 3];
            rf__ws_mask(buf + off, n, mask);
            cr_assert(eq(int, memcmp(buf, want, sizeof(buf)), 0), "offset %zu length %zu", off, n);
        }
    }
}

/* Decodes a client frame by hand (section 5.2) and checks it says what was encoded. */
static void check_encoding(size_t n, size_t header_len)
{
    unsigned char *payload = malloc(n + 1), *frame = malloc(rf__ws_frame_size(n));
    for (size_t i = 0; i < n; i++)
        payload[i] = (unsigned char)(i * 31 + 1);
    uint32_t mask = 0x01020304;
    size_t len = rf__ws_encode(frame, RF_WS_OP_BINARY, payload, n, mask);
    cr_assert(eq(sz, len, header_len + 4 + n));
    cr_assert(eq(sz, rf__ws_frame_size(n), len));
    cr_assert(eq(int, frame[0], 0x82), "FIN and binary");
    cr_assert(eq(int, frame[1] & 0x80, 0x80), "client frames are masked");
    uint64_t got = frame[1] & 0x7f;
    if (got == 126)
        got = (uint64_t)frame[2] << 8 | frame[3];
    else if (got == 127) {
        got = 0;
        for (int i = 0; i < 8; i++)
            got = got << 8 | frame[2 + i];
    }
    cr_assert(eq(u64, got, n), "length form for %zu", n);
    unsigned char *key = frame + header_len;
    for (size_t i = 0; i < n; i++)
        cr_assert(eq(int, frame[header_len + 4 + i] ^ key[i & 3], payload[i]), "byte %zu", i);
    free(payload);
    free(frame);
}

Test(ws, encoder_uses_each_length_form)
{
    check_encoding(0, 2);
    check_encoding(125, 2);
    check_encoding(126, 4);
    check_encoding(65535, 4);
    check_encoding(65536, 10);
    check_encoding(100000, 10);
}

/* ---- parser ------------------------------------------------------------------------------ */

/* A server frame (unmasked) with FIN/opcode byte b0 and payload p of n bytes. */
static size_t frame(unsigned char *out, int b0, const char *p, size_t n)
{
    size_t h = 2;
    out[0] = (unsigned char)b0;
    if (n < 126) {
        out[1] = (unsigned char)n;
    } else if (n < 65536) {
        out[1] = 126;
        out[2] = (unsigned char)(n >> 8);
        out[3] = (unsigned char)n;
        h = 4;
    } else {
        out[1] = 127;
        for (int i = 0; i < 8; i++)
            out[2 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
        h = 10;
    }
    memcpy(out + h, p, n);
    return h + n;
}

struct seen {
    char text[256]; /* "T:Hello|P:ping|B:126 bytes|..." */
    int error;
};

static void record(struct seen *s, const struct rf__ws_event *ev, char *msg, size_t *msg_len)
{
    char item[96];
    if (ev->kind == RF_WS_EV_DATA) {
        memcpy(msg + *msg_len, ev->data, ev->len);
        *msg_len += ev->len;
        if (!ev->end)
            return;
        cr_assert(eq(u64, ev->message_len, *msg_len), "message_len counts every part");
        if (*msg_len <= 16)
            snprintf(item, sizeof(item), "%c:%.*s|", ev->opcode == RF_WS_OP_TEXT ? 'T' : 'B',
                     (int)*msg_len, msg);
        else
            snprintf(item, sizeof(item), "%c:%zu bytes|", ev->opcode == RF_WS_OP_TEXT ? 'T' : 'B',
                     *msg_len);
        *msg_len = 0;
    } else {
        snprintf(item, sizeof(item), "%c:%.*s|",
                 ev->opcode == RF_WS_OP_PING   ? 'P'
                 : ev->opcode == RF_WS_OP_PONG ? 'O'
                                               : 'C',
                 (int)ev->len, ev->data);
    }
    strncat(s->text, item, sizeof(s->text) - strlen(s->text) - 1);
}

static void feed_all(const unsigned char *in, size_t len, const size_t *cuts, size_t ncuts,
                     struct guard *g, struct seen *s)
{
    static char msg[1 << 17];
    size_t msg_len = 0, from = 0;
    struct rf__ws p;
    rf__ws_reset(&p);
    memset(s, 0, sizeof(*s));
    for (size_t i = 0; i <= ncuts && !s->error; i++) {
        size_t to = i < ncuts ? cuts[i] : len;
        const char *piece = guard_place(g, (const char *)in + from, to - from);
        size_t n = to - from, off = 0;
        while (off < n) {
            struct rf__ws_event ev;
            long used = rf__ws_feed(&p, piece + off, n - off, &ev);
            if (used == RF_PARSE_INCOMPLETE)
                break;
            if (used == RF_PARSE_ERROR) {
                s->error = 1;
                break;
            }
            record(s, &ev, msg, &msg_len);
            off += (size_t)used;
        }
        from = to;
    }
}

struct ws_case {
    const char *what;
    unsigned char bytes[512];
    size_t len;
    const char *want;
    int error;
};

static struct ws_case cases[16];
static size_t ncases;
static struct guard guard;

static void add(const char *what, const char *want, int error)
{
    cases[ncases].what = what;
    cases[ncases].want = want;
    cases[ncases].error = error;
    ncases++;
}

static void build_cases(void)
{
    struct ws_case *c;
    ncases = 0;
    static char b126[126];
    memset(b126, 'x', sizeof(b126));

    c = &cases[ncases];
    c->len = frame(c->bytes, 0x81, "Hello", 5);
    add("one text frame", "T:Hello|", 0);

    c = &cases[ncases];
    c->len = frame(c->bytes, 0x82, b126, 126);
    add("16-bit length", "B:126 bytes|", 0);

    c = &cases[ncases];
    c->len = frame(c->bytes, 0x01, "Hel", 3);
    c->len += frame(c->bytes + c->len, 0x89, "pi", 2);
    c->len += frame(c->bytes + c->len, 0x00, "", 0);
    c->len += frame(c->bytes + c->len, 0x80, "lo", 2);
    add("fragmented, a ping between, an empty continuation", "P:pi|T:Hello|", 0);

    c = &cases[ncases];
    c->len = frame(c->bytes, 0x81, "", 0);
    c->len += frame(c->bytes + c->len, 0x8a, "", 0);
    c->len += frame(c->bytes + c->len, 0x88, "\x03\xe8", 2);
    add("empty message, pong, close 1000", "T:|O:|C:\x03\xe8|", 0);

    c = &cases[ncases];
    memcpy(c->bytes,
           "\x81\x82\x01\x02\x03\x04"
           "ab",
           8); /* masked (section 5.1) */
    c->len = 8;
    add("masked server frame", "", 1);

    c = &cases[ncases];
    c->len = frame(c->bytes, 0xc1, "ab", 2);
    add("RSV1 without an extension", "", 1);

    c = &cases[ncases];
    c->len = frame(c->bytes, 0x83, "ab", 2);
    add("reserved opcode 3", "", 1);

    c = &cases[ncases];
    c->len = frame(c->bytes, 0x89, b126, 126);
    add("ping over 125 bytes", "", 1);

    c = &cases[ncases];
    c->len = frame(c->bytes, 0x09, "p", 1);
    add("fragmented ping", "", 1);

    c = &cases[ncases];
    c->len = frame(c->bytes, 0x80, "lo", 2);
    add("continuation without a message", "", 1);

    c = &cases[ncases];
    c->len = frame(c->bytes, 0x01, "a", 1);
    c->len += frame(c->bytes + c->len, 0x81, "b", 1);
    add("a new message inside a fragmented one", "", 1);

    c = &cases[ncases];
    c->len = frame(c->bytes, 0x81, "ok", 2);
    memcpy(c->bytes + c->len, "\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x00", 10);
    c->len += 10;
    add("64-bit length with the top bit set, after a good frame", "T:ok|", 1);
}

static void check(const struct ws_case *c, const size_t *cuts, size_t ncuts)
{
    struct seen s;
    feed_all(c->bytes, c->len, cuts, ncuts, &guard, &s);
    cr_assert(eq(int, s.error, c->error), "%s: error %d", c->what, s.error);
    cr_assert(eq(str, s.text, (char *)c->want), "%s", c->what);
}

static void setup(void)
{
    cr_assert(eq(int, guard_init(&guard, 1 << 18), 0));
    build_cases();
}

static void teardown(void)
{
    guard_free(&guard);
}

Test(ws, frames_whole, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < ncases; i++)
        check(&cases[i], NULL, 0);
}

Test(ws, frames_at_every_split_point, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < ncases; i++)
        for (size_t cut = 1; cut < cases[i].len; cut++)
            check(&cases[i], &cut, 1);
}

Test(ws, frames_byte_by_byte, .init = setup, .fini = teardown)
{
    static size_t cuts[512];
    for (size_t i = 0; i < ncases; i++) {
        for (size_t k = 0; k + 1 < cases[i].len; k++)
            cuts[k] = k + 1;
        check(&cases[i], cuts, cases[i].len - 1);
    }
}

Test(ws, sixty_four_bit_length, .init = setup, .fini = teardown)
{
    size_t n = 70000;
    unsigned char *in = malloc(n + 16);
    char *payload = malloc(n);
    memset(payload, 'q', n);
    size_t len = frame(in, 0x82, payload, n);
    static const size_t cut_at[] = {1, 2, 5, 9, 10, 11, 4096, 69999};
    for (size_t i = 0; i < sizeof(cut_at) / sizeof(cut_at[0]); i++) {
        struct seen s;
        feed_all(in, len, &cut_at[i], 1, &guard, &s);
        cr_assert(eq(int, s.error, 0));
        cr_assert(eq(str, s.text, "B:70000 bytes|"), "cut at %zu", cut_at[i]);
    }
    free(in);
    free(payload);
}
