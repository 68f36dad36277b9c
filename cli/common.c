/*
 * common.c - what the subcommands share: usage errors with their synopsis, percentages, and
 * Ctrl-C for commands that start programs.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "proc.h"

int cli_usage(const struct cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "ringfire %s: ", cmd->name);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: ringfire %s %s\n", cmd->name, cmd->synopsis);
    if (cmd->details)
        fprintf(stderr, "%s\n", cmd->details);
    return RF_EXIT_USAGE;
}

int cli_percent(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end != s && *end == '%')
        end++;
    if (end == s || *end || !(v >= 0 && v < 100))
        return -1;
    *out = v / 100;
    return 0;
}

static void cli_on_interrupt(int sig)
{
    static volatile sig_atomic_t signals;
    (void)sig;
    if (signals++) {
        static const char msg[] = "\nringfire: stopped at once; the programs it started were "
                                  "killed; the results written so far are kept\n";
        rs_kill_all();
        ssize_t w = write(STDERR_FILENO, msg, sizeof(msg) - 1);
        (void)w;
        _exit(RF_EXIT_INTERRUPTED);
    }
    rs_stop();
    rf_stop();
}

void cli_catch_interrupts(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = cli_on_interrupt;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}
