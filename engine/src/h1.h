/*
 * h1.h - a streaming HTTP/1.1 response parser (RFC 9112) for a load generator.
 *
 * It keeps only what a load generator needs (status, framing, persistence), holds no pointer
 * into the caller's buffers between calls, and accepts a response split at any byte across any
 * number of buffers.  It never includes liburing: the ring code feeds it bytes.
 */
#ifndef RF_H1_H
#define RF_H1_H

#include <stddef.h>
#include <stdint.h>

#include "parse.h"

/* A header line split across receive buffers is carried in a buffer of this size; a longer
 * line is a parse error. */
#define RF_H1_LINE_MAX 8192
/* The whole head (status line and headers) of one response may be at most this long. */
#define RF_H1_HEAD_MAX (64 * 1024)
/* Longest Sec-WebSocket-Accept value kept (a valid one has 28 characters). */
#define RF_H1_ACCEPT_MAX 31
/* Longest head a struct rf__h1_repeat remembers. */
#define RF_H1_REPEAT_MAX 512

struct rf__h1_response {
    int status;
    int close;             /* the server will close after this response */
    int upgrade;           /* 101 Switching Protocols: the bytes after it are another protocol */
    int upgrade_websocket; /* "Upgrade: websocket" and "Connection: upgrade" were present */
    uint64_t body_len;
    char ws_accept[RF_H1_ACCEPT_MAX + 1]; /* Sec-WebSocket-Accept, "" when absent */
};

struct rf__h1 {
    int state;
    int head_request; /* requests are HEAD: responses have no body (RFC 9112 section 6.3) */
    int status;
    int version_minor;
    int close;
    int keep_alive;
    int chunked;
    int te_other; /* a Transfer-Encoding that does not end in chunked */
    int has_length;
    int upgrade_ws;
    int connection_upgrade;
    char ws_accept[RF_H1_ACCEPT_MAX + 1];
    uint64_t length;
    uint64_t remaining;
    uint64_t body_len;
    uint32_t head_bytes;
    uint32_t carry_len;
    char *carry;                  /* RF_H1_LINE_MAX bytes, owned by the caller */
    struct rf__h1_repeat *repeat; /* may be shared by parsers; NULL: none */
};

/*
 * The last final response head that a parser read whole from one buffer, and the parser's
 * state after it.  A server under load sends the same head again and again (a Date field
 * changes once a second): a head byte for byte equal to the remembered one is taken with one
 * memcmp and a copy of that state instead of being parsed again.  The result is the same,
 * because the state after a head depends only on its bytes and on head_request, which must
 * match too.  Parsers of one thread may share one repeat.
 */
struct rf__h1_repeat {
    uint32_t len;  /* of head; 0: nothing remembered */
    uint64_t hits; /* heads taken this way */
    struct rf__h1 after;
    char head[RF_H1_REPEAT_MAX];
};

/* carry: RF_H1_LINE_MAX bytes; repeat: NULL, or zeroed before its first use. */
void rf__h1_init(struct rf__h1 *p, char *carry, int head_request, struct rf__h1_repeat *repeat);
/* Forgets everything: for a new connection. */
void rf__h1_reset(struct rf__h1 *p);
/* Consumes bytes up to the end of one response.  Returns the bytes consumed with *out filled
 * when a response completed, RF_PARSE_INCOMPLETE when all len bytes were consumed without
 * completing one, or RF_PARSE_ERROR. */
long rf__h1_feed(struct rf__h1 *p, const char *buf, size_t len, struct rf__h1_response *out);
/* The peer closed the connection.  Returns 1 when that completed a response delimited by the
 * close (*out filled), 0 when no response was under way, RF_PARSE_INCOMPLETE when one was cut
 * short. */
int rf__h1_eof(struct rf__h1 *p, struct rf__h1_response *out);
/* Whether a response has begun but not ended. */
int rf__h1_busy(const struct rf__h1 *p);

#endif
