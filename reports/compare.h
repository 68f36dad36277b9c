/*
 * compare.h - a diff of two results in markdown (`ringfire compare`), in pieces the gate's
 * pull-request summary reuses.
 */
#ifndef RF_COMPARE_H
#define RF_COMPARE_H

#include <stdio.h>

#include "diff.h"

const char *rp_verdict_name(enum rp_verdict v);
/* How to read the table: the rule, the confidence, the threshold. */
void rp_diff_intro(FILE *out, const struct rp_diff *d);
/* The table of changes; changed_only leaves out the ones within the noise. */
void rp_diff_table(FILE *out, const struct rp_diff *d, int changed_only);
/* The cells that could not be compared, and the notes. */
void rp_diff_lists(FILE *out, const struct rp_diff *d);
/* A warning listing how the two environments differ; nothing when they do not. */
void rp_env_warnings(FILE *out, const struct rr_doc *base, const struct rr_doc *cur);
/* The whole comparison of two results as markdown, for `ringfire compare`; the two are named
 * by the paths they were read from. */
void rp_compare_markdown(FILE *out, const struct rp_diff *d, const char *base_path,
                         const struct rr_doc *base, const char *cur_path, const struct rr_doc *cur);

#endif
