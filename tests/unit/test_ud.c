/*
 * test_ud.c - user_data packing, and the request template.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "request.h"
#include "ud.h"

Test(ud, round_trip)
{
    static const enum rf__op ops[] = {RF_OP_CONNECT, RF_OP_RECV, RF_OP_SEND, RF_OP_CANCEL};
    static const uint32_t gens[] = {0, 1, 0x123456, RF_UD_GEN_MASK};
    static const uint32_t idxs[] = {0, 1, 99999, UINT32_MAX};
    for (size_t o = 0; o < 4; o++)
        for (size_t g = 0; g < 4; g++)
            for (size_t i = 0; i < 4; i++) {
                uint64_t ud = rf__ud_pack(ops[o], gens[g], idxs[i]);
                cr_assert(eq(int, rf__ud_op(ud), ops[o]));
                cr_assert(eq(u32, rf__ud_gen(ud), gens[g]));
                cr_assert(eq(u32, rf__ud_idx(ud), idxs[i]));
            }
}

Test(ud, generation_wraps_within_its_field)
{
    uint32_t gen = (RF_UD_GEN_MASK + 1) & RF_UD_GEN_MASK;
    uint64_t ud = rf__ud_pack(RF_OP_RECV, gen, 7);
    cr_assert(eq(u32, rf__ud_gen(ud), 0));
    cr_assert(eq(int, rf__ud_op(ud), RF_OP_RECV), "a wrapped generation leaves op alone");
}

static struct rf_config base_config(void)
{
    struct rf_config c;
    memset(&c, 0, sizeof(c));
    rf_url_parse("http://127.0.0.1:8080/p?q=1", &c.url);
    c.pipeline = 3;
    return c;
}

Test(request, get_pipeline_is_copies)
{
    struct rf_config c = base_config();
    struct rf__request r;
    cr_assert(eq(int, rf__request_build(&c, &r), 0));
    const char *want = "GET /p?q=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";
    cr_assert(eq(u64, r.len, strlen(want)));
    for (int i = 0; i < 3; i++)
        cr_assert(eq(int, memcmp(r.pipeline + i * r.len, want, r.len), 0));
    cr_assert(eq(int, r.head, 0));
    rf__request_free(&r);
}

Test(request, headers_body_and_host_override)
{
    struct rf_config c = base_config();
    const char *hs[] = {"Host: example", "X-A: 1"};
    c.headers = hs;
    c.nheaders = 2;
    c.method = "POST";
    c.body = "abc";
    c.body_len = 3;
    c.pipeline = 1;
    struct rf__request r;
    cr_assert(eq(int, rf__request_build(&c, &r), 0));
    const char *want =
        "POST /p?q=1 HTTP/1.1\r\nHost: example\r\nX-A: 1\r\nContent-Length: 3\r\n\r\nabc";
    cr_assert(eq(u64, r.len, strlen(want)));
    cr_assert(eq(int, memcmp(r.pipeline, want, r.len), 0));
    rf__request_free(&r);
}

Test(request, bad_input)
{
    struct rf_config c = base_config();
    struct rf__request r;
    const char *bad[] = {"NoColon"};
    c.headers = bad;
    c.nheaders = 1;
    cr_assert(eq(int, rf__request_build(&c, &r), RF_EHEADER));
    const char *crlf[] = {"X-Injected: a\r\nX-B: b"};
    c.headers = crlf;
    cr_assert(eq(int, rf__request_build(&c, &r), RF_EHEADER));
    c.nheaders = 0;
    c.method = "GE T";
    cr_assert(eq(int, rf__request_build(&c, &r), RF_EMETHOD));
}

Test(request, head_and_raw)
{
    struct rf_config c = base_config();
    c.method = "HEAD";
    struct rf__request r;
    cr_assert(eq(int, rf__request_build(&c, &r), 0));
    cr_assert(eq(int, r.head, 1));
    rf__request_free(&r);
    c.method = NULL;
    c.raw = "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n";
    c.raw_len = strlen(c.raw);
    cr_assert(eq(int, rf__request_build(&c, &r), 0));
    cr_assert(eq(int, r.head, 1));
    cr_assert(eq(u64, r.len, c.raw_len));
    rf__request_free(&r);
}
