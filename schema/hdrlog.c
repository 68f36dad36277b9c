/*
 * hdrlog.c - HdrHistogram's interval log and V2 histogram encoding (hdrlog.h).
 *
 * The V2 encoding: a 40-byte big-endian header (cookie 0x1c849313, payload length,
 * normalizing index offset 0, significant digits, lowest discernible value, highest trackable
 * value, the integer-to-double ratio 1.0), then the counts in HdrHistogram's index order as
 * ZigZag LEB128 numbers of at most 9 bytes, a run of zero counts written as its negated length.
 * Compressed: cookie 0x1c849314, the length of the zlib stream, the zlib stream of all that.
 * rf_hist keeps its counts in that same index order (rf_hist_counts).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "hdrlog.h"

#define HDR_COOKIE 0x1c849313u
#define HDR_COMPRESSED_COOKIE 0x1c849314u
#define HDR_HEADER 40
#define HDR_DIGITS 3
#define HDR_MAX_UNIT 1e6 /* the max column in milliseconds, values being nanoseconds */

static uint8_t *hdr_be(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
    return p + bytes;
}

/* ZigZag, then LEB128 with the ninth byte holding the last 8 bits whole. */
static uint8_t *hdr_zigzag(uint8_t *p, int64_t v)
{
    uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
    for (int i = 0; i < 8; i++) {
        if (z >> 7 == 0) {
            *p++ = (uint8_t)z;
            return p;
        }
        *p++ = (uint8_t)((z & 0x7f) | 0x80);
        z >>= 7;
    }
    *p++ = (uint8_t)z;
    return p;
}

/* The uncompressed V2 encoding into a malloc'ed buffer; its length in *len. */
static uint8_t *hdr_v2(const struct rf_hist *h, size_t *len)
{
    size_t n;
    const uint64_t *counts = rf_hist_counts(h, &n);
    uint8_t *buf = malloc(HDR_HEADER + n * 9), *p = buf + HDR_HEADER;
    if (!buf)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t zeros = 0;
        while (i + zeros < n && counts[i + zeros] == 0)
            zeros++;
        if (zeros > 1) {
            p = hdr_zigzag(p, -(int64_t)zeros);
            i += zeros;
            continue;
        }
        p = hdr_zigzag(p, (int64_t)counts[i++]);
    }
    double ratio = 1.0;
    uint64_t ratio_bits;
    memcpy(&ratio_bits, &ratio, sizeof(ratio_bits));
    uint8_t *q = hdr_be(buf, HDR_COOKIE, 4);
    q = hdr_be(q, (uint64_t)(p - buf - HDR_HEADER), 4);
    q = hdr_be(q, 0, 4); /* normalizing index offset */
    q = hdr_be(q, HDR_DIGITS, 4);
    q = hdr_be(q, 1, 8); /* lowest discernible value */
    q = hdr_be(q, rf_hist_highest_trackable(), 8);
    hdr_be(q, ratio_bits, 8);
    *len = (size_t)(p - buf);
    return buf;
}

static char *hdr_base64(const uint8_t *in, size_t n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        *o++ = abc[v >> 18 & 63];
        *o++ = abc[v >> 12 & 63];
        *o++ = i + 1 < n ? abc[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? abc[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

char *rr_hdr_encode(const struct rf_hist *h)
{
    size_t len = 0;
    uint8_t *raw = hdr_v2(h, &len);
    uLongf zlen = compressBound((uLong)len);
    uint8_t *z = raw ? malloc(8 + zlen) : NULL;
    char *text = NULL;
    if (z && compress2(z + 8, &zlen, raw, (uLong)len, Z_DEFAULT_COMPRESSION) == Z_OK) {
        hdr_be(hdr_be(z, HDR_COMPRESSED_COOKIE, 4), zlen, 4);
        text = hdr_base64(z, 8 + zlen);
    }
    free(raw);
    free(z);
    return text;
}

void rr_hdrlog_header(FILE *out, double start_epoch_s)
{
    char date[64] = "";
    time_t t = (time_t)start_epoch_s;
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(date, sizeof(date), "%a %b %d %H:%M:%S UTC %Y", &tm);
    fprintf(out, "#[Histogram log format version 1.3]\n");
    fprintf(out, "#[StartTime: %.3f (seconds since epoch), %s]\n", start_epoch_s, date);
    fprintf(out, "#[BaseTime: %.3f (seconds since epoch)]\n", start_epoch_s);
    fprintf(out, "#[ringfire: values in nanoseconds; Interval_Max in milliseconds]\n");
    fprintf(out, "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\","
                 "\"Interval_Compressed_Histogram\"\n");
}

int rr_hdrlog_interval(FILE *out, const char *tag, double start_s, double length_s,
                       const struct rf_hist *h)
{
    char *text = rr_hdr_encode(h);
    if (!text)
        return -1;
    /* HdrHistogram's maximum is the highest value equivalent to the largest recorded. */
    uint64_t max = rf_hist_count(h) ? rf_hist_percentile(h, 100) : 0;
    fprintf(out, "Tag=%s,%.3f,%.3f,%.3f,%s\n", tag, start_s, length_s, (double)max / HDR_MAX_UNIT,
            text);
    free(text);
    return 0;
}
