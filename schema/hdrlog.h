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

/* One interval: "Tag=TAG,START,LENGTH,MAX,HISTOGRAM" with START seconds from the base time,
 * MAX in milliseconds (values are nanoseconds).  Returns 0, or -1 when out of memory. */
int rr_hdrlog_interval(FILE *out, const char *tag, double start_s, double length_s,
                       const struct rf_hist *h);

/* The histogram in HdrHistogram's compressed V2 encoding, in base64 (malloc'ed, NUL-ended), or
 * NULL when out of memory. */
char *rr_hdr_encode(const struct rf_hist *h);

#endif
