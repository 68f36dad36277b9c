/*
 * run.c - `ringfire run`: options, validation, the live progress line, the exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define CLI_MAX_BODY (64ULL * 1024 * 1024)
#define CLI_DEFAULT_DURATION_NS (10ULL * 1000000000)
#define CLI_DEFAULT_LIMIT_NS (60ULL * 1000000000)
#define CLI_DEFAULT_TIMEOUT_NS (5ULL * 1000000000)

__attribute__((format(printf, 1, 2))) static int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "ringfire: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see 'ringfire --help')\n");
    va_end(ap);
    return RF_EXIT_USAGE;
}

/* Reads a whole file of at most CLI_MAX_BODY bytes. */
static int cli_slurp(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -errno;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        if (n == cap) {
            if (cap >= CLI_MAX_BODY) {
                rc = RF_ERANGE;
                break;
            }
            char *bigger = realloc(buf, cap * 2);
            if (!bigger)
                break;
            buf = bigger;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (!buf)
        rc = RF_ENOMEM;
    else if (ferror(f))
        rc = -EIO;
    fclose(f);
    if (rc < 0) {
        free(buf);
        return rc;
    }
    *data = buf;
    *len = n;
    return 0;
}

static int cli_count(const char *opt, const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
    int rc = rf_parse_count(v, hi, out);
    if (rc == 0 && *out >= lo)
        return 0;
    fprintf(stderr, "ringfire: %s '%s': expected a whole number from %llu to %llu\n", opt, v,
            (unsigned long long)lo, (unsigned long long)hi);
    return -1;
}

static int cli_duration(const char *opt, const char *v, int zero_ok, uint64_t *out)
{
    int rc = rf_parse_duration(v, out);
    if (rc == 0 && (zero_ok || *out > 0))
        return 0;
    fprintf(stderr,
            "ringfire: %s '%s': expected a %sduration such as 500ms, 10s or 2m (at most 24h)\n",
            opt, v, zero_ok ? "" : "positive ");
    return -1;
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
};

static const struct option cli_options[] = {
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
    {"json", no_argument, NULL, OPT_JSON},
    {"quiet", no_argument, NULL, 'q'},
    {NULL, 0, NULL, 0},
};

/* Whether s is valid UTF-8 (RFC 3629): text frames must carry it (RFC 6455 section 5.6). */
static int cli_utf8(const unsigned char *s, size_t n)
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
static int cli_websocket(struct rf_cli_run *run, int have_message, int have_size, uint64_t size)
{
    struct rf_config *cfg = &run->config;
    if (!cfg->websocket) {
        if (have_message || have_size || cfg->ws_binary)
            return cli_usage_error("--ws-message, --ws-size and --ws-binary need a ws:// URL "
                                   "or --ws");
        return 0;
    }
    if (cfg->raw || cfg->body || cfg->method)
        return cli_usage_error("WebSocket load sends messages: drop --raw, --body and -m");
    if (have_message && have_size)
        return cli_usage_error("--ws-message and --ws-size: give one of them");
    if (have_size) {
        /* Random bytes for binary frames; random printable ASCII (valid UTF-8) for text. */
        unsigned char *p = malloc(size ? size : 1);
        if (!p)
            return cli_usage_error("--ws-size %llu: out of memory", (unsigned long long)size);
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
    } else if (!have_message) {
        cfg->ws_message = "Hello, World!";
        cfg->ws_message_len = 13;
    }
    if (!cfg->ws_binary && !cli_utf8(cfg->ws_message, cfg->ws_message_len))
        return cli_usage_error("--ws-message is not valid UTF-8, which text frames must carry; "
                               "add --ws-binary");
    return 0;
}

/* Returns 0, or the exit status of a usage error (already reported). */
static int cli_parse(struct rf_cli_run *run, int argc, char **argv)
{
    struct rf_config *cfg = &run->config;
    int have_duration = 0, have_message = 0, have_size = 0;
    uint64_t ws_size = 0;
    uint64_t v;
    static int cpus[1024];
    cfg->connections = 64;
    cfg->pipeline = 1;
    cfg->timeout_ns = CLI_DEFAULT_TIMEOUT_NS;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":c:t:d:n:p:m:H:q", cli_options, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (cli_count("-c", optarg, 1, RF_MAX_CONNECTIONS, &v) < 0)
                return RF_EXIT_USAGE;
            cfg->connections = (unsigned)v;
            break;
        case 't':
            if (cli_count("-t", optarg, 1, RF_MAX_THREADS, &v) < 0)
                return RF_EXIT_USAGE;
            cfg->threads = (unsigned)v;
            break;
        case OPT_CPUS: {
            int n = rf_parse_cpu_list(optarg, cpus, 1024);
            if (n < 0)
                return cli_usage_error(
                    "--cpus '%s': expected CPU numbers such as 0,2-3 (each below 1024)", optarg);
            char allowed[256];
            if (rf_cpus_check(cpus, (unsigned)n, allowed, sizeof(allowed)) < 0)
                return cli_usage_error("--cpus '%s': %s; pick from the CPUs it may use (%s)",
                                       optarg, rf_strerror(RF_ECPUS), allowed);
            cfg->cpus = cpus;
            cfg->ncpus = (unsigned)n;
            run->cpus_text = optarg;
            break;
        }
        case 'd':
            if (cli_duration("-d", optarg, 0, &cfg->duration_ns) < 0)
                return RF_EXIT_USAGE;
            have_duration = 1;
            break;
        case 'n':
            if (cli_count("-n", optarg, 1, UINT64_C(1) << 50, &cfg->requests) < 0)
                return RF_EXIT_USAGE;
            break;
        case 'p':
            if (cli_count("-p", optarg, 1, RF_MAX_PIPELINE, &v) < 0)
                return RF_EXIT_USAGE;
            cfg->pipeline = (unsigned)v;
            break;
        case OPT_REFILL:
            if (cli_count("--refill", optarg, 1, RF_MAX_PIPELINE, &v) < 0)
                return RF_EXIT_USAGE;
            cfg->refill = (unsigned)v;
            break;
        case OPT_BUFFERS:
            if (rf_parse_count(optarg, RF_MAX_BUFFERS, &v) < 0 || v < RF_MIN_BUFFERS ||
                (v & (v - 1)))
                return cli_usage_error("--buffers '%s': expected a power of two from %d to %d",
                                       optarg, RF_MIN_BUFFERS, RF_MAX_BUFFERS);
            cfg->buffers = (unsigned)v;
            break;
        case OPT_WARMUP:
            if (cli_duration("--warmup", optarg, 1, &cfg->warmup_ns) < 0)
                return RF_EXIT_USAGE;
            break;
        case OPT_TIMEOUT:
            if (cli_duration("--timeout", optarg, 0, &cfg->timeout_ns) < 0)
                return RF_EXIT_USAGE;
            break;
        case 'm':
            if (rf_method_check(optarg) < 0)
                return cli_usage_error("-m '%s': %s", optarg, rf_strerror(RF_EMETHOD));
            cfg->method = optarg;
            break;
        case 'H':
            if (rf_header_check(optarg) < 0)
                return cli_usage_error("-H '%s': %s", optarg, rf_strerror(RF_EHEADER));
            if (cfg->nheaders == sizeof(run->headers) / sizeof(run->headers[0]))
                return cli_usage_error("-H '%s': at most 64 headers", optarg);
            run->headers[cfg->nheaders++] = optarg;
            break;
        case OPT_BODY:
            if (optarg[0] == '@') {
                size_t len;
                int rc = cli_slurp(optarg + 1, &run->body_owned, &len);
                if (rc < 0) {
                    fprintf(stderr, "ringfire: --body '%s': cannot read the file: %s\n", optarg,
                            rc == RF_ERANGE ? "larger than 64 MiB" : rf_strerror(rc));
                    return RF_EXIT_USAGE;
                }
                cfg->body = run->body_owned;
                cfg->body_len = len;
            } else {
                cfg->body = optarg;
                cfg->body_len = strlen(optarg);
            }
            break;
        case OPT_RAW: {
            size_t len;
            int rc = cli_slurp(optarg, &run->raw_owned, &len);
            if (rc < 0 || len == 0) {
                fprintf(stderr, "ringfire: --raw '%s': cannot read a request from the file: %s\n",
                        optarg,
                        rc == 0           ? "it is empty"
                        : rc == RF_ERANGE ? "larger than 64 MiB"
                                          : rf_strerror(rc));
                return RF_EXIT_USAGE;
            }
            cfg->raw = run->raw_owned;
            cfg->raw_len = len;
            break;
        }
        case OPT_WS:
            cfg->websocket = 1;
            break;
        case OPT_WS_MESSAGE:
            cfg->ws_message = optarg;
            cfg->ws_message_len = strlen(optarg);
            have_message = 1;
            break;
        case OPT_WS_SIZE:
            if (rf_parse_size(optarg, RF_MAX_WS_MESSAGE, &ws_size) < 0)
                return cli_usage_error("--ws-size '%s': expected a size from 0 to 16M (bytes, "
                                       "with an optional K or M suffix)",
                                       optarg);
            have_size = 1;
            break;
        case OPT_WS_BINARY:
            cfg->ws_binary = 1;
            break;
        case OPT_JSON:
            run->json = 1;
            break;
        case 'q':
            run->quiet = 1;
            break;
        case ':':
            return cli_usage_error("%s needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("no URL given; for example: ringfire http://127.0.0.1:8080/");
    if (optind + 1 < argc)
        return cli_usage_error("one URL only; '%s' is extra", argv[optind + 1]);
    run->url_text = argv[optind];
    int rc = rf_url_parse(run->url_text, &cfg->url);
    if (rc < 0)
        return cli_usage_error("'%s': %s", run->url_text, rf_strerror(rc));
    if (cfg->url.scheme == RF_SCHEME_WS)
        cfg->websocket = 1;
    int rc_ws = cli_websocket(run, have_message, have_size, ws_size);
    if (rc_ws)
        return rc_ws;
    if (!have_duration)
        cfg->duration_ns = cfg->requests ? CLI_DEFAULT_LIMIT_NS : CLI_DEFAULT_DURATION_NS;
    if (cfg->refill > cfg->pipeline) {
        fprintf(stderr, "ringfire: --refill %u: must not exceed the pipeline depth -p %u\n",
                cfg->refill, cfg->pipeline);
        return RF_EXIT_USAGE;
    }
    if (cfg->raw && (cfg->method || cfg->nheaders || cfg->body))
        return cli_usage_error("--raw sends the file as it is: drop -m, -H and --body");
    cfg->headers = run->headers;
    return 0;
}

static void cli_progress(const struct rf_progress *p, void *arg)
{
    (void)arg;
    if (p->warming_up) {
        fprintf(stderr, "\r  warming up  %5.1fs / %.1fs   ", p->elapsed_s, p->total_s);
        return;
    }
    fprintf(stderr, "\r  %5.1fs / %.1fs   %llu responses   %llu errors   ", p->elapsed_s,
            p->total_s, (unsigned long long)p->responses, (unsigned long long)p->errors);
}

static void cli_on_signal(int sig)
{
    (void)sig;
    rf_stop();
}

int rf_cli_run(int argc, char **argv)
{
    static struct rf_cli_run run;
    memset(&run, 0, sizeof(run));
    int status = cli_parse(&run, argc, argv);
    if (status != 0)
        goto out;
    if (!run.json && !run.quiet && isatty(STDERR_FILENO))
        run.config.progress = cli_progress;

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = cli_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    static struct rf_result res;
    int rc = rf_run(&run.config, &res);
    if (run.config.progress)
        fprintf(stderr, "\r%60s\r", "");
    if (rc == RF_ETARGET) {
        fprintf(stderr,
                "ringfire: the target %s never accepted a connection (%s: %s); is the server "
                "running on that address and port?\n",
                run.config.url.authority, rf_err_name(res.target_errno),
                rf_strerror(res.target_errno));
        status = RF_EXIT_NO_TARGET;
        goto out;
    }
    if (rc == RF_ENOFILE) {
        fprintf(stderr,
                "ringfire: -c %u needs %u open files, above the hard limit (ulimit -Hn); raise "
                "it or use fewer connections\n",
                run.config.connections, run.config.connections + 64);
        status = RF_EXIT_FAIL;
        goto out;
    }
    if (rc < 0) {
        fprintf(stderr, "ringfire: the run failed: %s (%s)\n", rf_strerror(rc), rf_err_name(rc));
        status = RF_EXIT_FAIL;
        goto out;
    }
    if (run.json) {
        if (rf_print_json(stdout, &run, &res) < 0)
            status = RF_EXIT_FAIL;
    } else {
        rf_print_text(stdout, &run, &res);
    }
    if (!res.complete) {
        fprintf(stderr,
                "ringfire: stopped %s after %llu of the %llu responses asked for with -n; "
                "raise the limit with -d\n",
                res.interrupted ? "by a signal" : "by the time limit",
                (unsigned long long)res.counts.responses, (unsigned long long)run.config.requests);
        status = RF_EXIT_FAIL;
    }
    rf_result_free(&res);
out:
    free(run.body_owned);
    free(run.raw_owned);
    free(run.ws_owned);
    return status;
}
