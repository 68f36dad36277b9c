/*
 * ws.h - WebSocket (RFC 6455) for a load generator: the opening handshake's key and accept
 * value, a client frame encoder with masking, and a streaming parser of server frames.
 *
 * Like h1, it never includes liburing and holds no pointer into the caller's buffers.
 */
#ifndef RF_WS_H
#define RF_WS_H

#include <stddef.h>
#include <stdint.h>

#include "parse.h"

#define RF_WS_OP_CONT 0x0
#define RF_WS_OP_TEXT 0x1
#define RF_WS_OP_BINARY 0x2
#define RF_WS_OP_CLOSE 0x8
#define RF_WS_OP_PING 0x9
#define RF_WS_OP_PONG 0xA

#define RF_WS_KEY_LEN 24    /* base64 of 16 bytes */
#define RF_WS_ACCEPT_LEN 28 /* base64 of a SHA-1 */
#define RF_WS_HEADER_MAX 14 /* 2 + 8 (64-bit length) + 4 (mask) */
#define RF_WS_CONTROL_MAX 125

/* Base64 of 16 random bytes (section 4.1).  key gets RF_WS_KEY_LEN chars and a NUL. */
void rf__ws_make_key(const unsigned char random16[16], char key[RF_WS_KEY_LEN + 1]);
/* The Sec-WebSocket-Accept value the server must send for key (section 4.2.2).  accept gets
 * RF_WS_ACCEPT_LEN chars and a NUL. */
void rf__ws_accept(const char *key, char accept[RF_WS_ACCEPT_LEN + 1]);

/* XORs data with the 4-byte mask (its bytes in memory order), 8 bytes at a time. */
void rf__ws_mask(unsigned char *data, size_t n, uint32_t mask);
/* Bytes of a client frame with an n-byte payload: header, mask key, payload. */
size_t rf__ws_frame_size(size_t n);
/* Writes one final, masked client frame and returns its size.  out must hold
 * rf__ws_frame_size(n) bytes. */
size_t rf__ws_encode(unsigned char *out, int opcode, const void *payload, size_t n, uint32_t mask);

enum rf__ws_event_kind {
    RF_WS_EV_DATA = 1, /* payload bytes of a text or binary message, possibly a part */
    RF_WS_EV_CONTROL,  /* a whole ping, pong or close frame */
};

struct rf__ws_event {
    enum rf__ws_event_kind kind;
    int opcode;       /* DATA: the message's opcode (text/binary); CONTROL: its own */
    const char *data; /* DATA: into the caller's buffer; CONTROL: into the parser */
    size_t len;
    int end;              /* DATA: these are the last bytes of the message */
    uint64_t message_len; /* DATA with end: the message's whole length */
};

struct rf__ws {
    int state;
    unsigned char head[RF_WS_HEADER_MAX];
    unsigned head_len;
    int fin;
    int opcode;
    uint64_t remaining; /* payload bytes left in the current frame */
    int in_message;     /* a data message is open (fragmented) */
    int message_opcode;
    uint64_t message_len;
    char control[RF_WS_CONTROL_MAX];
    unsigned control_len;
};

void rf__ws_reset(struct rf__ws *p);
/*
 * Consumes bytes up to one event.  Returns the bytes consumed (>= 0: 0 when the event is an
 * empty final frame whose header was consumed earlier) with *ev filled, RF_PARSE_INCOMPLETE
 * when all len bytes were consumed without an event, or RF_PARSE_ERROR for a frame that breaks
 * section 5: a masked server frame, RSV bits, an unknown opcode, a control frame over 125 bytes
 * or fragmented, a continuation without a message, or a new message inside a fragmented one.
 */
long rf__ws_feed(struct rf__ws *p, const char *buf, size_t len, struct rf__ws_event *ev);

#endif
