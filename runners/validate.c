/*
 * validate.c - endpoint checks before any load (validate.h).
 */
#include <ctype.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "json.h"
#include "ringfire.h"
#include "validate.h"

/* ---- a small blocking HTTP/1.1 client ------------------------------------------------------ */

struct hc {
    int fd;
    char buf[1 << 16];
    size_t len;
};

struct hc_response {
    int status;
    char content_type[128];
    char body[8192];
    size_t body_len;
    char raw[256]; /* the first bytes, printable, for reasons */
};

static int hc_open(struct hc *h, const struct rs_running *r, int timeout_ms)
{
    struct sockaddr_storage a;
    memset(&a, 0, sizeof(a));
    struct sockaddr_in *v4 = (struct sockaddr_in *)&a;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&a;
    socklen_t len = sizeof(*v4);
    h->len = 0;
    if (inet_pton(AF_INET, r->host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)r->port);
    } else if (inet_pton(AF_INET6, r->host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)r->port);
        len = sizeof(*v6);
    } else {
        return -1;
    }
    h->fd = socket(a.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(h->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(h->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (h->fd < 0 || connect(h->fd, (struct sockaddr *)&a, len) < 0) {
        if (h->fd >= 0)
            close(h->fd);
        return -1;
    }
    return 0;
}

static int hc_fill(struct hc *h)
{
    if (h->len == sizeof(h->buf))
        return -1;
    ssize_t n = recv(h->fd, h->buf + h->len, sizeof(h->buf) - h->len, 0);
    if (n <= 0)
        return -1;
    h->len += (size_t)n;
    return 0;
}

static void hc_consume(struct hc *h, size_t n)
{
    memmove(h->buf, h->buf + n, h->len - n);
    h->len -= n;
}

/* Reads one response (Content-Length or chunked body).  Returns 0 or -1. */
static int hc_read(struct hc *h, struct hc_response *r)
{
    memset(r, 0, sizeof(*r));
    char *end;
    while (!(end = memmem(h->buf, h->len, "\r\n\r\n", 4)))
        if (hc_fill(h) < 0) {
            rj_printable(h->buf, h->len, r->raw, sizeof(r->raw));
            return -1;
        }
    size_t head = (size_t)(end - h->buf) + 4;
    rj_printable(h->buf, h->len < 200 ? h->len : 200, r->raw, sizeof(r->raw));
    if (h->len < 12 || strncmp(h->buf, "HTTP/1.", 7) != 0)
        return -1;
    r->status = atoi(h->buf + 9);
    long length = -1;
    int chunked = 0;
    for (char *line = memchr(h->buf, '\n', head) + 1; line < h->buf + head - 2;) {
        char *nl = memchr(line, '\n', (size_t)(h->buf + head - line));
        if (!nl)
            break;
        if (strncasecmp(line, "content-length:", 15) == 0)
            length = atol(line + 15);
        else if (strncasecmp(line, "transfer-encoding:", 18) == 0 && strcasestr(line, "chunked"))
            chunked = 1;
        else if (strncasecmp(line, "content-type:", 13) == 0) {
            char *v = line + 13;
            while (*v == ' ')
                v++;
            snprintf(r->content_type, sizeof(r->content_type), "%.*s",
                     (int)(nl - v - (nl[-1] == '\r')), v);
        }
        line = nl + 1;
    }
    hc_consume(h, head);
    if (chunked) {
        for (;;) {
            char *nl;
            while (!(nl = memchr(h->buf, '\n', h->len)))
                if (hc_fill(h) < 0)
                    return -1;
            long size = strtol(h->buf, NULL, 16);
            hc_consume(h, (size_t)(nl - h->buf) + 1);
            if (size < 0 || size > (long)sizeof(r->body) - 1 - (long)r->body_len)
                return -1;
            while (h->len < (size_t)size + 2)
                if (hc_fill(h) < 0)
                    return -1;
            memcpy(r->body + r->body_len, h->buf, (size_t)size);
            r->body_len += (size_t)size;
            hc_consume(h, (size_t)size + 2);
            if (size == 0)
                return 0; /* trailers are not expected from the targets we validate */
        }
    }
    if (length < 0 || length > (long)sizeof(r->body) - 1)
        return length < 0 ? 0 : -1;
    while (h->len < (size_t)length)
        if (hc_fill(h) < 0)
            return -1;
    memcpy(r->body, h->buf, (size_t)length);
    r->body_len = (size_t)length;
    hc_consume(h, (size_t)length);
    return 0;
}

int rs_http_answers(const struct rs_running *r, const char *path)
{
    static struct hc h;
    static struct hc_response resp;
    char req[512];
    snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, r->authority);
    if (hc_open(&h, r, 1000) < 0)
        return -1;
    int ok = send(h.fd, req, strlen(req), MSG_NOSIGNAL) > 0 && hc_read(&h, &resp) == 0;
    close(h.fd);
    return ok ? 0 : -1;
}

/* ---- validation ---------------------------------------------------------------------------- */

/* Whether the body is a JSON value equal to the expected one (key order and spacing free). */
static int vd_json(const char *expected, const struct hc_response *resp)
{
    cJSON *want = cJSON_Parse(expected), *got = cJSON_ParseWithLength(resp->body, resp->body_len);
    int same = want && got && cJSON_Compare(want, got, 1);
    cJSON_Delete(want);
    cJSON_Delete(got);
    return same ? 0 : -1;
}

/* The endpoint's request: its method, path, Host, headers and body. */
static int vd_request(const struct rs_running *r, const struct rs_endpoint *e, char *out, size_t n)
{
    size_t len = (size_t)snprintf(out, n, "%s %s HTTP/1.1\r\nHost: %s\r\n",
                                  e->method ? e->method : "GET", e->path, r->authority);
    for (unsigned i = 0; i < e->nheaders && len < n; i++)
        len += (size_t)snprintf(out + len, n - len, "%s\r\n", e->headers[i]);
    if (len < n && e->request_body)
        len += (size_t)snprintf(out + len, n - len, "Content-Length: %zu\r\n\r\n%s",
                                strlen(e->request_body), e->request_body);
    else if (len < n)
        len += (size_t)snprintf(out + len, n - len, "\r\n");
    return len < n ? (int)len : -1;
}

static int vd_check(const struct rs_endpoint *e, const struct hc_response *resp, const char *what,
                    char reason[RS_REASON_MAX])
{
    if (resp->status != e->status)
        snprintf(reason, RS_REASON_MAX, "%s: status %d, expected %d; it sent \"%s\"", what,
                 resp->status, e->status, resp->raw);
    else if (e->content_type &&
             strncasecmp(resp->content_type, e->content_type, strlen(e->content_type)) != 0)
        snprintf(reason, RS_REASON_MAX, "%s: Content-Type \"%s\", expected \"%s...\"", what,
                 resp->content_type, e->content_type);
    else if (e->body && (resp->body_len != strlen(e->body) ||
                         memcmp(resp->body, e->body, resp->body_len) != 0))
        snprintf(reason, RS_REASON_MAX, "%s: body \"%.*s\", expected \"%s\"", what,
                 (int)(resp->body_len < 200 ? resp->body_len : 200), resp->body, e->body);
    else if (e->json && vd_json(e->json, resp) < 0)
        snprintf(reason, RS_REASON_MAX, "%s: body \"%.*s\", expected the JSON value %s", what,
                 (int)(resp->body_len < 200 ? resp->body_len : 200), resp->body, e->json);
    else if (e->body_contains &&
             !memmem(resp->body, resp->body_len, e->body_contains, strlen(e->body_contains)))
        snprintf(reason, RS_REASON_MAX, "%s: the body does not contain \"%s\"", what,
                 e->body_contains);
    else
        return 0;
    return -1;
}

static int vd_http(const struct rs_running *r, const struct rs_endpoint *e,
                   char reason[RS_REASON_MAX])
{
    static struct hc h;
    static struct hc_response resp;
    static char req[16384], two[2 * sizeof(req)];
    const char *method = e->method ? e->method : "GET";
    int n = vd_request(r, e, req, sizeof(req));
    if (n < 0) {
        snprintf(reason, RS_REASON_MAX, "the request of %s is too large to check", e->name);
        return -1;
    }
    if (hc_open(&h, r, 5000) < 0) {
        snprintf(reason, RS_REASON_MAX, "cannot connect to %s", r->authority);
        return -1;
    }
    int rc = -1;
    if (send(h.fd, req, (size_t)n, MSG_NOSIGNAL) != n || hc_read(&h, &resp) < 0) {
        if (resp.raw[0])
            snprintf(reason, RS_REASON_MAX, "%s %s: no complete HTTP/1.1 response; it sent \"%s\"",
                     method, e->path, resp.raw);
        else
            snprintf(reason, RS_REASON_MAX, "%s %s: no answer in 5 s", method, e->path);
        goto out;
    }
    if (vd_check(e, &resp, method, reason) < 0)
        goto out;
    /* Two requests in one write: both must be answered, complete and right. */
    memcpy(two, req, (size_t)n);
    memcpy(two + n, req, (size_t)n);
    if (send(h.fd, two, 2 * (size_t)n, MSG_NOSIGNAL) != 2 * n) {
        snprintf(reason, RS_REASON_MAX, "the connection closed after one request: no keep-alive");
        goto out;
    }
    for (int i = 0; i < 2; i++) {
        if (hc_read(&h, &resp) < 0) {
            snprintf(reason, RS_REASON_MAX,
                     "pipelined request %d of 2: no complete response; it sent \"%s\"", i + 1,
                     resp.raw);
            goto out;
        }
        if (vd_check(e, &resp, i ? "pipelined request 2" : "pipelined request 1", reason) < 0)
            goto out;
    }
    rc = 0;
out:
    close(h.fd);
    return rc;
}

/* Through the engine itself: 4 messages, 2 in flight, every echo compared. */
static int vd_websocket(const struct rs_running *r, const struct rs_endpoint *e,
                        char reason[RS_REASON_MAX])
{
    char url[512];
    snprintf(url, sizeof(url), "ws://%s%s", r->authority, e->path);
    struct rf_config cfg = {
        .connections = 1,
        .threads = 1,
        .pipeline = 2,
        .requests = 4,
        .duration_ns = 10000000000ULL,
        .timeout_ns = 3000000000ULL,
        .websocket = 1,
        .ws_message = "Hello, World!",
        .ws_message_len = 13,
    };
    struct rf_result res;
    int rc = rf_url_parse(url, &cfg.url);
    if (rc == 0)
        rc = rf_run(&cfg, &res);
    if (rc < 0) {
        snprintf(reason, RS_REASON_MAX, "WebSocket check on %s: %s", url, rf_strerror(rc));
        return -1;
    }
    const struct rf_counts *c = &res.counts;
    rc = -1;
    if (c->ws_upgrade_failed > 0)
        snprintf(reason, RS_REASON_MAX, "WebSocket upgrade on %s refused or invalid %llu times",
                 url, (unsigned long long)c->ws_upgrade_failed);
    else if (c->responses != 4 || c->ws_mismatches > 0 || c->ws_protocol_errors > 0)
        snprintf(reason, RS_REASON_MAX,
                 "WebSocket echo on %s: %llu of 4 echoes, %llu mismatches, %llu protocol errors",
                 url, (unsigned long long)c->responses, (unsigned long long)c->ws_mismatches,
                 (unsigned long long)c->ws_protocol_errors);
    else
        rc = 0;
    rf_result_free(&res);
    return rc;
}

int rs_validate(const struct rs_running *r, const struct rs_endpoint *e, char reason[RS_REASON_MAX])
{
    return e->websocket ? vd_websocket(r, e, reason) : vd_http(r, e, reason);
}
