/*
 * cli.h - the `ringfire` command: its subcommands and what they share.  Only the command reads
 * argv, prints, and chooses exit statuses; the engine, runners and reports below it are
 * silent libraries.
 */
#ifndef RF_CLI_H
#define RF_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ringfire.h"

/* Exit statuses, documented in README. */
#define RF_EXIT_OK 0
#define RF_EXIT_FAIL 1         /* the engine failed, -n not reached, a regression, a write failed */
#define RF_EXIT_USAGE 2        /* a bad option or value, or an input file that is not valid */
#define RF_EXIT_NO_TARGET 3    /* the target never accepted a connection */
#define RF_EXIT_INCONCLUSIVE 3 /* gate --fail-on inconclusive: comparisons that cannot tell */
/* With --require-valid, a rate run whose verdict is not valid: */
#define RF_EXIT_GENERATOR_BOUND 4
#define RF_EXIT_CONNECTION_BOUND 5
#define RF_EXIT_SERVER_BOUND 6
#define RF_EXIT_INTERRUPTED 130

/* A subcommand: its name, its synopsis (the one copy, for --help and its usage errors), what
 * it does in a line, what its synopsis's words mean (or NULL), and its entry point (argv[0] is
 * the subcommand's name). */
struct cli_command {
    const char *name;
    const char *synopsis;
    const char *what;
    const char *details;
    int (*main)(int argc, char **argv);
};

extern const struct cli_command cli_run_command, cli_suite_command, cli_report_command,
    cli_compare_command, cli_gate_command, cli_calibrate_command, cli_history_command,
    cli_merge_command, cli_k8s_command;

/* Prints "ringfire NAME: message" and the command's synopsis to stderr; returns
 * RF_EXIT_USAGE. */
__attribute__((format(printf, 2, 3))) int cli_usage(const struct cli_command *cmd, const char *fmt,
                                                    ...);

/* "5%", "5" or "2.5%" as a fraction (0.05); 0 <= value < 100%.  Returns 0 or -1. */
int cli_percent(const char *s, double *out);

/* For commands that start programs (suite, --agents): the first SIGINT or SIGTERM asks the
 * engine and every program to stop, so that what is finished is kept; a second kills every
 * program started and exits 130 at once. */
void cli_catch_interrupts(void);

struct rs_suite;
struct rs_cell;
struct rs_run_opts;
/* Runs a loaded suite's cells, saying what happens on stderr (-q: failures and the end only);
 * SIGINT and SIGTERM stop it, keeping what finished.  Returns the exit status. */
int cli_suite_run(struct rs_suite *s, struct rs_cell *cells, int n, struct rs_run_opts *o,
                  int quiet);

/* --shard: "I/N", "auto" (the launcher's environment: Slurm, MPI, a Kubernetes Indexed Job
 * with RINGFIRE_SHARDS) or "auto/N".  Returns 0, or -1 with what was expected in why. */
int cli_shard_parse(const char *v, unsigned *index, unsigned *count, char *why, size_t n);
/* --start-at: RFC 3339, Unix seconds with fractions, or +DURATION from now_ns (real-time
 * nanoseconds), within an hour of now (a past one starts at once, late).  Returns 0, or -1
 * with what was expected in why. */
int cli_start_at_parse(const char *v, uint64_t now_ns, uint64_t *out, char *why, size_t n);

/* --metrics ADDR:PORT (metrics.c): the run's figures for Prometheus while it runs. */
struct cli_metrics;
struct cli_metrics_figures {
    unsigned long long responses, errors;
    double elapsed_s, target_rate;
    int warming_up, final;
    const struct rf_hist *latency, *response, *lag; /* NULL: not measured */
};
/* Listens on ADDR:PORT and serves from a thread of its own.  Returns 0, or -1 with why. */
int cli_metrics_start(const char *where, struct cli_metrics **m, char *why, size_t n);
/* Renders the figures; the server serves them from then on. */
void cli_metrics_update(struct cli_metrics *m, const struct cli_metrics_figures *x);
/* Stops serving once final figures were scraped (at most 15 s after the run); NULL: nothing. */
void cli_metrics_stop(struct cli_metrics *m);

/* Checks `ringfire run` arguments (argv[0] is the command's name) as a run would, saying what
 * is wrong; the config in *out (pointers into argv and static storage).  Returns 0 or the exit
 * status of a usage error. */
int cli_run_check(int argc, char **argv, struct rf_config *out);

/* The health table of a merged run (ringfire merge's), on stderr. */
void cli_merge_say(const char *line);
/* `ringfire run ... --agents HOSTS`: one shard per agent over ssh, merged on stdout.  argv is
 * the run's own (its options are passed on); returns the exit status. */
struct rf_config;
int cli_agents_run(const char *hosts, const struct rf_config *cfg, int argc, char **argv);

/* The options of `ringfire run`, for --help. */
void cli_run_help(FILE *out);

/* `ringfire run`'s options and the result in text (run_text.c). */
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
    int require_valid;   /* a rate run whose verdict is not valid exits with its own status */
    const char *hdr_log; /* --hdr-log: the file of per-second histograms */
    FILE *hdr_out;       /* its lines, in memory until the run ends */
    char *hdr_text;
    size_t hdr_len;
    int hdr_failed;
    const char *agents;     /* --agents: run as shards on these hosts over ssh */
    const char *metrics_at; /* --metrics ADDR:PORT */
    struct cli_metrics *metrics;
    int progress_line; /* the progress line on stderr */
};

void rf_print_text(FILE *out, const struct rf_cli_run *run, const struct rf_result *res);

#endif
