/*
 * cli.h - the `ringfire` command: shared declarations of its parts.
 */
#ifndef RF_CLI_H
#define RF_CLI_H

#include <stdio.h>

#include "ringfire.h"

/* Exit statuses, documented in README. */
#define RF_EXIT_OK 0
#define RF_EXIT_FAIL 1      /* the engine failed, or -n was not reached within the limit */
#define RF_EXIT_USAGE 2     /* a bad option or value */
#define RF_EXIT_NO_TARGET 3 /* the target never accepted a connection */

struct rf_cli_run {
    struct rf_config config;
    const char *url_text;
    const char *cpus_text;
    const char *headers[64];
    char *body_owned;
    char *raw_owned;
    char *ws_owned;
    int json;
    int quiet;
};

/* `ringfire run`: returns the exit status. */
int rf_cli_run(int argc, char **argv);

void rf_print_text(FILE *out, const struct rf_cli_run *run, const struct rf_result *res);
/* Writes the ringfire.run/1 JSON object.  Returns 0 or -ENOMEM. */
int rf_print_json(FILE *out, const struct rf_cli_run *run, const struct rf_result *res);
const char *rf_ring_flags_text(unsigned flags);

#endif
