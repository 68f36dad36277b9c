/*
 * h1.c - a streaming HTTP/1.1 response parser (RFC 9112).
 *
 * Lines (status line, header fields, chunk sizes, trailers) are found with memchr in the
 * caller's buffer; only a line that is split across two buffers is copied, into the carry
 * buffer.  Bodies are skipped by count.  So a response may be split at any byte, and nothing
 * depends on how the kernel cut the stream.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "h1.h"

enum h1_state {
    H1_STATUS,
    H1_HEADER,
    H1_BODY_LENGTH,
    H1_BODY_EOF,
    H1_CHUNK_SIZE,
    H1_CHUNK_DATA,
    H1_CHUNK_END,
    H1_TRAILER,
};

enum { H1_LINE_MORE = 0, H1_LINE_OK = 1, H1_LINE_ERROR = -1 };

void rf__h1_init(struct rf__h1 *p, char *carry, int head_request, struct rf__h1_repeat *repeat)
{
    p->carry = carry;
    p->head_request = head_request;
    p->repeat = repeat;
    rf__h1_reset(p);
}

static void h1_next_response(struct rf__h1 *p)
{
    p->state = H1_STATUS;
    p->status = 0;
    p->version_minor = 1;
    p->close = 0;
    p->keep_alive = 0;
    p->chunked = 0;
    p->te_other = 0;
    p->has_length = 0;
    p->upgrade_ws = 0;
    p->connection_upgrade = 0;
    p->ws_accept[0] = '\0';
    p->length = 0;
    p->remaining = 0;
    p->body_len = 0;
    p->head_bytes = 0;
}

void rf__h1_reset(struct rf__h1 *p)
{
    h1_next_response(p);
    p->carry_len = 0;
}

int rf__h1_busy(const struct rf__h1 *p)
{
    return p->state != H1_STATUS || p->head_bytes != 0 || p->carry_len != 0;
}

/*
 * Finds the next line at buf[*pos].  On H1_LINE_OK, *line and *n are the line without its line
 * ending and *pos is past it.  A recipient may accept a bare LF as a line terminator (RFC 9112
 * section 2.2), so "\r\n" and "\n" both end a line.
 */
static int h1_line(struct rf__h1 *p, const char *buf, size_t len, size_t *pos, const char **line,
                   size_t *n)
{
    const char *start = buf + *pos;
    size_t avail = len - *pos;
    const char *nl = memchr(start, '\n', avail);
    size_t take = nl ? (size_t)(nl - start) : avail;

    if (p->head_bytes + take > RF_H1_HEAD_MAX && (p->state == H1_STATUS || p->state == H1_HEADER))
        return H1_LINE_ERROR;
    if (!nl || p->carry_len) {
        if (p->carry_len + take > RF_H1_LINE_MAX)
            return H1_LINE_ERROR;
        memcpy(p->carry + p->carry_len, start, take);
        p->carry_len += (uint32_t)take;
    }
    if (!nl) {
        *pos = len;
        return H1_LINE_MORE;
    }
    *pos += take + 1;
    if (p->carry_len) {
        *line = p->carry;
        *n = p->carry_len;
        p->carry_len = 0; /* the caller uses the line before the carry is written again */
    } else {
        *line = start;
        *n = take;
    }
    if (*n && (*line)[*n - 1] == '\r')
        (*n)--;
    return H1_LINE_OK;
}

/* status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 section 4).  A
 * missing SP after the code is tolerated: some servers send "HTTP/1.1 200\r\n". */
static int h1_status_line(struct rf__h1 *p, const char *s, size_t n)
{
    if (n < 12 || memcmp(s, "HTTP/1.", 7) != 0 || (s[7] != '0' && s[7] != '1') || s[8] != ' ')
        return -1;
    if (s[9] < '1' || s[9] > '9' || s[10] < '0' || s[10] > '9' || s[11] < '0' || s[11] > '9')
        return -1;
    if (n > 12 && s[12] != ' ')
        return -1;
    p->version_minor = s[7] - '0';
    p->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
    return 0;
}

/* tchar (RFC 9110 section 5.6.2): one table lookup per byte of a field name. */
/* clang-format off */
static const unsigned char h1_tchar[256] = {
    ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1, ['*'] = 1, ['+'] = 1,
    ['-'] = 1, ['.'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1, ['|'] = 1, ['~'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};
/* clang-format on */

/* Whether the comma-separated list v contains token (case-insensitive). */
static int h1_list_has(const char *v, size_t n, const char *token)
{
    size_t tlen = strlen(token), i = 0;
    while (i < n) {
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
            i++;
        size_t start = i;
        while (i < n && v[i] != ',')
            i++;
        size_t end = i;
        while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t'))
            end--;
        if (end - start == tlen && strncasecmp(v + start, token, tlen) == 0)
            return 1;
    }
    return 0;
}

/* Whether the last element of the list v is token. */
static int h1_list_last_is(const char *v, size_t n, const char *token)
{
    size_t end = n;
    while (end > 0 && (v[end - 1] == ' ' || v[end - 1] == '\t'))
        end--;
    size_t start = end;
    while (start > 0 && v[start - 1] != ',')
        start--;
    while (start < end && (v[start] == ' ' || v[start] == '\t'))
        start++;
    return end - start == strlen(token) && strncasecmp(v + start, token, end - start) == 0;
}

static int h1_content_length(struct rf__h1 *p, const char *v, size_t n)
{
    uint64_t len = 0;
    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9' || len > (UINT64_MAX - 9) / 10)
            return -1;
        len = len * 10 + (uint64_t)(v[i] - '0');
    }
    /* Differing Content-Length values make the framing ambiguous (RFC 9112 section 6.3). */
    if (p->has_length && p->length != len)
        return -1;
    p->has_length = 1;
    p->length = len;
    return 0;
}

static int h1_header_line(struct rf__h1 *p, const char *s, size_t n)
{
    /* obs-fold continues the previous field; none of the fields we read may be folded, so the
     * continuation is dropped (RFC 9112 section 5.2 lets a user agent replace it by SP). */
    if (s[0] == ' ' || s[0] == '\t')
        return 0;
    const char *colon = memchr(s, ':', n);
    if (!colon || colon == s)
        return -1;
    size_t nlen = (size_t)(colon - s);
    for (size_t i = 0; i < nlen; i++)
        if (!h1_tchar[(unsigned char)s[i]])
            return -1; /* includes whitespace before the colon (RFC 9112 section 5.1) */
    const char *v = colon + 1, *end = s + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t vlen = (size_t)(end - v);

    if (nlen == 14 && strncasecmp(s, "content-length", 14) == 0)
        return h1_content_length(p, v, vlen);
    if (nlen == 17 && strncasecmp(s, "transfer-encoding", 17) == 0) {
        p->chunked = h1_list_last_is(v, vlen, "chunked");
        p->te_other = !p->chunked;
    } else if (nlen == 10 && strncasecmp(s, "connection", 10) == 0) {
        if (h1_list_has(v, vlen, "close"))
            p->close = 1;
        if (h1_list_has(v, vlen, "keep-alive"))
            p->keep_alive = 1;
        if (h1_list_has(v, vlen, "upgrade"))
            p->connection_upgrade = 1;
    } else if (nlen == 7 && strncasecmp(s, "upgrade", 7) == 0) {
        p->upgrade_ws = h1_list_has(v, vlen, "websocket");
    } else if (nlen == 20 && strncasecmp(s, "sec-websocket-accept", 20) == 0) {
        size_t keep = vlen < RF_H1_ACCEPT_MAX ? vlen : RF_H1_ACCEPT_MAX;
        memcpy(p->ws_accept, v, keep);
        p->ws_accept[keep] = '\0';
    }
    return 0;
}

static long h1_complete(struct rf__h1 *p, size_t pos, struct rf__h1_response *out)
{
    out->status = p->status;
    out->close = p->close || p->state == H1_BODY_EOF || (p->version_minor == 0 && !p->keep_alive);
    out->upgrade = p->status == 101;
    out->upgrade_websocket = p->upgrade_ws && p->connection_upgrade;
    memcpy(out->ws_accept, p->ws_accept, sizeof(out->ws_accept));
    out->body_len = p->body_len;
    h1_next_response(p);
    return (long)pos;
}

/* The head has ended: decide how the body is delimited (RFC 9112 section 6.3). */
static int h1_end_of_head(struct rf__h1 *p)
{
    if (p->status >= 100 && p->status < 200 && p->status != 101) {
        h1_next_response(p); /* interim response: the final one follows */
        return 0;
    }
    if (p->head_request || p->status == 101 || p->status == 204 || p->status == 304 ||
        p->status < 200)
        return 1;
    if (p->chunked) {
        p->state = H1_CHUNK_SIZE;
        return 0;
    }
    if (p->te_other) {
        p->state = H1_BODY_EOF;
        return 0;
    }
    if (p->has_length) {
        if (p->length == 0)
            return 1;
        p->remaining = p->length;
        p->state = H1_BODY_LENGTH;
        return 0;
    }
    p->state = H1_BODY_EOF;
    return 0;
}

static int h1_chunk_size(struct rf__h1 *p, const char *s, size_t n)
{
    uint64_t size = 0;
    size_t i = 0;
    for (; i < n; i++) {
        int c = s[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            break;
        if (size >> 60)
            return -1;
        size = size * 16 + (uint64_t)d;
    }
    if (i == 0)
        return -1;
    /* chunk-ext: BWS ";" ... (RFC 9112 section 7.1.1); its contents are ignored. */
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < n && s[i] != ';')
        return -1;
    if (size == 0) {
        p->state = H1_TRAILER;
    } else {
        p->remaining = size;
        p->body_len += size;
        p->state = H1_CHUNK_DATA;
    }
    return 0;
}

/* One line in a line state.  Returns 1 when the response completed, 0 to go on, -1 on error. */
static int h1_on_line(struct rf__h1 *p, const char *s, size_t n)
{
    switch (p->state) {
    case H1_STATUS:
        if (h1_status_line(p, s, n) < 0)
            return -1;
        p->state = H1_HEADER;
        return 0;
    case H1_HEADER:
        if (n == 0)
            return h1_end_of_head(p);
        return h1_header_line(p, s, n);
    case H1_CHUNK_SIZE:
        return h1_chunk_size(p, s, n);
    case H1_CHUNK_END:
        if (n != 0)
            return -1;
        p->state = H1_CHUNK_SIZE;
        return 0;
    case H1_TRAILER:
        return n == 0 ? 1 : 0;
    }
    return -1;
}

/* A response begins at buf: takes its head if it is the remembered one (struct rf__h1_repeat). */
static int h1_repeat_take(struct rf__h1 *p, const char *buf, size_t len)
{
    struct rf__h1_repeat *r = p->repeat;
    if (r->len == 0 || len < r->len || r->after.head_request != p->head_request ||
        memcmp(buf, r->head, r->len) != 0)
        return 0;
    char *carry = p->carry;
    *p = r->after;
    p->carry = carry;
    r->hits++;
    return 1;
}

/* The head at head ended: remember it and the state it led to, unless it cannot repeat. */
static void h1_repeat_keep(struct rf__h1 *p, const char *head, size_t n)
{
    struct rf__h1_repeat *r = p->repeat;
    if (n > RF_H1_REPEAT_MAX || p->state == H1_STATUS || p->status == 101)
        return; /* too long, an interim response, or the end of HTTP on this connection */
    memcpy(r->head, head, n);
    r->len = (uint32_t)n;
    r->after = *p;
}

long rf__h1_feed(struct rf__h1 *p, const char *buf, size_t len, struct rf__h1_response *out)
{
    size_t pos = 0;
    size_t head_at = SIZE_MAX; /* where a head that began in this buffer began */
    while (pos < len) {
        if (p->repeat && !rf__h1_busy(p)) { /* a response begins here */
            if (h1_repeat_take(p, buf + pos, len - pos)) {
                pos += p->repeat->len;
                if (p->state == H1_HEADER) /* a response without a body */
                    return h1_complete(p, pos, out);
                continue;
            }
            head_at = pos;
        }
        if (p->state == H1_BODY_LENGTH || p->state == H1_CHUNK_DATA) {
            size_t take = len - pos;
            if (take > p->remaining)
                take = (size_t)p->remaining;
            pos += take;
            p->remaining -= take;
            if (p->state == H1_BODY_LENGTH)
                p->body_len += take;
            if (p->remaining)
                continue;
            if (p->state == H1_BODY_LENGTH)
                return h1_complete(p, pos, out);
            p->state = H1_CHUNK_END;
            continue;
        }
        if (p->state == H1_BODY_EOF) {
            p->body_len += len - pos;
            return RF_PARSE_INCOMPLETE;
        }
        const char *line;
        size_t n;
        int in_head = p->state == H1_STATUS || p->state == H1_HEADER;
        size_t before = pos;
        int rc = h1_line(p, buf, len, &pos, &line, &n);
        if (in_head)
            p->head_bytes += (uint32_t)(pos - before);
        if (rc == H1_LINE_ERROR)
            return RF_PARSE_ERROR;
        if (rc == H1_LINE_MORE)
            return RF_PARSE_INCOMPLETE;
        /* A blank line before the status line is not allowed in a response: a server that
         * sends one has lost its framing. */
        int end_of_head = p->state == H1_HEADER && n == 0;
        rc = h1_on_line(p, line, n);
        if (rc < 0)
            return RF_PARSE_ERROR;
        if (end_of_head && head_at != SIZE_MAX)
            h1_repeat_keep(p, buf + head_at, pos - head_at);
        if (rc > 0)
            return h1_complete(p, pos, out);
    }
    return RF_PARSE_INCOMPLETE;
}

int rf__h1_eof(struct rf__h1 *p, struct rf__h1_response *out)
{
    if (p->state == H1_BODY_EOF) {
        h1_complete(p, 0, out);
        return 1;
    }
    if (!rf__h1_busy(p))
        return 0;
    return RF_PARSE_INCOMPLETE;
}
