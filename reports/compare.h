/*
 * compare.h - a diff of two results in markdown (`ringfire compare`), in pieces the gate's
 * pull-request summary reuses.
 */
#ifndef RF_COMPARE_H
#define RF_COMPARE_H

#include <stdio.h>

#include "diff.h"

/* `ringfire compare BASELINE CURRENT [--metrics LIST] [--threshold PCT]`: the exit status. */
int rp_compare_main(int argc, char **argv);

const char *rp_verdict_name(enum rp_verdict v);
/* How to read the table: the rule, the confidence, the threshold. */
void rp_diff_intro(FILE *out, const struct rp_diff *d);
/* The table of changes; changed_only leaves out the ones within the noise. */
void rp_diff_table(FILE *out, const struct rp_diff *d, int changed_only);
/* The cells that could not be compared, and the notes. */
void rp_diff_lists(FILE *out, const struct rp_diff *d);
/* A warning listing how the two environments differ; nothing when they do not. */
void rp_env_warnings(FILE *out, const cJSON *base, const cJSON *cur);
/* "5%", "5" or "2.5%" as a fraction (0.05); 0 <= value < 100%.  Returns 0 or -1. */
int rp_parse_percent(const char *s, double *out);

#endif
