/*
 * suite.c - loading and checking a suite file and the target recipes it names (cJSON).
 *
 * Everything is checked before any server starts: unknown keys, wrong types, empty axes,
 * missing recipes and endpoints.  The first problem is reported as
 *   suites/x.json: .matrix.connections[2]: expected a positive integer, got "64"
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ringfire.h"
#include "suite.h"

#define SUITES_DIR "suites"
#define TARGETS_DIR "fixtures/targets"
#define LD_MAX_FILE (4 << 20)
#define NS_PER_S 1000000000ULL

static const char *const tool_names[RS_TOOL_COUNT_] = {"ringfire", "wrk", "hey", "h2load"};

const char *rs_tool_name(enum rs_tool tool)
{
    return tool < RS_TOOL_COUNT_ ? tool_names[tool] : "unknown";
}

/* The loading context: the file being read and where the first error goes. */
struct ld {
    const char *file;
    char *err;
    int failed;
};

__attribute__((format(printf, 3, 4))) static int ld_fail(struct ld *L, const char *path,
                                                         const char *fmt, ...)
{
    if (L->failed)
        return -1;
    L->failed = 1;
    int n = snprintf(L->err, RS_ERR_MAX, "%s: %s: ", L->file, path[0] ? path : "(top level)");
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && n < RS_ERR_MAX)
        vsnprintf(L->err + n, RS_ERR_MAX - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* How a value looks, for "got ...". */
static const char *ld_repr(const cJSON *v, char *buf, size_t n)
{
    if (cJSON_IsString(v))
        snprintf(buf, n, "\"%.40s\"", v->valuestring);
    else if (cJSON_IsNumber(v))
        snprintf(buf, n, "%g", v->valuedouble);
    else if (cJSON_IsBool(v))
        snprintf(buf, n, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else if (cJSON_IsNull(v))
        snprintf(buf, n, "null");
    else if (cJSON_IsArray(v))
        snprintf(buf, n, "an array");
    else
        snprintf(buf, n, "an object");
    return buf;
}

static void ld_path(char *out, size_t n, const char *path, const char *key)
{
    snprintf(out, n, "%s.%s", path, key);
}

/* Every key of obj must be one of known (NULL-terminated). */
static int ld_keys(struct ld *L, const cJSON *obj, const char *path, const char *const *known)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, obj)
    {
        int ok = 0;
        for (const char *const *k = known; *k && !ok; k++)
            ok = strcmp(item->string, *k) == 0;
        if (ok)
            continue;
        char p[256], list[256] = "";
        ld_path(p, sizeof(p), path, item->string);
        for (const char *const *k = known; *k; k++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
                     k == known ? "" : ", ", *k);
        return ld_fail(L, p, "unknown key (expected one of: %s)", list);
    }
    return 0;
}

static int ld_object(struct ld *L, const cJSON *v, const char *path)
{
    char got[64];
    if (!cJSON_IsObject(v))
        return ld_fail(L, path, "expected an object, got %s", ld_repr(v, got, sizeof(got)));
    return 0;
}

static int ld_string(struct ld *L, const cJSON *obj, const char *key, const char *path,
                     int required, char **out)
{
    char p[256], got[64];
    ld_path(p, sizeof(p), path, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return required ? ld_fail(L, p, "missing (expected a string)") : 0;
    if (!cJSON_IsString(v))
        return ld_fail(L, p, "expected a string, got %s", ld_repr(v, got, sizeof(got)));
    *out = strdup(v->valuestring);
    return 0;
}

static int ld_uint_value(struct ld *L, const cJSON *v, const char *p, unsigned min, unsigned max,
                         unsigned *out)
{
    char got[64];
    if (!cJSON_IsNumber(v) || v->valuedouble != (double)(long long)v->valuedouble ||
        v->valuedouble < min || v->valuedouble > max) {
        if (min == 1 && max >= 100000) {
            if (cJSON_IsNumber(v) && v->valuedouble > max)
                return ld_fail(L, p, "expected a positive integer up to %u, got %s", max,
                               ld_repr(v, got, sizeof(got)));
            return ld_fail(L, p, "expected a positive integer, got %s",
                           ld_repr(v, got, sizeof(got)));
        }
        return ld_fail(L, p, "expected an integer from %u to %u, got %s", min, max,
                       ld_repr(v, got, sizeof(got)));
    }
    *out = (unsigned)v->valuedouble;
    return 0;
}

static int ld_uint(struct ld *L, const cJSON *obj, const char *key, const char *path, unsigned min,
                   unsigned max, unsigned *out)
{
    char p[256];
    ld_path(p, sizeof(p), path, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return v ? ld_uint_value(L, v, p, min, max, out) : 0;
}

static int ld_duration(struct ld *L, const cJSON *obj, const char *key, const char *path,
                       int zero_ok, uint64_t *out)
{
    char p[256], got[64];
    ld_path(p, sizeof(p), path, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 0;
    uint64_t ns;
    if (!cJSON_IsString(v) || rf_parse_duration(v->valuestring, &ns) < 0 || (!zero_ok && !ns))
        return ld_fail(L, p, "expected a %sduration such as \"500ms\", \"10s\" or \"2m\", got %s",
                       zero_ok ? "" : "positive ", ld_repr(v, got, sizeof(got)));
    *out = ns;
    return 0;
}

static int ld_bool(struct ld *L, const cJSON *obj, const char *key, const char *path, int *out)
{
    char p[256], got[64];
    ld_path(p, sizeof(p), path, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 0;
    if (!cJSON_IsBool(v))
        return ld_fail(L, p, "expected true or false, got %s", ld_repr(v, got, sizeof(got)));
    *out = cJSON_IsTrue(v);
    return 0;
}

/* An axis: a non-empty array of integers in [min, max]. */
static int ld_axis(struct ld *L, const cJSON *obj, const char *key, const char *path, unsigned min,
                   unsigned max, unsigned *arr, unsigned *n)
{
    char p[256], got[64];
    ld_path(p, sizeof(p), path, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 0;
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
        return ld_fail(L, p, "expected a non-empty array of integers, got %s",
                       ld_repr(v, got, sizeof(got)));
    if (cJSON_GetArraySize(v) > RS_MAX_AXIS)
        return ld_fail(L, p, "at most %d values", RS_MAX_AXIS);
    *n = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, v)
    {
        char ip[280];
        snprintf(ip, sizeof(ip), "%s[%u]", p, *n);
        if (ld_uint_value(L, item, ip, min, max, &arr[*n]) < 0)
            return -1;
        (*n)++;
    }
    return 0;
}

static int ld_names(struct ld *L, const cJSON *obj, const char *key, const char *path, char **arr,
                    unsigned *n, int required)
{
    char p[256], got[64];
    ld_path(p, sizeof(p), path, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return required ? ld_fail(L, p, "missing (expected an array of strings)") : 0;
    if (!cJSON_IsArray(v) || (required && cJSON_GetArraySize(v) == 0))
        return ld_fail(L, p, "expected a %sarray of strings, got %s", required ? "non-empty " : "",
                       ld_repr(v, got, sizeof(got)));
    if (cJSON_GetArraySize(v) > RS_MAX_NAMES)
        return ld_fail(L, p, "at most %d names", RS_MAX_NAMES);
    *n = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, v)
    {
        if (!cJSON_IsString(item)) {
            char ip[280];
            snprintf(ip, sizeof(ip), "%s[%u]", p, *n);
            return ld_fail(L, ip, "expected a string, got %s", ld_repr(item, got, sizeof(got)));
        }
        arr[(*n)++] = strdup(item->valuestring);
    }
    return 0;
}

/* ---- files ------------------------------------------------------------------------------- */

static cJSON *ld_parse_file(const char *file, char *err)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        snprintf(err, RS_ERR_MAX, "%s: cannot read: %s", file, strerror(errno));
        return NULL;
    }
    char *text = malloc(LD_MAX_FILE + 1);
    size_t n = text ? fread(text, 1, LD_MAX_FILE + 1, f) : 0;
    fclose(f);
    if (!text || n > LD_MAX_FILE) {
        snprintf(err, RS_ERR_MAX, "%s: larger than 4 MiB", file);
        free(text);
        return NULL;
    }
    text[n] = '\0';
    cJSON *root = cJSON_ParseWithLength(text, n);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        int line = 1;
        for (const char *q = text; at && q < at && *q; q++)
            line += *q == '\n';
        snprintf(err, RS_ERR_MAX, "%s: line %d: not valid JSON", file, line);
    }
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

static int ld_target_obj(struct ld *L, const cJSON *obj, const char *path, struct rs_target *t)
{
    static const char *const keys[] = {"name",      "apt",           "npm",   "build",
                                       "start",     "version",       "ready", "stop_timeout",
                                       "endpoints", "build_timeout", NULL};
    if (ld_object(L, obj, path) < 0 || ld_keys(L, obj, path, keys) < 0)
        return -1;
    t->ready_timeout_ns = 10 * NS_PER_S;
    t->stop_timeout_ns = 5 * NS_PER_S;
    t->build_timeout_ns = 600 * NS_PER_S;
    if (ld_string(L, obj, "name", path, 1, &t->name) < 0 ||
        ld_names(L, obj, "apt", path, t->apt, &t->napt, 0) < 0 ||
        ld_string(L, obj, "npm", path, 0, &t->npm_dir) < 0 ||
        ld_string(L, obj, "build", path, 0, &t->build) < 0 ||
        ld_string(L, obj, "start", path, 1, &t->start) < 0 ||
        ld_string(L, obj, "version", path, 0, &t->version) < 0 ||
        ld_duration(L, obj, "stop_timeout", path, 0, &t->stop_timeout_ns) < 0 ||
        ld_duration(L, obj, "build_timeout", path, 0, &t->build_timeout_ns) < 0 ||
        ld_names(L, obj, "endpoints", path, t->endpoints, &t->nendpoints, 1) < 0)
        return -1;
    char p[256];
    if (!strstr(t->start, "{port}")) {
        ld_path(p, sizeof(p), path, "start");
        return ld_fail(L, p, "the start command must contain {port}, where the port goes");
    }
    const cJSON *ready = cJSON_GetObjectItemCaseSensitive(obj, "ready");
    if (ready) {
        static const char *const rkeys[] = {"path", "timeout", NULL};
        ld_path(p, sizeof(p), path, "ready");
        if (ld_object(L, ready, p) < 0 || ld_keys(L, ready, p, rkeys) < 0 ||
            ld_string(L, ready, "path", p, 0, &t->ready_path) < 0 ||
            ld_duration(L, ready, "timeout", p, 0, &t->ready_timeout_ns) < 0)
            return -1;
    }
    return 0;
}

static int ld_target(struct ld *L, const cJSON *v, unsigned i, struct rs_target *t)
{
    char path[64], got[64];
    snprintf(path, sizeof(path), ".targets[%u]", i);
    if (cJSON_IsObject(v)) {
        t->file = strdup("inline");
        return ld_target_obj(L, v, path, t);
    }
    if (!cJSON_IsString(v))
        return ld_fail(L, path, "expected a recipe name or a recipe object, got %s",
                       ld_repr(v, got, sizeof(got)));
    char file[512], list[512];
    snprintf(file, sizeof(file), "%s/%s.json", TARGETS_DIR, v->valuestring);
    if (strchr(v->valuestring, '/') || access(file, R_OK) != 0) {
        ld_recipe_list(list, sizeof(list));
        return ld_fail(L, path, "no recipe %s (the recipes there: %s)", file, list);
    }
    cJSON *root = ld_parse_file(file, L->err);
    if (!root) {
        L->failed = 1;
        return -1;
    }
    struct ld inner = {.file = file, .err = L->err};
    int rc = ld_target_obj(&inner, root, "", t);
    cJSON_Delete(root);
    if (rc < 0) {
        L->failed = 1;
        return -1;
    }
    if (strcmp(t->name, v->valuestring) != 0)
        return ld_fail(L, path, "the recipe %s calls itself \"%s\"", file, t->name);
    t->file = strdup(file);
    return 0;
}

static int ld_endpoint(struct ld *L, const cJSON *v, struct rs_endpoint *e)
{
    static const char *const keys[] = {"path", "websocket",     "status", "content_type",
                                       "body", "body_contains", NULL};
    char path[128];
    snprintf(path, sizeof(path), ".endpoints.%s", v->string);
    e->name = strdup(v->string);
    e->status = 200;
    unsigned status = 200;
    if (ld_object(L, v, path) < 0 || ld_keys(L, v, path, keys) < 0 ||
        ld_string(L, v, "path", path, 1, &e->path) < 0 ||
        ld_bool(L, v, "websocket", path, &e->websocket) < 0 ||
        ld_uint(L, v, "status", path, 100, 599, &status) < 0 ||
        ld_string(L, v, "content_type", path, 0, &e->content_type) < 0 ||
        ld_string(L, v, "body", path, 0, &e->body) < 0 ||
        ld_string(L, v, "body_contains", path, 0, &e->body_contains) < 0)
        return -1;
    e->status = (int)status;
    if (e->path[0] != '/') {
        char p[160];
        ld_path(p, sizeof(p), path, "path");
        return ld_fail(L, p, "expected a path starting with /, got \"%s\"", e->path);
    }
    return 0;
}

static int ld_tool(const char *name)
{
    for (int t = 0; t < RS_TOOL_COUNT_; t++)
        if (strcmp(name, tool_names[t]) == 0)
            return t;
    return -1;
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

static int ld_match(struct ld *L, const struct rs_suite *s, const cJSON *v, const char *path,
                    struct rs_match *m)
{
    static const char *const keys[] = {"target",      "endpoint", "tool",
                                       "connections", "pipeline", NULL};
    char *tool = NULL, p[256];
    m->tool = -1;
    if (ld_object(L, v, path) < 0 || ld_keys(L, v, path, keys) < 0 ||
        ld_string(L, v, "target", path, 0, &m->target) < 0 ||
        ld_string(L, v, "endpoint", path, 0, &m->endpoint) < 0 ||
        ld_string(L, v, "tool", path, 0, &tool) < 0 ||
        ld_uint(L, v, "connections", path, 1, RF_MAX_CONNECTIONS, &m->connections) < 0 ||
        ld_uint(L, v, "pipeline", path, 1, RF_MAX_PIPELINE, &m->pipeline) < 0)
        goto err;
    if (m->target && ld_find_target(s, m->target) < 0) {
        ld_path(p, sizeof(p), path, "target");
        ld_fail(L, p, "no target \"%s\" in this suite", m->target);
        goto err;
    }
    if (m->endpoint && ld_find_endpoint(s, m->endpoint) < 0) {
        ld_path(p, sizeof(p), path, "endpoint");
        ld_fail(L, p, "no endpoint \"%s\" in this suite", m->endpoint);
        goto err;
    }
    if (tool && (m->tool = ld_tool(tool)) < 0) {
        ld_path(p, sizeof(p), path, "tool");
        ld_fail(L, p, "expected one of ringfire, wrk, hey, h2load, got \"%s\"", tool);
        goto err;
    }
    free(tool);
    return 0;
err:
    free(tool);
    return -1;
}

static int ld_matrix(struct ld *L, const cJSON *root, struct rs_suite *s)
{
    static const char *const keys[] = {"connections", "pipeline", "threads", "ws_bytes", NULL};
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "matrix");
    if (!m)
        return ld_fail(L, ".matrix", "missing (expected an object with at least connections)");
    if (ld_object(L, m, ".matrix") < 0 || ld_keys(L, m, ".matrix", keys) < 0)
        return -1;
    if (!cJSON_GetObjectItemCaseSensitive(m, "connections"))
        return ld_fail(L, ".matrix.connections", "missing (expected an array of integers)");
    return ld_axis(L, m, "connections", ".matrix", 1, RF_MAX_CONNECTIONS, s->connections,
                   &s->nconnections) < 0 ||
                   ld_axis(L, m, "pipeline", ".matrix", 1, RF_MAX_PIPELINE, s->pipeline,
                           &s->npipeline) < 0 ||
                   ld_axis(L, m, "threads", ".matrix", 0, RF_MAX_THREADS, s->threads,
                           &s->nthreads) < 0 ||
                   ld_axis(L, m, "ws_bytes", ".matrix", 0, RF_MAX_WS_MESSAGE, s->ws_bytes,
                           &s->nws_bytes) < 0
               ? -1
               : 0;
}

static int ld_tools(struct ld *L, const cJSON *root, struct rs_suite *s)
{
    char *names[RS_MAX_NAMES];
    unsigned n = 0;
    if (ld_names(L, root, "tools", "", names, &n, 0) < 0)
        return -1;
    if (!cJSON_GetObjectItemCaseSensitive(root, "tools")) {
        s->tools[s->ntools++] = RS_TOOL_RINGFIRE;
        return 0;
    }
    int rc = n ? 0 : ld_fail(L, ".tools", "expected a non-empty array of tool names");
    for (unsigned i = 0; i < n; i++) {
        int t = ld_tool(names[i]);
        if (t < 0 && rc == 0) {
            char p[64];
            snprintf(p, sizeof(p), ".tools[%u]", i);
            rc = ld_fail(L, p, "expected one of ringfire, wrk, hey, h2load, got \"%s\"", names[i]);
        }
        if (t >= 0)
            s->tools[s->ntools++] = t;
        free(names[i]);
    }
    return rc;
}

static int ld_cpus(struct ld *L, const cJSON *root, struct rs_suite *s)
{
    static const char *const keys[] = {"client", "target", NULL};
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "cpus");
    if (!c)
        return 0;
    if (ld_object(L, c, ".cpus") < 0 || ld_keys(L, c, ".cpus", keys) < 0 ||
        ld_string(L, c, "client", ".cpus", 1, &s->client_cpus) < 0 ||
        ld_string(L, c, "target", ".cpus", 1, &s->target_cpus) < 0)
        return -1;
    int cpus[1024];
    if (rf_parse_cpu_list(s->client_cpus, cpus, 1024) < 0)
        return ld_fail(L, ".cpus.client",
                       "expected a CPU list such as \"1\" or \"2-3\", got \"%s\"", s->client_cpus);
    if (rf_parse_cpu_list(s->target_cpus, cpus, 1024) < 0)
        return ld_fail(L, ".cpus.target",
                       "expected a CPU list such as \"0\" or \"0,1\", got \"%s\"", s->target_cpus);
    return 0;
}

static int ld_rules(struct ld *L, const cJSON *root, struct rs_suite *s)
{
    char path[64], got[64];
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(root, "exclude"), *item;
    if (ex && !cJSON_IsArray(ex))
        return ld_fail(L, ".exclude", "expected an array of match objects, got %s",
                       ld_repr(ex, got, sizeof(got)));
    cJSON_ArrayForEach(item, ex)
    {
        snprintf(path, sizeof(path), ".exclude[%u]", s->nexclude);
        if (s->nexclude == RS_MAX_NAMES)
            return ld_fail(L, path, "at most %d exclusions", RS_MAX_NAMES);
        if (ld_match(L, s, item, path, &s->exclude[s->nexclude++]) < 0)
            return -1;
    }
    const cJSON *ov = cJSON_GetObjectItemCaseSensitive(root, "overrides");
    if (ov && !cJSON_IsArray(ov))
        return ld_fail(L, ".overrides", "expected an array of objects, got %s",
                       ld_repr(ov, got, sizeof(got)));
    cJSON_ArrayForEach(item, ov)
    {
        static const char *const keys[] = {"match", "duration", "repetitions", NULL};
        snprintf(path, sizeof(path), ".overrides[%u]", s->noverrides);
        if (s->noverrides == RS_MAX_NAMES)
            return ld_fail(L, path, "at most %d overrides", RS_MAX_NAMES);
        struct rs_override *o = &s->overrides[s->noverrides++];
        char mp[80];
        snprintf(mp, sizeof(mp), "%s.match", path);
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(item, "match");
        if (ld_object(L, item, path) < 0 || ld_keys(L, item, path, keys) < 0)
            return -1;
        if (!m)
            return ld_fail(L, mp, "missing (expected a match object)");
        if (ld_match(L, s, m, mp, &o->match) < 0 ||
            ld_duration(L, item, "duration", path, 0, &o->duration_ns) < 0 ||
            ld_uint(L, item, "repetitions", path, 1, 1000, &o->repetitions) < 0)
            return -1;
    }
    return 0;
}

/* Every endpoint must be served by some target. */
static int ld_cross_check(struct ld *L, struct rs_suite *s)
{
    for (unsigned e = 0; e < s->nendpoints; e++) {
        int served = 0;
        for (unsigned t = 0; t < s->ntargets && !served; t++)
            for (unsigned k = 0; k < s->targets[t].nendpoints && !served; k++)
                served = strcmp(s->targets[t].endpoints[k], s->endpoints[e].name) == 0;
        if (!served) {
            char p[128];
            snprintf(p, sizeof(p), ".endpoints.%s", s->endpoints[e].name);
            return ld_fail(L, p,
                           "no target of this suite serves it (check each recipe's endpoints)");
        }
    }
    return 0;
}

static int ld_suite(struct ld *L, const cJSON *root, struct rs_suite *s)
{
    static const char *const keys[] = {"name",  "description", "targets",  "endpoints", "matrix",
                                       "tools", "repetitions", "duration", "warmup",    "timeout",
                                       "cpus",  "seed",        "exclude",  "overrides", NULL};
    char got[64];
    if (ld_object(L, root, "") < 0 || ld_keys(L, root, "", keys) < 0 ||
        ld_string(L, root, "name", "", 1, &s->name) < 0 ||
        ld_string(L, root, "description", "", 0, &s->description) < 0)
        return -1;
    const cJSON *targets = cJSON_GetObjectItemCaseSensitive(root, "targets"), *item;
    if (!cJSON_IsArray(targets) || cJSON_GetArraySize(targets) == 0)
        return ld_fail(L, ".targets", "expected a non-empty array of recipe names or objects%s",
                       targets ? "" : " (missing)");
    cJSON_ArrayForEach(item, targets)
    {
        if (s->ntargets == RS_MAX_NAMES)
            return ld_fail(L, ".targets", "at most %d targets", RS_MAX_NAMES);
        unsigned i = s->ntargets++; /* counted first: rs_suite_free frees a half-read one */
        if (ld_target(L, item, i, &s->targets[i]) < 0)
            return -1;
    }
    const cJSON *eps = cJSON_GetObjectItemCaseSensitive(root, "endpoints");
    if (!cJSON_IsObject(eps) || cJSON_GetArraySize(eps) == 0)
        return ld_fail(L, ".endpoints", "expected a non-empty object of endpoints, got %s",
                       eps ? ld_repr(eps, got, sizeof(got)) : "nothing");
    cJSON_ArrayForEach(item, eps)
    {
        if (s->nendpoints == RS_MAX_NAMES)
            return ld_fail(L, ".endpoints", "at most %d endpoints", RS_MAX_NAMES);
        if (ld_endpoint(L, item, &s->endpoints[s->nendpoints++]) < 0)
            return -1;
    }
    unsigned seed = 0;
    s->repetitions = 3;
    s->duration_ns = 10 * NS_PER_S;
    s->warmup_ns = 1 * NS_PER_S;
    s->timeout_ns = 5 * NS_PER_S;
    if (ld_matrix(L, root, s) < 0 || ld_tools(L, root, s) < 0 ||
        ld_uint(L, root, "repetitions", "", 1, 1000, &s->repetitions) < 0 ||
        ld_duration(L, root, "duration", "", 0, &s->duration_ns) < 0 ||
        ld_duration(L, root, "warmup", "", 1, &s->warmup_ns) < 0 ||
        ld_duration(L, root, "timeout", "", 0, &s->timeout_ns) < 0 || ld_cpus(L, root, s) < 0 ||
        ld_uint(L, root, "seed", "", 0, 0xffffffffu, &seed) < 0 || ld_rules(L, root, s) < 0 ||
        ld_cross_check(L, s) < 0)
        return -1;
    s->seed = cJSON_GetObjectItemCaseSensitive(root, "seed") ? seed : 0;
    if (!s->npipeline)
        s->pipeline[s->npipeline++] = 1;
    if (!s->nthreads)
        s->threads[s->nthreads++] = 0;
    if (!s->nws_bytes)
        s->ws_bytes[s->nws_bytes++] = 13;
    return 0;
}

int rs_suite_load(const char *name, struct rs_suite *s, char err[RS_ERR_MAX])
{
    memset(s, 0, sizeof(*s));
    char file[512];
    size_t len = strlen(name);
    if (strchr(name, '/') || (len > 5 && strcmp(name + len - 5, ".json") == 0))
        snprintf(file, sizeof(file), "%s", name);
    else
        snprintf(file, sizeof(file), "%s/%s.json", SUITES_DIR, name);
    s->file = strdup(file);
    cJSON *root = ld_parse_file(file, err);
    if (!root)
        return -1;
    struct ld L = {.file = file, .err = err};
    int rc = ld_suite(&L, root, s);
    cJSON_Delete(root);
    return rc;
}

static void rs_match_free(struct rs_match *m)
{
    free(m->target);
    free(m->endpoint);
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
    memset(s, 0, sizeof(*s));
}
