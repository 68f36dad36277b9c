/*
 * json.h - what every loader of a JSON file needs: the file read whole with a size bound, parse
 * errors with their line, and the first problem reported as FILE: PATH: what was wrong, with the
 * value.  The results loader and the suite loader both build on it.
 */
#ifndef RF_SCHEMA_JSON_H
#define RF_SCHEMA_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

#define RJ_ERR_MAX 1024

/* One load: the file it reads and where its first error goes. */
struct rj_ctx {
    const char *file;
    char *err; /* RJ_ERR_MAX bytes */
    int failed;
};

/* Records the first failure as "FILE: PATH: message" and returns -1; later ones are dropped. */
__attribute__((format(printf, 3, 4))) int rj_fail(struct rj_ctx *L, const char *path,
                                                  const char *fmt, ...);

/* How a value looks in a message: a string quoted, cut at 40 bytes and made printable, a
 * number, true/false/null, "an array", "an object", or "nothing" for NULL. */
const char *rj_repr(const cJSON *v, char *buf, size_t n);

/* Text made printable for a message: CR and LF as \r and \n, other control bytes and bytes
 * above 126 as \xNN. */
void rj_printable(const char *in, size_t len, char *out, size_t n);

/* Reads a file of at most max bytes (a pipe or FIFO too), NUL-terminated.  Returns 0, or -1
 * with "FILE: why" in err (RJ_ERR_MAX bytes). */
int rj_read_file(const char *file, size_t max, char **text, size_t *len, char *err);

/* Parses text; on failure says "FILE: line N: not valid JSON" in err and returns NULL. */
cJSON *rj_parse(const char *file, const char *text, size_t len, char *err);

/* Every key of obj is one of known (NULL-terminated) and appears once; otherwise an error
 * naming the key and listing the known ones. */
int rj_keys(struct rj_ctx *L, const cJSON *obj, const char *path, const char *const *known);

/* path + "." + key, and path + "[i]". */
void rj_path_key(char *out, size_t n, const char *path, const char *key);
void rj_path_index(char *out, size_t n, const char *path, size_t i);

#endif
