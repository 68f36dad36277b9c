/*
 * fuzz_suite.c - the suite loader and the matrix: any text either loads into a suite whose
 * names are all safe and whose cells expand within the cap, or gets a message naming the file;
 * never a crash or a leak.  Run from the repository root (recipes are read from
 * fixtures/targets).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "suite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rs_suite s;
    char err[RS_ERR_MAX];
    if (rs_suite_parse("fuzz.json", (const char *)data, size, &s, err) < 0) {
        if (strncmp(err, "fuzz.json: ", 11) != 0)
            abort(); /* every message names the file */
        rs_suite_free(&s);
        return 0;
    }
    for (unsigned i = 0; i < s.ntargets; i++)
        if (!rr_name_ok(s.targets[i].name))
            abort();
    for (unsigned i = 0; i < s.nendpoints; i++)
        if (!rr_name_ok(s.endpoints[i].name))
            abort();
    struct rs_cell *cells = NULL;
    int n = rs_expand(&s, &cells);
    if (n > RS_MAX_CELLS)
        abort();
    free(cells);
    rs_suite_free(&s);
    return 0;
}
