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
