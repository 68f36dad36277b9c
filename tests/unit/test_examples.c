/*
 * test_examples.c - the CI examples in ci/examples/ run only commands that exist: every
 * `build/ringfire SUBCOMMAND --option` they write is a subcommand whose synopsis has that
 * option (the tests of each subcommand exercise it), and every suite they name has the keys
 * their comments ask for.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_command *const commands[] = {
    &cli_run_command,     &cli_suite_command, &cli_report_command,
    &cli_compare_command, &cli_gate_command,
};

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(not(eq(ptr, f, NULL)), "cannot read %s", path);
    static char text[65536];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    return strdup(text);
}

static size_t indent(const char *line)
{
    size_t n = 0;
    while (line[n] == ' ')
        n++;
    return n;
}

/* The file's shell commands as logical lines: a line ending in a backslash goes on with the
 * next, and a YAML folded block ("- >") is one line.  Comments are left out. */
static int logical_lines(char *text, char lines[][2048], int max)
{
    int n = 0;
    size_t fold = 0; /* inside a folded block: the indentation of its "- >" */
    int continued = 0;
    for (char *line = strtok(text, "\n"); line && n < max; line = strtok(NULL, "\n")) {
        size_t in = indent(line);
        const char *body = line + in;
        if (body[0] == '#')
            continue;
        int joins = continued || (fold && in > fold);
        if (!(fold && in > fold))
            fold = 0;
        if (strcmp(body, "- >") == 0 || strcmp(body, "- >-") == 0) {
            fold = in;
            lines[n++][0] = '\0';
            continue;
        }
        if (!joins)
            lines[n++][0] = '\0';
        char *cur = lines[n - 1];
        strncat(cur, " ", 2047 - strlen(cur));
        strncat(cur, body, 2047 - strlen(cur));
        size_t len = strlen(cur);
        continued = len > 0 && cur[len - 1] == '\\';
        if (continued)
            cur[len - 1] = ' ';
    }
    return n;
}

/* Checks every ringfire command of one logical line; returns how many there were. */
static int check_line(const char *file, const char *line)
{
    int found = 0;
    const char *p = line;
    while ((p = strstr(p, "build/ringfire"))) {
        p += strlen("build/ringfire");
        if (*p == '"')
            p++;
        if (*p != ' ')
            continue;
        char sub[32] = "";
        sscanf(p, " %31s", sub);
        const struct cli_command *cmd = NULL;
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
            if (strcmp(commands[i]->name, sub) == 0)
                cmd = commands[i];
        cr_assert(not(eq(ptr, (void *)cmd, NULL)), "%s: no subcommand '%s' in: %s", file, sub,
                  line);
        found++;
        /* Its options, up to the end of this command. */
        const char *end = p + strcspn(p, "|;&");
        for (const char *q = p; (q = strstr(q, " --")) && q < end; q += 3) {
            char opt[64];
            size_t len = strspn(q + 1, "-abcdefghijklmnopqrstuvwxyz");
            snprintf(opt, sizeof(opt), "%.*s", (int)len, q + 1);
            cr_assert(not(eq(ptr, strstr(cmd->synopsis, opt), NULL)),
                      "%s: ringfire %s has no option %s (in: %s)", file, sub, opt, line);
        }
    }
    return found;
}

Test(examples, every_ringfire_command_exists_with_its_options)
{
    static const char *const files[] = {"ci/examples/github-actions.yml",
                                        "ci/examples/gitlab-ci.yml"};
    static char lines[512][2048];
    for (size_t f = 0; f < 2; f++) {
        char *text = slurp(files[f]);
        int n = logical_lines(text, lines, 512), commands_seen = 0;
        for (int i = 0; i < n; i++)
            commands_seen += check_line(files[f], lines[i]);
        cr_assert(ge(int, commands_seen, 4), "%s: %d ringfire commands found", files[f],
                  commands_seen);
        free(text);
    }
}

Test(examples, the_gate_runs_paired_on_an_interleaved_suite)
{
    char *gh = slurp("ci/examples/github-actions.yml");
    char *gl = slurp("ci/examples/gitlab-ci.yml");
    for (int i = 0; i < 2; i++) {
        const char *t = i ? gl : gh;
        cr_assert(not(eq(ptr, strstr(t, "gate --ab results/ab --targets base,head"), NULL)));
        cr_assert(not(eq(ptr, strstr(t, "\"interleave\": true"), NULL)));
    }
    cr_assert(not(eq(ptr, strstr(gh, "GITHUB_STEP_SUMMARY"), NULL)), "works for forks");
    cr_assert(not(eq(ptr, strstr(gh, "--edit-last"), NULL)), "one comment, edited");
    cr_assert(not(eq(ptr, strstr(gh, "hashFiles('results/gate.md')"), NULL)));
    cr_assert(not(eq(ptr, strstr(gh, "upload-artifact"), NULL)));
    cr_assert(not(eq(ptr, strstr(gl, "seccomp"), NULL)));
    free(gh);
    free(gl);
}
