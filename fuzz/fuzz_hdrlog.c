/*
 * fuzz_hdrlog.c - the interval-log reader (ringfire merge LOG.hlog...): any text either merges
 * into a log that merges again to itself, or gets a reason; never a crash, a hang or a leak.
 * With selector bit 0 the input's bytes are a V2 histogram payload instead (header and counts),
 * wrapped as a compressed, base64 histogram the decoder must take or refuse; what it takes must
 * encode and decode again to the same counts.  Input: one selector byte, then the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "hdrlog.h"

static char *fz_wrap(const uint8_t *raw, size_t n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uLongf zlen = compressBound((uLong)n);
    uint8_t *z = malloc(8 + zlen);
    if (compress2(z + 8, &zlen, raw, (uLong)n, 1) != Z_OK)
        abort();
    uint32_t head[2] = {0x1c849314u, (uint32_t)zlen};
    for (int i = 0; i < 8; i++)
        z[i] = (uint8_t)(head[i / 4] >> (24 - 8 * (i % 4)));
    size_t len = 8 + zlen;
    char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)z[i] << 16 | (i + 1 < len ? (uint32_t)z[i + 1] << 8 : 0) |
                     (i + 2 < len ? z[i + 2] : 0);
        *o++ = abc[v >> 18 & 63];
        *o++ = abc[v >> 12 & 63];
        *o++ = i + 1 < len ? abc[v >> 6 & 63] : '=';
        *o++ = i + 2 < len ? abc[v & 63] : '=';
    }
    *o = '\0';
    free(z);
    return out;
}

static void fz_payload(const uint8_t *data, size_t size)
{
    static struct rf_hist *a, *b;
    if (!a) {
        a = rf_hist_new();
        b = rf_hist_new();
    }
    rf_hist_reset(a);
    rf_hist_reset(b);
    char *text = fz_wrap(data, size);
    if (rr_hdr_decode(text, strlen(text), a) == 0) {
        char *again = rr_hdr_encode(a);
        if (!again || rr_hdr_decode(again, strlen(again), b) < 0)
            abort();
        size_t na, nb;
        const uint64_t *ca = rf_hist_counts(a, &na), *cb = rf_hist_counts(b, &nb);
        if (na != nb || memcmp(ca, cb, na * sizeof(*ca)) != 0)
            abort(); /* a decoded histogram must survive its own encoding */
        free(again);
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t sel = data[0];
    data++;
    size--;
    if (sel & 1) {
        fz_payload(data, size);
        return 0;
    }
    char *text = malloc(size + 1), err[512];
    memcpy(text, data, size);
    text[size] = '\0';
    const char *names[] = {"a.hlog"};
    char *merged = rr_hdrlog_merge((const char *const *)&text, names, 1, err, sizeof(err));
    if (merged) {
        char *again = rr_hdrlog_merge((const char *const *)&merged, names, 1, err, sizeof(err));
        if (!again || strcmp(again, merged) != 0)
            abort(); /* a merged log is its own merge */
        free(again);
    } else if (!err[0]) {
        abort(); /* refused without a reason */
    }
    free(merged);
    free(text);
    return 0;
}
