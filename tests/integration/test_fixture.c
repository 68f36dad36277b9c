/*
 * test_fixture.c - ringfire-fixture with a plain socket client: exact bytes of every endpoint,
 * pipelined order, chunked framing, the WebSocket echo, and every misbehaviour switch.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fixture_test.h"
#include "tcpinfo.h"

static char buf[1 << 20];

/* Replaces the value of the Date header by "*" so responses compare exactly. */
static void mask_date(char *s)
{
    char *d;
    while ((d = strstr(s, "Date: ")) != NULL) {
        char *end = strstr(d, "\r\n");
        memmove(d + 7, end, strlen(end) + 1);
        d[6] = '*';
        s = d + 7;
    }
}

/* Sends request on a new connection, asks the server to close after it, returns all bytes. */
static const char *exchange(const char *request)
{
    int fd = tcp_connect(fx.port);
    cr_assert(ge(int, fd, 0));
    cr_assert(eq(int, tcp_send(fd, request, strlen(request)), 0));
    tcp_recv_all(fd, buf, sizeof(buf));
    close(fd);
    mask_date(buf);
    return buf;
}

#define HEAD_OF(type) "Server: ringfire-fixture\r\nDate: *\r\nContent-Type: " type "\r\n"

Test(fixture, plaintext_and_json_exact_bytes, .fini = stop)
{
    start(NULL);
    cr_assert(
        eq(str, (char *)exchange("GET /plaintext HTTP/1.1\r\nConnection: close\r\n\r\n"),
           "HTTP/1.1 200 OK\r\n" HEAD_OF("text/plain") "Connection: close\r\n"
                                                       "Content-Length: 13\r\n\r\nHello, World!"));
    cr_assert(
        eq(str, (char *)exchange("GET /json HTTP/1.1\r\nConnection: close\r\n\r\n"),
           "HTTP/1.1 200 OK\r\n" HEAD_OF(
               "application/json") "Connection: close\r\n"
                                   "Content-Length: 27\r\n\r\n{\"message\":\"Hello, World!\"}"));
}

Test(fixture, pipelined_responses_in_order, .fini = stop)
{
    start(NULL);
    const char *got = exchange("GET /status/201 HTTP/1.1\r\n\r\nGET /status/202 HTTP/1.1\r\n\r\n"
                               "GET /nowhere HTTP/1.1\r\n\r\nGET /close HTTP/1.1\r\n\r\n");
    cr_assert(
        eq(str, (char *)got,
           "HTTP/1.1 201 Created\r\n" HEAD_OF(
               "text/plain") "Content-Length: 0\r\n\r\n"
                             "HTTP/1.1 202 Status\r\n" HEAD_OF(
                                 "text/plain") "Content-Length: 0\r\n\r\n"
                                               "HTTP/1.1 404 Not Found\r\n" HEAD_OF(
                                                   "text/plain") "Content-Length: 10\r\n\r\n"
                                                                 "Not Found\n"
                                                                 "HTTP/1.1 200 OK\r\n" HEAD_OF(
                                                                     "text/plain") "Connection: "
                                                                                   "close\r\n"
                                                                                   "Content-Length:"
                                                                                   " 8\r\n\r\nclosi"
                                                                                   "ng\n"));
}

Test(fixture, chunked_framing_with_trailer, .fini = stop)
{
    start(NULL);
    const char *got = exchange("GET /chunked/10?chunk=4 HTTP/1.1\r\nConnection: close\r\n\r\n");
    const char *body = strstr(got, "\r\n\r\n");
    cr_assert(not(eq(ptr, (void *)body, NULL)));
    cr_assert(not(eq(ptr, strstr(got, "Transfer-Encoding: chunked\r\n"), NULL)));
    cr_assert(
        eq(str, (char *)body + 4, "4\r\nabcd\r\n4\r\nabcd\r\n2\r\nab\r\n0\r\nX-Bytes: 10\r\n\r\n"));
}

Test(fixture, bytes_head_and_echo, .fini = stop)
{
    start(NULL);
    const char *got = exchange("GET /bytes/100000 HTTP/1.1\r\nConnection: close\r\n\r\n");
    const char *body = strstr(got, "\r\n\r\n") + 4;
    cr_assert(not(eq(ptr, strstr(got, "Content-Length: 100000\r\n"), NULL)));
    cr_assert(eq(sz, strlen(body), 100000));
    got = exchange("HEAD /bytes/100000 HTTP/1.1\r\nConnection: close\r\n\r\n");
    cr_assert(not(eq(ptr, strstr(got, "Content-Length: 100000\r\n"), NULL)));
    cr_assert(eq(str, (char *)strstr(got, "\r\n\r\n"), "\r\n\r\n"), "HEAD: headers only");
    got = exchange(
        "POST /echo HTTP/1.1\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world");
    cr_assert(eq(str, (char *)strstr(got, "\r\n\r\n") + 4, "hello world"));
}

Test(fixture, unparseable_request_gets_400_and_close, .fini = stop)
{
    start(NULL);
    const char *got = exchange("BLAH\r\n\r\nGET /plaintext HTTP/1.1\r\n\r\n");
    cr_assert(eq(int, strncmp(got, "HTTP/1.1 400 Bad Request\r\n", 26), 0), "%s", got);
    cr_assert(eq(ptr, strstr(got, "Hello"), NULL), "nothing after the 400");
    got = exchange("GET /status/99 HTTP/1.1\r\nConnection: close\r\n\r\n");
    cr_assert(eq(int, strncmp(got, "HTTP/1.1 400", 12), 0));
    /* Random bytes never crash it: it still answers afterwards. */
    static char junk[4096];
    for (size_t i = 0; i < sizeof(junk) - 5; i++)
        junk[i] = (char)((i * 131 + 7) % 255 + 1);
    memcpy(junk + sizeof(junk) - 5, "\r\n\r\n", 5);
    got = exchange(junk);
    cr_assert(eq(int, strncmp(got, "HTTP/1.1 400", 12), 0));
    got = exchange("GET /json HTTP/1.1\r\nConnection: close\r\n\r\n");
    cr_assert(eq(int, strncmp(got, "HTTP/1.1 200 OK", 15), 0));
}

Test(fixture, delay_does_not_block_other_connections, .fini = stop)
{
    start(NULL);
    int slow = tcp_connect(fx.port), fast = tcp_connect(fx.port);
    const char *d = "GET /delay/1500 HTTP/1.1\r\n\r\n", *p = "GET /json HTTP/1.1\r\n\r\n";
    tcp_send(slow, d, strlen(d));
    tcp_send(fast, p, strlen(p));
    struct pollfd pf = {.fd = fast, .events = POLLIN};
    cr_assert(eq(int, poll(&pf, 1, 1000), 1), "the fast connection is answered");
    struct pollfd ps = {.fd = slow, .events = POLLIN};
    cr_assert(eq(int, poll(&ps, 1, 0), 0), "the delayed one is not, yet");
    cr_assert(eq(int, poll(&ps, 1, 3000), 1), "and then it is");
    size_t n = (size_t)recv(slow, buf, sizeof(buf) - 1, 0);
    buf[n] = '\0';
    cr_assert(not(eq(ptr, strstr(buf, "delayed\n"), NULL)));
    close(slow);
    close(fast);
}

/* The example of RFC 6455 section 1.3. */
static int ws_open(void)
{
    int fd = tcp_connect(fx.port);
    const char *up =
        "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    tcp_send(fd, up, strlen(up));
    const char *want = "HTTP/1.1 101 Switching Protocols\r\nServer: ringfire-fixture\r\n"
                       "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    size_t n = tcp_recv_n(fd, buf, strlen(want));
    buf[n] = '\0';
    cr_assert(eq(str, buf, (char *)want));
    return fd;
}

static void ws_send(int fd, int b0, const char *payload, size_t n, int masked)
{
    unsigned char f[256] = {(unsigned char)b0, (unsigned char)((masked ? 0x80 : 0) | n)};
    unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
    size_t h = 2;
    if (masked) {
        memcpy(f + 2, key, 4);
        h = 6;
    }
    for (size_t i = 0; i < n; i++)
        f[h + i] = (unsigned char)(payload[i] ^ (masked ? key[i & 3] : 0));
    tcp_send(fd, f, h + n);
}

Test(fixture, websocket_echo_ping_close, .fini = stop)
{
    start(NULL);
    int fd = ws_open();
    ws_send(fd, 0x81, "Hello", 5, 1);
    cr_assert(eq(sz, tcp_recv_n(fd, buf, 7), 7));
    cr_assert(eq(int, memcmp(buf, "\x81\x05Hello", 7), 0), "text echoed, unmasked");
    ws_send(fd, 0x82, "\x01\x02\x03", 3, 1);
    cr_assert(eq(sz, tcp_recv_n(fd, buf, 5), 5));
    cr_assert(eq(int, memcmp(buf, "\x82\x03\x01\x02\x03", 5), 0), "binary keeps its opcode");
    ws_send(fd, 0x89, "pi", 2, 1);
    cr_assert(eq(sz, tcp_recv_n(fd, buf, 4), 4));
    cr_assert(eq(int, memcmp(buf, "\x8a\x02pi", 4), 0), "ping answered with pong");
    ws_send(fd, 0x88, "\x03\xe8", 2, 1);
    cr_assert(eq(sz, tcp_recv_n(fd, buf, 4), 4));
    cr_assert(eq(int, memcmp(buf, "\x88\x02\x03\xe8", 4), 0), "close answered with 1000");
    cr_assert(eq(sz, tcp_recv_n(fd, buf, 1), 0), "then the connection ends");
    close(fd);
}

Test(fixture, websocket_unmasked_frame_is_1002, .fini = stop)
{
    start(NULL);
    int fd = ws_open();
    ws_send(fd, 0x81, "Hi", 2, 0);
    cr_assert(eq(sz, tcp_recv_n(fd, buf, 4), 4));
    cr_assert(eq(int, memcmp(buf, "\x88\x02\x03\xea", 4), 0), "close with 1002");
    close(fd);
}

Test(fixture, close_after_n_responses, .fini = stop)
{
    start((const char *const[]){"--close-after", "2", NULL});
    const char *got = exchange("GET /status/201 HTTP/1.1\r\n\r\nGET /status/202 HTTP/1.1\r\n\r\n"
                               "GET /status/203 HTTP/1.1\r\n\r\n");
    cr_assert(not(eq(ptr, strstr(got, "202 Status"), NULL)));
    cr_assert(eq(ptr, strstr(got, "203"), NULL), "closed after two responses");
    cr_assert(eq(ptr, strstr(got, "Connection: close"), NULL), "without announcing it");
}

Test(fixture, malformed_every_n, .fini = stop)
{
    start((const char *const[]){"--malformed-every", "2", NULL});
    const char *got = exchange("GET /status/201 HTTP/1.1\r\n\r\nGET /status/202 HTTP/1.1\r\n\r\n"
                               "GET /close HTTP/1.1\r\n\r\n");
    cr_assert(not(eq(ptr, strstr(got, "201 Created"), NULL)));
    cr_assert(not(eq(ptr, strstr(got, "HTTP/1.1 2x0 Malformed\r\n"), NULL)));
    cr_assert(eq(ptr, strstr(got, "202"), NULL), "the 2nd response is replaced");
}

Test(fixture, reset_every_n, .fini = stop)
{
    start((const char *const[]){"--reset-every", "2", NULL});
    int fd = tcp_connect(fx.port);
    const char *r = "GET /status/201 HTTP/1.1\r\n\r\nGET /status/202 HTTP/1.1\r\n\r\n";
    tcp_send(fd, r, strlen(r));
    ssize_t n;
    size_t got = 0;
    errno = 0;
    while ((n = recv(fd, buf + got, sizeof(buf) - got, 0)) > 0)
        got += (size_t)n;
    cr_assert(eq(int, errno, ECONNRESET), "the 2nd response is a reset");
    buf[got] = '\0';
    cr_assert(eq(ptr, strstr(buf, "202 Status"), NULL));
    close(fd);
}

/* --write-max: the same bytes, in segments of at most N bytes (the kernel's count says so). */
Test(fixture, write_max_sends_small_segments, .fini = stop)
{
    start((const char *const[]){"--write-max", "7", NULL});
    int fd = tcp_connect(fx.port);
    cr_assert(ge(int, fd, 0));
    const char *r = "GET /plaintext HTTP/1.1\r\nConnection: close\r\n\r\n";
    cr_assert(eq(int, tcp_send(fd, r, strlen(r)), 0));
    size_t n = tcp_recv_all(fd, buf, sizeof(buf));
    uint64_t bytes;
    uint32_t segs;
    cr_assert(eq(int, rf__tcp_received(fd, &bytes, &segs), 0));
    close(fd);
    cr_assert(gt(sz, n, 100));
    cr_assert(eq(u64, bytes, n + 1)); /* the FIN counts one */
    cr_assert(ge(u32, segs, (uint32_t)((n + 6) / 7)), "%u segments for %zu bytes", segs, n);
    cr_assert(not(eq(ptr, strstr(buf, "\r\n\r\nHello, World!"), NULL)));
}

/* --work-ns: each response costs that much CPU, so 20 pipelined requests take at least 20x. */
Test(fixture, work_ns_slows_every_response, .fini = stop)
{
    start((const char *const[]){"--work-ns", "2000000", NULL});
    int fd = tcp_connect(fx.port);
    cr_assert(ge(int, fd, 0));
    char req[2048] = "";
    for (int i = 0; i < 20; i++)
        strcat(req, i < 19 ? "GET /plaintext HTTP/1.1\r\n\r\n"
                           : "GET /plaintext HTTP/1.1\r\nConnection: close\r\n\r\n");
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    cr_assert(eq(int, tcp_send(fd, req, strlen(req)), 0));
    size_t n = tcp_recv_all(fd, buf, sizeof(buf));
    clock_gettime(CLOCK_MONOTONIC, &b);
    close(fd);
    double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    cr_assert(gt(sz, n, 20 * 100));
    cr_assert(ge(dbl, ms, 40.0), "20 responses at 2 ms of CPU each took %.1f ms", ms);
}

Test(fixture, bad_options_exit_2)
{
    struct cmd_result r;
    cmd_run((const char *const[]){FIXTURE, "--threads", "0", NULL}, 10, &r);
    cr_assert(eq(int, r.status, 2));
    cr_assert(not(eq(ptr, strstr(r.err, "--threads"), NULL)));
    cmd_free(&r);
    cmd_run((const char *const[]){FIXTURE, "--stall-ms", "100", NULL}, 10, &r);
    cr_assert(eq(int, r.status, 2));
    cr_assert(not(eq(ptr, strstr(r.err, "--stall-ms and --stall-every go together"), NULL)));
    cmd_free(&r);
    cmd_run((const char *const[]){FIXTURE, "--write-max", "-1", NULL}, 10, &r);
    cr_assert(eq(int, r.status, 2));
    cr_assert(not(eq(ptr, strstr(r.err, "--write-max '-1'"), NULL)));
    cmd_free(&r);
    cmd_run((const char *const[]){FIXTURE, "--work-ns", "200000000", NULL}, 10, &r);
    cr_assert(eq(int, r.status, 2));
    cr_assert(not(
        eq(ptr, strstr(r.err, "--work-ns '200000000': expected a whole number from 0 to 100000000"),
           NULL)));
    cmd_free(&r);
}
