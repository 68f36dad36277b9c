/*
 * hdrlog.h - HdrHistogram's interval log, format version 1.3: what `ringfire --hdr-log FILE`
 * writes, one tagged line per histogram per second, each histogram in HdrHistogram's V2
 * encoding, compressed with zlib and in base64, so HdrHistogram's own readers (Java, C, Go,
 * JavaScript, Python) decode it, and runs from several machines merge exactly.  This file owns
 * the format.
 */
#ifndef RF_SCHEMA_HDRLOG_H
#define RF_SCHEMA_HDRLOG_H

#include <stdio.h>

#include "ringfire.h"

/* The header: the log format's version, the start time (seconds since the epoch, also the base
 * time the intervals count from) and the column legend. */
void rr_hdrlog_header(FILE *out, double start_epoch_s);

/* One interval: "Tag=TAG,START,LENGTH,MAX,HISTOGRAM" (no tag when TAG is NULL or empty) with
 * START seconds from the base time, MAX in milliseconds (values are nanoseconds).  Returns 0,
 * or -1 when out of memory. */
int rr_hdrlog_interval(FILE *out, const char *tag, double start_s, double length_s,
                       const struct rf_hist *h);

/* The histogram in HdrHistogram's compressed V2 encoding, in base64 (malloc'ed, NUL-ended), or
 * NULL when out of memory. */
char *rr_hdr_encode(const struct rf_hist *h);

/* The histogram of an interval line (base64 of the compressed V2 encoding, len characters)
 * added into h.  Only rf_hist's own layout is taken (3 significant digits, lowest discernible
 * value 1): another would give its indexes other values.  Returns 0, or -1 when it does not
 * decode or does not fit. */
int rr_hdr_decode(const char *text, size_t len, struct rf_hist *h);

/* One interval line as read: pointers into the log's text. */
struct rr_hdr_interval {
    const char *tag; /* NULL when the line has none */
    size_t tag_len;
    double start_s; /* from the base time */
    double length_s;
    const char *histogram;
    size_t histogram_len;
};

/* Called for each interval line; returns 0, or -1 when the histogram does not decode. */
typedef int rr_hdrlog_visit_fn(const struct rr_hdr_interval *iv, void *arg);

/* Reads a whole log: its base time into *base_s, each interval to visit.  Returns 0, or -1
 * with the line and the reason in err. */
int rr_hdrlog_scan(const char *text, size_t len, rr_hdrlog_visit_fn *visit, void *arg,
                   double *base_s, char *err, size_t errlen);

/* The logs of one run's shards (NUL-terminated texts; names for messages) as one log: the
 * histograms of each interval start and tag added, bucket by bucket.  Logs of different base
 * times or a log given twice are refused.  Returns the merged log (malloc'ed), or NULL with
 * the reason in err. */
char *rr_hdrlog_merge(const char *const *texts, const char *const *names, int n, char *err,
                      size_t errlen);

#endif
