/*
 * search.c - the highest rate under the suite's objective (search.h).  A step passes when the
 * engine's verdict is valid (the rate was kept and the generator kept time), the objective's
 * percentile of response time (from each request's intended send) is within its limit, and the
 * errors are within theirs.  Bisection assumes what passes at a rate passes below it; a step
 * that fails is run once more at the same rate, and the rate fails only when both do, so that
 * one stall of the machine does not end a search low.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"

/* Whether a step's run met the objective; if not, why, in why. */
static int sr_judge(const struct rr_slo *slo, const struct rr_run *run, struct rr_step *step,
                    char *why, size_t n)
{
    double transport = run->errors - (isnan(run->error_kinds.status) ? 0 : run->error_kinds.status);
    double total = run->responses + transport;
    step->rps = run->rate.target_rps;
    step->verdict = run->rate.verdict;
    step->latency_us = run->rate.response_us[slo->percentile];
    step->error_rate = total > 0 ? run->errors / total : 1;
    step->wake_late_max_us = run->rate.wake_late_max_us;
    step->stalled = run->rate.stalled;
    const char *pct = rr_lat_name((enum rr_lat)slo->percentile);
    if (run->rate.present && run->rate.verdict == RR_V_GENERATOR && step->stalled)
        snprintf(why, n,
                 "generator-bound at %.0f/s (ringfire woken %.1f ms late: its CPU was "
                 "taken)",
                 step->rps, step->wake_late_max_us / 1e3);
    else if (!run->rate.present || run->rate.verdict != RR_V_VALID)
        snprintf(why, n, "%s at %.0f/s",
                 run->rate.present ? rr_verdict_name(run->rate.verdict) : "no rate measured",
                 step->rps);
    else if (!(step->latency_us <= slo->limit_us))
        snprintf(why, n, "%s %.0f µs > %.0f µs at %.0f/s", pct, step->latency_us, slo->limit_us,
                 step->rps);
    else if (!(step->error_rate <= slo->max_error_rate))
        snprintf(why, n, "errors %.3g%% > %.3g%% at %.0f/s", step->error_rate * 100,
                 slo->max_error_rate * 100, step->rps);
    else
        return step->passed = 1;
    return step->passed = 0;
}

int rs_search_run(const struct rs_cell_env *env, const struct rs_cell *c,
                  const struct rs_running *target, unsigned rep, unsigned order, struct rr_run *run,
                  char reason[RS_REASON_MAX])
{
    const struct rr_slo *slo = &env->suite->slo;
    struct rs_cell at = *c;
    struct rr_step steps[RS_SEARCH_MAX_STEPS];
    struct rr_run best, last;
    char why[400], stopped[300];
    double lo = 0, hi = c->rate.rps;
    int have_best = 0, have_last = 0, n = 0, again = 0;
    snprintf(stopped, sizeof(stopped), "no step failed below the measured peak (%.0f/s)", hi);
    /* Until the bracket is within the precision of its top; when nothing has passed yet, until
     * the top is within the precision of the peak (then nothing met the objective). */
    while (n < RS_SEARCH_MAX_STEPS && hi >= 1 &&
           (lo > 0 ? hi - lo > slo->precision * hi : hi > slo->precision * c->rate.rps)) {
        struct rr_run step;
        if (!again)
            at.rate.rps = (lo + hi) / 2 < 1 ? 1 : (lo + hi) / 2;
        int rc = rs_cell_run(env, &at, target, rep, order, &step, reason);
        if (rc != 0) {
            if (have_best)
                rr_run_free(&best);
            if (have_last)
                rr_run_free(&last);
            return rc;
        }
        struct rr_run *keep = sr_judge(slo, &step, &steps[n], why, sizeof(why)) ? &best : &last;
        steps[n].rps = at.rate.rps; /* asked, as the engine rounds nothing away */
        if (steps[n++].passed) {
            lo = at.rate.rps;
            again = 0;
            if (have_best)
                rr_run_free(&best);
            have_best = 1;
        } else if (!again) { /* once more: a stall of the machine should not end the search */
            again = 1;
            rr_run_free(&step);
            continue;
        } else {
            again = 0;
            hi = at.rate.rps;
            snprintf(stopped, sizeof(stopped), "%.280s", why);
            if (have_last)
                rr_run_free(&last);
            have_last = 1;
        }
        *keep = step;
    }
    if (have_best && have_last)
        rr_run_free(&last);
    *run = have_best ? best : last;
    if (!have_best && !have_last) {
        snprintf(reason, RS_REASON_MAX, "the search had no rate to try (peak %.0f/s)", c->rate.rps);
        return -1;
    }
    run->rps = lo;
    run->steps = malloc((size_t)n * sizeof(*steps));
    if (run->steps)
        memcpy(run->steps, steps, (size_t)n * sizeof(*steps));
    run->nsteps = run->steps ? (size_t)n : 0;
    if (!have_best)
        snprintf(why, sizeof(why), "no rate met the objective; lowest tried: %.300s", stopped);
    run->stopped_by = strdup(have_best ? stopped : why);
    return 0;
}
