/*
 * test_shard.c - --shard and --start-at as people and launchers give them: I/N, the launchers'
 * environments (Slurm, MPI, a Kubernetes Indexed Job with its count), RFC 3339, Unix seconds
 * and +DURATION, and what each bad value is told.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>

#include "../says.h"
#include "cli.h"

static void clear_env(void)
{
    static const char *const vars[] = {
        "SLURM_PROCID", "SLURM_NTASKS", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE",
        "PMI_RANK",     "PMI_SIZE",     "JOB_COMPLETION_INDEX", "RINGFIRE_SHARDS"};
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        unsetenv(vars[i]);
}

TestSuite(shard, .init = clear_env);

Test(shard, given_and_from_the_launchers)
{
    unsigned i = 9, n = 9;
    char why[256];
    cr_assert(eq(int, cli_shard_parse("2/5", &i, &n, why, sizeof(why)), 0));
    cr_assert(eq(u32, i, 2));
    cr_assert(eq(u32, n, 5));
    setenv("SLURM_PROCID", "3", 1);
    setenv("SLURM_NTASKS", "4", 1);
    cr_assert(eq(int, cli_shard_parse("auto", &i, &n, why, sizeof(why)), 0), "%s", why);
    cr_assert(eq(u32, i, 3));
    cr_assert(eq(u32, n, 4));
    clear_env();
    setenv("JOB_COMPLETION_INDEX", "1", 1);
    n = 0;
    cr_assert(eq(int, cli_shard_parse("auto", &i, &n, why, sizeof(why)), -1));
    assert_says(why, "or give the count: --shard auto/N");
    cr_assert(eq(int, cli_shard_parse("auto/3", &i, &n, why, sizeof(why)), 0), "%s", why);
    cr_assert(eq(u32, i, 1));
    cr_assert(eq(u32, n, 3));
}

Test(shard, bad_shards_say_what_is_expected)
{
    unsigned i = 0, n = 0;
    char why[256];
    static const struct {
        const char *v, *says;
    } bad[] = {
        {"5/5", "the index counts from 0 to N-1"},
        {"1/0", "the index counts from 0"},
        {"x/2", "expected I/N with whole numbers"},
        {"3", "expected I/N"},
        {"-1/2", "expected I/N with whole numbers"},
        {"auto", "no launcher's shard number"},
        {"auto/0", "expected auto/N"},
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        n = 0;
        cr_assert(eq(int, cli_shard_parse(bad[k].v, &i, &n, why, sizeof(why)), -1), "%s", bad[k].v);
        assert_says(why, bad[k].says);
    }
}

Test(shard, start_times_as_people_write_them)
{
    const uint64_t now = 1796119200ULL * 1000000000ULL; /* 2026-12-01T10:00:00Z */
    uint64_t at;
    char why[256];
    cr_assert(eq(int, cli_start_at_parse("2026-12-01T10:00:30.5Z", now, &at, why, sizeof(why)), 0),
              "%s", why);
    cr_assert(eq(u64, at, now + 30500000000ULL));
    cr_assert(
        eq(int, cli_start_at_parse("2026-12-01T11:00:10+01:00", now, &at, why, sizeof(why)), 0),
        "%s", why);
    cr_assert(eq(u64, at, now + 10000000000ULL));
    cr_assert(eq(int, cli_start_at_parse("1796119245.25", now, &at, why, sizeof(why)), 0));
    cr_assert(eq(u64, at, now + 45250000000ULL));
    cr_assert(eq(int, cli_start_at_parse("+2s", now, &at, why, sizeof(why)), 0));
    cr_assert(eq(u64, at, now + 2000000000ULL));
    cr_assert(eq(int, cli_start_at_parse("2026-12-01 10:00:30", now, &at, why, sizeof(why)), -1));
    assert_says(why, "expected RFC 3339");
    cr_assert(eq(int, cli_start_at_parse("+2h", now, &at, why, sizeof(why)), -1));
    assert_says(why, "not within the next hour");
    cr_assert(eq(int, cli_start_at_parse("1796119000", now, &at, why, sizeof(why)), -1));
    assert_says(why, "a start more than a minute past is refused");
}
