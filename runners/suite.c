/*
 * suite.c - loading and checking a suite file and the target recipes it names (cJSON).
 *
 * Everything is checked before any server starts: unknown keys, wrong types, empty axes,
 * missing recipes and endpoints.  The first problem is reported as
 *   suites/x.json: .matrix.connections[2]: expected a positive integer, got "64"
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "results.h"
#include "ringfire.h"
#include "suite.h"
#include "tools.h"

#define SUITES_DIR "suites"
#define TARGETS_DIR "fixtures/targets"
#define LD_MAX_FILE (4 << 20)
#define NS_PER_S 1000000000ULL

static int ld_object(struct rj_ctx *L, const cJSON *v, const char *path)
{
    char got[64];
    if (!cJSON_IsObject(v))
        return rj_fail(L, path, "expected an object, got %s", rj_repr(v, got, sizeof(got)));
    return 0;
}

static int ld_string(struct rj_ctx *L, const cJSON *obj, const char *key, const char *path,
                     int required, char **out)
{
    char p[256], got[64];
    rj_path_key(p, sizeof(p), path, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return required ? rj_fail(L, p, "missing (expected a string)") : 0;
    if (!cJSON_IsString(v))
        return rj_fail(L, p, "expected a string, got %s", rj_repr(v, got, sizeof(got)));
    *out = strdup(v->valuestring);
    return 0;
}

static int ld_uint_value(struct rj_ctx *L, const cJSON *v, const char *p, unsigned min,
                         unsigned max, unsigned *out)
{
    char got[64];
    /* The range first, so that nothing is converted that an integer cannot hold. */
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= min && v->valuedouble <= max) ||
        v->valuedouble != floor(v->valuedouble)) {
        if (min == 1 && max >= 100000) {
            if (cJSON_IsNumber(v) && v->valuedouble > max)
                return rj_fail(L, p, "expected a positive integer up to %u, got %s", max,
                               rj_repr(v, got, sizeof(got)));
            return rj_fail(L, p, "expected a positive integer, got %s",
                           rj_repr(v, got, sizeof(got)));
        }
        return rj_fail(L, p, "expected an integer from %u to %u, got %s", min, max,
                       rj_repr(v, got, sizeof(got)));
    }
    *out = (unsigned)v->valuedouble;
    return 0;
}

static int ld_uint(struct rj_ctx *L, const cJSON *obj, const char *key, const char *path,
                   unsigned min, unsigned max, unsigned *out)
{
    char p[256];
    rj_path_key(p, sizeof(p), path, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return v ? ld_uint_value(L, v, p, min, max, out) : 0;
}

static int ld_duration(struct rj_ctx *L, const cJSON *obj, const char *key, const char *path,
                       int zero_ok, uint64_t *out)
{
    char p[256], got[64];
    rj_path_key(p, sizeof(p), path, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 0;
    uint64_t ns;
    if (!cJSON_IsString(v) || rf_parse_duration(v->valuestring, &ns) < 0 || (!zero_ok && !ns))
        return rj_fail(L, p, "expected a %sduration such as \"500ms\", \"10s\" or \"2m\", got %s",
                       zero_ok ? "" : "positive ", rj_repr(v, got, sizeof(got)));
    *out = ns;
    return 0;
}

/* A share such as "0.1%" from lo% to hi%, as a fraction; absent leaves *out. */
static int ld_percent(struct rj_ctx *L, const cJSON *obj, const char *key, const char *path,
                      double lo, double hi, double *out)
{
    char p[256], got[64], *end = NULL;
    rj_path_key(p, sizeof(p), path, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 0;
    double pct = cJSON_IsString(v) ? strtod(v->valuestring, &end) : NAN;
    if (!end || strcmp(end, "%") != 0 || !(pct >= lo && pct <= hi))
        return rj_fail(L, p, "expected a percentage from %g%% to %g%% such as \"%g%%\", got %s", lo,
                       hi, hi / 10, rj_repr(v, got, sizeof(got)));
    *out = pct / 100;
    return 0;
}

static int ld_bool(struct rj_ctx *L, const cJSON *obj, const char *key, const char *path, int *out)
{
    char p[256], got[64];
    rj_path_key(p, sizeof(p), path, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 0;
    if (!cJSON_IsBool(v))
        return rj_fail(L, p, "expected true or false, got %s", rj_repr(v, got, sizeof(got)));
    *out = cJSON_IsTrue(v);
    return 0;
}

/* The array at key (NULL when it is not there or is wrong: L->failed says which), with at
 * most max items of the kind named by what; nonempty asks for one at least.  p gets its path. */
static const cJSON *ld_array(struct rj_ctx *L, const cJSON *obj, const char *key, const char *path,
                             char p[256], const char *what, int nonempty, int max)
{
    char got[64];
    rj_path_key(p, 256, path, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return NULL;
    if (!cJSON_IsArray(v) || (nonempty && cJSON_GetArraySize(v) == 0))
        rj_fail(L, p, "expected %s array of %s, got %s", nonempty ? "a non-empty" : "an", what,
                rj_repr(v, got, sizeof(got)));
    else if (cJSON_GetArraySize(v) > max)
        rj_fail(L, p, "at most %d %s", max, what);
    else
        return v;
    return NULL;
}

/* An axis: a non-empty array of integers in [min, max]. */
static int ld_axis(struct rj_ctx *L, const cJSON *obj, const char *key, const char *path,
                   unsigned min, unsigned max, unsigned *arr, unsigned *n)
{
    char p[256], ip[280];
    const cJSON *v = ld_array(L, obj, key, path, p, "integers", 1, RS_MAX_AXIS), *item;
    *n = 0;
    cJSON_ArrayForEach(item, v)
    {
        snprintf(ip, sizeof(ip), "%s[%u]", p, *n);
        if (ld_uint_value(L, item, ip, min, max, &arr[*n]) < 0)
            return -1;
        (*n)++;
    }
    return L->failed ? -1 : 0;
}

/* The rules a list of names may ask of each name. */
enum ld_rule { LD_ANY, LD_NAME, LD_PACKAGE };

/* A Debian package name (Debian Policy 5.6.1): lower-case letters, digits, '+', '-' and '.',
 * at least two, starting with a letter or digit. */
static int ld_package_ok(const char *p)
{
    size_t n = strlen(p);
    if (n < 2 || n > 128 || !((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= '0' && p[0] <= '9')))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || strchr("+-.", p[i])))
            return 0;
    return 1;
}

/* Whether a string follows a rule; if not, says so at path. */
static int ld_rule(struct rj_ctx *L, const char *path, const char *v, enum ld_rule rule)
{
    char got[200];
    rj_printable(v, strlen(v) < 60 ? strlen(v) : 60, got, sizeof(got));
    if (rule == LD_NAME && !rr_name_ok(v))
        return rj_fail(L, path,
                       "expected a name of 1 to %d characters from A-Z a-z 0-9 . _ - starting "
                       "with a letter or digit, got \"%s\"",
                       RR_NAME_MAX, got);
    if (rule == LD_PACKAGE && !ld_package_ok(v))
        return rj_fail(L, path,
                       "expected a Debian package name (a-z 0-9 + - ., starting with a letter or "
                       "digit), got \"%s\"",
                       got);
    return 0;
}

static int ld_names(struct rj_ctx *L, const cJSON *obj, const char *key, const char *path,
                    char **arr, unsigned *n, int required, enum ld_rule rule)
{
    char p[256], ip[280], got[64];
    const cJSON *v = ld_array(L, obj, key, path, p, "strings", required, RS_MAX_NAMES), *item;
    *n = 0;
    if (!v && !L->failed && required)
        return rj_fail(L, p, "missing (expected an array of strings)");
    cJSON_ArrayForEach(item, v)
    {
        snprintf(ip, sizeof(ip), "%s[%u]", p, *n);
        if (!cJSON_IsString(item))
            return rj_fail(L, ip, "expected a string, got %s", rj_repr(item, got, sizeof(got)));
        if (ld_rule(L, ip, item->valuestring, rule) < 0)
            return -1;
        arr[(*n)++] = strdup(item->valuestring);
    }
    return L->failed ? -1 : 0;
}

/* "repetitions": N (exactly N runs), or {"min": N, "max": M, "target": "3%"}: at least N, and
 * more up to M until the interval of the median is within target of it. */
static int ld_reps(struct rj_ctx *L, const cJSON *obj, const char *path, struct rs_reps *r)
{
    static const char *const keys[] = {"min", "max", "target", NULL};
    char p[256], q[300], got[64];
    rj_path_key(p, sizeof(p), path, "repetitions");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "repetitions");
    if (!v)
        return 0;
    if (cJSON_IsNumber(v)) {
        if (ld_uint_value(L, v, p, 1, 1000, &r->min) < 0)
            return -1;
        r->max = r->min;
        r->target = 0;
        return 0;
    }
    if (!cJSON_IsObject(v))
        return rj_fail(L, p, "expected a number of runs or {\"min\", \"max\", \"target\"}, got %s",
                       rj_repr(v, got, sizeof(got)));
    if (rj_keys(L, v, p, keys) < 0)
        return -1;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(v, "target");
    char *end = NULL;
    double pct = cJSON_IsString(t) ? strtod(t->valuestring, &end) : NAN;
    rj_path_key(q, sizeof(q), p, "target");
    if (!t || !end || strcmp(end, "%") != 0 || !(pct > 0 && pct <= 50))
        return rj_fail(L, q,
                       "expected a share of the median such as \"3%%\" (above 0, at most "
                       "50%%), got %s",
                       t ? rj_repr(t, got, sizeof(got)) : "nothing");
    r->target = pct / 100;
    r->min = 6; /* the fewest runs whose range covers the median at 95% */
    r->max = 30;
    if (ld_uint(L, v, "min", p, 1, 1000, &r->min) < 0 ||
        ld_uint(L, v, "max", p, 1, 1000, &r->max) < 0)
        return -1;
    if (r->max < r->min) {
        rj_path_key(q, sizeof(q), p, "max");
        return rj_fail(L, q, "%u, below min %u", r->max, r->min);
    }
    return 0;
}

/* ---- files ------------------------------------------------------------------------------- */

/* The file parsed; where sha256 is not NULL, the sha256 of its bytes in hex. */
static cJSON *ld_parse_file(const char *file, char *err)
{
    char *text;
    size_t len;
    if (rj_read_file(file, LD_MAX_FILE, &text, &len, err) < 0)
        return NULL;
    cJSON *root = rj_parse(file, text, len, err);
    free(text);
    return root;
}

/* The recipe names in fixtures/targets, for "the recipes there: ...". */
static void ld_recipe_list(char *buf, size_t n)
{
    buf[0] = '\0';
    DIR *d = opendir(TARGETS_DIR);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
            snprintf(buf + strlen(buf), n - strlen(buf), "%s%.*s", buf[0] ? ", " : "",
                     (int)(len - 5), e->d_name);
    }
    if (d)
        closedir(d);
}

/* ---- parts ------------------------------------------------------------------------------- */

/* A target already running at url: "http://HOST:PORT" with a numeric host (no path); nothing
 * to install, build, start or stop. */
static int ld_external(struct rj_ctx *L, const cJSON *obj, const char *path, struct rs_target *t)
{
    static const char *const managed[] = {"apt",   "npm",          "build",
                                          "start", "stop_timeout", "build_timeout"};
    char p[256];
    rj_path_key(p, sizeof(p), path, "url");
    struct rf_url u;
    if (rf_url_parse(t->url, &u) < 0 || u.scheme != RF_SCHEME_HTTP || strcmp(u.path, "/") != 0)
        return rj_fail(L, p,
                       "expected http://HOST:PORT with a numeric IPv4 or [IPv6] host and no "
                       "path, got \"%s\"",
                       t->url);
    for (size_t i = 0; i < sizeof(managed) / sizeof(managed[0]); i++)
        if (cJSON_GetObjectItemCaseSensitive(obj, managed[i])) {
            rj_path_key(p, sizeof(p), path, managed[i]);
            return rj_fail(L, p,
                           "a target with a url is already running: ringfire does not "
                           "install, start or stop it");
        }
    return 0;
}

static int ld_target_obj(struct rj_ctx *L, const cJSON *obj, const char *path, struct rs_target *t)
{
    static const char *const keys[] = {"name",      "apt",           "npm",      "build",
                                       "start",     "version",       "ready",    "stop_timeout",
                                       "endpoints", "build_timeout", "settings", "reference",
                                       "url",       "ringfire",      NULL};
    if (ld_object(L, obj, path) < 0 || rj_keys(L, obj, path, keys) < 0)
        return -1;
    t->ready_timeout_ns = 10 * NS_PER_S;
    t->stop_timeout_ns = 5 * NS_PER_S;
    t->build_timeout_ns = 600 * NS_PER_S;
    if (ld_string(L, obj, "name", path, 1, &t->name) < 0 ||
        ld_names(L, obj, "apt", path, t->apt, &t->napt, 0, LD_PACKAGE) < 0 ||
        ld_string(L, obj, "npm", path, 0, &t->npm_dir) < 0 ||
        ld_string(L, obj, "build", path, 0, &t->build) < 0 ||
        ld_string(L, obj, "url", path, 0, &t->url) < 0 ||
        ld_string(L, obj, "start", path, !cJSON_GetObjectItemCaseSensitive(obj, "url"), &t->start) <
            0 ||
        ld_string(L, obj, "settings", path, 0, &t->settings) < 0 ||
        ld_string(L, obj, "ringfire", path, 0, &t->ringfire) < 0 ||
        ld_bool(L, obj, "reference", path, &t->reference) < 0 ||
        ld_string(L, obj, "version", path, 0, &t->version) < 0 ||
        ld_duration(L, obj, "stop_timeout", path, 0, &t->stop_timeout_ns) < 0 ||
        ld_duration(L, obj, "build_timeout", path, 0, &t->build_timeout_ns) < 0 ||
        ld_names(L, obj, "endpoints", path, t->endpoints, &t->nendpoints, 1, LD_NAME) < 0)
        return -1;
    char p[256];
    rj_path_key(p, sizeof(p), path, "name");
    if (ld_rule(L, p, t->name, LD_NAME) < 0)
        return -1;
    if (t->url)
        return ld_external(L, obj, path, t);
    if (!strstr(t->start, "{port}")) {
        rj_path_key(p, sizeof(p), path, "start");
        return rj_fail(L, p, "the start command must contain {port}, where the port goes");
    }
    const cJSON *ready = cJSON_GetObjectItemCaseSensitive(obj, "ready");
    if (ready) {
        static const char *const rkeys[] = {"path", "timeout", NULL};
        rj_path_key(p, sizeof(p), path, "ready");
        if (ld_object(L, ready, p) < 0 || rj_keys(L, ready, p, rkeys) < 0 ||
            ld_string(L, ready, "path", p, 0, &t->ready_path) < 0 ||
            ld_duration(L, ready, "timeout", p, 0, &t->ready_timeout_ns) < 0)
            return -1;
    }
    return 0;
}

static int ld_target(struct rj_ctx *L, const cJSON *v, unsigned i, struct rs_target *t)
{
    char path[64], got[64];
    snprintf(path, sizeof(path), ".targets[%u]", i);
    if (cJSON_IsObject(v)) {
        t->file = strdup("inline");
        return ld_target_obj(L, v, path, t);
    }
    if (!cJSON_IsString(v))
        return rj_fail(L, path, "expected a recipe name or a recipe object, got %s",
                       rj_repr(v, got, sizeof(got)));
    char file[512], list[512];
    if (ld_rule(L, path, v->valuestring, LD_NAME) < 0)
        return -1;
    snprintf(file, sizeof(file), "%s/%s.json", TARGETS_DIR, v->valuestring);
    if (strchr(v->valuestring, '/') || access(file, R_OK) != 0) {
        ld_recipe_list(list, sizeof(list));
        return rj_fail(L, path, "no recipe %s (the recipes there: %s)", file, list);
    }
    cJSON *root = ld_parse_file(file, L->err);
    if (!root) {
        L->failed = 1;
        return -1;
    }
    struct rj_ctx inner = {.file = file, .err = L->err};
    int rc = ld_target_obj(&inner, root, "", t);
    cJSON_Delete(root);
    if (rc < 0) {
        L->failed = 1;
        return -1;
    }
    if (strcmp(t->name, v->valuestring) != 0)
        return rj_fail(L, path, "the recipe %s calls itself \"%s\"", file, t->name);
    t->file = strdup(file);
    return 0;
}

/* "request": {"method": M, "headers": ["Name: value"], "body": S}, checked as ringfire's own
 * -m, -H and --body are. */
static int ld_request(struct rj_ctx *L, const cJSON *v, const char *path, struct rs_endpoint *e)
{
    static const char *const keys[] = {"method", "headers", "body", NULL};
    char p[160];
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(v, "request");
    if (!r)
        return 0;
    rj_path_key(p, sizeof(p), path, "request");
    if (ld_object(L, r, p) < 0 || rj_keys(L, r, p, keys) < 0 ||
        ld_string(L, r, "method", p, 0, &e->method) < 0 ||
        ld_names(L, r, "headers", p, e->headers, &e->nheaders, 0, LD_ANY) < 0 ||
        ld_string(L, r, "body", p, 0, &e->request_body) < 0)
        return -1;
    char q[200];
    if (e->method && rf_method_check(e->method) < 0) {
        rj_path_key(q, sizeof(q), p, "method");
        return rj_fail(L, q, "\"%s\": %s", e->method, rf_strerror(RF_EMETHOD));
    }
    for (unsigned i = 0; i < e->nheaders; i++)
        if (rf_header_check(e->headers[i]) < 0) {
            snprintf(q, sizeof(q), "%s.headers[%u]", p, i);
            return rj_fail(L, q, "\"%s\": %s", e->headers[i], rf_strerror(RF_EHEADER));
        }
    return 0;
}

/* "json": the value the body must equal, kept as compact text for the comparison. */
static int ld_json(struct rj_ctx *L, const cJSON *v, const char *path, struct rs_endpoint *e)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(v, "json");
    if (!j)
        return 0;
    if (cJSON_GetObjectItemCaseSensitive(v, "body")) {
        char p[160];
        rj_path_key(p, sizeof(p), path, "json");
        return rj_fail(L, p, "give body (bytes) or json (a value), not both");
    }
    e->json = cJSON_PrintUnformatted(j);
    return e->json ? 0 : rj_fail(L, path, "out of memory");
}

static int ld_endpoint(struct rj_ctx *L, const cJSON *v, struct rs_endpoint *e)
{
    static const char *const keys[] = {"path",         "websocket",     "status",
                                       "content_type", "body",          "json",
                                       "request",      "body_contains", NULL};
    char path[128];
    snprintf(path, sizeof(path), ".endpoints.%s", v->string);
    e->name = strdup(v->string);
    e->status = 200;
    if (ld_rule(L, path, v->string, LD_NAME) < 0)
        return -1;
    unsigned status = 200;
    if (ld_object(L, v, path) < 0 || rj_keys(L, v, path, keys) < 0 ||
        ld_string(L, v, "path", path, 1, &e->path) < 0 ||
        ld_bool(L, v, "websocket", path, &e->websocket) < 0 ||
        ld_uint(L, v, "status", path, 100, 599, &status) < 0 ||
        ld_string(L, v, "content_type", path, 0, &e->content_type) < 0 ||
        ld_string(L, v, "body", path, 0, &e->body) < 0 ||
        ld_string(L, v, "body_contains", path, 0, &e->body_contains) < 0 ||
        ld_request(L, v, path, e) < 0 || ld_json(L, v, path, e) < 0)
        return -1;
    e->status = (int)status;
    if (e->path[0] != '/') {
        char p[160];
        rj_path_key(p, sizeof(p), path, "path");
        return rj_fail(L, p, "expected a path starting with /, got \"%s\"", e->path);
    }
    return 0;
}

static int ld_find_target(const struct rs_suite *s, const char *name)
{
    for (unsigned i = 0; i < s->ntargets; i++)
        if (strcmp(s->targets[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int ld_find_endpoint(const struct rs_suite *s, const char *name)
{
    for (unsigned i = 0; i < s->nendpoints; i++)
        if (strcmp(s->endpoints[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int ld_rate_value(struct rj_ctx *L, const cJSON *v, const char *path, struct rr_rate *r);

static int ld_match(struct rj_ctx *L, const struct rs_suite *s, const cJSON *v, const char *path,
                    struct rs_match *m)
{
    static const char *const keys[] = {"target",   "endpoint", "tool", "connections",
                                       "pipeline", "rate",     NULL};
    char *tool = NULL, p[256];
    m->tool = -1;
    if (ld_object(L, v, path) < 0 || rj_keys(L, v, path, keys) < 0 ||
        ld_string(L, v, "target", path, 0, &m->target) < 0 ||
        ld_string(L, v, "endpoint", path, 0, &m->endpoint) < 0 ||
        ld_string(L, v, "tool", path, 0, &tool) < 0 ||
        ld_uint(L, v, "connections", path, 1, RF_MAX_CONNECTIONS, &m->connections) < 0 ||
        ld_uint(L, v, "pipeline", path, 1, RF_MAX_PIPELINE, &m->pipeline) < 0)
        goto err;
    const cJSON *rate = cJSON_GetObjectItemCaseSensitive(v, "rate");
    rj_path_key(p, sizeof(p), path, "rate");
    if (rate && ld_rate_value(L, rate, p, &m->rate) < 0)
        goto err;
    m->has_rate = rate != NULL;
    if (m->target && ld_find_target(s, m->target) < 0) {
        rj_path_key(p, sizeof(p), path, "target");
        rj_fail(L, p, "no target \"%s\" in this suite", m->target);
        goto err;
    }
    if (m->endpoint && ld_find_endpoint(s, m->endpoint) < 0) {
        rj_path_key(p, sizeof(p), path, "endpoint");
        rj_fail(L, p, "no endpoint \"%s\" in this suite", m->endpoint);
        goto err;
    }
    if (tool && (m->tool = rs_tool_find(tool)) < 0) {
        char list[256];
        rj_path_key(p, sizeof(p), path, "tool");
        rj_fail(L, p, "expected one of %s, got \"%s\"", rs_tool_list(list, sizeof(list)), tool);
        goto err;
    }
    free(tool);
    return 0;
err:
    free(tool);
    return -1;
}

/* One rate of the axis: "peak" (the closed loop), "N%" of the peak, or requests per second as
 * a number or a string ("20k"). */
static int ld_rate_value(struct rj_ctx *L, const cJSON *v, const char *path, struct rr_rate *r)
{
    char got[64], *end;
    *r = (struct rr_rate){.present = 1, .rps = NAN, .of_peak = NAN};
    const char *text = cJSON_IsString(v) ? v->valuestring : NULL;
    if (text && strcmp(text, "peak") == 0) {
        r->present = 0;
        return 0;
    }
    if (text && strcmp(text, "slo") == 0) {
        r->search = 1;
        return 0;
    }
    size_t len = text ? strlen(text) : 0;
    if (len > 1 && text[len - 1] == '%') {
        double pct = strtod(text, &end);
        if (end != text + len - 1 || !(pct > 0 && pct <= 1000))
            return rj_fail(L, path,
                           "expected a percentage of the peak above 0%% and at most "
                           "1000%%, got %s",
                           rj_repr(v, got, sizeof(got)));
        r->of_peak = pct / 100;
        return 0;
    }
    double rps = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    if ((text && rf_parse_rate(text, &rps) < 0) || !(rps >= 1 && rps <= 1e9) ||
        (!text && !cJSON_IsNumber(v)))
        return rj_fail(L, path,
                       "expected \"peak\", a percentage of it (\"50%%\") or requests per second "
                       "(20000, \"20k\") from 1 to 1G, got %s",
                       rj_repr(v, got, sizeof(got)));
    r->rps = rps;
    return 0;
}

/* The rate axis: its values, once each; fractions only beside "peak", never beside rates in
 * requests per second. */
static int ld_rates(struct rj_ctx *L, const cJSON *m, struct rs_suite *s)
{
    char p[256], ip[280];
    const cJSON *v = ld_array(L, m, "rate", ".matrix", p, "rates", 1, RS_MAX_AXIS), *item;
    int peak = 0, fractions = 0, absolute = 0, search = 0;
    cJSON_ArrayForEach(item, v)
    {
        struct rr_rate *r = &s->rates[s->nrates];
        snprintf(ip, sizeof(ip), "%s[%u]", p, s->nrates);
        if (ld_rate_value(L, item, ip, r) < 0)
            return -1;
        for (unsigned k = 0; k < s->nrates; k++)
            if (rs_rate_same(&s->rates[k], r))
                return rj_fail(L, ip, "given twice");
        peak += !r->present;
        search += r->search;
        fractions += r->present && !isnan(r->of_peak);
        absolute += r->present && !r->search && isnan(r->of_peak);
        s->nrates++;
    }
    if (L->failed)
        return -1;
    if (fractions && !peak)
        return rj_fail(L, p,
                       "percentages of the peak need \"peak\" in the list too, to measure "
                       "the peak they are taken from");
    if (search && !peak)
        return rj_fail(L, p,
                       "\"slo\" needs \"peak\" in the list too: the search looks below the "
                       "measured peak");
    if (search && !s->slo.present)
        return rj_fail(L, p,
                       "\"slo\" needs the suite's objective: add \"slo\": {\"p99\": "
                       "\"10ms\"} at the top level");
    if (fractions && absolute)
        return rj_fail(L, p,
                       "mixes percentages of the peak with requests per second; use one "
                       "kind (or two suites)");
    return 0;
}

/* "slo": {"p99": "10ms", "max_error_rate": "0.1%", "precision": "2%"}: one percentile of
 * response time and its limit; errors allowed (default 0.1%); the search's precision (default
 * 2%). */
static int ld_slo(struct rj_ctx *L, const cJSON *root, struct rs_suite *s)
{
    static const char *const keys[] = {
        "p50", "p75", "p90", "p99", "p99_9", "p99_99", "max_error_rate", "precision", NULL};
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "slo");
    char got[64], p[64];
    if (!v)
        return 0;
    if (ld_object(L, v, ".slo") < 0 || rj_keys(L, v, ".slo", keys) < 0)
        return -1;
    struct rr_slo *o = &s->slo;
    *o =
        (struct rr_slo){.present = 1, .percentile = -1, .max_error_rate = 0.001, .precision = 0.02};
    for (int k = RR_P50; k < RR_MAX; k++) {
        const char *key = rr_lat_name((enum rr_lat)k);
        uint64_t ns = 0;
        if (!cJSON_GetObjectItemCaseSensitive(v, key))
            continue;
        snprintf(p, sizeof(p), ".slo.%s", key);
        if (o->percentile >= 0)
            return rj_fail(L, p, "one percentile per objective (%s is given too)",
                           rr_lat_name((enum rr_lat)o->percentile));
        if (ld_duration(L, v, key, ".slo", 0, &ns) < 0)
            return -1;
        o->percentile = k;
        o->limit_us = (double)ns / 1e3;
    }
    if (o->percentile < 0)
        return rj_fail(L, ".slo",
                       "expected a percentile of response time and its limit, such as "
                       "\"p99\": \"10ms\" (one of p50, p75, p90, p99, p99_9, "
                       "p99_99), got %s",
                       rj_repr(v, got, sizeof(got)));
    return ld_percent(L, v, "max_error_rate", ".slo", 0, 50, &o->max_error_rate) < 0 ||
                   ld_percent(L, v, "precision", ".slo", 0.1, 50, &o->precision) < 0
               ? -1
               : 0;
}

static int ld_matrix(struct rj_ctx *L, const cJSON *root, struct rs_suite *s)
{
    static const char *const keys[] = {"connections", "pipeline", "threads",
                                       "ws_bytes",    "rate",     NULL};
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "matrix");
    if (!m)
        return rj_fail(L, ".matrix", "missing (expected an object with at least connections)");
    if (ld_object(L, m, ".matrix") < 0 || rj_keys(L, m, ".matrix", keys) < 0)
        return -1;
    if (!cJSON_GetObjectItemCaseSensitive(m, "connections"))
        return rj_fail(L, ".matrix.connections", "missing (expected an array of integers)");
    return ld_axis(L, m, "connections", ".matrix", 1, RF_MAX_CONNECTIONS, s->connections,
                   &s->nconnections) < 0 ||
                   ld_axis(L, m, "pipeline", ".matrix", 1, RF_MAX_PIPELINE, s->pipeline,
                           &s->npipeline) < 0 ||
                   ld_axis(L, m, "threads", ".matrix", 0, RF_MAX_THREADS, s->threads,
                           &s->nthreads) < 0 ||
                   ld_axis(L, m, "ws_bytes", ".matrix", 0, RF_MAX_WS_MESSAGE, s->ws_bytes,
                           &s->nws_bytes) < 0 ||
                   (cJSON_GetObjectItemCaseSensitive(m, "rate") && ld_rates(L, m, s) < 0)
               ? -1
               : 0;
}

static int ld_tools(struct rj_ctx *L, const cJSON *root, struct rs_suite *s)
{
    char *names[RS_MAX_NAMES], list[256], p[64];
    unsigned n = 0;
    int rc = ld_names(L, root, "tools", "", names, &n, 0, LD_ANY);
    if (rc == 0 && !cJSON_GetObjectItemCaseSensitive(root, "tools"))
        s->tools[s->ntools++] = rs_tool_find("ringfire");
    else if (rc == 0 && n == 0)
        rc = rj_fail(L, ".tools", "expected a non-empty array of tool names");
    for (unsigned i = 0; i < n; i++) {
        int t = rs_tool_find(names[i]);
        snprintf(p, sizeof(p), ".tools[%u]", i);
        if (t < 0 && rc == 0)
            rc = rj_fail(L, p, "expected one of %s, got \"%s\"", rs_tool_list(list, sizeof(list)),
                         names[i]);
        for (unsigned k = 0; k < s->ntools && rc == 0; k++)
            if (s->tools[k] == t)
                rc = rj_fail(L, p, "\"%s\" is given twice", names[i]);
        if (t >= 0 && rc == 0)
            s->tools[s->ntools++] = t;
    }
    for (unsigned i = 0; i < n; i++)
        free(names[i]);
    return rc;
}

static int ld_cpus(struct rj_ctx *L, const cJSON *root, struct rs_suite *s)
{
    static const char *const keys[] = {"client", "target", NULL};
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "cpus");
    if (!c)
        return 0;
    if (ld_object(L, c, ".cpus") < 0 || rj_keys(L, c, ".cpus", keys) < 0 ||
        ld_string(L, c, "client", ".cpus", 1, &s->client_cpus) < 0 ||
        ld_string(L, c, "target", ".cpus", 1, &s->target_cpus) < 0)
        return -1;
    int cpus[1024];
    if (rf_parse_cpu_list(s->client_cpus, cpus, 1024) < 0)
        return rj_fail(L, ".cpus.client",
                       "expected a CPU list such as \"1\" or \"2-3\", got \"%s\"", s->client_cpus);
    if (rf_parse_cpu_list(s->target_cpus, cpus, 1024) < 0)
        return rj_fail(L, ".cpus.target",
                       "expected a CPU list such as \"0\" or \"0,1\", got \"%s\"", s->target_cpus);
    return 0;
}

static int ld_rules(struct rj_ctx *L, const cJSON *root, struct rs_suite *s)
{
    char path[64], got[64];
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(root, "exclude"), *item;
    if (ex && !cJSON_IsArray(ex))
        return rj_fail(L, ".exclude", "expected an array of match objects, got %s",
                       rj_repr(ex, got, sizeof(got)));
    cJSON_ArrayForEach(item, ex)
    {
        snprintf(path, sizeof(path), ".exclude[%u]", s->nexclude);
        if (s->nexclude == RS_MAX_NAMES)
            return rj_fail(L, path, "at most %d exclusions", RS_MAX_NAMES);
        if (ld_match(L, s, item, path, &s->exclude[s->nexclude++]) < 0)
            return -1;
    }
    const cJSON *ov = cJSON_GetObjectItemCaseSensitive(root, "overrides");
    if (ov && !cJSON_IsArray(ov))
        return rj_fail(L, ".overrides", "expected an array of objects, got %s",
                       rj_repr(ov, got, sizeof(got)));
    cJSON_ArrayForEach(item, ov)
    {
        static const char *const keys[] = {"match", "duration", "repetitions", NULL};
        snprintf(path, sizeof(path), ".overrides[%u]", s->noverrides);
        if (s->noverrides == RS_MAX_NAMES)
            return rj_fail(L, path, "at most %d overrides", RS_MAX_NAMES);
        struct rs_override *o = &s->overrides[s->noverrides++];
        char mp[80];
        snprintf(mp, sizeof(mp), "%s.match", path);
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(item, "match");
        if (ld_object(L, item, path) < 0 || rj_keys(L, item, path, keys) < 0)
            return -1;
        if (!m)
            return rj_fail(L, mp, "missing (expected a match object)");
        if (ld_match(L, s, m, mp, &o->match) < 0 ||
            ld_duration(L, item, "duration", path, 0, &o->duration_ns) < 0 ||
            ld_reps(L, item, path, &o->reps) < 0)
            return -1;
    }
    return 0;
}

/* Every endpoint must be served by some target. */
static int ld_cross_check(struct rj_ctx *L, struct rs_suite *s)
{
    for (unsigned e = 0; e < s->nendpoints; e++) {
        int served = 0;
        for (unsigned t = 0; t < s->ntargets && !served; t++)
            for (unsigned k = 0; k < s->targets[t].nendpoints && !served; k++)
                served = strcmp(s->targets[t].endpoints[k], s->endpoints[e].name) == 0;
        if (!served) {
            char p[128];
            snprintf(p, sizeof(p), ".endpoints.%s", s->endpoints[e].name);
            return rj_fail(L, p,
                           "no target of this suite serves it (check each recipe's endpoints)");
        }
    }
    return 0;
}

int rs_agent_host_ok(const char *host)
{
    static const char ok[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@._:[]-";
    return host[0] && host[0] != '-' && strspn(host, ok) == strlen(host);
}

/* "agents": ["user@host", ...]: every ringfire run is split over these hosts (ringfire run
 * --agents).  They must reach the targets, which a target started here on loopback is not. */
static int ld_agents(struct rj_ctx *L, const cJSON *root, struct rs_suite *s)
{
    char *hosts[RS_MAX_NAMES], p[64];
    unsigned n = 0;
    size_t len = 1;
    int rc = ld_names(L, root, "agents", "", hosts, &n, 0, LD_ANY);
    for (unsigned i = 0; rc == 0 && i < n; i++) {
        snprintf(p, sizeof(p), ".agents[%u]", i);
        if (!rs_agent_host_ok(hosts[i]))
            rc = rj_fail(L, p, "\"%s\" is not a host for ssh ([user@]name or address)", hosts[i]);
        len += strlen(hosts[i]) + 1;
    }
    for (unsigned t = 0; rc == 0 && n && t < s->ntargets; t++)
        if (!s->targets[t].url)
            rc = rj_fail(L, ".agents",
                         "target %s is started here, on loopback, where the agents cannot reach "
                         "it: give it a \"url\" they reach (a server already running)",
                         s->targets[t].name);
    for (unsigned k = 0; rc == 0 && n && k < s->ntools; k++)
        if (s->tools[k] != rs_tool_find("ringfire"))
            rc = rj_fail(L, ".agents",
                         "only ringfire runs on agents: drop the other tools (\"tools\": "
                         "[\"ringfire\"])");
    if (rc == 0 && n && (s->agents = malloc(len)) != NULL) {
        s->agents[0] = '\0';
        for (unsigned i = 0; i < n; i++)
            strcat(strcat(s->agents, i ? "," : ""), hosts[i]);
    }
    for (unsigned i = 0; i < n; i++)
        free(hosts[i]);
    return rc;
}

static int ld_suite(struct rj_ctx *L, const cJSON *root, struct rs_suite *s)
{
    static const char *const keys[] = {
        "name",        "description", "targets",    "endpoints", "matrix", "tools",
        "repetitions", "duration",    "warmup",     "timeout",   "cpus",   "seed",
        "exclude",     "overrides",   "interleave", "slo",       "agents", NULL};
    char got[64];
    if (ld_object(L, root, "") < 0 || rj_keys(L, root, "", keys) < 0 ||
        ld_string(L, root, "name", "", 1, &s->name) < 0 ||
        ld_string(L, root, "description", "", 0, &s->description) < 0 ||
        ld_rule(L, ".name", s->name, LD_NAME) < 0)
        return -1;
    const cJSON *targets = cJSON_GetObjectItemCaseSensitive(root, "targets"), *item;
    if (!cJSON_IsArray(targets) || cJSON_GetArraySize(targets) == 0)
        return rj_fail(L, ".targets", "expected a non-empty array of recipe names or objects%s",
                       targets ? "" : " (missing)");
    cJSON_ArrayForEach(item, targets)
    {
        if (s->ntargets == RS_MAX_NAMES)
            return rj_fail(L, ".targets", "at most %d targets", RS_MAX_NAMES);
        unsigned i = s->ntargets++; /* counted first: rs_suite_free frees a half-read one */
        if (ld_target(L, item, i, &s->targets[i]) < 0)
            return -1;
    }
    const cJSON *eps = cJSON_GetObjectItemCaseSensitive(root, "endpoints");
    if (!cJSON_IsObject(eps) || cJSON_GetArraySize(eps) == 0)
        return rj_fail(L, ".endpoints", "expected a non-empty object of endpoints, got %s",
                       eps ? rj_repr(eps, got, sizeof(got)) : "nothing");
    cJSON_ArrayForEach(item, eps)
    {
        if (s->nendpoints == RS_MAX_NAMES)
            return rj_fail(L, ".endpoints", "at most %d endpoints", RS_MAX_NAMES);
        if (ld_endpoint(L, item, &s->endpoints[s->nendpoints++]) < 0)
            return -1;
    }
    unsigned seed = 0;
    s->reps = (struct rs_reps){3, 3, 0};
    s->duration_ns = 10 * NS_PER_S;
    s->warmup_ns = 1 * NS_PER_S;
    s->timeout_ns = 5 * NS_PER_S;
    if (ld_slo(L, root, s) < 0 || ld_matrix(L, root, s) < 0 || ld_tools(L, root, s) < 0 ||
        ld_reps(L, root, "", &s->reps) < 0 ||
        ld_duration(L, root, "duration", "", 0, &s->duration_ns) < 0 ||
        ld_duration(L, root, "warmup", "", 1, &s->warmup_ns) < 0 ||
        ld_duration(L, root, "timeout", "", 0, &s->timeout_ns) < 0 || ld_cpus(L, root, s) < 0 ||
        ld_uint(L, root, "seed", "", 0, 0xffffffffu, &seed) < 0 || ld_rules(L, root, s) < 0 ||
        ld_bool(L, root, "interleave", "", &s->interleave) < 0 || ld_cross_check(L, s) < 0 ||
        ld_agents(L, root, s) < 0)
        return -1;
    s->seed = cJSON_GetObjectItemCaseSensitive(root, "seed") ? seed : 0;
    if (!s->npipeline)
        s->pipeline[s->npipeline++] = 1;
    if (!s->nthreads)
        s->threads[s->nthreads++] = 0;
    if (!s->nws_bytes)
        s->ws_bytes[s->nws_bytes++] = 13;
    if (!s->nrates)
        s->nrates = 1; /* the closed loop: rates[0] is all zero */
    /* Every product of the axes is a cell; the expansion allocates them all. */
    double cells = (double)s->ntargets * s->nendpoints * s->ntools * s->nconnections *
                   s->npipeline * s->nthreads * s->nws_bytes * s->nrates;
    if (cells > RS_MAX_CELLS)
        return rj_fail(L, ".matrix",
                       "the targets, endpoints, tools and axes make up to %.0f cells, more than "
                       "the %d a suite may have; make the matrix smaller or split the suite",
                       cells, RS_MAX_CELLS);
    return 0;
}

int rs_suite_parse(const char *file, const char *text, size_t len, struct rs_suite *s,
                   char err[RS_ERR_MAX])
{
    memset(s, 0, sizeof(*s));
    s->file = strdup(file);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    if (EVP_Digest(text, len, md, &mdlen, EVP_sha256(), NULL) == 1)
        for (unsigned i = 0; i < mdlen && i < 32; i++)
            snprintf(s->sha256 + 2 * i, 3, "%02x", md[i]);
    cJSON *root = rj_parse(file, text, len, err);
    if (!root)
        return -1;
    struct rj_ctx L = {.file = file, .err = err};
    int rc = ld_suite(&L, root, s);
    cJSON_Delete(root);
    return rc;
}

int rs_suite_load(const char *name, struct rs_suite *s, char err[RS_ERR_MAX])
{
    char file[512], *text;
    size_t len = strlen(name);
    memset(s, 0, sizeof(*s));
    if (strchr(name, '/') || (len > 5 && strcmp(name + len - 5, ".json") == 0))
        snprintf(file, sizeof(file), "%s", name);
    else
        snprintf(file, sizeof(file), "%s/%s.json", SUITES_DIR, name);
    if (rj_read_file(file, LD_MAX_FILE, &text, &len, err) < 0) {
        s->file = strdup(file);
        return -1;
    }
    int rc = rs_suite_parse(file, text, len, s, err);
    free(text);
    return rc;
}

static void rs_match_free(struct rs_match *m)
{
    free(m->target);
    free(m->endpoint);
}

/* A copy of s, or NULL when s is NULL; *failed is set when memory runs out. */
static char *ld_copy(const char *s, int *failed)
{
    char *c = s ? strdup(s) : NULL;
    *failed |= s && !c;
    return c;
}

int rs_suite_twin(struct rs_suite *s, const char *suffix, char err[RS_ERR_MAX])
{
    unsigned n = s->ntargets;
    int failed = 0;
    if (2 * n > RS_MAX_NAMES) {
        snprintf(err, RS_ERR_MAX,
                 "%s: its %u targets and their copies would be more than %d; run fewer at a time",
                 s->file, n, RS_MAX_NAMES);
        return -1;
    }
    for (unsigned i = 0; i < n; i++) {
        const struct rs_target *a = &s->targets[i];
        struct rs_target *b = &s->targets[n + i];
        char name[RR_NAME_MAX + 1];
        snprintf(name, sizeof(name), "%.*s%s", (int)(RR_NAME_MAX - strlen(suffix)), a->name,
                 suffix);
        *b = *a;
        b->twin = i + 1;
        b->name = ld_copy(name, &failed);
        b->file = ld_copy(a->file, &failed);
        for (unsigned k = 0; k < a->napt; k++)
            b->apt[k] = ld_copy(a->apt[k], &failed);
        for (unsigned k = 0; k < a->nendpoints; k++)
            b->endpoints[k] = ld_copy(a->endpoints[k], &failed);
        char **fields[] = {&b->npm_dir,    &b->build,    &b->start, &b->version,
                           &b->ready_path, &b->settings, &b->url,   &b->ringfire};
        for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
            *fields[k] = ld_copy(*fields[k], &failed);
        s->ntargets++;
    }
    s->interleave = 1;
    if (failed)
        snprintf(err, RS_ERR_MAX, "out of memory copying the targets");
    return failed ? -1 : 0;
}

void rs_suite_free(struct rs_suite *s)
{
    for (unsigned i = 0; i < s->ntargets; i++) {
        struct rs_target *t = &s->targets[i];
        free(t->name);
        free(t->file);
        for (unsigned k = 0; k < t->napt; k++)
            free(t->apt[k]);
        free(t->npm_dir);
        free(t->build);
        free(t->start);
        free(t->version);
        free(t->ready_path);
        free(t->settings);
        free(t->url);
        free(t->ringfire);
        for (unsigned k = 0; k < t->nendpoints; k++)
            free(t->endpoints[k]);
    }
    for (unsigned i = 0; i < s->nendpoints; i++) {
        struct rs_endpoint *e = &s->endpoints[i];
        free(e->name);
        free(e->path);
        free(e->content_type);
        free(e->body);
        free(e->body_contains);
        free(e->json);
        free(e->method);
        free(e->request_body);
        for (unsigned k = 0; k < e->nheaders; k++)
            free(e->headers[k]);
    }
    for (unsigned i = 0; i < s->nexclude; i++)
        rs_match_free(&s->exclude[i]);
    for (unsigned i = 0; i < s->noverrides; i++)
        rs_match_free(&s->overrides[i].match);
    free(s->file);
    free(s->name);
    free(s->description);
    free(s->client_cpus);
    free(s->target_cpus);
    free(s->agents);
    memset(s, 0, sizeof(*s));
}
