/*
 * machine.c - the facts about the machine a report's method block states: the distribution,
 * memory, SMT, virtualization, CPU frequency governor and the TCP settings that matter for
 * loopback load, read from /etc, /proc and /sys (no command is run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"

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
