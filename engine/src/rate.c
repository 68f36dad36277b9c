/*
 * rate.c - the open model's account of a run: what the schedule asked for, what was sent and
 * answered, and the verdict on whether the generator kept the schedule, with its reason.
 *
 * The rule (docs/engine.md, "The verdict"), the first that holds:
 *   valid             completed within the tolerance of the target (1%, or three standard
 *                     deviations of a Poisson count where that is wider) and lag p99 at most
 *                     RF__LAG_P99_MAX;
 *   generator-bound   the busiest worker used at least RF__BUSY of a CPU;
 *   generator-bound   requests waited for a connection, but no more than came due while a
 *                     wake-up of ringfire was RF__LAG_P99_MAX or more late: the stall's burst;
 *   (rate_waited)     more than RF__WAITED_MAX of the requests waited for a connection:
 *                     server-bound when the rate needs few of the connections (answers stalled)
 *                     or the service time rose (the server queued), else connection-bound;
 *   server-bound      fewer answers came than requests went;
 *   generator-bound   ringfire sent late with connections free and its CPU not busy (the
 *                     reason names a wake-up RF__LAG_P99_MAX or more late: its CPU was taken).
 * rate.stalled says when a late wake-up, not ringfire's load, decided a generator-bound verdict.
 */
#include <math.h>
#include <stdio.h>

#include "rate.h"

#define RF__LAG_P99_MAX 1000000ULL /* ns */
#define RF__WAITED_MAX 0.01        /* share of requests sent */
#define RF__QUEUED 4.0             /* service p50 over its fastest: the server queued them */
#define RF__BUSY 0.9               /* the busiest worker's share of a CPU */
#define RF__FULL 0.5               /* in flight by Little's law over -c x -p: connections short */

const char *rf_verdict_name(enum rf_verdict v)
{
    switch (v) {
    case RF_VERDICT_NONE:
        return "none";
    case RF_VERDICT_VALID:
        return "valid";
    case RF_VERDICT_GENERATOR_BOUND:
        return "generator-bound";
    case RF_VERDICT_CONNECTION_BOUND:
        return "connection-bound";
    case RF_VERDICT_SERVER_BOUND:
        return "server-bound";
    }
    return "unknown";
}

/*
 * The verdict when requests waited for a connection.  Little's law says how many requests the
 * rate keeps in flight: the target rate times the mean service time.  When that fills at least
 * half of the connections' room (-c times -p), the connections were short of the rate, and the
 * service time says whether the server queued (server-bound) or answered as fast as it can
 * (connection-bound).  "As fast as it can" is the fastest answer of the run, the warm-up's
 * included: a server saturated from the first measured second has queued even its fastest.  When it
 * fills much less, the waits came in bursts: answers stalled.
 */
static void rate_waited(struct rf_rate *r, const struct rf_result *res, const struct rf_config *cfg,
                        double waited_share)
{
    double fastest = (double)rf_hist_min(res->latency) / 1e3;
    if (r->warm_fastest_us > 0 && r->warm_fastest_us < fastest)
        fastest = r->warm_fastest_us;
    double p50 = (double)rf_hist_percentile(res->latency, 50) / 1e3;
    double p999 = (double)rf_hist_percentile(res->latency, 99.9) / 1e3;
    double needed = r->target_rps * rf_hist_mean(res->latency) / 1e9;
    double room = (double)cfg->connections * cfg->pipeline;
    if (fastest < 1)
        fastest = 1;
    if (needed < room * RF__FULL) {
        r->verdict = RF_VERDICT_SERVER_BOUND;
        snprintf(r->reason, sizeof(r->reason),
                 "%.1f%% of the requests waited for a connection although the rate keeps only "
                 "%.1f of %.0f in flight: answers stalled (service time p99.9 %.0f us, p50 %.0f "
                 "us), so the server, or the machine it runs on, paused",
                 waited_share * 100, needed, room, p999, p50);
    } else if (p50 > RF__QUEUED * fastest) {
        r->verdict = RF_VERDICT_SERVER_BOUND;
        snprintf(r->reason, sizeof(r->reason),
                 "%.1f%% of the requests waited for a connection while the server's answers "
                 "slowed (service time p50 %.0f us, %.0fx its fastest): its capacity was the "
                 "limit, not the connections",
                 waited_share * 100, p50, p50 / fastest);
    } else {
        r->verdict = RF_VERDICT_CONNECTION_BOUND;
        snprintf(r->reason, sizeof(r->reason),
                 "%.1f%% of the requests waited for a connection: the rate keeps about %.0f "
                 "requests in flight (service time p50 %.0f us, about as fast as the server "
                 "answers) and %.0f connections x %u deep hold %.0f: raise -c (or -p)",
                 waited_share * 100, needed, p50, (double)cfg->connections, cfg->pipeline, room);
    }
}

void rf__rate_account(struct rf_result *res, const struct rf_config *cfg, double target,
                      double worker_cpu)
{
    struct rf_rate *r = &res->rate;
    double d = res->duration_s > 0 ? res->duration_s : 1;
    double completed = (double)res->counts.responses, sent = (double)res->counts.requests;
    r->target = target;
    r->target_rps = target / d;
    r->sent_rps = sent / d;
    r->completed_rps = completed / d;
    r->ratio = target > 0 ? completed / target : 0;
    r->tolerance = 0.01;
    if (cfg->arrivals == RF_ARRIVALS_POISSON && target > 0 && 3 / sqrt(target) > r->tolerance)
        r->tolerance = 3 / sqrt(target);
    r->worker_cpu = worker_cpu;
    uint64_t lag99 = rf_hist_percentile(res->lag, 99);
    /* A wake-up as late as the lag a valid run allows: something else held ringfire's CPU. */
    int stalled = r->wake_late_max_us * 1e3 >= RF__LAG_P99_MAX;
    r->stalled = 0;
    double waited_share = sent > 0 ? (double)res->counts.waited / sent : 0;
    if (fabs(r->ratio - 1) <= r->tolerance && lag99 <= RF__LAG_P99_MAX) {
        r->verdict = RF_VERDICT_VALID;
        snprintf(r->reason, sizeof(r->reason),
                 "%.2f%% of the target answered (tolerance %.1f%%), generator lag p99 %.0f us "
                 "(at most %.0f us)",
                 r->ratio * 100, r->tolerance * 100, (double)lag99 / 1e3,
                 (double)RF__LAG_P99_MAX / 1e3);
    } else if (worker_cpu >= RF__BUSY) {
        r->verdict = RF_VERDICT_GENERATOR_BOUND;
        snprintf(r->reason, sizeof(r->reason),
                 "ringfire's busiest worker used %.0f%% of a CPU (lag p99 %.0f us, %.1f%% of the "
                 "target sent): it could not keep up; give it more threads and cores, or more "
                 "machines",
                 worker_cpu * 100, (double)lag99 / 1e3, target > 0 ? sent / target * 100 : 0);
    } else if (waited_share > RF__WAITED_MAX && stalled &&
               r->target_rps * r->wake_late_max_us / 1e6 >= (double)res->counts.waited) {
        r->verdict = RF_VERDICT_GENERATOR_BOUND;
        r->stalled = 1;
        snprintf(
            r->reason, sizeof(r->reason),
            "a timed wake-up of ringfire came %.1f ms late (something else held its CPU; its "
            "busiest worker at %.0f%% of a CPU): the %.0f requests due meanwhile went at once, "
            "and the %.1f%% that waited for a connection were that burst, not the server",
            r->wake_late_max_us / 1e3, worker_cpu * 100, r->target_rps * r->wake_late_max_us / 1e6,
            waited_share * 100);
    } else if (waited_share > RF__WAITED_MAX) {
        rate_waited(r, res, cfg, waited_share);
    } else if (completed < sent * (1 - r->tolerance)) {
        r->verdict = RF_VERDICT_SERVER_BOUND;
        snprintf(r->reason, sizeof(r->reason),
                 "the requests went out on time but only %.1f%% were answered within the run "
                 "and its drain (errors and timeouts are counted apart)",
                 sent > 0 ? completed / sent * 100 : 0);
    } else if (stalled) {
        r->verdict = RF_VERDICT_GENERATOR_BOUND;
        r->stalled = 1;
        snprintf(r->reason, sizeof(r->reason),
                 "ringfire sent late (lag p99 %.0f us) with connections free and its busiest "
                 "worker at %.0f%% of a CPU, and a timed wake-up of it came %.1f ms late: "
                 "something else held its CPU (another task, a kernel thread, the host); give "
                 "ringfire CPUs nothing else uses",
                 (double)lag99 / 1e3, worker_cpu * 100, r->wake_late_max_us / 1e3);
    } else {
        r->verdict = RF_VERDICT_GENERATOR_BOUND;
        snprintf(r->reason, sizeof(r->reason),
                 "ringfire sent late (lag p99 %.0f us) or short (%.1f%% of the target sent) while "
                 "connections had room, with its busiest worker at %.0f%% of a CPU: it was "
                 "descheduled or its machine stalled",
                 (double)lag99 / 1e3, target > 0 ? sent / target * 100 : 0, worker_cpu * 100);
    }
}
