/*
 * merge.c - `ringfire merge RUN.json... [--out FILE]`: the shards of one run (ringfire run
 * --shard I/N --json) merged into one ringfire.run/1 document (schema/rundoc.c), and each
 * shard's health in words; or their interval logs (--hdr-log) into one (schema/hdrlog.c).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hdrlog.h"
#include "json.h"
#include "results.h"
#include "rundoc.h"

#define MERGE_FILE_MAX (256u << 20) /* a shard's JSON: histograms and a timeline */

static int merge_main(int argc, char **argv);

/* A number of a health row (NaN when absent). */
static double merge_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

const struct cli_command cli_merge_command = {
    "merge",
    "RUN.json... | LOG.hlog... [--out FILE]",
    "one run from the shards of a run split over machines",
    "  RUN.json: each shard's ringfire run --shard I/N --json output; the merged run goes\n"
    "  to stdout (or FILE, written whole), each shard's health to stderr; exit 0 whatever\n"
    "  the verdict (valid, degraded, invalid), 2 when the files are not shards of one run.\n"
    "  LOG.hlog: the shards' --hdr-log files, merged interval by interval into one log",
    merge_main,
};

/* The health table in words, from the merged document. */
void cli_merge_say(const char *line)
{
    cJSON *j = cJSON_Parse(line);
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "merge"), *h;
    fprintf(stderr, "%-6s %11s %10s %10s %12s %8s %11s %11s  %s\n", "shard", "connections",
            "responses", "rate ratio", "lag p99 us", "busiest", "skew us", "clock err", "verdict");
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(m, "health"))
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(h, "verdict");
        fprintf(stderr, "%-6.0f %11.0f %10.0f %10.4f %12.0f %7.0f%% %11.0f %8.0f us%s  %s\n",
                merge_num(h, "index"), merge_num(h, "connections"), merge_num(h, "responses"),
                merge_num(h, "rate_ratio"), merge_num(h, "lag_p99_us"),
                merge_num(h, "worker_cpu") * 100, merge_num(h, "start_skew_us"),
                merge_num(h, "clock_esterror_us"),
                cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "clock_synchronized"))
                    ? ""
                    : " (unsynced)",
                cJSON_IsString(v) ? v->valuestring : "?");
    }
    const cJSON *verdict = cJSON_GetObjectItemCaseSensitive(m, "verdict");
    const cJSON *reason = cJSON_GetObjectItemCaseSensitive(m, "reason");
    fprintf(stderr, "ringfire merge: %.0f of %.0f shards: %s: %s\n", merge_num(m, "shards"),
            merge_num(m, "of"), cJSON_IsString(verdict) ? verdict->valuestring : "?",
            cJSON_IsString(reason) ? reason->valuestring : "");
    cJSON_Delete(j);
}

static int merge_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'o')
            return cli_usage(&cli_merge_command, "unknown option or missing value");
        out = optarg;
    }
    int n = argc - optind, status = RF_EXIT_USAGE;
    if (n < 1 || n > RR_MERGE_MAX)
        return cli_usage(&cli_merge_command, "name 1 to %d shards' JSON files", RR_MERGE_MAX);
    char **texts = calloc((size_t)n, sizeof(*texts)), err[RJ_ERR_MAX], *line = NULL;
    size_t len;
    for (int i = 0; texts && i < n; i++)
        if (rj_read_file(argv[optind + i], MERGE_FILE_MAX, &texts[i], &len, err) < 0) {
            fprintf(stderr, "ringfire merge: %s\n", err);
            goto done;
        }
    int logs = 0; /* interval logs rather than runs: the first file says which, for all */
    for (int i = 0; texts && i < n; i++) {
        int log = texts[i][strspn(texts[i], " \t\r\n")] != '{';
        if (i > 0 && log != logs) {
            status = cli_usage(&cli_merge_command,
                               "%s and %s: give runs' JSON or interval logs, "
                               "not both",
                               argv[optind], argv[optind + i]);
            goto done;
        }
        logs = log;
    }
    const char *const *names = (const char *const *)argv + optind;
    if (!texts)
        line = NULL;
    else if (logs)
        line = rr_hdrlog_merge((const char *const *)texts, names, n, err, sizeof(err));
    else
        line = rr_rundoc_merge((const char *const *)texts, names, n, err, sizeof(err));
    if (!line) {
        fprintf(stderr, "ringfire merge: %s\n", texts ? err : "out of memory");
        goto done;
    }
    if (!logs)
        cli_merge_say(line);
    if (out && rr_write_atomic(out, line) < 0) {
        fprintf(stderr, "ringfire merge: cannot write %s\n", out);
        status = RF_EXIT_FAIL;
        goto done;
    }
    if (!out)
        fputs(line, stdout);
    status = RF_EXIT_OK;
done:
    for (int i = 0; texts && i < n; i++)
        free(texts[i]);
    free(texts);
    free(line);
    return status;
}
