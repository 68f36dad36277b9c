/*
 * common.c - what the subcommands share: usage errors with their synopsis, percentages.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

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
