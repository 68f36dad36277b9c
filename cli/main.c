/*
 * main.c - the `ringfire` command: subcommand dispatch and --help, built from each
 * subcommand's own synopsis.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_command *const cli_commands[] = {
    &cli_run_command,     &cli_suite_command, &cli_report_command,
    &cli_compare_command, &cli_gate_command,  &cli_calibrate_command,
    &cli_history_command, &cli_merge_command, &cli_k8s_command,
};
#define CLI_NCOMMANDS (sizeof(cli_commands) / sizeof(cli_commands[0]))

static void cli_help(FILE *out)
{
    for (size_t i = 0; i < CLI_NCOMMANDS; i++) {
        const struct cli_command *c = cli_commands[i];
        fprintf(out, "%sringfire %s%s%s\n           %s\n",
                i ? "       " : "usage: ", i ? c->name : "", i ? " " : "", c->synopsis, c->what);
        for (const char *d = c->details; d && *d;) { /* its lines under the synopsis */
            size_t len = strcspn(d, "\n");
            fprintf(out, "         %.*s\n", (int)len, d);
            d += len + (d[len] == '\n');
        }
    }
    fprintf(out, "       ringfire --help | --version\n\n");
    cli_run_help(out);
    fprintf(out, "\nExit status: 0 done; 1 the engine failed, -n was not reached, or a gate found "
                 "a\nregression; 2 a usage error or an input file that is not valid; 3 the "
                 "target never\naccepted a connection; 130 interrupted.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        cli_help(stderr);
        return RF_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        cli_help(stdout);
        return RF_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("ringfire %s\n", RF_VERSION);
        return RF_EXIT_OK;
    }
    for (size_t i = 0; i < CLI_NCOMMANDS; i++)
        if (strcmp(cmd, cli_commands[i]->name) == 0)
            return cli_commands[i]->main(argc - 1, argv + 1);
    return cli_run_command.main(argc, argv); /* `ringfire URL ...` means `ringfire run URL` */
}
