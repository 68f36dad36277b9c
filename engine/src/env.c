/*
 * env.c - what a result needs to say about the machine it was measured on.
 */
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ringfire.h"

void rf_env_read(struct rf_env *env)
{
    memset(env, 0, sizeof(*env));
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(env->kernel, sizeof(env->kernel), "%.15s %.100s", u.sysname, u.release);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    env->cores = n > 0 ? (unsigned)n : 1;
    snprintf(env->cpu_model, sizeof(env->cpu_model), "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "model name", 10) != 0)
            continue;
        const char *v = strchr(line, ':');
        if (!v)
            continue;
        v++;
        while (*v == ' ' || *v == '\t')
            v++;
        snprintf(env->cpu_model, sizeof(env->cpu_model), "%.*s", (int)strcspn(v, "\n"), v);
        break;
    }
    fclose(f);
}

const char *rf_ring_flags_name(unsigned flags)
{
    if ((flags & IORING_SETUP_SINGLE_ISSUER) && (flags & IORING_SETUP_DEFER_TASKRUN))
        return "SINGLE_ISSUER|DEFER_TASKRUN";
    if ((flags & IORING_SETUP_SINGLE_ISSUER) && (flags & IORING_SETUP_COOP_TASKRUN))
        return "SINGLE_ISSUER|COOP_TASKRUN";
    if (flags & IORING_SETUP_COOP_TASKRUN)
        return "COOP_TASKRUN";
    return "none";
}
