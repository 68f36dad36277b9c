/*
 * compare.c - `ringfire compare A B`: the change from results A to results B, per cell and
 * metric, as a markdown table that says which changes are beyond the noise of the two runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "escape.h"
#include "report.h"

const char *rp_verdict_name(enum rp_verdict v)
{
    static const char *const names[] = {
        [RP_SAME] = "no change",       [RP_WORSE] = "**worse**",  [RP_BETTER] = "better",
        [RP_UNCLEAR] = "inconclusive", [RP_FEW] = "too few runs", [RP_FAILED] = "**failed**",
    };
    return v <= RP_FAILED ? names[v] : "";
}

void rp_diff_intro(FILE *out, const struct rp_diff *d)
{
    char thr[32];
    snprintf(thr, sizeof(thr), "±%g%%", d->threshold * 100);
    if (d->paired)
        fprintf(out,
                "The targets ran interleaved, and each run of the candidate is paired with the "
                "baseline's run of the same repetition. Baseline and current are geometric means "
                "of the runs (the pairs in brackets); each change is the Hodges-Lehmann estimate "
                "of the ratio, candidate / baseline (the median of the pairs' Walsh averages on "
                "the log scale), with its distribution-free interval from the Wilcoxon signed-rank "
                "distribution at %.2f%% confidence or more, %g%% shared among the %d comparisons "
                "(Bonferroni), so that noise is not called a change.\n\n",
                d->level * 100, d->alpha * 100, d->ntests);
    else
        fprintf(out,
                "Baseline and current are geometric means of the runs (their number in "
                "brackets); each change is their ratio, current / baseline, with its interval "
                "(Welch's t on the logarithms) at %.2f%% confidence, %g%% shared among the %d "
                "comparisons (Bonferroni), so that noise is not called a change.\n\n",
                d->level * 100, d->alpha * 100, d->ntests);
    if (d->threshold > 0)
        fprintf(out,
                "Verdicts: *worse* or *better* when the whole interval lies beyond %s; *no change* "
                "when it lies wholly within %s; *inconclusive* when it reaches across: the runs "
                "cannot tell, and *detectable* is the smallest change they could have called "
                "(more repetitions narrow it).\n\n",
                thr, thr);
    else
        fprintf(out, "Verdicts: *worse* or *better* when the whole interval lies on one side of no "
                     "change; otherwise *inconclusive* (without a threshold, *no change* cannot be "
                     "shown: give --threshold); *detectable* is the smallest change the runs could "
                     "have called.\n\n");
}

void rp_diff_table(FILE *out, const struct rp_diff *d, int changed_only)
{
    int header = 0;
    for (int i = 0; i < d->nchanges; i++) {
        const struct rp_change *c = &d->changes[i];
        if (changed_only && c->verdict == RP_SAME)
            continue;
        if (!header) {
            fprintf(out, "| cell | metric | baseline | current | change | interval | detectable | "
                         "verdict |\n|---|---|---|---|---|---|---|---|\n");
            header = 1;
        }
        if (c->verdict == RP_FAILED) {
            fputs("| ", out);
            rp_md_code(out, c->id, 1);
            fputs(" | – | measured | failed: ", out);
            rp_md_text(out, c->cur->reason ? c->cur->reason : "");
            fprintf(out, " | – | – | – | %s |\n", rp_verdict_name(c->verdict));
            continue;
        }
        char b[32], cur[32], ch[32], lo[32], hi[32], det[32] = "–";
        rp_fmt_value(c->metric, c->base_mean, b, sizeof(b));
        rp_fmt_value(c->metric, c->cur_mean, cur, sizeof(cur));
        rp_fmt_change(c->ratio, ch, sizeof(ch));
        if (c->verdict == RP_FEW) {
            snprintf(lo, sizeof(lo), "–");
            hi[0] = '\0';
        } else {
            rp_fmt_change(c->lo, lo, sizeof(lo));
            rp_fmt_change(c->hi, hi, sizeof(hi));
            snprintf(det, sizeof(det), "±%.1f%%", c->detectable * 100);
        }
        fputs("| ", out);
        rp_md_code(out, c->id, 1);
        fprintf(out, " | %s | %s (%u) | %s (%u) | %s | %s%s%s | %s | %s |\n",
                rp_metric_info[c->metric].label, b, c->nbase, cur, c->ncur, ch, lo,
                hi[0] ? " … " : "", hi, det, rp_verdict_name(c->verdict));
    }
    if (header)
        fprintf(out, "\n");
}

/* A titled markdown list of lines; nothing when there are none. */
static void cp_list(FILE *out, const char *title, const char (*lines)[RP_LINE_MAX], int n)
{
    if (n == 0)
        return;
    fprintf(out, "%s\n\n", title);
    for (int i = 0; i < n; i++) {
        fputs("- ", out);
        rp_md_text(out, lines[i]);
        fputs("\n", out);
    }
    fprintf(out, "\n");
}

void rp_diff_lists(FILE *out, const struct rp_diff *d)
{
    cp_list(out, "**Not compared**:", (const char(*)[RP_LINE_MAX])d->problems, d->nproblems);
    cp_list(out, "Notes:", (const char(*)[RP_LINE_MAX])d->notes, d->nnotes);
}

void rp_env_warnings(FILE *out, const struct rr_doc *base, const struct rr_doc *cur)
{
    char lines[32][RP_LINE_MAX];
    int n = rp_env_diff(base, cur, lines, 32);
    cp_list(out,
            "**Warning**: the environments differ, so a change may come from the machine rather "
            "than the code:",
            (const char(*)[RP_LINE_MAX])lines, n);
}

/* "Baseline `PATH` (suite NAME, started TIME)". */
static void cp_side(FILE *out, const char *label, const char *path, const struct rr_doc *doc)
{
    fputs(label, out);
    rp_md_code(out, path, 0);
    fputs(" (suite ", out);
    rp_md_text(out, doc->suite.name);
    fputs(", started ", out);
    rp_md_text(out, doc->env.started);
    fputs(")", out);
}

void rp_compare_markdown(FILE *out, const struct rp_diff *d, const char *base_path,
                         const struct rr_doc *base, const char *cur_path, const struct rr_doc *cur)
{
    fputs("# ringfire compare\n\n", out);
    cp_side(out, "Baseline ", base_path, base);
    cp_side(out, "; current ", cur_path, cur);
    fputs(".\n\n", out);
    rp_env_warnings(out, base, cur);
    rp_diff_intro(out, d);
    rp_diff_table(out, d, 0);
    rp_diff_lists(out, d);
}
