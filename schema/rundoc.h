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

#endif
