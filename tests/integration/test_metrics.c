/*
 * test_metrics.c - --metrics against a real Prometheus (Debian's): it scrapes a rate run once a
 * second, and its query for the response counter gives the run's final count; the exposition
 * parses as Prometheus's own text format (it would refuse to ingest it otherwise); every query
 * of the Grafana dashboard in docs/ is accepted.  Traffic stays on loopback.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../says.h"
#include "../tmpdir.h"
#include "fixture_test.h"

extern char **environ;
static pid_t prom = -1;

static void prom_stop(void)
{
    if (prom > 0) {
        kill(prom, SIGTERM);
        waitpid(prom, NULL, 0);
        prom = -1;
    }
    stop();
    tmpdir_teardown();
}

/* A loopback port nobody listens on now. */
static unsigned free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    cr_assert(eq(int, bind(fd, (struct sockaddr *)&a, sizeof(a)), 0));
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

/* GET path from 127.0.0.1:port; the body (static), or NULL. */
static const char *http_get(unsigned port, const char *path)
{
    static char buf[65536];
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        close(fd);
        return NULL;
    }
    char req[512];
    int n = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
    size_t got = 0;
    ssize_t r = write(fd, req, (size_t)n);
    while (r >= 0 && got + 1 < sizeof(buf) && (r = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
        got += (size_t)r;
    close(fd);
    buf[got] = '\0';
    char *body = strstr(buf, "\r\n\r\n");
    return body ? body + 4 : NULL;
}

/* s percent-encoded for a query string, "$instance" as ".*" (static). */
static const char *url_encode(const char *s)
{
    static char out[4096];
    size_t o = 0;
    for (; *s && o + 4 < sizeof(out); s++) {
        if (strncmp(s, "$instance", 9) == 0) {
            memcpy(out + o, ".%2A", 4);
            o += 4;
            s += 8;
        } else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                   (*s >= '0' && *s <= '9') || *s == '_') {
            out[o++] = *s;
        } else {
            o += (size_t)snprintf(out + o, 4, "%%%02X", (unsigned char)*s);
        }
    }
    out[o] = '\0';
    return out;
}

/* Every query of docs/grafana-dashboard.json is one Prometheus accepts and evaluates. */
static void assert_dashboard(unsigned port)
{
    char *text = read_file("docs/grafana-dashboard.json");
    cJSON *d = text ? cJSON_Parse(text) : NULL, *panel, *target;
    free(text);
    cr_assert(not(eq(ptr, d, NULL)), "docs/grafana-dashboard.json is JSON");
    int queries = 0;
    cJSON_ArrayForEach(panel, cJSON_GetObjectItem(d, "panels"))
    {
        cJSON_ArrayForEach(target, cJSON_GetObjectItem(panel, "targets"))
        {
            const char *expr = cJSON_GetObjectItem(target, "expr")->valuestring;
            char path[4200];
            snprintf(path, sizeof(path), "/api/v1/query?query=%s", url_encode(expr));
            const char *body = http_get(port, path);
            cr_assert(body && strstr(body, "\"status\":\"success\""), "%s: %s", expr,
                      body ? body : "no answer");
            queries++;
        }
    }
    cJSON_Delete(d);
    cr_assert(ge(int, queries, 8));
}

/* The value of a Prometheus instant query's first sample ("...,"VALUE"]"), or NaN. */
static double prom_value(unsigned port, const char *query)
{
    char path[256];
    snprintf(path, sizeof(path), "/api/v1/query?query=%s", query);
    const char *body = http_get(port, path), *v = body ? strstr(body, "\"value\":[") : NULL;
    v = v ? strchr(v, ',') : NULL;
    return v && v[1] == '"' ? strtod(v + 2, NULL) : NAN;
}

Test(metrics, prometheus_scrapes_a_run_and_gets_its_final_count, .init = tmpdir_setup,
     .fini = prom_stop)
{
    if (access("/usr/bin/prometheus", X_OK) != 0)
        cr_skip_test("prometheus is not installed: run ci/install-deps test");
    start(NULL);
    unsigned mport = free_port(), pport = free_port();
    char conf[512], listen[64], cfgarg[256], data[256], url[96], at[64];
    snprintf(conf, sizeof(conf),
             "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n"
             "  - job_name: ringfire\n    static_configs:\n      - targets: ['127.0.0.1:%u']\n",
             mport);
    snprintf(cfgarg, sizeof(cfgarg), "--config.file=%s", tmpdir_write("prometheus.yml", conf));
    snprintf(data, sizeof(data), "--storage.tsdb.path=%s/data", tmpdir);
    snprintf(listen, sizeof(listen), "--web.listen-address=127.0.0.1:%u", pport);
    char *argv[] = {"/usr/bin/prometheus", cfgarg, data, listen, "--log.level=error", NULL};
    cr_assert(eq(int, posix_spawn(&prom, argv[0], NULL, NULL, argv, environ), 0));
    /* Ready, and scraping: it has tried the target (down: nothing listens there yet). */
    const char *targets = NULL;
    for (int i = 0; i < 150 && !(targets && strstr(targets, "\"health\":\"down\"")); i++) {
        nanosleep(&(struct timespec){0, 100000000L}, NULL);
        targets = http_get(pport, "/api/v1/targets");
    }
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/plaintext", fx.port);
    snprintf(at, sizeof(at), "127.0.0.1:%u", mport);
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, url, "-R", "2k", "-c", "8", "-d", "4s", "--metrics", at,
                                  "--json", NULL},
            60, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    cJSON *j = cJSON_Parse(r.out);
    double responses = json_num(j, "responses");
    cJSON_Delete(j);
    cmd_free(&r);
    double seen = NAN, scrapes = NAN;
    for (int i = 0; i < 50 && seen != responses; i++) { /* the last scrape is ingested */
        seen = prom_value(pport, "ringfire_responses_total");
        nanosleep(&(struct timespec){0, 200000000L}, NULL);
    }
    cr_assert(eq(dbl, seen, responses), "Prometheus has %g, the run counted %g", seen, responses);
    scrapes = prom_value(pport, "count_over_time(ringfire_elapsed_seconds[1m])");
    cr_assert(ge(dbl, scrapes, 3), "scraped while running: %g samples: %s", scrapes,
              http_get(pport, "/api/v1/query?query=ringfire_elapsed_seconds[1m]"));
    double total = prom_value(pport, "ringfire_response_time_seconds_count");
    cr_assert(eq(dbl, total, responses), "every response in the response-time histogram");
    double p99 = prom_value(pport, "histogram_quantile(0.99,ringfire_service_time_seconds_bucket)");
    cr_assert(gt(dbl, p99, 0), "the buckets give a quantile: %g s", p99);
    assert_dashboard(pport);
}
