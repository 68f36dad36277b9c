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
#include <stdio.h>
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
    fprintf(out, "%s%s%s%.3f,%.3f,%.3f,%s\n", tag && *tag ? "Tag=" : "", tag ? tag : "",
            tag && *tag ? "," : "", start_s, length_s, (double)max / HDR_MAX_UNIT, text);
    free(text);
    return 0;
}

/* ---- reading ------------------------------------------------------------------------------ */

#define HDR_RAW_MAX (4u << 20) /* an uncompressed histogram: 35k counts of at most 9 bytes */
#define HDR_FIELD_MAX 1e10     /* seconds from the base time, or milliseconds: three centuries */

static uint64_t hdr_get_be(const uint8_t *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    return v;
}

/* Strict base64 (padding required, no other characters) into a malloc'ed buffer. */
static uint8_t *hdr_unbase64(const char *in, size_t n, size_t *len)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (n == 0 || n % 4)
        return NULL;
    uint8_t *out = malloc(n / 4 * 3), *o = out;
    for (size_t i = 0; out && i < n; i += 4) {
        uint32_t v = 0;
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            const char *at = in[i + k] ? strchr(abc, in[i + k]) : NULL;
            if (in[i + k] == '=' && i + 4 == n && k >= 2 && (k == 3 || in[i + 3] == '='))
                pad++;
            else if (!at || pad) {
                free(out);
                return NULL;
            }
            v = v << 6 | (uint32_t)(at ? at - abc : 0);
        }
        *o++ = (uint8_t)(v >> 16);
        if (pad < 2)
            *o++ = (uint8_t)(v >> 8);
        if (pad < 1)
            *o++ = (uint8_t)v;
    }
    *len = out ? (size_t)(o - out) : 0;
    return out;
}

/* The V2 payload's counts into h: ZigZag LEB128, the ninth byte whole, a negative number a run
 * of that many zero counts.  Returns 0 or -1. */
static int hdr_counts(const uint8_t *p, size_t n, struct rf_hist *h)
{
    size_t index = 0;
    for (size_t i = 0; i < n;) {
        uint64_t z = 0;
        int k;
        for (k = 0; k < 8; k++) {
            if (i >= n)
                return -1; /* cut short */
            uint8_t b = p[i++];
            z |= (uint64_t)(b & 0x7f) << (7 * k);
            if (!(b & 0x80))
                break;
        }
        if (k == 8) {
            if (i >= n)
                return -1;
            z |= (uint64_t)p[i++] << 56;
        }
        int64_t v = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
        if (v < 0) {
            if ((uint64_t) - (v + 1) >= HDR_RAW_MAX)
                return -1;
            index += (size_t)-v;
        } else if (v > 0 && (rf_hist_count(h) + (uint64_t)v < rf_hist_count(h) ||
                             rf_hist_add_at(h, index++, (uint64_t)v) < 0)) {
            return -1;
        } else if (v == 0) {
            index++;
        }
    }
    return 0;
}

int rr_hdr_decode(const char *text, size_t len, struct rf_hist *h)
{
    size_t zlen = 0;
    uint8_t *z = hdr_unbase64(text, len, &zlen), *raw = NULL;
    uLongf rawlen = 0;
    int rc = -1, zrc = Z_BUF_ERROR;
    if (!z || zlen < 8 || hdr_get_be(z, 4) != HDR_COMPRESSED_COOKIE ||
        hdr_get_be(z + 4, 4) != zlen - 8)
        goto out;
    /* A second's histogram is a few kilobytes: the largest possible only when it must be. */
    for (uLongf cap = 65536; zrc == Z_BUF_ERROR && cap <= HDR_RAW_MAX; cap *= 64) {
        free(raw);
        rawlen = cap;
        zrc =
            (raw = malloc(cap)) ? uncompress(raw, &rawlen, z + 8, (uLong)(zlen - 8)) : Z_MEM_ERROR;
    }
    if (zrc != Z_OK || rawlen < HDR_HEADER)
        goto out;
    uint64_t payload = hdr_get_be(raw + 4, 4);
    /* The same layout as rf_hist, or the indexes would mean other values. */
    if (hdr_get_be(raw, 4) != HDR_COOKIE || payload > rawlen - HDR_HEADER ||
        hdr_get_be(raw + 8, 4) != 0 || hdr_get_be(raw + 12, 4) != HDR_DIGITS ||
        hdr_get_be(raw + 16, 8) != 1)
        goto out;
    rc = hdr_counts(raw + HDR_HEADER, (size_t)payload, h);
out:
    free(z);
    free(raw);
    return rc;
}

/* A number of a line: up to the next comma. */
static int hdr_field(const char **p, const char *end, double *v)
{
    char buf[64];
    const char *comma = memchr(*p, ',', (size_t)(end - *p));
    size_t n = comma ? (size_t)(comma - *p) : 0;
    if (!comma || n == 0 || n >= sizeof(buf))
        return -1;
    memcpy(buf, *p, n);
    buf[n] = '\0';
    char *stop;
    *v = strtod(buf, &stop);
    *p = comma + 1;
    return *stop || !(*v >= 0 && *v <= HDR_FIELD_MAX) ? -1 : 0;
}

int rr_hdrlog_scan(const char *text, size_t len, rr_hdrlog_visit_fn *visit, void *arg,
                   double *base_s, char *err, size_t errlen)
{
    *base_s = NAN;
    int line = 0, intervals = 0;
    for (const char *p = text, *end; p < text + len; p = end + 1) {
        line++;
        end = memchr(p, '\n', (size_t)(text + len - p));
        if (!end)
            end = text + len;
        const char *stop = end > p && end[-1] == '\r' ? end - 1 : end;
        double v;
        if (stop - p > 12 && memcmp(p, "#[BaseTime: ", 12) == 0 && sscanf(p + 12, "%lf", &v) == 1 &&
            isfinite(v))
            *base_s = v;
        if (stop == p || *p == '#' || *p == '"')
            continue;
        struct rr_hdr_interval iv = {0};
        if (stop - p > 4 && memcmp(p, "Tag=", 4) == 0) {
            const char *comma = memchr(p, ',', (size_t)(stop - p));
            iv.tag = p + 4;
            iv.tag_len = comma ? (size_t)(comma - iv.tag) : 0;
            p = comma ? comma + 1 : stop;
        }
        double max;
        if ((iv.tag && (iv.tag_len == 0 || iv.tag_len > 64)) ||
            hdr_field(&p, stop, &iv.start_s) < 0 || hdr_field(&p, stop, &iv.length_s) < 0 ||
            hdr_field(&p, stop, &max) < 0 || p >= stop) {
            snprintf(err, errlen, "line %d: not an interval (Tag=NAME,START,LENGTH,MAX,HISTOGRAM)",
                     line);
            return -1;
        }
        iv.histogram = p;
        iv.histogram_len = (size_t)(stop - p);
        if (isnan(*base_s)) {
            snprintf(err, errlen, "line %d: an interval before the #[BaseTime: ...] line", line);
            return -1;
        }
        if (visit(&iv, arg) < 0) {
            snprintf(err, errlen,
                     "line %d: the histogram does not decode (HdrHistogram V2, "
                     "compressed, 3 digits, lowest value 1)",
                     line);
            return -1;
        }
        intervals++;
    }
    if (intervals == 0)
        snprintf(err, errlen, "no intervals: not an HdrHistogram interval log");
    return intervals ? 0 : -1;
}

/* ---- merging ------------------------------------------------------------------------------ */

struct hdr_entry {
    struct rr_hdr_interval iv;
    long start_ms;
};

struct hdr_merge {
    struct hdr_entry *e;
    size_t n, cap;
    struct rf_hist *scratch;
};

static int hdr_collect(const struct rr_hdr_interval *iv, void *arg)
{
    struct hdr_merge *m = arg;
    rf_hist_reset(m->scratch);
    if (rr_hdr_decode(iv->histogram, iv->histogram_len, m->scratch) < 0)
        return -1;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 256;
        struct hdr_entry *grown = realloc(m->e, cap * sizeof(*grown));
        if (!grown)
            return -1;
        m->e = grown;
        m->cap = cap;
    }
    m->e[m->n++] = (struct hdr_entry){*iv, lround(iv->start_s * 1000)};
    return 0;
}

static int hdr_order(const void *a, const void *b)
{
    const struct hdr_entry *x = a, *y = b;
    if (x->start_ms != y->start_ms)
        return x->start_ms < y->start_ms ? -1 : 1;
    size_t n = x->iv.tag_len < y->iv.tag_len ? x->iv.tag_len : y->iv.tag_len;
    int c = n ? memcmp(x->iv.tag, y->iv.tag, n) : 0;
    return c ? c : (x->iv.tag_len > y->iv.tag_len) - (x->iv.tag_len < y->iv.tag_len);
}

/* Each group of one start and tag, added, as one line of out. */
static int hdr_write_groups(struct hdr_merge *m, FILE *out)
{
    char tag[72];
    for (size_t i = 0, j; i < m->n; i = j) {
        rf_hist_reset(m->scratch);
        double length = 0;
        for (j = i; j < m->n && hdr_order(&m->e[i], &m->e[j]) == 0; j++) {
            if (rr_hdr_decode(m->e[j].iv.histogram, m->e[j].iv.histogram_len, m->scratch) < 0)
                return -1; /* the sum no longer fits */
            length = m->e[j].iv.length_s > length ? m->e[j].iv.length_s : length;
        }
        snprintf(tag, sizeof(tag), "%.*s", (int)m->e[i].iv.tag_len,
                 m->e[i].iv.tag ? m->e[i].iv.tag : "");
        if (rr_hdrlog_interval(out, tag, (double)m->e[i].start_ms / 1000, length, m->scratch) < 0)
            return -1;
    }
    return 0;
}

char *rr_hdrlog_merge(const char *const *texts, const char *const *names, int n, char *err,
                      size_t errlen)
{
    struct hdr_merge m = {.scratch = rf_hist_new()};
    double base = NAN, b;
    char why[200], *text = NULL;
    size_t len = 0;
    for (int i = 0; m.scratch && i < n; i++) {
        for (int k = 0; k < i; k++)
            if (strcmp(texts[k], texts[i]) == 0) {
                snprintf(err, errlen, "%s and %s are the same log: a shard given twice", names[k],
                         names[i]);
                goto out;
            }
        if (rr_hdrlog_scan(texts[i], strlen(texts[i]), hdr_collect, &m, &b, why, sizeof(why)) < 0) {
            snprintf(err, errlen, "%s: %s", names[i], why);
            goto out;
        }
        if (i > 0 && fabs(b - base) > 0.0005) {
            snprintf(err, errlen,
                     "%s starts at %.3f, %s at %.3f: the logs of one run's shards share their "
                     "base time (started with --start-at)",
                     names[0], base, names[i], b);
            goto out;
        }
        base = b;
    }
    qsort(m.e, m.n, sizeof(*m.e), hdr_order);
    FILE *out = m.scratch ? open_memstream(&text, &len) : NULL;
    if (out)
        rr_hdrlog_header(out, base);
    int rc = out ? hdr_write_groups(&m, out) : -1;
    if (out && fclose(out) == 0 && rc == 0)
        goto out;
    free(text);
    text = NULL;
    snprintf(err, errlen, rc < 0 && out ? "the merged counts overflow" : "out of memory");
out:
    free(m.e);
    rf_hist_free(m.scratch);
    return text;
}
