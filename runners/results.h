/*
 * results.h - the results of a suite, schema ringfire.results/1: kept as a JSON document that
 * is rewritten atomically after every run, so an interrupted suite keeps what it finished.
 */
#ifndef RF_RESULTS_H
#define RF_RESULTS_H

#include <cjson/cJSON.h>

#include "suite.h"

#define RS_SCHEMA "ringfire.results/1"

/* A new document for the suite's cells, all "pending". */
cJSON *rs_results_new(const struct rs_suite *s, const struct rs_cell *cells, int ncells,
                      cJSON *env);
/* Loads dir/results.json for --resume and checks it belongs to this suite (same name and
 * suite file hash).  Returns the document or NULL with the reason in err. */
cJSON *rs_results_load(const char *dir, const char *suite_sha256, char *err, size_t n);
/* The cell object with this id, or NULL. */
cJSON *rs_results_cell(cJSON *doc, const char *id);
/* Recomputes a cell's summary from its runs (median, bootstrap interval, cv, noisy, latency
 * and CPU medians, bottleneck). */
void rs_results_summarize(cJSON *cell, uint64_t seed);
/* Writes dir/results.json with rs_write_atomic.  Returns 0 or -errno. */
int rs_results_write(const cJSON *doc, const char *dir);
/* Writes text to path through path.tmp, fsync() and rename(), so a reader never sees half a
 * file, and an interrupted write leaves the old one.  Returns 0 or -errno. */
int rs_write_atomic(const char *path, const char *text);
/* The sha256 of a file, in hex (65 bytes with the NUL).  Returns 0 or -1. */
int rs_sha256_file(const char *file, char out[65]);

#endif
