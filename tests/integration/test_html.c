/*
 * test_html.c - the HTML report in a real browser: headless Chromium from Debian loads the page
 * with no network, runs its script without an error, and shows every cell of the results.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../says.h"
#include "../tmpdir.h"
#include "harness.h"
#include "results.h"

static const char *browser(void)
{
    static const char *const names[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser",
                                        "/snap/bin/chromium", NULL};
    for (const char *const *n = names; *n; n++)
        if (access(*n, X_OK) == 0)
            return *n;
    return NULL;
}

Test(html, the_page_renders_every_cell_in_chromium, .init = tmpdir_setup, .fini = tmpdir_teardown)
{
    const char *chromium = browser();
    if (!chromium)
        cr_skip_test("chromium is not installed: run ci/install-deps test");
    char out[256], page[300], url[320];
    snprintf(out, sizeof(out), "%s/report", tmpdir);
    struct cmd_result r;
    cmd_run((const char *const[]){RINGFIRE, "report", "tests/data/results-golden.json", "--out",
                                  out, NULL},
            60, &r);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    cmd_free(&r);
    snprintf(page, sizeof(page), "%s/report.html", out);
    FILE *f = fopen(page, "r");
    cr_assert(not(eq(ptr, f, NULL)), "no report.html");
    static char html[1 << 22];
    size_t n = fread(html, 1, sizeof(html) - 1, f);
    html[n] = '\0';
    fclose(f);
    cr_assert(eq(ptr, strstr(html, "src=\"http"), NULL), "the page fetches nothing");
    cr_assert(eq(ptr, strstr(html, "href=\"http"), NULL), "the page links nothing outside");

    snprintf(url, sizeof(url), "file://%s", page);
    char profile[300];
    snprintf(profile, sizeof(profile), "--user-data-dir=%s/chromium", tmpdir);
    cmd_run((const char *const[]){chromium, "--headless", "--no-sandbox", "--disable-gpu",
                                  "--no-first-run", profile, "--enable-logging=stderr", "--v=0",
                                  "--dump-dom", url, NULL},
            120, &r);
    cr_assert(eq(int, r.status, 0), "chromium: %s", r.err);
    assert_says(r.out, "data-ready=\"1\"");
    cr_assert(eq(ptr, strstr(r.err, "Uncaught"), NULL), "a script error: %s", r.err);
    cr_assert(eq(ptr, strstr(r.err, ":CONSOLE"), NULL), "the page logged: %s", r.err);
    struct rr_doc doc;
    char err[RR_ERR_MAX];
    cr_assert(eq(int, rr_load("tests/data/results-golden.json", &doc, err), 0), "%s", err);
    for (size_t i = 0; i < doc.ncells; i++)
        cr_assert(not(eq(ptr, strstr(r.out, doc.cells[i].id), NULL)), "%s is not on the page",
                  doc.cells[i].id);
    assert_says(r.out, "<img alt=\"latency at each percentile");
    rr_doc_free(&doc);
    cmd_free(&r);
}
