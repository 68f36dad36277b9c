/*
 * run_text.c - a run's result for people, in the manner of wrk.  (For programs, --json prints
 * ringfire.run/1, which schema/rundoc.c owns.)
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const double out_percentiles[] = {50, 75, 90, 99, 99.9, 99.99};
#define OUT_NPCT (sizeof(out_percentiles) / sizeof(out_percentiles[0]))

static double out_rps(const struct rf_result *res)
{
    return res->duration_s > 0 ? (double)res->counts.responses / res->duration_s : 0.0;
}

static uint64_t out_class(const struct rf_counts *c, int lo)
{
    uint64_t n = 0;
    for (int s = lo; s < lo + 100; s++)
        n += c->status[s];
    return n;
}

static void out_time(char *buf, size_t n, double ns)
{
    if (ns < 1e3)
        snprintf(buf, n, "%.0fns", ns);
    else if (ns < 1e6)
        snprintf(buf, n, "%.2fus", ns / 1e3);
    else if (ns < 1e9)
        snprintf(buf, n, "%.2fms", ns / 1e6);
    else
        snprintf(buf, n, "%.2fs", ns / 1e9);
}

static void out_bytes(char *buf, size_t n, double b)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < 4) {
        b /= 1024;
        u++;
    }
    snprintf(buf, n, u ? "%.2f %s" : "%.0f %s", b, units[u]);
}

static void out_status_line(FILE *out, const struct rf_counts *c)
{
    static const int classes[] = {100, 300, 400, 500};
    fprintf(out, "  Status 2xx %llu", (unsigned long long)out_class(c, 200));
    for (size_t i = 0; i < 4; i++)
        if (out_class(c, classes[i]))
            fprintf(out, ", %dxx %llu", classes[i] / 100,
                    (unsigned long long)out_class(c, classes[i]));
    if (c->status_other)
        fprintf(out, ", other %llu", (unsigned long long)c->status_other);
    fprintf(out, "\n");
}

/* The WebSocket counters and the answers to the upgrade requests. */
static void out_websocket(FILE *out, const struct rf_counts *c)
{
    fprintf(out,
            "  WebSocket: %llu messages sent, %llu upgrades (%llu failed), %llu mismatches, "
            "%llu protocol errors, %llu pings answered, %llu server closes\n",
            (unsigned long long)c->requests, (unsigned long long)c->ws_upgrades,
            (unsigned long long)c->ws_upgrade_failed, (unsigned long long)c->ws_mismatches,
            (unsigned long long)c->ws_protocol_errors, (unsigned long long)c->ws_pings_answered,
            (unsigned long long)c->ws_closes);
    fprintf(out, "  Upgrade answers:");
    for (int s = 100; s < 1000; s++)
        if (c->status[s])
            fprintf(out, " %d x%llu", s, (unsigned long long)c->status[s]);
    uint64_t malformed = c->status_other;
    for (int s = 600; s < 1000; s += 100)
        malformed -= out_class(c, s);
    if (malformed)
        fprintf(out, " malformed x%llu", (unsigned long long)malformed);
    fprintf(out, "\n");
}

static void out_errors(FILE *out, const struct rf_counts *c)
{
    uint64_t errors = 0;
    for (int k = 0; k < RF_ERRK_COUNT_; k++)
        errors += c->errors[k];
    if (!errors)
        return;
    fprintf(out, "  Errors");
    const char *sep = " ";
    for (int k = 0; k < RF_ERRK_COUNT_; k++) {
        if (!c->errors[k])
            continue;
        fprintf(out, "%s%s %llu", sep, rf_error_kind_name((enum rf_error_kind)k),
                (unsigned long long)c->errors[k]);
        sep = ", ";
    }
    fprintf(out, "; %llu requests lost, %llu reconnects\n", (unsigned long long)c->lost,
            (unsigned long long)c->reconnects);
}

/* What was run, with what. */
static void out_header(FILE *out, const struct rf_cli_run *run, const struct rf_result *res)
{
    const struct rf_config *cfg = &run->config;
    const char *what = cfg->websocket ? "messages" : "requests";
    if (cfg->requests)
        fprintf(out, "Running %llu %s @ %s\n", (unsigned long long)cfg->requests, what,
                run->url_text);
    else
        fprintf(out, "Running %.2fs %stest @ %s\n", (double)cfg->duration_ns / 1e9,
                cfg->websocket ? "WebSocket " : "", run->url_text);
    fprintf(out, "  %u threads and %u connections, pipeline %u", res->threads, cfg->connections,
            cfg->pipeline);
    if (cfg->warmup_ns)
        fprintf(out, ", warm-up %.2fs", (double)cfg->warmup_ns / 1e9);
    fprintf(out, "\n  io_uring %s, %u x %u KiB receive buffers per thread\n",
            rf_ring_flags_name(res->env.ring_flags), res->env.buffers, res->env.buffer_size / 1024);
    if (res->env.ring_fallback[0])
        fprintf(out, "  note: %s\n", res->env.ring_fallback);
    if (cfg->nshards > 1)
        fprintf(out,
                "  shard %u of %u (from 0): these connections, requests and arrivals are its "
                "slice\n",
                cfg->shard, cfg->nshards);
    if (cfg->start_at_ns)
        fprintf(out,
                "  schedule started at %.6f (Unix time), %.0f us after --start-at; clock %s, "
                "estimated error %.0f us (at most %.0f us)\n",
                (double)res->start.unix_ns / 1e9, (double)res->start.late_ns / 1e3,
                res->start.clock_synced ? "synchronized" : "NOT synchronized",
                res->start.esterror_us, res->start.maxerror_us);
}

/* One histogram: mean, stdev, max, and its percentiles under a heading (or none). */
static void out_hist(FILE *out, const char *title, const char *heading, const struct rf_hist *h)
{
    char a[32], b[32], d[32];
    if (rf_hist_count(h) == 0) { /* zeros would read as a measured instant */
        fprintf(out, "  %s   none measured: no responses\n", title);
        return;
    }
    out_time(a, sizeof(a), rf_hist_mean(h));
    out_time(b, sizeof(b), rf_hist_stdev(h));
    out_time(d, sizeof(d), (double)rf_hist_max(h));
    fprintf(out, "  %s   mean %s   stdev %s   max %s\n", title, a, b, d);
    if (heading)
        fprintf(out, "  %s\n", heading);
    for (size_t i = 0; i < OUT_NPCT; i++) {
        out_time(a, sizeof(a), (double)rf_hist_percentile(h, out_percentiles[i]));
        fprintf(out, "    %7.3f%%  %s\n", out_percentiles[i], a);
    }
}

/* How much the latency may overstate: a send is stamped before the submit that hands it to the
 * kernel (docs/engine.md, "Send stamps"), so its latency may start early by up to its group's
 * submit.  Under -R the same stamp makes the lag read short by as much; the response time,
 * from the intended send, does not use it. */
static void out_send_stamps(FILE *out, const struct rf_result *res, const char *what)
{
    const struct rf_counts *c = &res->counts;
    double mean = rf_hist_count(res->latency) ? rf_hist_mean(res->latency) : 0;
    if (!c->requests || mean <= 0)
        return;
    double early = (double)c->tx_early_ns / (double)c->requests;
    char a[32];
    out_time(a, sizeof(a), early);
    fprintf(out,
            "  %s by up to %s on average (%.1f%% of the mean): sends are stamped "
            "before their submit\n",
            what, a, early / mean * 100);
}

/* The open model: the three times, then the schedule against what happened. */
static void out_rate(FILE *out, const struct rf_result *res)
{
    const struct rf_rate *r = &res->rate;
    out_hist(out, "Response time (intended send to response)", NULL, res->response);
    out_hist(out, "Service time (actual send to response)", NULL, res->latency);
    out_send_stamps(out, res, "Service time may overstate, and lag understate,");
    out_hist(out, "Generator lag (actual minus intended send)", NULL, res->lag);
    fprintf(out,
            "  Rate: target %.2f/s, sent %.2f/s, completed %.2f/s (%.2f%% of the target); %llu "
            "waited for a connection\n",
            r->target_rps, r->sent_rps, r->completed_rps, r->ratio * 100,
            (unsigned long long)res->counts.waited);
    fprintf(out,
            "  Wake-ups: ringfire's latest timed wake-up came %.0f us late (milliseconds mean "
            "something else held its CPU)\n",
            r->wake_late_max_us);
    fprintf(out, "  Verdict: %s: %s\n", rf_verdict_name(r->verdict), r->reason);
}

void rf_print_text(FILE *out, const struct rf_cli_run *run, const struct rf_result *res)
{
    const struct rf_config *cfg = &run->config;
    const struct rf_counts *c = &res->counts;
    char a[32], b[32];
    out_header(out, run, res);
    if (res->response) {
        out_rate(out, res);
    } else {
        out_hist(out, "Latency", "Latency distribution", res->latency);
        out_send_stamps(out, res, "Latency may overstate");
    }
    out_bytes(a, sizeof(a), (double)c->bytes_received);
    out_bytes(b, sizeof(b), (double)c->bytes_sent);
    fprintf(out, "  %llu %s in %.2fs, %s read, %s written\n", (unsigned long long)c->responses,
            cfg->websocket ? "messages echoed" : "responses", res->duration_s, a, b);
    if (cfg->websocket)
        out_websocket(out, c);
    else
        out_status_line(out, c);
    out_errors(out, c);
    if (res->established < cfg->connections)
        fprintf(out, "  Connections: %llu of %u ever established\n",
                (unsigned long long)res->established, cfg->connections);
    fprintf(out, "%s/sec: %.2f\n", cfg->websocket ? "Messages" : "Requests", out_rps(res));
    out_bytes(a, sizeof(a), res->duration_s > 0 ? (double)c->bytes_received / res->duration_s : 0);
    fprintf(out, "Transfer/sec: %s\n", a);
}
