/*
 * rundoc.h - ringfire.run/1, the engine's result of one run as JSON: written by
 * `ringfire run --json`, read back by the ringfire tool adapter of a suite.  This file owns the
 * format; its keys are spelt in rundoc.c only.
 */
#ifndef RF_SCHEMA_RUNDOC_H
#define RF_SCHEMA_RUNDOC_H

#include "results.h"
#include "ringfire.h"

struct rr_rundoc {
    const struct rf_config *config;
    const struct rf_result *result;
    const char *url;  /* as given on the command line */
    const char *cpus; /* --cpus as given, or NULL */
};

/* The run as one line of JSON ending in a newline (malloc'ed), or NULL when out of memory. */
char *rr_rundoc_print(const struct rr_rundoc *doc);

/* Reads a ringfire.run/1 object into a run record: duration, responses, errors by kind (an
 * answer with another status than expected_status, any 2xx when it is 0, or a WebSocket echo
 * that differed, is a status error), the rate of the others, requests unanswered, latency,
 * histogram and timeline; the rest of the object goes to run->raw.  Returns 0, or -1 when text
 * is not such an object. */
int rr_rundoc_read(const char *text, int expected_status, struct rr_run *run);

/* Shards of one run (`ringfire run --shard I/N`, their ringfire.run/1 texts; names for
 * messages) merged into one document: counts added, histograms bucket by bucket (exact),
 * timelines by wall-clock second, the rate added; config.shard null, and "merge": {"shards",
 * "of", "verdict" (valid, degraded or invalid), "reason", "health": one object per shard}.
 * Returns the JSON line (malloc'ed), or NULL with the reason in err: not JSON, not shards of one
 * run (another setting, a shard twice), out of memory. */
#define RR_MERGE_MAX 256
#define RR_MERGE_SKEW_US 1000.0 /* shards whose starts differ by more are degraded */
char *rr_rundoc_merge(const char *const *texts, const char *const *names, int n, char *err,
                      size_t en);

#endif
