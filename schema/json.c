/*
 * json.c - reading JSON files with a size bound and precise messages (json.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "json.h"

int rj_fail(struct rj_ctx *L, const char *path, const char *fmt, ...)
{
    if (L->failed)
        return -1;
    L->failed = 1;
    int n = snprintf(L->err, RJ_ERR_MAX, "%s: %s: ", L->file, path[0] ? path : "(top level)");
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && n < RJ_ERR_MAX)
        vsnprintf(L->err + n, RJ_ERR_MAX - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

void rj_printable(const char *in, size_t len, char *out, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 5 < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '\r' || c == '\n')
            o += (size_t)snprintf(out + o, n - o, "%s", c == '\r' ? "\\r" : "\\n");
        else if (c < 32 || c > 126)
            o += (size_t)snprintf(out + o, n - o, "\\x%02x", c);
        else
            out[o++] = (char)c;
    }
    out[o] = '\0';
}

const char *rj_repr(const cJSON *v, char *buf, size_t n)
{
    if (!v) {
        snprintf(buf, n, "nothing");
    } else if (cJSON_IsString(v)) {
        char text[200];
        size_t len = strlen(v->valuestring);
        rj_printable(v->valuestring, len < 40 ? len : 40, text, sizeof(text));
        snprintf(buf, n, "\"%s%s\"", text, len > 40 ? "..." : "");
    } else if (cJSON_IsNumber(v)) {
        snprintf(buf, n, "%g", v->valuedouble);
    } else if (cJSON_IsBool(v)) {
        snprintf(buf, n, "%s", cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsNull(v)) {
        snprintf(buf, n, "null");
    } else {
        snprintf(buf, n, cJSON_IsArray(v) ? "an array" : "an object");
    }
    return buf;
}

int rj_read_file(const char *file, size_t max, char **text, size_t *len, char *err)
{
    *text = NULL;
    *len = 0;
    /* zlib reads a gzip file decompressed and any other file as it is; max bounds what comes
     * out, so a small file that inflates without end is refused, not read. */
    gzFile f = gzopen(file, "rb");
    if (!f) {
        snprintf(err, RJ_ERR_MAX, "%s: cannot read: %s", file, strerror(errno ? errno : ENOMEM));
        return -1;
    }
    /* Read in steps rather than trusting the file's size: a pipe or FIFO has none. */
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    int rc = 0, got = 0;
    while (buf) {
        if (n == cap) {
            if (cap > max)
                break;
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        got = gzread(f, buf + n, (unsigned)(cap - n < (1u << 30) ? cap - n : (1u << 30)));
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    int zerr = 0;
    const char *why = gzerror(f, &zerr);
    if (!buf) {
        snprintf(err, RJ_ERR_MAX, "%s: out of memory", file);
        rc = -1;
    } else if (got < 0 || (zerr != Z_OK && zerr != Z_BUF_ERROR)) {
        size_t skip = strncmp(why, file, strlen(file)) == 0 && why[strlen(file)] == ':'
                          ? strlen(file) + 2
                          : 0; /* zlib's message starts with the file's name */
        snprintf(err, RJ_ERR_MAX, "%s: cannot read: %s", file,
                 zerr == Z_ERRNO ? strerror(errno) : why + skip);
        rc = -1;
    } else if (n > max) {
        snprintf(err, RJ_ERR_MAX, "%s: larger than %zu MiB, the most a file here may be", file,
                 max >> 20);
        rc = -1;
    }
    gzclose(f);
    if (rc < 0) {
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

cJSON *rj_parse(const char *file, const char *text, size_t len, char *err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (root)
        return root;
    int line = 1;
    for (const char *q = text; end && q < end && q < text + len; q++)
        line += *q == '\n';
    snprintf(err, RJ_ERR_MAX, "%s: line %d: not valid JSON", file, line);
    return NULL;
}

void rj_path_key(char *out, size_t n, const char *path, const char *key)
{
    char k[120];
    rj_printable(key, strlen(key), k, sizeof(k));
    snprintf(out, n, "%s.%s", path, k);
}

void rj_path_index(char *out, size_t n, const char *path, size_t i)
{
    snprintf(out, n, "%s[%zu]", path, i);
}

int rj_keys(struct rj_ctx *L, const cJSON *obj, const char *path, const char *const *known)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, obj)
    {
        char p[300], list[400] = "";
        int ok = 0;
        for (const char *const *k = known; *k && !ok; k++)
            ok = strcmp(item->string, *k) == 0;
        rj_path_key(p, sizeof(p), path, item->string);
        if (ok) {
            for (const cJSON *o = obj->child; o != item; o = o->next)
                if (strcmp(o->string, item->string) == 0)
                    return rj_fail(L, p, "given twice");
            continue;
        }
        for (const char *const *k = known; *k; k++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
                     k == known ? "" : ", ", *k);
        return rj_fail(L, p, "unknown key (expected one of: %s)", list);
    }
    return 0;
}
