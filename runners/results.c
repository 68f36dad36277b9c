/*
 * results.c - the ringfire.results/1 document: creation, summaries, atomic writes, resume.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "results.h"
#include "jsonx.h"
#include "stats.h"
#include "tools.h"

cJSON *rs_results_new(const struct rs_suite *s, const struct rs_cell *cells, int ncells, cJSON *env)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "schema", RS_SCHEMA);
    cJSON *suite = cJSON_AddObjectToObject(doc, "suite");
    cJSON_AddStringToObject(suite, "name", s->name);
    cJSON_AddStringToObject(suite, "file", s->file);
    cJSON_AddItemToObject(doc, "env", env);
    cJSON *arr = cJSON_AddArrayToObject(doc, "cells");
    for (int i = 0; i < ncells; i++) {
        const struct rs_cell *c = &cells[i];
        const struct rs_endpoint *e = &s->endpoints[c->endpoint];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", c->id);
        cJSON_AddStringToObject(o, "target", s->targets[c->target].name);
        cJSON_AddStringToObject(o, "endpoint", e->name);
        cJSON_AddStringToObject(o, "tool", rs_tool_name(c->tool));
        cJSON_AddNumberToObject(o, "connections", c->connections);
        cJSON_AddNumberToObject(o, "pipeline", c->pipeline);
        cJSON_AddNumberToObject(o, "threads", c->threads);
        cJSON_AddBoolToObject(o, "websocket", e->websocket);
        cJSON_AddNumberToObject(o, "ws_message_bytes", c->ws_bytes);
        cJSON_AddNumberToObject(o, "repetitions", c->repetitions);
        cJSON_AddNumberToObject(o, "duration_s", (double)c->duration_ns / 1e9);
        cJSON_AddStringToObject(o, "status", "pending");
        cJSON_AddNullToObject(o, "reason");
        cJSON_AddArrayToObject(o, "runs");
        cJSON_AddNullToObject(o, "summary");
        cJSON_AddItemToArray(arr, o);
    }
    return doc;
}

cJSON *rs_results_cell(cJSON *doc, const char *id)
{
    cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "cells"))
    {
        const cJSON *cid = cJSON_GetObjectItem(c, "id");
        if (cJSON_IsString(cid) && strcmp(cid->valuestring, id) == 0)
            return c;
    }
    return NULL;
}

/* The median of a per-run number, over the runs that have it. */
static double rs_median_of(const cJSON *runs, const char *obj, const char *key)
{
    double v[1024];
    unsigned n = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, runs)
    {
        double x = rs_json_num(obj ? cJSON_GetObjectItem(r, obj) : r, key);
        if (!isnan(x) && n < 1024)
            v[n++] = x;
    }
    return n ? rs_median(v, n) : NAN;
}

static void rs_add_num(cJSON *o, const char *key, double v)
{
    if (isnan(v))
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, v);
}

void rs_results_summarize(cJSON *cell, uint64_t seed)
{
    const cJSON *runs = cJSON_GetObjectItem(cell, "runs");
    double rps[1024];
    unsigned n = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, runs)
    {
        double x = rs_json_num(r, "rps");
        if (!isnan(x) && n < 1024)
            rps[n++] = x;
    }
    cJSON *s = cJSON_CreateObject();
    struct rs_summary sum;
    rs_summarize(rps, n, seed, &sum);
    cJSON *o = cJSON_AddObjectToObject(s, "rps");
    cJSON_AddNumberToObject(o, "median", sum.median);
    cJSON *ci = cJSON_AddArrayToObject(o, "ci95");
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(sum.ci_low));
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(sum.ci_high));
    cJSON_AddNumberToObject(o, "min", sum.min);
    cJSON_AddNumberToObject(o, "max", sum.max);
    cJSON_AddNumberToObject(o, "cv", sum.cv);
    cJSON_AddBoolToObject(o, "noisy", sum.noisy);
    cJSON_AddNumberToObject(o, "runs", n);
    cJSON *lat = cJSON_AddObjectToObject(s, "latency_us");
    for (int i = 0; i < RS_NLAT; i++)
        rs_add_num(lat, rs_lat_keys[i], rs_median_of(runs, "latency_us", rs_lat_keys[i]));
    cJSON *cpu = cJSON_AddObjectToObject(s, "cpu_us_per_response");
    rs_add_num(cpu, "client", rs_median_of(runs, "cpu_us_per_response", "client"));
    rs_add_num(cpu, "target", rs_median_of(runs, "cpu_us_per_response", "target"));
    rs_add_num(s, "errors", rs_median_of(runs, NULL, "errors"));
    /* The verdict most runs gave; ties go to the first seen. */
    const char *verdicts[3] = {"client-bound", "server-bound", "neither"};
    unsigned votes[3] = {0}, best = 2;
    cJSON_ArrayForEach(r, runs)
    {
        const cJSON *b = cJSON_GetObjectItem(r, "bottleneck");
        for (unsigned k = 0; k < 3 && cJSON_IsString(b); k++)
            if (strcmp(b->valuestring, verdicts[k]) == 0)
                votes[k]++;
    }
    for (unsigned k = 0; k < 3; k++)
        if (votes[k] > votes[best])
            best = k;
    cJSON_AddStringToObject(s, "bottleneck", verdicts[best]);
    cJSON_ReplaceItemInObject(cell, "summary", s);
}

int rs_write_atomic(const char *path, const char *text)
{
    char tmp[PATH_MAX + 8];
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
        return -ENAMETOOLONG;
    int rc = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    size_t len = strlen(text), off = 0;
    if (fd < 0)
        return -errno;
    while (rc == 0 && off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno != EINTR)
            rc = -errno;
        if (w > 0)
            off += (size_t)w;
    }
    if (rc == 0 && fsync(fd) < 0)
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(tmp, path) < 0)
        rc = -errno;
    if (rc < 0)
        unlink(tmp);
    return rc;
}

int rs_results_write(const cJSON *doc, const char *dir)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/results.json", dir);
    char *text = cJSON_Print(doc);
    size_t len = text ? strlen(text) : 0;
    char *line = text ? realloc(text, len + 2) : NULL; /* the file ends with a newline */
    if (!line) {
        free(text);
        return -ENOMEM;
    }
    memcpy(line + len, "\n", 2);
    int rc = rs_write_atomic(path, line);
    free(line);
    return rc;
}

cJSON *rs_results_load(const char *dir, const char *sha, char *err, size_t n)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/results.json", dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, n, "--resume %s: cannot read %s: %s", dir, path, strerror(errno));
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    size_t got = text ? fread(text, 1, (size_t)size, f) : 0;
    fclose(f);
    cJSON *doc = NULL;
    if (text) {
        text[got] = '\0';
        doc = cJSON_Parse(text);
        free(text);
    }
    const cJSON *schema = cJSON_GetObjectItem(doc, "schema");
    const cJSON *fsha = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "env"), "suite_sha256");
    if (!doc || !cJSON_IsString(schema) || strcmp(schema->valuestring, RS_SCHEMA) != 0) {
        snprintf(err, n, "--resume %s: %s is not a %s results file", dir, path, RS_SCHEMA);
    } else if (!cJSON_IsString(fsha) || strcmp(fsha->valuestring, sha) != 0) {
        snprintf(err, n,
                 "--resume %s: the suite file changed since these results were started (sha256 "
                 "%.12s... then, %.12s... now); start a new run instead",
                 dir, cJSON_IsString(fsha) ? fsha->valuestring : "?", sha);
    } else {
        return doc;
    }
    cJSON_Delete(doc);
    return NULL;
}

int rs_sha256_file(const char *file, char out[65])
{
    FILE *f = fopen(file, "rb");
    if (!f)
        return -1;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    unsigned char buf[8192], md[32];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        EVP_DigestUpdate(ctx, buf, n);
    fclose(f);
    unsigned len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return 0;
}
