/*
 * test_h1.c - the HTTP/1.1 response parser: every case fed whole, split at every byte, and one
 * byte at a time, each piece against a guard page.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "guard.h"
#include "h1.h"

#define MAX_EVENTS 8

struct expect {
    int status;
    int close;
    int upgrade;
    uint64_t body_len;
};

struct h1_case {
    const char *what;
    const char *input;
    int head_request;
    int nevents;
    struct expect events[MAX_EVENTS];
    int error; /* the input must end in RF_PARSE_ERROR after nevents responses */
    int eof;   /* 1: rf__h1_eof completes one more response; -1: eof reports cut short */
};

static const struct h1_case cases[] = {
    {"content-length body",
     "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
     0,
     1,
     {{200, 0, 0, 5}}},
    {"two pipelined responses",
     "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 404 Not Found\r\nContent-Length: "
     "0\r\n\r\n",
     0,
     2,
     {{200, 0, 0, 2}, {404, 0, 0, 0}}},
    {"chunked with extensions and a trailer",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n6\r\n world\r\n"
     "0\r\nX-Trailer: yes\r\n\r\n",
     0,
     1,
     {{200, 0, 0, 11}}},
    {"chunked, upper-case hex, then another response",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n"
     "HTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx",
     0,
     2,
     {{200, 0, 0, 10}, {201, 0, 0, 1}}},
    {"transfer-encoding list ending in chunked",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n",
     0,
     1,
     {{200, 0, 0, 1}}},
    {"chunked wins over content-length",
     "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: "
     "chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n",
     0,
     1,
     {{200, 0, 0, 2}}},
    {"connection: close",
     "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx",
     0,
     1,
     {{200, 1, 0, 1}}},
    {"connection list with close",
     "HTTP/1.1 200 OK\r\nConnection: Upgrade, Close\r\nContent-Length: 0\r\n\r\n",
     0,
     1,
     {{200, 1, 0, 0}}},
    {"HTTP/1.0 closes by default",
     "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx",
     0,
     1,
     {{200, 1, 0, 1}}},
    {"HTTP/1.0 keep-alive",
     "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx",
     0,
     1,
     {{200, 0, 0, 1}}},
    {"204 has no body",
     "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
     0,
     2,
     {{204, 0, 0, 0}, {200, 0, 0, 0}}},
    {"304 ignores content-length",
     "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: "
     "0\r\n\r\n",
     0,
     2,
     {{304, 0, 0, 0}, {200, 0, 0, 0}}},
    {"interim 100 and 103 are skipped",
     "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
     "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
     0,
     1,
     {{200, 0, 0, 3}}},
    {"101 switches protocols",
     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
     0,
     1,
     {{101, 0, 1, 0}}},
    {"HEAD responses have no body",
     "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: "
     "chunked\r\n\r\n",
     1,
     2,
     {{200, 0, 0, 0}, {200, 0, 0, 0}}},
    {"status line without reason",
     "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
     0,
     1,
     {{200, 0, 0, 0}}},
    {"empty reason", "HTTP/1.1 503 \r\nContent-Length: 0\r\n\r\n", 0, 1, {{503, 0, 0, 0}}},
    {"bare LF line endings", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", 0, 1, {{200, 0, 0, 2}}},
    {"obs-fold continuation is tolerated",
     "HTTP/1.1 200 OK\r\nX-Long: a\r\n  b\r\nContent-Length: 1\r\n\r\n!",
     0,
     1,
     {{200, 0, 0, 1}}},
    {"equal duplicate content-length",
     "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
     0,
     1,
     {{200, 0, 0, 1}}},
    {"header names are case-insensitive",
     "HTTP/1.1 200 OK\r\ncOnTeNt-LeNgTh: 3\r\n\r\nabc",
     0,
     1,
     {{200, 0, 0, 3}}},
    {"body until close", "HTTP/1.1 200 OK\r\n\r\nall of this", 0, 0, {{0}}, 0, 1},
    {"transfer-encoding without chunked reads until close",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz",
     0,
     0,
     {{0}},
     0,
     1},
    {"cut short in the body",
     "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
     0,
     0,
     {{0}},
     0,
     -1},
    {"cut short in the head", "HTTP/1.1 200 OK\r\nContent-Le", 0, 0, {{0}}, 0, -1},
    {"status code not digits", "HTTP/1.1 2x0 OK\r\n\r\n", 0, 0, {{0}}, 1},
    {"not HTTP", "SSH-2.0-OpenSSH_9.2\r\n", 0, 0, {{0}}, 1},
    {"HTTP/2 preface is not HTTP/1.x", "HTTP/2 200\r\n\r\n", 0, 0, {{0}}, 1},
    {"blank line before the status line", "\r\nHTTP/1.1 200 OK\r\n\r\n", 0, 0, {{0}}, 1},
    {"content-length not a number",
     "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
     0,
     0,
     {{0}},
     1},
    {"content-length negative", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 0, 0, {{0}}, 1},
    {"content-length overflow",
     "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
     0,
     0,
     {{0}},
     1},
    {"differing content-lengths",
     "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
     0,
     0,
     {{0}},
     1},
    {"header without colon", "HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n", 0, 0, {{0}}, 1},
    {"space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nx", 0, 0, {{0}}, 1},
    {"chunk size not hex",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
     0,
     0,
     {{0}},
     1},
    {"chunk data without CRLF",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY0\r\n\r\n",
     0,
     0,
     {{0}},
     1},
    {"valid response then garbage",
     "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nGARBAGE\r\n",
     0,
     1,
     {{200, 0, 0, 0}},
     1},
};

/* Feeds one piece; appends completed responses.  Returns 1 on a parse error. */
static int feed(struct rf__h1 *p, const char *data, size_t len, struct expect *got, int *n)
{
    size_t off = 0;
    while (off < len) {
        struct rf__h1_response r;
        long used = rf__h1_feed(p, data + off, len - off, &r);
        if (used == RF_PARSE_ERROR)
            return 1;
        if (used == RF_PARSE_INCOMPLETE)
            return 0;
        cr_assert(gt(long, used, 0));
        cr_assert(lt(int, *n, MAX_EVENTS));
        got[*n].status = r.status;
        got[*n].close = r.close;
        got[*n].upgrade = r.upgrade;
        got[*n].body_len = r.body_len;
        (*n)++;
        off += (size_t)used;
    }
    return 0;
}

/* Shared by the parsers of every case, as a worker's connections share one: a case whose head
 * an earlier case (or the same case at another split) left behind takes the fast path. */
static struct rf__h1_repeat repeat;

static void check_case(const struct h1_case *tc, const size_t *cuts, size_t ncuts, struct guard *g,
                       char *carry)
{
    struct rf__h1 p;
    rf__h1_init(&p, carry, tc->head_request, &repeat);
    size_t len = strlen(tc->input), from = 0;
    struct expect got[MAX_EVENTS];
    int n = 0, error = 0;
    for (size_t i = 0; i <= ncuts && !error; i++) {
        size_t to = i < ncuts ? cuts[i] : len;
        if (to > from)
            error = feed(&p, guard_place(g, tc->input + from, to - from), to - from, got, &n);
        from = to;
    }
    cr_assert(eq(int, error, tc->error), "%s: parse error %d, expected %d", tc->what, error,
              tc->error);
    if (!error && tc->eof) {
        struct rf__h1_response r;
        int rc = rf__h1_eof(&p, &r);
        if (tc->eof == 1) {
            cr_assert(eq(int, rc, 1), "%s: eof should complete the response", tc->what);
            cr_assert(eq(int, r.close, 1));
            const char *body = strstr(tc->input, "\r\n\r\n") + 4;
            cr_assert(eq(u64, r.body_len, strlen(body)), "%s", tc->what);
        } else {
            cr_assert(eq(int, rc, RF_PARSE_INCOMPLETE), "%s: eof should report a cut", tc->what);
        }
    } else if (!error) {
        struct rf__h1_response r;
        cr_assert(eq(int, rf__h1_eof(&p, &r), 0), "%s: parser should be idle", tc->what);
    }
    cr_assert(eq(int, n, tc->nevents), "%s: %d responses, expected %d", tc->what, n, tc->nevents);
    for (int i = 0; i < n; i++) {
        cr_assert(eq(int, got[i].status, tc->events[i].status), "%s: response %d", tc->what, i);
        cr_assert(eq(int, got[i].close, tc->events[i].close), "%s: close of %d", tc->what, i);
        cr_assert(eq(int, got[i].upgrade, tc->events[i].upgrade), "%s", tc->what);
        cr_assert(eq(u64, got[i].body_len, tc->events[i].body_len), "%s: body of %d", tc->what, i);
    }
}

static char carry[RF_H1_LINE_MAX];
static struct guard guard;

static void setup(void)
{
    memset(&repeat, 0, sizeof(repeat));
    cr_assert(eq(int, guard_init(&guard, 1 << 20), 0));
}

static void teardown(void)
{
    guard_free(&guard);
}

TestSuite(h1, .init = setup, .fini = teardown);

Test(h1, whole_input)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_case(&cases[i], NULL, 0, &guard, carry);
}

Test(h1, every_split_point)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = strlen(cases[i].input);
        for (size_t cut = 1; cut < len; cut++)
            check_case(&cases[i], &cut, 1, &guard, carry);
    }
    cr_assert(gt(u64, repeat.hits, 100), "the remembered heads were taken %llu times",
              (unsigned long long)repeat.hits);
}

Test(h1, one_byte_at_a_time)
{
    static size_t cuts[4096];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = strlen(cases[i].input);
        for (size_t k = 0; k + 1 < len; k++)
            cuts[k] = k + 1;
        check_case(&cases[i], cuts, len - 1, &guard, carry);
    }
}

/* Many headers and a header line longer than 1 KiB, at every split point. */
Test(h1, many_and_long_headers)
{
    static char input[16384];
    size_t n = (size_t)snprintf(input, sizeof(input), "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(input + n, sizeof(input) - n, "X-Header-%d: value %d\r\n", i, i);
    n += (size_t)snprintf(input + n, sizeof(input) - n, "X-Big: ");
    memset(input + n, 'v', 3000);
    n += 3000;
    n += (size_t)snprintf(input + n, sizeof(input) - n, "\r\nContent-Length: 4\r\n\r\nbody");
    struct h1_case tc = {"40 headers and a 3000-byte header", input, 0, 1, {{200, 0, 0, 4}}};
    for (size_t cut = 1; cut < n; cut++)
        check_case(&tc, &cut, 1, &guard, carry);
}

Test(h1, line_longer_than_carry_is_an_error)
{
    static char input[RF_H1_LINE_MAX + 100];
    size_t n = (size_t)snprintf(input, sizeof(input), "HTTP/1.1 200 OK\r\nX-Huge: ");
    memset(input + n, 'h', RF_H1_LINE_MAX);
    input[n + RF_H1_LINE_MAX] = '\0';
    struct h1_case tc = {"a line over the carry size", input, 0, 0, {{0}}, 1};
    size_t cut = n + 10; /* the line must be carried to hit the limit */
    check_case(&tc, &cut, 1, &guard, carry);
}

Test(h1, head_larger_than_limit_is_an_error)
{
    static char input[RF_H1_HEAD_MAX + 4096];
    size_t n = (size_t)snprintf(input, sizeof(input), "HTTP/1.1 200 OK\r\n");
    while (n < RF_H1_HEAD_MAX + 100)
        n += (size_t)snprintf(input + n, sizeof(input) - n, "X-Filler: 0123456789abcdef\r\n");
    struct h1_case tc = {"a head over 64 KiB", input, 0, 0, {{0}}, 1};
    check_case(&tc, NULL, 0, &guard, carry);
}

Test(h1, large_body_in_pieces)
{
    struct rf__h1 p;
    rf__h1_init(&p, carry, 0, NULL);
    const char *head = "HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n";
    struct rf__h1_response r;
    cr_assert(eq(long, rf__h1_feed(&p, head, strlen(head), &r), RF_PARSE_INCOMPLETE));
    static char chunk[16384];
    memset(chunk, 'b', sizeof(chunk));
    for (int i = 0; i < 63; i++)
        cr_assert(eq(long, rf__h1_feed(&p, chunk, sizeof(chunk), &r), RF_PARSE_INCOMPLETE));
    cr_assert(eq(long, rf__h1_feed(&p, chunk, sizeof(chunk), &r), (long)sizeof(chunk)));
    cr_assert(eq(u64, r.body_len, 1048576));
    cr_assert(eq(int, rf__h1_busy(&p), 0));
}

/* A head equal to the remembered one is taken whole; one that differs in a byte, or that the
 * buffer holds only part of, or that was remembered for HEAD requests, is parsed. */
Test(h1, repeated_heads_take_the_remembered_state)
{
    static const char three[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
                                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nworld"
                                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain";
    struct h1_case tc = {
        "three equal heads", three, 0, 3, {{200, 0, 0, 5}, {200, 0, 0, 5}, {200, 0, 0, 5}}};
    check_case(&tc, NULL, 0, &guard, carry);
    cr_assert(eq(u64, repeat.hits, 2));

    struct h1_case longer = {"one byte differs",
                             "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello!",
                             0,
                             1,
                             {{200, 0, 0, 6}}};
    check_case(&longer, NULL, 0, &guard, carry);
    cr_assert(eq(u64, repeat.hits, 2));

    struct h1_case closing = {
        "close after a remembered head",
        "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello!"
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 6\r\n\r\nhello!",
        0,
        2,
        {{200, 0, 0, 6}, {200, 1, 0, 6}}};
    check_case(&closing, NULL, 0, &guard, carry);
    cr_assert(eq(u64, repeat.hits, 3));

    /* The first head is split: it is parsed.  The second, whole in the second piece, is the
     * one remembered last and is taken. */
    size_t cut = 10;
    check_case(&closing, &cut, 1, &guard, carry);
    cr_assert(eq(u64, repeat.hits, 4));

    struct h1_case head = {"the same head answering HEAD",
                           "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 6\r\n\r\n",
                           1,
                           1,
                           {{200, 1, 0, 0}}};
    check_case(&head, NULL, 0, &guard, carry);
    cr_assert(eq(u64, repeat.hits, 4));
}
