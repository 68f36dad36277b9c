/*
 * request.c - builds the request bytes (RFC 9112 section 3) once, before any traffic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "request.h"
#include "ws.h"

static int req_is_token(const char *s, size_t n)
{
    static const char extra[] = "!#$%&'*+-.^_`|~";
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c && strchr(extra, c))))
            return 0;
    }
    return 1;
}

int rf_header_check(const char *h)
{
    const char *colon = strchr(h, ':');
    if (!colon || !req_is_token(h, (size_t)(colon - h)) || strpbrk(colon, "\r\n"))
        return RF_EHEADER;
    return 0;
}

int rf_method_check(const char *method)
{
    return req_is_token(method, strlen(method)) ? 0 : RF_EMETHOD;
}

static int req_header_is(const char *h, const char *name)
{
    size_t n = strlen(name);
    return strncasecmp(h, name, n) == 0 && h[n] == ':';
}

static int req_single(const struct rf_config *cfg, char **out, size_t *len, size_t *key_offset)
{
    const char *method = cfg->method ? cfg->method : "GET";
    if (rf_method_check(method) < 0)
        return RF_EMETHOD;
    int has_host = 0, has_length = 0;
    size_t cap =
        strlen(method) + strlen(cfg->url.path) + strlen(cfg->url.authority) + 256 + cfg->body_len;
    for (unsigned i = 0; i < cfg->nheaders; i++) {
        if (rf_header_check(cfg->headers[i]) < 0)
            return RF_EHEADER;
        has_host |= req_header_is(cfg->headers[i], "host");
        has_length |= req_header_is(cfg->headers[i], "content-length");
        cap += strlen(cfg->headers[i]) + 2;
    }
    char *buf = malloc(cap);
    if (!buf)
        return RF_ENOMEM;
    size_t n = (size_t)snprintf(buf, cap, "%s %s HTTP/1.1\r\n", method, cfg->url.path);
    if (!has_host)
        n += (size_t)snprintf(buf + n, cap - n, "Host: %s\r\n", cfg->url.authority);
    if (cfg->websocket) {
        /* RFC 6455 section 4.1; each connection writes its own key over the placeholder. */
        n += (size_t)snprintf(buf + n, cap - n,
                              "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ");
        *key_offset = n;
        memset(buf + n, 'A', RF_WS_KEY_LEN);
        n += RF_WS_KEY_LEN;
        memcpy(buf + n, "\r\n", 2);
        n += 2;
    }
    for (unsigned i = 0; i < cfg->nheaders; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s\r\n", cfg->headers[i]);
    if ((cfg->body_len || (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0)) &&
        !has_length)
        n += (size_t)snprintf(buf + n, cap - n, "Content-Length: %zu\r\n", cfg->body_len);
    memcpy(buf + n, "\r\n", 2);
    n += 2;
    if (cfg->body_len)
        memcpy(buf + n, cfg->body, cfg->body_len);
    *out = buf;
    *len = n + cfg->body_len;
    return 0;
}

int rf__request_build(const struct rf_config *cfg, struct rf__request *req)
{
    memset(req, 0, sizeof(*req));
    char *one = NULL;
    size_t len;
    if (cfg->raw) {
        one = malloc(cfg->raw_len);
        if (!one)
            return RF_ENOMEM;
        memcpy(one, cfg->raw, cfg->raw_len);
        len = cfg->raw_len;
    } else {
        int rc = req_single(cfg, &one, &len, &req->key_offset);
        if (rc < 0)
            return rc;
    }
    req->head = len >= 5 && memcmp(one, "HEAD ", 5) == 0;
    req->copies = cfg->websocket ? 1 : cfg->pipeline;
    req->len = len;
    req->pipeline = malloc(len * req->copies);
    if (!req->pipeline) {
        free(one);
        return RF_ENOMEM;
    }
    for (unsigned i = 0; i < req->copies; i++)
        memcpy(req->pipeline + i * len, one, len);
    free(one);
    return 0;
}

void rf__request_free(struct rf__request *req)
{
    free(req->pipeline);
    req->pipeline = NULL;
}
