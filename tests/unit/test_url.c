/*
 * test_url.c - target URL parsing, and the source addresses of --source.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <criterion/new/assert.h>
#include <sys/socket.h>

#include "ringfire.h"

struct url_case {
    const char *what;
    const char *text;
    int rc;
    const char *host;
    unsigned port;
    const char *path;
    const char *authority;
};

static const struct url_case cases[] = {
    {"ipv4 with port and path", "http://127.0.0.1:8080/plaintext", 0, "127.0.0.1", 8080,
     "/plaintext", "127.0.0.1:8080"},
    {"default port and path", "http://127.0.0.1", 0, "127.0.0.1", 80, "/", "127.0.0.1:80"},
    {"query kept, fragment dropped", "http://127.0.0.1:1/a?b=c#frag", 0, "127.0.0.1", 1, "/a?b=c",
     "127.0.0.1:1"},
    {"query without path", "http://127.0.0.1:9?x", 0, "127.0.0.1", 9, "/?x", "127.0.0.1:9"},
    {"ipv6", "http://[::1]:8080/x", 0, "::1", 8080, "/x", "[::1]:8080"},
    {"localhost", "http://localhost:3000/", 0, "localhost", 3000, "/", "localhost:3000"},
    {"scheme is case-insensitive", "HTTP://127.0.0.1:5/", 0, "127.0.0.1", 5, "/", "127.0.0.1:5"},
    {"websocket", "ws://127.0.0.1:9000/ws", 0, "127.0.0.1", 9000, "/ws", "127.0.0.1:9000"},
    {"https is not supported", "https://127.0.0.1/", RF_EURL_SCHEME, 0, 0, 0, 0},
    {"no scheme", "127.0.0.1:8080", RF_EURL, 0, 0, 0, 0},
    {"port zero", "http://127.0.0.1:0/", RF_EURL_PORT, 0, 0, 0, 0},
    {"port too large", "http://127.0.0.1:65536/", RF_EURL_PORT, 0, 0, 0, 0},
    {"port not a number", "http://127.0.0.1:80a/", RF_EURL_PORT, 0, 0, 0, 0},
    {"empty port", "http://127.0.0.1:/", RF_EURL_PORT, 0, 0, 0, 0},
    {"host name needs DNS", "http://example.com/", RF_EURL_HOST, 0, 0, 0, 0},
    {"bad ipv6", "http://[::zz]:80/", RF_EURL_HOST, 0, 0, 0, 0},
    {"unclosed bracket", "http://[::1:80/", RF_EURL, 0, 0, 0, 0},
    {"empty host", "http://:80/", RF_EURL, 0, 0, 0, 0},
    {"space in path", "http://127.0.0.1/a b", RF_EURL, 0, 0, 0, 0},
};

Test(url, table)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct url_case *c = &cases[i];
        struct rf_url u;
        int rc = rf_url_parse(c->text, &u);
        cr_assert(eq(int, rc, c->rc), "%s: rc %s, expected %s", c->what, rf_err_name(rc),
                  rf_err_name(c->rc));
        if (rc < 0)
            continue;
        cr_assert(eq(str, u.host, (char *)c->host), "%s", c->what);
        cr_assert(eq(uint, u.port, c->port), "%s", c->what);
        cr_assert(eq(str, u.path, (char *)c->path), "%s", c->what);
        cr_assert(eq(str, u.authority, (char *)c->authority), "%s", c->what);
    }
}

Test(url, errors_have_names_and_texts)
{
    cr_assert(eq(str, (char *)rf_err_name(RF_ETARGET), "RF_ETARGET"));
    cr_assert(eq(str, (char *)rf_err_name(-111), "ECONNREFUSED"));
    cr_assert(
        eq(str, (char *)rf_strerror(RF_EURL_PORT), "the URL port is not a number from 1 to 65535"));
}

static const char *source_text(const struct sockaddr_storage *a, char *buf)
{
    const void *addr = a->ss_family == AF_INET
                           ? (const void *)&((const struct sockaddr_in *)a)->sin_addr
                           : (const void *)&((const struct sockaddr_in6 *)a)->sin6_addr;
    return inet_ntop(a->ss_family, addr, buf, INET6_ADDRSTRLEN);
}

Test(url, source_addresses_ranges_and_lists)
{
    static struct sockaddr_storage s[16];
    char buf[INET6_ADDRSTRLEN];
    cr_assert(eq(int, rf_parse_sources("127.0.0.2-127.0.0.4,127.0.0.9", s, 16), 4));
    cr_assert(eq(str, (char *)source_text(&s[0], buf), "127.0.0.2"));
    cr_assert(eq(str, (char *)source_text(&s[2], buf), "127.0.0.4"));
    cr_assert(eq(str, (char *)source_text(&s[3], buf), "127.0.0.9"));
    cr_assert(eq(int, rf_parse_sources("10.0.0.255-10.0.1.1", s, 16), 3), "across an octet");
    cr_assert(eq(str, (char *)source_text(&s[1], buf), "10.0.1.0"));
    cr_assert(eq(int, rf_parse_sources("fd00::1-fd00::3", s, 16), 3));
    cr_assert(eq(str, (char *)source_text(&s[2], buf), "fd00::3"));
    cr_assert(eq(int, ((struct sockaddr_in *)&s[0])->sin_port, 0), "the port is the kernel's");
    static const char *const bad[] = {
        "",          "127.0.0.4-127.0.0.2", "127.0.0.1,::1", "127.0.0.1,",
        "localhost", "fd00::1-fd01::1",     "127.0.0.1-::1", "1.2.3"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert(eq(int, rf_parse_sources(bad[i], s, 16), RF_EVALUE), "'%s'", bad[i]);
    cr_assert(eq(int, rf_parse_sources("127.0.0.1-127.0.0.20", s, 16), RF_ERANGE));
}
