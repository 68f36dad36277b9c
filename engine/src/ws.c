/*
 * ws.c - WebSocket framing (RFC 6455) for the client side of a load generator.
 */
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <string.h>

#include "ws.h"

enum ws_state {
    WS_HEAD,
    WS_DATA,
    WS_CONTROL,
};

void rf__ws_make_key(const unsigned char random16[16], char key[RF_WS_KEY_LEN + 1])
{
    EVP_EncodeBlock((unsigned char *)key, random16, 16);
}

void rf__ws_accept(const char *key, char accept[RF_WS_ACCEPT_LEN + 1])
{
    static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char in[RF_WS_KEY_LEN + sizeof(guid)], md[SHA_DIGEST_LENGTH];
    size_t klen = strnlen(key, RF_WS_KEY_LEN);
    memcpy(in, key, klen);
    memcpy(in + klen, guid, sizeof(guid) - 1);
    SHA1(in, klen + sizeof(guid) - 1, md);
    EVP_EncodeBlock((unsigned char *)accept, md, SHA_DIGEST_LENGTH);
}

void rf__ws_mask(unsigned char *data, size_t n, uint32_t mask)
{
    unsigned char k[4];
    memcpy(k, &mask, 4);
    uint64_t m8 = (uint64_t)mask << 32 | mask; /* the 4 bytes twice, in memory order */
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, data + i, 8);
        v ^= m8;
        memcpy(data + i, &v, 8);
    }
    for (; i < n; i++)
        data[i] ^= k[i & 3];
}

size_t rf__ws_frame_size(size_t n)
{
    return (n < 126 ? 2 : n < 65536 ? 4 : 10) + 4 + n;
}

/* Frame layout, section 5.2: FIN|RSV|opcode, MASK|length (7, 7+16 or 7+64 bits), mask key. */
size_t rf__ws_encode(unsigned char *out, int opcode, const void *payload, size_t n, uint32_t mask)
{
    size_t h = 2;
    out[0] = (unsigned char)(0x80 | opcode);
    if (n < 126) {
        out[1] = (unsigned char)(0x80 | n);
    } else if (n < 65536) {
        out[1] = 0x80 | 126;
        out[2] = (unsigned char)(n >> 8);
        out[3] = (unsigned char)n;
        h = 4;
    } else {
        out[1] = 0x80 | 127;
        for (int i = 0; i < 8; i++)
            out[2 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
        h = 10;
    }
    memcpy(out + h, &mask, 4);
    memcpy(out + h + 4, payload, n);
    rf__ws_mask(out + h + 4, n, mask);
    return h + 4 + n;
}

void rf__ws_reset(struct rf__ws *p)
{
    memset(p, 0, sizeof(*p));
    p->state = WS_HEAD;
}

/* Bytes of header the first two bytes announce. */
static unsigned ws_head_need(const unsigned char *h)
{
    unsigned len7 = h[1] & 0x7f;
    return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((h[1] & 0x80) ? 4 : 0);
}

/* The header is complete: check it against section 5 and set up the payload. */
static int ws_begin_frame(struct rf__ws *p)
{
    const unsigned char *h = p->head;
    unsigned len7 = h[1] & 0x7f;
    uint64_t len = len7;
    if (len7 == 126) {
        len = (uint64_t)h[2] << 8 | h[3];
    } else if (len7 == 127) {
        len = 0;
        for (int i = 0; i < 8; i++)
            len = len << 8 | h[2 + i];
        if (len >> 63)
            return -1; /* the most significant bit must be 0 (section 5.2) */
    }
    p->fin = h[0] >> 7;
    p->opcode = h[0] & 0x0f;
    int control = p->opcode & 0x8;
    if ((h[0] & 0x70) || (h[1] & 0x80)) /* RSV bits without an extension; a masked server frame */
        return -1;
    if (p->opcode > RF_WS_OP_BINARY && !(p->opcode >= RF_WS_OP_CLOSE && p->opcode <= RF_WS_OP_PONG))
        return -1;
    if (control && (len > RF_WS_CONTROL_MAX || !p->fin)) /* section 5.5 */
        return -1;
    if (!control) {
        if (p->opcode == RF_WS_OP_CONT && !p->in_message)
            return -1;
        if (p->opcode != RF_WS_OP_CONT && p->in_message)
            return -1; /* section 5.4: fragments of one message are not interleaved */
        if (p->opcode != RF_WS_OP_CONT) {
            p->in_message = 1;
            p->message_opcode = p->opcode;
            p->message_len = 0;
        }
    }
    p->remaining = len;
    p->head_len = 0;
    p->control_len = 0;
    p->state = control ? WS_CONTROL : WS_DATA;
    return 0;
}

long rf__ws_feed(struct rf__ws *p, const char *buf, size_t len, struct rf__ws_event *ev)
{
    size_t pos = 0;
    for (;;) {
        if (p->state == WS_HEAD) {
            unsigned need = p->head_len < 2 ? 2 : ws_head_need(p->head);
            while (p->head_len < need) {
                if (pos == len)
                    return RF_PARSE_INCOMPLETE;
                p->head[p->head_len++] = (unsigned char)buf[pos++];
                if (p->head_len == 2)
                    need = ws_head_need(p->head);
            }
            if (ws_begin_frame(p) < 0)
                return RF_PARSE_ERROR;
        }
        size_t take = len - pos < p->remaining ? len - pos : (size_t)p->remaining;
        if (p->state == WS_CONTROL) {
            memcpy(p->control + p->control_len, buf + pos, take);
            p->control_len += (unsigned)take;
            pos += take;
            p->remaining -= take;
            if (p->remaining)
                return RF_PARSE_INCOMPLETE;
            p->state = WS_HEAD;
            *ev = (struct rf__ws_event){.kind = RF_WS_EV_CONTROL,
                                        .opcode = p->opcode,
                                        .data = p->control,
                                        .len = p->control_len};
            return (long)pos;
        }
        /* A data frame: hand out what is here; an empty non-final frame has nothing to say. */
        p->remaining -= take;
        p->message_len += take;
        int end = p->remaining == 0 && p->fin;
        if (p->remaining == 0)
            p->state = WS_HEAD;
        if (end)
            p->in_message = 0;
        if (take == 0 && !end) {
            if (pos == len && p->remaining)
                return RF_PARSE_INCOMPLETE;
            continue;
        }
        *ev = (struct rf__ws_event){.kind = RF_WS_EV_DATA,
                                    .opcode = p->message_opcode,
                                    .data = buf + pos,
                                    .len = take,
                                    .end = end,
                                    .message_len = p->message_len};
        return (long)(pos + take);
    }
}
