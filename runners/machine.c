/*
 * machine.c - the facts about the machine a report's method block states: the distribution,
 * memory, SMT, virtualization, CPU frequency governor, kernel threads that take a CPU for
 * milliseconds, and the TCP settings that matter for loopback load, read from /etc, /proc and
 * /sys (no command is run); and one measured: how far apart the client's CPU and the target's
 * are (rs_machine_distance).
 */
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "machine.h"
#include "ringfire.h"

/* The first line of a file, without its newline, or NULL. */
static char *mc_line(const char *path)
{
    char buf[256];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *line = fgets(buf, sizeof(buf), f);
    fclose(f);
    if (!line)
        return NULL;
    buf[strcspn(buf, "\n")] = '\0';
    for (char *p = buf; *p; p++)
        if (*p == '\t')
            *p = ' ';
    return strdup(buf);
}

/* PRETTY_NAME of /etc/os-release, unquoted. */
static char *mc_distribution(void)
{
    char buf[256];
    FILE *f = fopen("/etc/os-release", "r");
    while (f && fgets(buf, sizeof(buf), f))
        if (strncmp(buf, "PRETTY_NAME=", 12) == 0) {
            fclose(f);
            char *v = buf + 12;
            v[strcspn(v, "\n")] = '\0';
            size_t n = strlen(v);
            if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
                v[n - 1] = '\0';
                v++;
            }
            return strdup(v);
        }
    if (f)
        fclose(f);
    return NULL;
}

/* Whether /proc/cpuinfo's flags name the hypervisor bit, and the DMI names where there are. */
static char *mc_virtualization(void)
{
    char buf[4096];
    int hyper = 0;
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && !hyper && fgets(buf, sizeof(buf), f))
        hyper = strncmp(buf, "flags", 5) == 0 && strstr(buf, " hypervisor");
    if (f)
        fclose(f);
    if (!hyper)
        return strdup("none");
    char *vendor = mc_line("/sys/class/dmi/id/sys_vendor");
    char *product = mc_line("/sys/class/dmi/id/product_name");
    if (vendor || product)
        snprintf(buf, sizeof(buf), "a virtual machine (%s%s%s)", vendor ? vendor : "",
                 vendor && product ? " " : "", product ? product : "");
    else
        snprintf(buf, sizeof(buf), "a virtual machine (the CPU's hypervisor flag)");
    free(vendor);
    free(product);
    return strdup(buf);
}

/* CPUs per core: the siblings of CPU 0 ("0,1" or "0-1" is 2). */
static unsigned mc_threads_per_core(void)
{
    char *s = mc_line("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list");
    unsigned n = 0;
    for (char *p = s; p && *p;) {
        unsigned a = (unsigned)strtoul(p, &p, 10), b = a;
        if (*p == '-')
            b = (unsigned)strtoul(p + 1, &p, 10);
        n += b >= a ? b - a + 1 : 1;
        if (*p == ',')
            p++;
        else
            break;
    }
    free(s);
    return n;
}

static double mc_memory(void)
{
    char buf[256];
    double kib = 0;
    FILE *f = fopen("/proc/meminfo", "r");
    while (f && fgets(buf, sizeof(buf), f))
        if (sscanf(buf, "MemTotal: %lf kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib * 1024;
}

/*
 * Kernel threads that hold a CPU for milliseconds at a time of their own accord, by the name
 * prefix of their thread: DAMON's monitor (kdamond.N), seen on the machine this was written on
 * taking the client's CPU for 0.8 to 3.7 ms about every 511 ms (docs/engine.md, "The verdict").
 * Returns their names, comma-separated ("" for none), or NULL when /proc cannot be read.
 */
static char *mc_cpu_takers(void)
{
    static const char *const prefixes[] = {"kdamond"};
    DIR *d = opendir("/proc");
    if (!d)
        return NULL;
    char names[256] = "", path[64];
    size_t len = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9' || strlen(e->d_name) > 20)
            continue;
        snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
        char *comm = mc_line(path);
        for (size_t i = 0; comm && i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
            if (strncmp(comm, prefixes[i], strlen(prefixes[i])) == 0 &&
                len + strlen(comm) + 3 < sizeof(names))
                len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", len ? ", " : "",
                                        comm);
        free(comm);
    }
    closedir(d);
    return strdup(names);
}

static const char *const mc_sysctls[][2] = {
    {"net.core.somaxconn", "/proc/sys/net/core/somaxconn"},
    {"net.ipv4.tcp_congestion_control", "/proc/sys/net/ipv4/tcp_congestion_control"},
    {"net.ipv4.tcp_tw_reuse", "/proc/sys/net/ipv4/tcp_tw_reuse"},
    {"net.ipv4.ip_local_port_range", "/proc/sys/net/ipv4/ip_local_port_range"},
    {"net.ipv4.tcp_rmem", "/proc/sys/net/ipv4/tcp_rmem"},
    {"net.ipv4.tcp_wmem", "/proc/sys/net/ipv4/tcp_wmem"},
    {"net.core.busy_poll", "/proc/sys/net/core/busy_poll"},
};

void rs_machine_read(struct rr_env *env)
{
    env->distribution = mc_distribution();
    env->memory_bytes = mc_memory();
    env->threads_per_core = mc_threads_per_core();
    env->virtualization = mc_virtualization();
    env->governor = mc_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
    if (!env->governor)
        env->governor = strdup("not exposed");
    env->cpu_takers = mc_cpu_takers();
    size_t n = sizeof(mc_sysctls) / sizeof(mc_sysctls[0]);
    env->tcp.v = calloc(n, sizeof(*env->tcp.v));
    for (size_t i = 0; env->tcp.v && i < n; i++) {
        char *v = mc_line(mc_sysctls[i][1]);
        if (!v)
            continue;
        env->tcp.v[env->tcp.n].name = strdup(mc_sysctls[i][0]);
        env->tcp.v[env->tcp.n++].value = v;
    }
}

/* ---- the distance between two CPUs ---------------------------------------------------------- */

enum { MC_HANDOVERS = 1000, MC_MAX_SAMPLES = 4096 };

struct mc_baton {
    _Alignas(64) _Atomic uint64_t value; /* odd: the far side's turn; it hands it back even */
    _Alignas(64) _Atomic int done;
    int far_cpu;
};

static int mc_pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static uint64_t mc_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void *mc_far_side(void *arg)
{
    struct mc_baton *b = arg;
    if (mc_pin(b->far_cpu) != 0)
        return NULL;
    while (!atomic_load_explicit(&b->done, memory_order_relaxed)) {
        uint64_t v = atomic_load_explicit(&b->value, memory_order_acquire);
        if (v & 1)
            atomic_store_explicit(&b->value, v + 1, memory_order_release);
    }
    return NULL;
}

static int mc_by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Hands a counter between this thread (on near) and one on far, MC_HANDOVERS times per sample,
 * until ms have passed; the median sample, or 0 when no hand-over completed. */
static double mc_round_trip(int near, int far, unsigned ms)
{
    static uint64_t sample[MC_MAX_SAMPLES];
    struct mc_baton *b = aligned_alloc(64, sizeof(*b));
    cpu_set_t before;
    if (!b || pthread_getaffinity_np(pthread_self(), sizeof(before), &before) != 0) {
        free(b);
        return 0;
    }
    memset(b, 0, sizeof(*b));
    b->far_cpu = far;
    pthread_t thread;
    if (mc_pin(near) != 0 || pthread_create(&thread, NULL, mc_far_side, b) != 0) {
        pthread_setaffinity_np(pthread_self(), sizeof(before), &before);
        free(b);
        return 0;
    }
    size_t n = 0;
    uint64_t v = 0, end = mc_now_ns() + (uint64_t)ms * 1000000u;
    for (uint64_t t0 = mc_now_ns(); t0 < end && n < MC_MAX_SAMPLES; t0 = mc_now_ns()) {
        for (int i = 0; i < MC_HANDOVERS; i++) {
            atomic_store_explicit(&b->value, ++v, memory_order_release);
            /* A far side that could not pin itself never answers: a long wait checks the time. */
            for (uint32_t spins = 1; atomic_load_explicit(&b->value, memory_order_acquire) == v;
                 spins++)
                if (spins % 65536 == 0 && mc_now_ns() >= end)
                    goto out;
            v++;
        }
        sample[n++] = (mc_now_ns() - t0) / MC_HANDOVERS;
    }
out:
    atomic_store(&b->done, 1);
    pthread_join(thread, NULL);
    pthread_setaffinity_np(pthread_self(), sizeof(before), &before);
    free(b);
    if (n == 0)
        return 0;
    qsort(sample, n, sizeof(sample[0]), mc_by_value);
    return (double)sample[n / 2];
}

double rs_machine_distance(const char *client_cpus, const char *target_cpus, unsigned ms)
{
    int client[1024], target[1024];
    if (!client_cpus || !target_cpus || rf_parse_cpu_list(client_cpus, client, 1024) < 1 ||
        rf_parse_cpu_list(target_cpus, target, 1024) < 1 || client[0] == target[0])
        return 0;
    return mc_round_trip(target[0], client[0], ms);
}
