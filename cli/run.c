/*
 * run.c - `ringfire run`: options, validation, the live progress line, the exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "hdrlog.h"
#include "json.h"
#include "rundoc.h"

#define RUN_MAX_BODY (64ULL * 1024 * 1024)
#define RUN_DEFAULT_DURATION_NS (10ULL * 1000000000)
#define RUN_DEFAULT_LIMIT_NS (60ULL * 1000000000)
#define RUN_DEFAULT_TIMEOUT_NS (5ULL * 1000000000)

static int run_main(int argc, char **argv);

const struct cli_command cli_run_command = {
    "run", "[run] URL [options]", "load-test an HTTP/1.1 or WebSocket server", NULL, run_main,
};

static const char run_options_help[] =
    "  -c, --connections N   connections to keep open (default 64)\n"
    "  -t, --threads N       worker threads, one io_uring ring each (default: the CPUs\n"
    "                        of --cpus, or that this process may run on; at most -c)\n"
    "      --cpus LIST       pin worker i to the i-th CPU of LIST, e.g. 0,2-3\n"
    "      --source ADDRS    leave from these local addresses in turn (127.0.0.2-127.0.0.9):\n"
    "                        each has its own local ports, for more connections than one has\n"
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
    "  -R, --rate N          the open model: N requests (messages) per second over the\n"
    "                        whole run, sent at their intended times whatever the answers\n"
    "      --stages LIST     a changing rate, e.g. 10s:1k,30s:1k..20k (hold, ramp); sets -d\n"
    "      --arrivals KIND   uniform (default) or poisson intended send times\n"
    "      --seed N          the seed of poisson arrivals (default 1)\n"
    "      --require-valid   exit 4, 5 or 6 when a rate run's verdict is not valid\n"
    "      --shard I/N       shard I (from 0) of a run split over N machines: its slice of\n"
    "                        -c, -n and the rate's schedule; auto: from the launcher\n"
    "                        (Slurm, MPI; Kubernetes: auto/N)\n"
    "      --start-at TIME   start the rate's schedule then: RFC 3339, Unix seconds or +5s\n"
    "      --agents HOSTS    run one shard on each host over ssh, then merge (JSON out)\n"
    "      --metrics A:P     serve the figures so far for Prometheus on http://A:P/metrics\n"
    "      --hdr-log FILE    write each second's histograms to FILE as an HdrHistogram\n"
    "                        interval log (tags service, response, lag)\n"
    "      --json            print one JSON object (schema ringfire.run/1)\n"
    "  -q, --quiet           no progress line\n";

void cli_run_help(FILE *out)
{
    fputs(run_options_help, out);
}

__attribute__((format(printf, 1, 2))) static int run_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "ringfire: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see 'ringfire --help')\n");
    va_end(ap);
    return RF_EXIT_USAGE;
}

enum {
    OPT_CPUS = 256,
    OPT_WARMUP,
    OPT_BODY,
    OPT_RAW,
    OPT_TIMEOUT,
    OPT_JSON,
    OPT_REFILL,
    OPT_BUFFERS,
    OPT_WS,
    OPT_WS_MESSAGE,
    OPT_WS_SIZE,
    OPT_WS_BINARY,
    OPT_STAGES,
    OPT_ARRIVALS,
    OPT_SEED,
    OPT_REQUIRE_VALID,
    OPT_HDR_LOG,
    OPT_SHARD,
    OPT_START_AT,
    OPT_AGENTS,
    OPT_METRICS,
    OPT_SOURCE,
};

static const struct option run_options[] = {
    {"connections", required_argument, NULL, 'c'},
    {"threads", required_argument, NULL, 't'},
    {"cpus", required_argument, NULL, OPT_CPUS},
    {"duration", required_argument, NULL, 'd'},
    {"requests", required_argument, NULL, 'n'},
    {"pipeline", required_argument, NULL, 'p'},
    {"warmup", required_argument, NULL, OPT_WARMUP},
    {"method", required_argument, NULL, 'm'},
    {"header", required_argument, NULL, 'H'},
    {"body", required_argument, NULL, OPT_BODY},
    {"raw", required_argument, NULL, OPT_RAW},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"refill", required_argument, NULL, OPT_REFILL},
    {"buffers", required_argument, NULL, OPT_BUFFERS},
    {"ws", no_argument, NULL, OPT_WS},
    {"ws-message", required_argument, NULL, OPT_WS_MESSAGE},
    {"ws-size", required_argument, NULL, OPT_WS_SIZE},
    {"ws-binary", no_argument, NULL, OPT_WS_BINARY},
    {"rate", required_argument, NULL, 'R'},
    {"stages", required_argument, NULL, OPT_STAGES},
    {"arrivals", required_argument, NULL, OPT_ARRIVALS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"require-valid", no_argument, NULL, OPT_REQUIRE_VALID},
    {"hdr-log", required_argument, NULL, OPT_HDR_LOG},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"start-at", required_argument, NULL, OPT_START_AT},
    {"agents", required_argument, NULL, OPT_AGENTS},
    {"metrics", required_argument, NULL, OPT_METRICS},
    {"source", required_argument, NULL, OPT_SOURCE},
    {"json", no_argument, NULL, OPT_JSON},
    {"quiet", no_argument, NULL, 'q'},
    {NULL, 0, NULL, 0},
};

/* The whole-number options: where each goes in the config and its range. */
static const struct {
    int opt;
    const char *name;
    uint64_t lo, hi;
    size_t offset;
    int wide; /* a uint64_t; otherwise an unsigned */
} run_counts[] = {
    {'c', "-c", 1, RF_MAX_CONNECTIONS, offsetof(struct rf_config, connections), 0},
    {'t', "-t", 1, RF_MAX_THREADS, offsetof(struct rf_config, threads), 0},
    {'n', "-n", 1, UINT64_C(1) << 50, offsetof(struct rf_config, requests), 1},
    {'p', "-p", 1, RF_MAX_PIPELINE, offsetof(struct rf_config, pipeline), 0},
    {OPT_REFILL, "--refill", 1, RF_MAX_PIPELINE, offsetof(struct rf_config, refill), 0},
};

/* The duration options: where each goes, and whether 0 is allowed. */
static const struct {
    int opt;
    const char *name;
    int zero_ok;
    size_t offset;
} run_durations[] = {
    {'d', "-d", 0, offsetof(struct rf_config, duration_ns)},
    {OPT_WARMUP, "--warmup", 1, offsetof(struct rf_config, warmup_ns)},
    {OPT_TIMEOUT, "--timeout", 0, offsetof(struct rf_config, timeout_ns)},
};

/* What the parse has seen besides the config. */
struct run_seen {
    int duration, message, size, refill, arrivals, seed;
    uint64_t ws_size;
};

/* A whole-number or duration option.  Returns 1 when handled, 0 when opt is neither, or the
 * exit status of a usage error. */
static int run_number(struct rf_config *cfg, int opt, const char *v, struct run_seen *seen)
{
    for (size_t i = 0; i < sizeof(run_counts) / sizeof(run_counts[0]); i++) {
        if (run_counts[i].opt != opt)
            continue;
        uint64_t x;
        if (rf_parse_count(v, run_counts[i].hi, &x) < 0 || x < run_counts[i].lo) {
            fprintf(stderr, "ringfire: %s '%s': expected a whole number from %llu to %llu\n",
                    run_counts[i].name, v, (unsigned long long)run_counts[i].lo,
                    (unsigned long long)run_counts[i].hi);
            return RF_EXIT_USAGE;
        }
        seen->refill |= opt == OPT_REFILL;
        char *at = (char *)cfg + run_counts[i].offset;
        if (run_counts[i].wide)
            *(uint64_t *)at = x;
        else
            *(unsigned *)at = (unsigned)x;
        return 1;
    }
    for (size_t i = 0; i < sizeof(run_durations) / sizeof(run_durations[0]); i++) {
        if (run_durations[i].opt != opt)
            continue;
        uint64_t *at = (uint64_t *)((char *)cfg + run_durations[i].offset);
        if (rf_parse_duration(v, at) < 0 || (!run_durations[i].zero_ok && *at == 0)) {
            fprintf(stderr,
                    "ringfire: %s '%s': expected a %sduration such as 500ms, 10s or 2m (at most "
                    "24h)\n",
                    run_durations[i].name, v, run_durations[i].zero_ok ? "" : "positive ");
            return RF_EXIT_USAGE;
        }
        seen->duration |= opt == 'd';
        return 1;
    }
    return 0;
}

static int run_cpus(struct rf_cli_run *run, const char *v)
{
    static int cpus[1024];
    int n = rf_parse_cpu_list(v, cpus, 1024);
    if (n < 0)
        return run_error("--cpus '%s': expected CPU numbers such as 0,2-3 (each below 1024)", v);
    char allowed[256];
    if (rf_cpus_check(cpus, (unsigned)n, allowed, sizeof(allowed)) < 0)
        return run_error("--cpus '%s': %s; pick from the CPUs it may use (%s)", v,
                         rf_strerror(RF_ECPUS), allowed);
    run->config.cpus = cpus;
    run->config.ncpus = (unsigned)n;
    run->cpus_text = v;
    return 0;
}

static int run_sources(struct rf_cli_run *run, const char *v)
{
    static struct sockaddr_storage sources[RF_MAX_SOURCES];
    int n = rf_parse_sources(v, sources, RF_MAX_SOURCES);
    if (n < 0)
        return run_error("--source '%s': expected local addresses of one family: 127.0.0.2, a "
                         "range 127.0.0.2-127.0.0.9 or a list of those (at most %d)",
                         v, RF_MAX_SOURCES);
    run->config.sources = sources;
    run->config.nsources = (unsigned)n;
    return 0;
}

/* --body S|@FILE and --raw FILE. */
static int run_payload(struct rf_cli_run *run, int opt, const char *v)
{
    struct rf_config *cfg = &run->config;
    if (opt == OPT_BODY && v[0] != '@') {
        cfg->body = v;
        cfg->body_len = strlen(v);
        return 0;
    }
    char **owned = opt == OPT_BODY ? &run->body_owned : &run->raw_owned, err[RJ_ERR_MAX];
    size_t len = 0;
    free(*owned); /* given twice: the last one counts */
    if (rj_read_file(opt == OPT_BODY ? v + 1 : v, RUN_MAX_BODY, owned, &len, err) < 0) {
        fprintf(stderr, "ringfire: %s '%s': %s\n", opt == OPT_BODY ? "--body" : "--raw", v, err);
        return RF_EXIT_USAGE;
    }
    if (opt == OPT_RAW && len == 0) {
        fprintf(stderr, "ringfire: --raw '%s': the file is empty; it must hold a request\n", v);
        return RF_EXIT_USAGE;
    }
    if (opt == OPT_BODY) {
        cfg->body = *owned;
        cfg->body_len = len;
    } else {
        cfg->raw = *owned;
        cfg->raw_len = len;
    }
    return 0;
}

/* --hdr-log: the file is written when the run ends, so a folder that is not there or not
 * writable is said now, not after the run. */
static int run_hdr_log_path(struct rf_cli_run *run, const char *v)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(v, '/');
    if (!*v || (slash && slash[1] == '\0'))
        return run_error("--hdr-log '%s': expected a file name", v);
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - v) + 1 : 1, slash ? v : ".");
    if (access(dir, W_OK) != 0)
        return run_error("--hdr-log '%s': cannot write in %s (%s)", v, dir, strerror(errno));
    run->hdr_log = v;
    return 0;
}

/* -R and --stages. */
static int run_rate(struct rf_config *cfg, int opt, const char *v)
{
    static struct rf_stage stages[RF_MAX_STAGES];
    int n = opt == OPT_STAGES ? rf_parse_stages(v, stages, RF_MAX_STAGES) : 0;
    if (opt == 'R' && rf_parse_rate(v, &cfg->rate) < 0)
        return run_error("-R '%s': expected requests per second above 0 and at most 1G, such "
                         "as 500, 20k or 1.5M",
                         v);
    if (n < 0)
        return run_error("--stages '%s': expected DURATION:RATE or DURATION:FROM..TO, comma-"
                         "separated (e.g. 10s:1k,30s:1k..20k,10s:20k), at most %d stages and "
                         "24h, not all of them at rate 0",
                         v, RF_MAX_STAGES);
    if (opt == OPT_STAGES) {
        cfg->stages = stages;
        cfg->nstages = (unsigned)n;
    }
    return 0;
}

/* --shard and --start-at (shard.c). */
static int run_distributed(struct rf_config *cfg, int opt, const char *v)
{
    char why[256];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (opt == OPT_SHARD && cli_shard_parse(v, &cfg->shard, &cfg->nshards, why, sizeof(why)) < 0)
        return run_error("--shard '%s': %s", v, why);
    if (opt == OPT_START_AT &&
        cli_start_at_parse(v, (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec,
                           &cfg->start_at_ns, why, sizeof(why)) < 0)
        return run_error("--start-at '%s': %s", v, why);
    return 0;
}

/* A shard's slice of -c and -n: the first total % N shards take one more. */
static int run_slice(struct rf_config *cfg)
{
    unsigned n = cfg->nshards, i = cfg->shard;
    if (n <= 1)
        return 0;
    if (cfg->connections < n)
        return run_error("--shard %u/%u: -c %u gives some shard no connection; give -c %u or "
                         "more",
                         i, n, cfg->connections, n);
    cfg->connections = cfg->connections / n + (i < cfg->connections % n);
    if (cfg->requests && cfg->requests < n)
        return run_error("--shard %u/%u: -n %llu gives some shard no request; give -n %u or more",
                         i, n, (unsigned long long)cfg->requests, n);
    if (cfg->requests)
        cfg->requests = cfg->requests / n + (i < cfg->requests % n);
    return 0;
}

/* Every other option.  Returns 0, or the exit status of a usage error. */
static int run_option(struct rf_cli_run *run, int opt, const char *v, struct run_seen *seen)
{
    struct rf_config *cfg = &run->config;
    switch (opt) {
    case OPT_CPUS:
        return run_cpus(run, v);
    case OPT_SOURCE:
        return run_sources(run, v);
    case OPT_BUFFERS: {
        uint64_t x;
        if (rf_parse_count(v, RF_MAX_BUFFERS, &x) < 0 || x < RF_MIN_BUFFERS || (x & (x - 1)))
            return run_error("--buffers '%s': expected a power of two from %d to %d", v,
                             RF_MIN_BUFFERS, RF_MAX_BUFFERS);
        cfg->buffers = (unsigned)x;
        return 0;
    }
    case 'm':
        if (rf_method_check(v) < 0)
            return run_error("-m '%s': %s", v, rf_strerror(RF_EMETHOD));
        cfg->method = v;
        return 0;
    case 'H':
        if (rf_header_check(v) < 0)
            return run_error("-H '%s': %s", v, rf_strerror(RF_EHEADER));
        if (cfg->nheaders == sizeof(run->headers) / sizeof(run->headers[0]))
            return run_error("-H '%s': at most 64 headers", v);
        run->headers[cfg->nheaders++] = v;
        return 0;
    case OPT_BODY:
    case OPT_RAW:
        return run_payload(run, opt, v);
    case OPT_WS_MESSAGE:
        cfg->ws_message = v;
        cfg->ws_message_len = strlen(v);
        seen->message = 1;
        return 0;
    case 'R':
    case OPT_STAGES:
        return run_rate(cfg, opt, v);
    case OPT_ARRIVALS:
        if (strcmp(v, "uniform") != 0 && strcmp(v, "poisson") != 0)
            return run_error("--arrivals '%s': expected uniform or poisson", v);
        cfg->arrivals = v[0] == 'p' ? RF_ARRIVALS_POISSON : RF_ARRIVALS_UNIFORM;
        seen->arrivals = 1;
        return 0;
    case OPT_SEED:
        if (rf_parse_count(v, UINT64_C(1) << 53, &cfg->seed) < 0)
            return run_error("--seed '%s': expected a whole number from 0 to 2^53", v);
        seen->seed = 1;
        return 0;
    case OPT_HDR_LOG:
        return run_hdr_log_path(run, v);
    case OPT_SHARD:
    case OPT_START_AT:
        return run_distributed(cfg, opt, v);
    case OPT_AGENTS:
    case OPT_METRICS:
        *(opt == OPT_AGENTS ? &run->agents : &run->metrics_at) = v;
        return 0;
    case OPT_WS_SIZE:
        if (rf_parse_size(v, RF_MAX_WS_MESSAGE, &seen->ws_size) < 0)
            return run_error("--ws-size '%s': expected a size from 0 to 16M (bytes, with an "
                             "optional K or M suffix)",
                             v);
        seen->size = 1;
        return 0;
    }
    return run_error("option %d is not handled (a bug)", opt);
}

/* Whether s is valid UTF-8 (RFC 3629): text frames must carry it (RFC 6455 section 5.6). */
static int run_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], len = c < 0x80         ? 1
                                 : (c >> 5) == 6  ? 2
                                 : (c >> 4) == 14 ? 3
                                 : (c >> 3) == 30 ? 4
                                                  : 0;
        if (len == 0 || i + len > n)
            return 0;
        unsigned cp = len == 1 ? c : c & (0x7f >> len);
        for (unsigned k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += len;
    }
    return 1;
}

/* The WebSocket options: checked, and the payload of --ws-size made once. */
static int run_websocket(struct rf_cli_run *run, const struct run_seen *seen)
{
    struct rf_config *cfg = &run->config;
    if (!cfg->websocket) {
        if (seen->message || seen->size || cfg->ws_binary)
            return run_error("--ws-message, --ws-size and --ws-binary need a ws:// URL or --ws");
        return 0;
    }
    if (cfg->raw || cfg->body || cfg->method)
        return run_error("WebSocket load sends messages: drop --raw, --body and -m");
    if (seen->message && seen->size)
        return run_error("--ws-message and --ws-size: give one of them");
    if (seen->size) {
        /* Random bytes for binary frames; random printable ASCII (valid UTF-8) for text. */
        uint64_t size = seen->ws_size;
        unsigned char *p = malloc(size ? size : 1);
        if (!p)
            return run_error("--ws-size %llu: out of memory", (unsigned long long)size);
        uint64_t x = 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
        for (uint64_t i = 0; i < size; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            p[i] = cfg->ws_binary ? (unsigned char)x : (unsigned char)(' ' + x % 95);
        }
        run->ws_owned = (char *)p;
        cfg->ws_message = p;
        cfg->ws_message_len = size;
    } else if (!seen->message) {
        cfg->ws_message = "Hello, World!";
        cfg->ws_message_len = 13;
    }
    if (!cfg->ws_binary && !run_utf8(cfg->ws_message, cfg->ws_message_len))
        return run_error("--ws-message is not valid UTF-8, which text frames must carry; add "
                         "--ws-binary");
    return 0;
}

/* The expected requests of a changing rate over its stages. */
static double run_stage_total(const struct rf_config *cfg)
{
    double n = 0;
    for (unsigned i = 0; i < cfg->nstages; i++)
        n += (cfg->stages[i].from + cfg->stages[i].to) / 2 * (double)cfg->stages[i].duration_ns /
             1e9;
    return n;
}

/* The options of the open model, together. */
static int run_open_model(struct rf_cli_run *run, const struct run_seen *seen)
{
    struct rf_config *cfg = &run->config;
    int open = cfg->rate > 0 || cfg->nstages;
    if (cfg->rate > 0 && cfg->nstages)
        return run_error("-R and --stages: give one (a stage may hold a rate: 10s:5k)");
    if (!open && (seen->arrivals || seen->seed || run->require_valid))
        return run_error("--arrivals, --seed and --require-valid go with a rate (-R or --stages)");
    if (seen->seed && cfg->arrivals != RF_ARRIVALS_POISSON)
        return run_error("--seed seeds poisson arrivals: add --arrivals poisson");
    if (open && seen->refill)
        return run_error("--refill is for the closed loop; under a rate each request is sent "
                         "when it falls due");
    if (cfg->nstages && seen->duration)
        return run_error("--stages sets the duration (their sum): drop -d");
    if (!open && cfg->start_at_ns)
        return run_error("--start-at starts a rate's schedule: give -R or --stages");
    if (!open || !cfg->requests)
        return 0;
    double reachable =
        cfg->nstages ? run_stage_total(cfg) : cfg->rate * (double)cfg->duration_ns / 1e9;
    if ((double)cfg->requests > reachable)
        return run_error("-n %llu at this rate takes longer than %s allows (%.0f requests); "
                         "raise the limit with -d or lower -n",
                         (unsigned long long)cfg->requests, cfg->nstages ? "the stages" : "-d",
                         reachable);
    return 0;
}

/* After the options: the URL, and the rules that tie options together. */
static int run_finish(struct rf_cli_run *run, int argc, char **argv, const struct run_seen *seen)
{
    struct rf_config *cfg = &run->config;
    if (optind >= argc)
        return run_error("no URL given; for example: ringfire http://127.0.0.1:8080/");
    if (optind + 1 < argc)
        return run_error("one URL only; '%s' is extra", argv[optind + 1]);
    run->url_text = argv[optind];
    int rc = rf_url_parse(run->url_text, &cfg->url);
    if (rc < 0)
        return run_error("'%s': %s", run->url_text, rf_strerror(rc));
    if (cfg->url.scheme == RF_SCHEME_WS)
        cfg->websocket = 1;
    rc = run_websocket(run, seen);
    if (rc)
        return rc;
    if (!seen->duration)
        cfg->duration_ns = cfg->requests ? RUN_DEFAULT_LIMIT_NS : RUN_DEFAULT_DURATION_NS;
    rc = run_open_model(run, seen);
    if (rc || (rc = run_slice(cfg)) != 0)
        return rc;
    if (cfg->refill > cfg->pipeline) {
        fprintf(stderr, "ringfire: --refill %u: must not exceed the pipeline depth -p %u\n",
                cfg->refill, cfg->pipeline);
        return RF_EXIT_USAGE;
    }
    if (cfg->raw && (cfg->method || cfg->nheaders || cfg->body))
        return run_error("--raw sends the file as it is: drop -m, -H and --body");
    cfg->headers = run->headers;
    return 0;
}

/* Returns 0, or the exit status of a usage error (already reported). */
static int run_parse(struct rf_cli_run *run, int argc, char **argv);

int cli_run_check(int argc, char **argv, struct rf_config *out)
{
    static struct rf_cli_run run;
    memset(&run, 0, sizeof(run));
    int status = run_parse(&run, argc, argv);
    if (status == 0)
        *out = run.config;
    free(run.body_owned);
    free(run.raw_owned);
    free(run.ws_owned);
    return status;
}

static int run_parse(struct rf_cli_run *run, int argc, char **argv)
{
    struct rf_config *cfg = &run->config;
    struct run_seen seen = {0};
    cfg->connections = 64;
    cfg->pipeline = 1;
    cfg->timeout_ns = RUN_DEFAULT_TIMEOUT_NS;
    optind = 1;
    opterr = 0;
    int c, rc = 0;
    cfg->seed = 1;
    while (rc == 0 &&
           (c = getopt_long(argc, argv, ":c:t:d:n:p:m:H:qR:", run_options, NULL)) != -1) {
        if (c == ':')
            return run_error("%s needs a value", argv[optind - 1]);
        if (c == '?')
            return run_error("unknown option '%s'", argv[optind - 1]);
        if (c == OPT_WS || c == OPT_WS_BINARY || c == OPT_JSON || c == 'q' ||
            c == OPT_REQUIRE_VALID) {
            *(c == OPT_WS              ? &cfg->websocket
              : c == OPT_WS_BINARY     ? &cfg->ws_binary
              : c == OPT_JSON          ? &run->json
              : c == OPT_REQUIRE_VALID ? &run->require_valid
                                       : &run->quiet) = 1;
            continue;
        }
        rc = run_number(cfg, c, optarg, &seen);
        rc = rc == 1 ? 0 : rc ? rc : run_option(run, c, optarg, &seen);
    }
    return rc ? rc : run_finish(run, argc, argv, &seen);
}

static void run_progress(const struct rf_progress *p, void *arg)
{
    const struct rf_cli_run *run = arg;
    if (run->metrics)
        cli_metrics_update(run->metrics,
                           &(struct cli_metrics_figures){p->responses, p->errors, p->elapsed_s,
                                                         run->config.rate, p->warming_up, 0,
                                                         p->latency, p->response, p->lag});
    if (!run->progress_line)
        return;
    if (p->warming_up) {
        fprintf(stderr, "\r  warming up  %5.1fs / %.1fs   ", p->elapsed_s, p->total_s);
        return;
    }
    fprintf(stderr, "\r  %5.1fs / %.1fs   %llu responses   %llu errors   ", p->elapsed_s,
            p->total_s, (unsigned long long)p->responses, (unsigned long long)p->errors);
}

/* One second's histograms as lines of the interval log. */
static void run_interval(const struct rf_interval *iv, void *arg)
{
    struct rf_cli_run *run = arg;
    static const char *const tags[3] = {"service", "response", "lag"};
    const struct rf_hist *h[3] = {iv->latency, iv->response, iv->lag};
    for (int k = 0; k < 3; k++)
        if (h[k] && rr_hdrlog_interval(run->hdr_out, tags[k], iv->second, iv->length_s, h[k]) < 0)
            run->hdr_failed = 1;
}

/* Opens the interval log's lines in memory (the header goes before them at the end). */
static int run_hdr_open(struct rf_cli_run *run)
{
    run->hdr_out = open_memstream(&run->hdr_text, &run->hdr_len);
    if (!run->hdr_out)
        return -1;
    run->config.intervals = run_interval;
    run->config.intervals_arg = run;
    return 0;
}

/* Writes the interval log (replacing the file whole), its base time the measured phase's start:
 * shards started together (--start-at) share it, so their logs merge interval by interval.
 * Returns 0 or the exit status. */
static int run_hdr_write(struct rf_cli_run *run, const struct rf_result *res)
{
    char *text = NULL;
    size_t len = 0;
    int rc = fclose(run->hdr_out) == 0 && !run->hdr_failed ? 0 : -ENOMEM;
    run->hdr_out = NULL;
    FILE *f = rc == 0 ? open_memstream(&text, &len) : NULL;
    if (f) {
        rr_hdrlog_header(f, (double)res->start.unix_ns / 1e9 + (double)run->config.warmup_ns / 1e9);
        fputs(run->hdr_text, f);
        rc = fclose(f) == 0 ? 0 : -ENOMEM;
    } else {
        rc = -ENOMEM;
    }
    if (rc == 0)
        rc = rr_write_atomic(run->hdr_log, text);
    free(text);
    if (rc == 0)
        return 0;
    fprintf(stderr, "ringfire: --hdr-log '%s': not written: %s\n", run->hdr_log, strerror(-rc));
    return RF_EXIT_FAIL;
}

static void run_on_signal(int sig)
{
    (void)sig;
    rf_stop();
}

/* The engine's failure, said to people.  Returns the exit status. */
static int run_failed(const struct rf_cli_run *run, const struct rf_result *res, int rc)
{
    if (rc == RF_ETARGET) {
        fprintf(stderr,
                "ringfire: the target %s never accepted a connection (%s: %s); is the server "
                "running on that address and port?\n",
                run->config.url.authority, rf_err_name(res->target_errno),
                rf_strerror(res->target_errno));
        return RF_EXIT_NO_TARGET;
    }
    unsigned lo, hi, n = run->config.nsources ? run->config.nsources : 1;
    if (rc == RF_EPORTS && rf_local_ports(&lo, &hi) == 0) {
        fprintf(stderr,
                "ringfire: -c %u needs %u local ports to %s from each of %u source address%s, "
                "but net.ipv4.ip_local_port_range gives %u (%u-%u); widen it (sysctl -w "
                "net.ipv4.ip_local_port_range='1024 65535') or leave from more addresses "
                "(--source 127.0.0.1-127.0.0.8 on loopback)\n",
                run->config.connections, rf_ports_per_source(&run->config),
                run->config.url.authority, n, n == 1 ? "" : "es", hi - lo + 1, lo, hi);
        return RF_EXIT_USAGE;
    }
    if (rc == RF_ESOURCE) {
        fprintf(stderr, "ringfire: --source: %s (%s)\n", rf_strerror(rc),
                run->config.url.authority);
        return RF_EXIT_USAGE;
    }
    if (rc == RF_ENOFILE)
        fprintf(stderr,
                "ringfire: -c %u needs %u open files, above the hard limit (ulimit -Hn); raise "
                "it or use fewer connections\n",
                run->config.connections, run->config.connections + 64);
    else
        fprintf(stderr, "ringfire: the run failed: %s (%s)\n", rf_strerror(rc), rf_err_name(rc));
    return RF_EXIT_FAIL;
}

/* Prints the result and returns the exit status. */
static int run_report(const struct rf_cli_run *run, const struct rf_result *res)
{
    int status = RF_EXIT_OK;
    if (run->json) {
        struct rr_rundoc doc = {&run->config, res, run->url_text, run->cpus_text};
        char *text = rr_rundoc_print(&doc);
        if (!text || fputs(text, stdout) == EOF)
            status = RF_EXIT_FAIL;
        free(text);
    } else {
        rf_print_text(stdout, run, res);
    }
    enum rf_verdict v = res->rate.verdict;
    if (run->require_valid && v != RF_VERDICT_VALID && v != RF_VERDICT_NONE) {
        fprintf(stderr, "ringfire: the run is not valid: %s: %s\n", rf_verdict_name(v),
                res->rate.reason);
        status = v == RF_VERDICT_GENERATOR_BOUND    ? RF_EXIT_GENERATOR_BOUND
                 : v == RF_VERDICT_CONNECTION_BOUND ? RF_EXIT_CONNECTION_BOUND
                                                    : RF_EXIT_SERVER_BOUND;
    }
    if (res->interrupted) {
        fprintf(stderr, "ringfire: interrupted after %.2fs: the figures cover only that time\n",
                res->duration_s);
        return RF_EXIT_INTERRUPTED;
    }
    if (!res->complete) {
        fprintf(stderr,
                "ringfire: stopped by the time limit after %llu of the %llu responses asked for "
                "with -n; raise the limit with -d\n",
                (unsigned long long)res->counts.responses,
                (unsigned long long)run->config.requests);
        status = RF_EXIT_FAIL;
    }
    return status;
}

/* The run's own figures, final, for --metrics. */
static void run_metrics_final(const struct rf_cli_run *run, const struct rf_result *res)
{
    unsigned long long errors = 0;
    for (int k = 0; k < RF_ERRK_COUNT_; k++)
        errors += res->counts.errors[k];
    cli_metrics_update(run->metrics,
                       &(struct cli_metrics_figures){res->counts.responses, errors, res->duration_s,
                                                     run->config.rate, 0, 1, res->latency,
                                                     res->response, res->lag});
}

static int run_main(int argc, char **argv)
{
    static struct rf_cli_run run;
    static struct rf_result res;
    memset(&run, 0, sizeof(run));
    int status = run_parse(&run, argc, argv);
    if (status != 0)
        goto out;
    if (run.agents && (run.config.nshards > 1 || run.hdr_log)) {
        status = run_error("--agents makes the shards itself: drop --shard and --hdr-log");
        goto out;
    }
    if (run.agents) {
        status = cli_agents_run(run.agents, &run.config, argc, argv);
        goto out;
    }
    char why[256];
    if (run.metrics_at && cli_metrics_start(run.metrics_at, &run.metrics, why, sizeof(why)) < 0) {
        status = run_error("--metrics '%s': %s", run.metrics_at, why);
        goto out;
    }
    run.progress_line = !run.json && !run.quiet && isatty(STDERR_FILENO);
    run.config.live = run.metrics != NULL;
    if (run.progress_line || run.metrics) {
        run.config.progress = run_progress;
        run.config.progress_arg = &run;
    }
    if (run.hdr_log && run_hdr_open(&run) < 0) {
        status = run_error("--hdr-log: out of memory");
        goto out;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = run_on_signal;
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C stops at once */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int rc = rf_run(&run.config, &res);
    if (run.progress_line)
        fprintf(stderr, "\r%60s\r", "");
    if (rc == 0 && run.metrics)
        run_metrics_final(&run, &res);
    status = rc < 0 ? run_failed(&run, &res, rc) : run_report(&run, &res);
    if (rc == 0 && run.hdr_log && run_hdr_write(&run, &res) && status == RF_EXIT_OK)
        status = RF_EXIT_FAIL;
    if (rc == 0)
        rf_result_free(&res);
out:
    cli_metrics_stop(run.metrics);
    if (run.hdr_out)
        fclose(run.hdr_out);
    free(run.hdr_text);
    free(run.body_owned);
    free(run.raw_owned);
    free(run.ws_owned);
    return status;
}
