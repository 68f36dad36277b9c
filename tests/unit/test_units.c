/*
 * test_units.c - durations, counts, sizes and CPU lists as people type them.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "ringfire.h"

Test(units, durations)
{
    static const struct {
        const char *text;
        int rc;
        uint64_t ns;
    } t[] = {
        {"500ms", 0, 500000000ULL}, {"10s", 0, 10000000000ULL},
        {"2m", 0, 120000000000ULL}, {"1h", 0, 3600000000000ULL},
        {"250us", 0, 250000ULL},    {"7", 0, 7000000000ULL},
        {"1.5s", 0, 1500000000ULL}, {"0", 0, 0},
        {"10x", RF_EVALUE, 0},      {"", RF_EVALUE, 0},
        {"-1s", RF_EVALUE, 0},      {" 5s", RF_EVALUE, 0},
        {"s", RF_EVALUE, 0},        {"1e3s", RF_EVALUE, 0},
        {"25h", RF_ERANGE, 0},      {"5 s", RF_EVALUE, 0},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        uint64_t ns = 0;
        int rc = rf_parse_duration(t[i].text, &ns);
        cr_assert(eq(int, rc, t[i].rc), "'%s'", t[i].text);
        if (rc == 0)
            cr_assert(eq(u64, ns, t[i].ns), "'%s'", t[i].text);
    }
}

Test(units, counts_and_sizes)
{
    uint64_t v;
    cr_assert(eq(int, rf_parse_count("64", 100, &v), 0));
    cr_assert(eq(u64, v, 64));
    cr_assert(eq(int, rf_parse_count("10k", 1000000, &v), 0));
    cr_assert(eq(u64, v, 10000));
    cr_assert(eq(int, rf_parse_count("2M", UINT64_MAX, &v), 0));
    cr_assert(eq(u64, v, 2000000));
    cr_assert(eq(int, rf_parse_count("101", 100, &v), RF_ERANGE));
    cr_assert(eq(int, rf_parse_count("-1", 100, &v), RF_EVALUE));
    cr_assert(eq(int, rf_parse_count("1.5", 100, &v), RF_EVALUE));
    cr_assert(eq(int, rf_parse_count("99999999999999999999999", UINT64_MAX, &v), RF_ERANGE));
    cr_assert(eq(int, rf_parse_count("5kk", 100000, &v), RF_EVALUE));
    cr_assert(eq(int, rf_parse_size("4K", 1 << 20, &v), 0));
    cr_assert(eq(u64, v, 4096));
    cr_assert(eq(int, rf_parse_size("1M", 1 << 20, &v), 0));
    cr_assert(eq(u64, v, 1048576));
}

Test(units, cpu_lists)
{
    int cpus[8];
    cr_assert(eq(int, rf_parse_cpu_list("0,2-3", cpus, 8), 3));
    cr_assert(eq(int, cpus[0], 0));
    cr_assert(eq(int, cpus[1], 2));
    cr_assert(eq(int, cpus[2], 3));
    cr_assert(eq(int, rf_parse_cpu_list("1", cpus, 8), 1));
    cr_assert(eq(int, rf_parse_cpu_list("3-1", cpus, 8), RF_ERANGE));
    cr_assert(eq(int, rf_parse_cpu_list("0-9", cpus, 8), RF_ERANGE));
    cr_assert(eq(int, rf_parse_cpu_list("a", cpus, 8), RF_EVALUE));
    cr_assert(eq(int, rf_parse_cpu_list("1,", cpus, 8), RF_EVALUE));
    cr_assert(eq(int, rf_parse_cpu_list("", cpus, 8), RF_EVALUE));
}

Test(units, cpu_lists_as_text)
{
    char buf[32];
    rf_cpus_format((const int[]){0, 1, 2, 5, 7, 8}, 6, buf, sizeof(buf));
    cr_assert(eq(str, buf, "0-2,5,7-8"));
    rf_cpus_format((const int[]){3}, 1, buf, sizeof(buf));
    cr_assert(eq(str, buf, "3"));
    rf_cpus_format(NULL, 0, buf, sizeof(buf));
    cr_assert(eq(str, buf, ""));
    rf_cpus_format((const int[]){10, 12, 14, 16, 18}, 5, buf, 8); /* truncated, terminated */
    cr_assert(eq(str, buf, "10,12,1"));
}

Test(units, allowed_cpus_pass_the_check_and_others_do_not)
{
    int cpus[1024];
    int n = rf_cpus_allowed(cpus, 1024);
    cr_assert(gt(int, n, 0));
    for (int i = 1; i < n; i++)
        cr_assert(gt(int, cpus[i], cpus[i - 1]));
    char allowed[256], want[256];
    cr_assert(eq(int, rf_cpus_check(cpus, (unsigned)n, allowed, sizeof(allowed)), 0));
    /* No test machine has 1024 CPUs; the message lists the ones this process may use. */
    cr_assert(eq(int, rf_cpus_check((const int[]){cpus[0], 1023}, 2, allowed, sizeof(allowed)),
                 RF_ECPUS));
    rf_cpus_format(cpus, n, want, sizeof(want));
    cr_assert(eq(str, allowed, want));
    cr_assert(eq(int, rf_cpus_check((const int[]){-1}, 1, NULL, 0), RF_ECPUS));
    /* The engine refuses such a list before it opens anything (port 1: nothing listens). */
    struct rf_config cfg = {.connections = 1,
                            .pipeline = 1,
                            .duration_ns = 1000000,
                            .timeout_ns = 1000000,
                            .cpus = (const int[]){1023},
                            .ncpus = 1};
    cr_assert(eq(int, rf_url_parse("http://127.0.0.1:1/", &cfg.url), 0));
    struct rf_result res;
    cr_assert(eq(int, rf_run(&cfg, &res), RF_ECPUS));
    rf_result_free(&res);
}
