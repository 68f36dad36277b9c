/*
 * fuzz_units.c - the value parsers of the command line and suites: URLs, durations, counts,
 * sizes, CPU lists, headers, methods, rates, stages and source addresses.  A URL that parses
 * must have sane fields and parse to the same fields again from its canonical form; a CPU list
 * must format back to one that parses to the same CPUs; source addresses printed as a list parse
 * to the same addresses.  Input: one selector byte, then the text.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ringfire.h"

static void fz_url(const char *text)
{
    static struct rf_url a, b;
    if (rf_url_parse(text, &a) < 0)
        return;
    if (a.port == 0 || a.path[0] != '/' || !a.host[0] || !a.authority[0])
        abort();
    char again[4096];
    snprintf(again, sizeof(again), "%s://%s%s", a.scheme == RF_SCHEME_WS ? "ws" : "http",
             a.authority, a.path);
    if (rf_url_parse(again, &b) < 0 || a.port != b.port || strcmp(a.path, b.path) ||
        strcmp(a.host, b.host) || a.scheme != b.scheme)
        abort();
}

static void fz_cpus(const char *text)
{
    static int cpus[1024], again[1024];
    char buf[8192];
    int n = rf_parse_cpu_list(text, cpus, 1024);
    if (n < 0)
        return;
    if (n < 1 || n > 1024)
        abort();
    /* Formatting expects an ascending list, as rf_cpus_allowed gives. */
    for (int i = 1; i < n; i++)
        if (cpus[i] <= cpus[i - 1])
            return;
    rf_cpus_format(cpus, n, buf, sizeof(buf));
    if (strlen(buf) + 1 < sizeof(buf)) {
        int m = rf_parse_cpu_list(buf, again, 1024);
        if (m != n || memcmp(cpus, again, (size_t)n * sizeof(int)))
            abort();
    }
}

/* A rate is above 0 and at most 1G, and a finite number. */
static void fz_rate(const char *text)
{
    double r;
    if (rf_parse_rate(text, &r) == 0 && !(r > 0 && r <= 1e9))
        abort();
}

/* Stages: at most the room, each at least 1 ns long and at finite rates from 0 to 1G, not all
 * at 0, at most 24 hours in all. */
static void fz_stages(const char *text)
{
    struct rf_stage st[4];
    int n = rf_parse_stages(text, st, 4);
    if (n < 0)
        return;
    uint64_t total = 0;
    int any = 0;
    if (n == 0 || n > 4)
        abort();
    for (int i = 0; i < n; i++) {
        if (!st[i].duration_ns || !(st[i].from >= 0 && st[i].from <= 1e9) ||
            !(st[i].to >= 0 && st[i].to <= 1e9))
            abort();
        total += st[i].duration_ns;
        any |= st[i].from > 0 || st[i].to > 0;
    }
    if (!any || total > 24ULL * 3600 * 1000000000)
        abort();
}

static void fz_sources(const char *text)
{
    static struct sockaddr_storage a[8], b[8];
    int n = rf_parse_sources(text, a, 8);
    if (n < 0)
        return;
    if (n == 0 || n > 8)
        abort();
    char list[8 * (INET6_ADDRSTRLEN + 1)] = "", one[INET6_ADDRSTRLEN];
    for (int i = 0; i < n; i++) {
        const void *addr = a[i].ss_family == AF_INET
                               ? (const void *)&((struct sockaddr_in *)&a[i])->sin_addr
                               : (const void *)&((struct sockaddr_in6 *)&a[i])->sin6_addr;
        if (a[i].ss_family != a[0].ss_family || !inet_ntop(a[i].ss_family, addr, one, sizeof(one)))
            abort();
        strcat(strcat(list, i ? "," : ""), one);
    }
    if (rf_parse_sources(list, b, 8) != n || memcmp(a, b, (size_t)n * sizeof(a[0])) != 0)
        abort(); /* printed, they parse to the same addresses */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 8192)
        return 0;
    char *text = malloc(size); /* NUL-terminated, no byte to spare: ASan sees overreads */
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    uint64_t v;
    switch (data[0] % 11) {
    case 0:
        fz_url(text);
        break;
    case 1:
        if (rf_parse_duration(text, &v) == 0 && v > 24ULL * 3600 * 1000000000)
            abort();
        break;
    case 2:
        if (rf_parse_count(text, 1000000, &v) == 0 && v > 1000000)
            abort();
        break;
    case 3:
        if (rf_parse_size(text, RF_MAX_WS_MESSAGE, &v) == 0 && v > RF_MAX_WS_MESSAGE)
            abort();
        break;
    case 4:
        fz_cpus(text);
        break;
    case 5:
        if (rf_header_check(text) == 0 && (strchr(text, '\r') || strchr(text, '\n')))
            abort();
        break;
    case 6:
        if (rf_method_check(text) == 0 && (!text[0] || strchr(text, ' ')))
            abort();
        break;
    case 7:
        fz_rate(text);
        break;
    case 8:
        fz_stages(text);
        break;
    case 9:
        fz_sources(text);
        break;
    default:
        rf_strerror(-(int)(data[0] % 140));
        rf_err_name(-(int)(data[0] % 140));
    }
    free(text);
    return 0;
}
