/*
 * main.c - the `ringfire` command: subcommand dispatch.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "compare.h"
#include "report.h"
#include "runner.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ringfire [run] URL [options]   load-test an HTTP/1.1 or WebSocket server\n"
            "       ringfire suite FILE|NAME [--dry-run] [--out DIR] [--resume DIR] [-q]\n"
            "                                      run a benchmark suite (suites/FORMAT.md)\n"
            "       ringfire report RESULTS [--out DIR] [--no-charts]\n"
            "                                      report.md and charts from a suite's results\n"
            "       ringfire compare BASELINE CURRENT [--metrics LIST] [--threshold PCT]\n"
            "                                      the change between two results, in markdown\n"
            "       ringfire gate --baseline RESULTS --current RESULTS [--max-regression PCT]\n"
            "                     [--metrics LIST] [--markdown FILE] [--github-bigger FILE]\n"
            "                     [--github-smaller FILE] [--bmf FILE] [-q]\n"
            "                                      fail (exit 1) on a performance regression\n"
            "       ringfire --help | --version\n"
            "\n"
            "  -c, --connections N   connections to keep open (default 64)\n"
            "  -t, --threads N       worker threads, one io_uring ring each (default: the CPUs\n"
            "                        this process may run on, at most -c)\n"
            "      --cpus LIST       pin worker i to the i-th CPU of LIST, e.g. 0,2-3\n"
            "  -d, --duration D      how long to measure: 500ms, 10s, 2m (default 10s); with -n,\n"
            "                        the time limit (default 60s)\n"
            "  -n, --requests N      stop after exactly N responses instead of after -d\n"
            "  -p, --pipeline N      requests in flight per connection, 1..1024 (default 1)\n"
            "      --warmup D        traffic before measuring, not counted (default 0)\n"
            "      --timeout D       a request without a full response by then is a timeout;\n"
            "                        its connection is re-opened (default 5s)\n"
            "  -m, --method M        request method (default GET)\n"
            "  -H, --header 'N: V'   add a request header; repeatable\n"
            "      --body S|@FILE    request body, a string or a file's bytes\n"
            "      --raw FILE        send FILE as the complete request, byte for byte\n"
            "      --refill N        refill a pipeline when N slots are free (default: all)\n"
            "      --buffers N       16 KiB receive buffers per thread, a power of two from 8\n"
            "                        to 32768 (default: 4 per connection, 256 to 4096)\n"
            "      --ws              WebSocket echo load on an http:// URL (ws:// implies it);\n"
            "                        -p is then the messages in flight per connection\n"
            "      --ws-message S    the message (default 'Hello, World!')\n"
            "      --ws-size N       a random message of N bytes (up to 16M), made once\n"
            "      --ws-binary       binary frames (default: text)\n"
            "      --json            print one JSON object (schema ringfire.run/1)\n"
            "  -q, --quiet           no progress line\n"
            "\n"
            "Exit status: 0 the run completed; 1 the engine failed or -n was not reached;\n"
            "2 a usage error; 3 the target never accepted a connection.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return RF_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return RF_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("ringfire %s\n", RF_VERSION);
        return RF_EXIT_OK;
    }
    if (strcmp(cmd, "suite") == 0)
        return rs_suite_main(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return rp_report_main(argc - 1, argv + 1);
    if (strcmp(cmd, "compare") == 0)
        return rp_compare_main(argc - 1, argv + 1);
    if (strcmp(cmd, "gate") == 0)
        return rp_gate_main(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0)
        return rf_cli_run(argc - 1, argv + 1);
    return rf_cli_run(argc, argv);
}
