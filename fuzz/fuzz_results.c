/*
 * fuzz_results.c - a results file from anyone, through everything that reads one: the strict
 * loader, the markdown report, the charts (gnuplot replaced by a checker of the scripts), the
 * diff, compare and gate with their exports, and the ringfire.run/1 reader and merge.
 *
 * Oracles besides the sanitizers: a document the loader accepts prints to text it accepts
 * again and prints the same; a document compared with itself has no regression; every chart
 * script line starts as the code writes it, keeps its quotes balanced on the line, and names
 * its output without a '/'.  With selector bit 5 the names of the loaded cells are replaced by
 * raw bytes of the input, as a caller building records in code could give them.
 *
 * Input: one selector byte (bit 0 markdown, 1 charts, 2 diff/compare/gate, 3 round trip,
 * 4 the input as ringfire.run/1 (6: expecting status 200), 5 raw names, 7 the input merged as
 * a shard of a run), then the document.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "charts.h"
#include "compare.h"
#include "gate.h"
#include "proc.h"
#include "report.h"
#include "results.h"
#include "rundoc.h"

static char fz_dir[64];

/* The charts' scratch directory goes when the fuzzer exits (not when it crashes: then what
 * the reports wrote is evidence). */
static void fz_cleanup(void)
{
    rs_remove_tree(fz_dir);
}

/* The plotter of the fuzz build: reads the script and checks it, draws nothing. */
static int fz_check_script(const char *dir, const char *script, void *arg)
{
    static const char *const starts[] = {"#", "set ", "plot ", "     '", "replot"};
    char path[512], line[65536];
    (void)arg;
    if (strchr(script, '/'))
        abort();
    snprintf(path, sizeof(path), "%s/%s", dir, script);
    FILE *f = fopen(path, "r");
    if (!f)
        abort();
    while (fgets(line, sizeof(line), f)) {
        int ok = 0, quotes = 0;
        for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]) && !ok; i++)
            ok = strncmp(line, starts[i], strlen(starts[i])) == 0;
        for (const char *p = line; *p; p++)
            quotes += *p == '\'';
        if (!ok || (line[0] != '#' && quotes % 2) ||
            (strncmp(line, "set output '", 12) == 0 && strchr(line + 12, '/')))
            abort();
    }
    fclose(f);
    return 0;
}

/* Gives each cell names cut from raw bytes (the loader never would). */
static void fz_raw_names(struct rr_doc *doc, const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < doc->ncells && size > 1; i++) {
        size_t n = 1 + data[i % size] % 24, at = (i * 7) % size;
        n = at + n > size ? size - at : n;
        char *name = malloc(n + 1);
        memcpy(name, data + at, n);
        name[n] = '\0';
        free(i % 2 ? doc->cells[i].target : doc->cells[i].endpoint);
        if (i % 2)
            doc->cells[i].target = name;
        else
            doc->cells[i].endpoint = name;
    }
}

static void fz_markdown(const struct rr_doc *doc, const struct rp_chart_list *charts)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    rp_markdown(out, doc, charts ? "charts" : NULL, charts);
    fclose(out);
    free(text);
}

static void fz_gate(const struct rr_doc *doc)
{
    struct rp_gate g;
    unsigned all = (1u << RP_NMETRICS) - 1;
    struct rp_diff_opts opts = {.mask = all, .threshold = 0.05};
    if (rp_gate_run(doc, doc, &opts, &g) == 0) {
        if (g.regressions)
            abort(); /* nothing regresses against itself */
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        rp_gate_markdown(out, &g, doc, doc);
        rp_compare_markdown(out, &g.diff, "a", doc, "b", doc);
        for (int i = 0; i < g.diff.nchanges; i++)
            rp_gate_line(out, &g, &g.diff.changes[i]);
        fclose(out);
        free(text);
    }
    rp_gate_free(&g);
    /* Paired, between the first two targets: any verdict may come out, none may crash. */
    for (size_t i = 1; i < doc->ncells; i++)
        if (strcmp(doc->cells[i].target, doc->cells[0].target) != 0) {
            opts.base_target = doc->cells[0].target;
            opts.cur_target = doc->cells[i].target;
            if (rp_gate_run(doc, doc, &opts, &g) == 0) {
                char *text = NULL;
                size_t len = 0;
                FILE *out = open_memstream(&text, &len);
                rp_gate_markdown(out, &g, doc, doc);
                fclose(out);
                free(text);
            }
            break;
        }
    rp_gate_free(&g);
    for (int k = 0; k < 3; k++)
        free(rp_gate_export(doc, all, (enum rp_export)k));
}

static void fz_round_trip(const struct rr_doc *doc)
{
    char err[RR_ERR_MAX], *text = rr_print(doc);
    struct rr_doc again;
    if (!text)
        return;
    if (rr_parse("again.json", text, strlen(text), &again, err) < 0)
        abort(); /* the writer wrote what the loader refuses */
    char *text2 = rr_print(&again);
    if (!text2 || strcmp(text, text2))
        abort();
    free(text);
    free(text2);
    rr_doc_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!fz_dir[0]) {
        snprintf(fz_dir, sizeof(fz_dir), "/tmp/rf-fuzz-XXXXXX");
        if (!mkdtemp(fz_dir))
            abort();
        atexit(fz_cleanup);
    }
    unsigned sel = data[0];
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (sel & 16) {
        struct rr_run run;
        if (rr_rundoc_read(text, sel & 64 ? 200 : 0, &run) == 0)
            rr_run_free(&run);
    }
    if (sel & 128) { /* as a shard: merged alone, and beside a copy of itself (refused) */
        const char *texts[2] = {text, text}, *names[2] = {"a.json", "b.json"};
        char why[512];
        for (int n = 1; n <= 2; n++) {
            why[0] = '\0';
            char *m = rr_rundoc_merge(texts, names, n, why, sizeof(why));
            if (!m && !why[0])
                abort(); /* a refusal says why */
            free(m);
        }
    }
    char err[RR_ERR_MAX];
    struct rr_doc doc;
    if (rr_parse("fuzz.json", text, size - 1, &doc, err) < 0) {
        if (strncmp(err, "fuzz.json: ", 11) != 0)
            abort(); /* every message names the file */
        free(text);
        return 0;
    }
    if (sel & 8)
        fz_round_trip(&doc);
    if (sel & 4)
        fz_gate(&doc);
    if (sel & 32)
        fz_raw_names(&doc, data, size);
    static struct rp_chart_list list;
    if (sel & 2)
        rp_charts(&doc, fz_dir, &list, fz_check_script, NULL);
    if (sel & 1)
        fz_markdown(&doc, sel & 2 ? &list : NULL);
    rr_doc_free(&doc);
    free(text);
    return 0;
}
