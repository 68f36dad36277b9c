/*
 * tmpdir.h - test helper for unit and integration tests: a fresh directory under /tmp for each
 * test (.init = tmpdir_setup, .fini = tmpdir_teardown) and files written into it.
 */
#ifndef RF_TEST_TMPDIR_H
#define RF_TEST_TMPDIR_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "proc.h"

static char tmpdir[64];

static inline void tmpdir_setup(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/rf-test-XXXXXX");
    cr_assert(not(eq(ptr, mkdtemp(tmpdir), NULL)));
}

static inline void tmpdir_teardown(void)
{
    cr_assert(eq(int, rs_remove_tree(tmpdir), 0), "%s is left", tmpdir);
}

/* Writes text to tmpdir/name.  Returns the path, in one of four buffers, so that a test may
 * hold a few paths at once. */
static inline const char *tmpdir_write(const char *name, const char *text)
{
    static char paths[4][160];
    static unsigned next;
    char *path = paths[next++ % 4];
    snprintf(path, sizeof(paths[0]), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    cr_assert(not(eq(ptr, f, NULL)), "cannot write %s", path);
    fputs(text, f);
    fclose(f);
    return path;
}

#endif
