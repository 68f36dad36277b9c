/*
 * url.c - parsing of target URLs: http://HOST[:PORT][/PATH] and ws://...
 *
 * Hosts are numeric IPv4/IPv6 addresses or "localhost": the engine does no DNS lookups, so a
 * run never waits on a resolver and always goes where the URL says.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ringfire.h"

static int url_port(const char *p, size_t len, uint16_t *port)
{
    unsigned v = 0;
    if (len == 0 || len > 5)
        return RF_EURL_PORT;
    for (size_t i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return RF_EURL_PORT;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    if (v == 0 || v > 65535)
        return RF_EURL_PORT;
    *port = (uint16_t)v;
    return 0;
}

int rf_url_parse(const char *text, struct rf_url *url)
{
    memset(url, 0, sizeof(*url));
    const char *p;
    if (strncasecmp(text, "http://", 7) == 0) {
        url->scheme = RF_SCHEME_HTTP;
        p = text + 7;
    } else if (strncasecmp(text, "ws://", 5) == 0) {
        url->scheme = RF_SCHEME_WS;
        p = text + 5;
    } else {
        return strstr(text, "://") ? RF_EURL_SCHEME : RF_EURL;
    }
    url->port = 80;

    const char *host = p, *host_end;
    int v6 = *p == '[';
    if (v6) {
        host++;
        host_end = strchr(host, ']');
        if (!host_end)
            return RF_EURL;
        p = host_end + 1;
    } else {
        host_end = host + strcspn(host, ":/?#");
        p = host_end;
    }
    size_t hlen = (size_t)(host_end - host);
    if (hlen == 0)
        return RF_EURL;
    if (hlen >= sizeof(url->host))
        return RF_EURL_HOST;
    memcpy(url->host, host, hlen);

    unsigned char addr[16];
    if (v6) {
        if (inet_pton(AF_INET6, url->host, addr) != 1)
            return RF_EURL_HOST;
    } else if (strcasecmp(url->host, "localhost") != 0 &&
               inet_pton(AF_INET, url->host, addr) != 1) {
        return RF_EURL_HOST;
    }

    if (*p == ':') {
        const char *port = ++p;
        p += strcspn(p, "/?#");
        int rc = url_port(port, (size_t)(p - port), &url->port);
        if (rc < 0)
            return rc;
    } else if (*p && *p != '/' && *p != '?' && *p != '#') {
        return RF_EURL;
    }

    /* The fragment is never sent (RFC 9110 section 4.2.4). */
    size_t plen = strcspn(p, "#");
    if (plen + 2 > sizeof(url->path))
        return RF_EURL;
    for (size_t i = 0; i < plen; i++)
        if ((unsigned char)p[i] <= ' ' || p[i] == 0x7f)
            return RF_EURL;
    if (plen == 0 || p[0] != '/')
        url->path[0] = '/';
    memcpy(url->path + (url->path[0] == '/'), p, plen);

    snprintf(url->authority, sizeof(url->authority), v6 ? "[%s]:%u" : "%s:%u", url->host,
             url->port);
    return 0;
}

/* One address of a source list, numeric; its port stays 0. */
static int url_source_addr(const char *p, size_t len, struct sockaddr_storage *out)
{
    char buf[INET6_ADDRSTRLEN];
    if (len == 0 || len >= sizeof(buf))
        return RF_EVALUE;
    memcpy(buf, p, len);
    buf[len] = '\0';
    memset(out, 0, sizeof(*out));
    struct sockaddr_in *v4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET, buf, &v4->sin_addr) == 1)
        v4->sin_family = AF_INET;
    else if (inet_pton(AF_INET6, buf, &v6->sin6_addr) == 1)
        v6->sin6_family = AF_INET6;
    else
        return RF_EVALUE;
    return 0;
}

/* The address's low 32 bits (IPv4: all of it), host order, and where they are kept. */
static uint32_t *url_low32(struct sockaddr_storage *a)
{
    if (a->ss_family == AF_INET)
        return (uint32_t *)&((struct sockaddr_in *)a)->sin_addr.s_addr;
    return (uint32_t *)&((struct sockaddr_in6 *)a)->sin6_addr.s6_addr[12];
}

int rf_parse_sources(const char *text, struct sockaddr_storage *out, unsigned max)
{
    unsigned n = 0;
    for (const char *p = text;; p++) {
        size_t len = strcspn(p, ",");
        const char *dash = memchr(p, '-', len);
        struct sockaddr_storage a, b;
        if (url_source_addr(p, dash ? (size_t)(dash - p) : len, &a) < 0 ||
            (dash && url_source_addr(dash + 1, len - (size_t)(dash - p) - 1, &b) < 0))
            return RF_EVALUE;
        uint32_t lo = ntohl(*url_low32(&a)), hi = dash ? ntohl(*url_low32(&b)) : lo;
        /* A range: one family, the same upper 96 bits (IPv6), low to high. */
        if (dash &&
            (a.ss_family != b.ss_family || hi < lo ||
             (a.ss_family == AF_INET6 && memcmp(&((struct sockaddr_in6 *)&a)->sin6_addr,
                                                &((struct sockaddr_in6 *)&b)->sin6_addr, 12) != 0)))
            return RF_EVALUE;
        if ((uint64_t)hi - lo + 1 > max - n)
            return RF_ERANGE;
        for (uint64_t v = lo; v <= hi; v++) {
            out[n] = a;
            *url_low32(&out[n++]) = htonl((uint32_t)v);
        }
        p += len;
        if (!*p)
            break;
    }
    for (unsigned i = 1; i < n; i++)
        if (out[i].ss_family != out[0].ss_family)
            return RF_EVALUE; /* a socket has one family */
    return n ? (int)n : RF_EVALUE;
}
