/*
 * proc.c - running programs with an argument vector, a process group, a CPU pinning and a
 * time bound, and measuring what they used (proc.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "ringfire.h"

#define PR_MAX_OUTPUT (256u << 20) /* what a program may print on stdout before it is cut */

static volatile sig_atomic_t pr_stopping;
/* The process groups running now, for rs_kill_all from a signal handler: 0 is a free slot. */
#define PR_GROUPS 64
static volatile sig_atomic_t pr_groups[PR_GROUPS];

static void pr_track(pid_t group)
{
    for (int i = 0; i < PR_GROUPS; i++)
        if (pr_groups[i] == 0) {
            pr_groups[i] = group;
            return;
        }
}

static void pr_untrack(pid_t group)
{
    for (int i = 0; i < PR_GROUPS; i++)
        if (pr_groups[i] == group)
            pr_groups[i] = 0;
}

void rs_stop(void)
{
    pr_stopping = 1;
}

void rs_kill_all(void)
{
    for (int i = 0; i < PR_GROUPS; i++)
        if (pr_groups[i] > 0)
            kill(-(pid_t)pr_groups[i], SIGKILL);
}

int rs_stopping(void)
{
    return pr_stopping;
}

static uint64_t pr_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void pr_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

/* In the child, before exec: pinning, directory, environment, descriptors.  stdout goes to
 * out_fd when it is >= 0, else to the log. */
static void pr_child(const struct rs_proc *p, int out_fd)
{
    int cpus[1024];
    int n = p && p->cpus ? rf_parse_cpu_list(p->cpus, cpus, 1024) : 0;
    if (n > 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        for (int i = 0; i < n; i++)
            CPU_SET(cpus[i], &set);
        sched_setaffinity(0, sizeof(set), &set);
    }
    if (p && p->dir && chdir(p->dir) < 0)
        _exit(127);
    for (int i = 0; p && p->env && p->env[i]; i++)
        putenv((char *)p->env[i]);
    int log = p && p->log ? open(p->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)
                          : open("/dev/null", O_WRONLY | O_CLOEXEC);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null >= 0)
        dup2(null, 0);
    if (out_fd >= 0)
        dup2(out_fd, 1);
    else if (log >= 0)
        dup2(log, 1);
    if (log >= 0)
        dup2(log, 2);
}

/* Appends what is readable on fd to *buf; returns 0 at the end of the stream or on an error,
 * 1 while it may have more. */
static int pr_read(int fd, char **buf, size_t *len, size_t *cap)
{
    if (*len + 4096 > *cap && *cap < PR_MAX_OUTPUT) {
        char *bigger = realloc(*buf, *cap * 2);
        if (bigger) {
            *buf = bigger;
            *cap *= 2;
        }
    }
    char sink[4096];
    int room = *len + 1 < *cap;
    ssize_t n = room ? read(fd, *buf + *len, *cap - *len - 1) : read(fd, sink, sizeof(sink));
    if (n <= 0)
        return n < 0 && errno == EINTR;
    if (room)
        *len += (size_t)n;
    return 1;
}

/* Waits for pid, reading its stdout from fd (or -1), killing its group at the deadline or
 * when the suite stops.  Returns 1 when it was killed. */
static int pr_wait(pid_t pid, int fd, int timeout_s, char **buf, size_t *len, size_t *cap)
{
    uint64_t deadline = timeout_s > 0 ? pr_now_ms() + (uint64_t)timeout_s * 1000 : 0;
    int killed = 0, open_fd = fd >= 0;
    for (;;) {
        siginfo_t si = {0};
        if (open_fd) {
            struct pollfd pf = {.fd = fd, .events = POLLIN};
            if (poll(&pf, 1, 200) > 0)
                open_fd = pr_read(fd, buf, len, cap);
        } else {
            /* Exited but not reaped, so that its group id cannot be reused yet. */
            if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == pid)
                break;
            pr_sleep_ms(20);
        }
        if (!killed && ((deadline && pr_now_ms() > deadline) || pr_stopping)) {
            kill(-pid, SIGKILL);
            killed = 1;
        }
    }
    kill(-pid, SIGKILL); /* whatever the program left behind */
    return killed;
}

int rs_proc_run(const char *const *argv, const struct rs_proc *p, char **out,
                struct rs_usage *usage)
{
    int fds[2] = {-1, -1};
    if (out)
        *out = NULL;
    if (out && pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        if (out) {
            close(fds[0]);
            close(fds[1]);
        }
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        pr_child(p, fds[1]);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    setpgid(pid, pid); /* also here: the child may not have run yet when the group is killed */
    pr_track(pid);
    size_t len = 0, cap = 65536;
    char *buf = out ? malloc(cap) : NULL;
    if (out)
        close(fds[1]);
    int killed = pr_wait(pid, out ? fds[0] : -1, p ? p->timeout_s : 0, &buf, &len, &cap);
    if (out)
        close(fds[0]);
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    pr_untrack(pid);
    if (buf) {
        buf[len] = '\0';
        *out = buf;
    }
    if (usage) {
        usage->cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
        usage->peak_rss = (uint64_t)ru.ru_maxrss * 1024;
    }
    if (killed)
        return RS_TIMED_OUT;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

pid_t rs_proc_start(const char *const *argv, const struct rs_proc *p)
{
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        pr_child(p, -1);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    if (pid > 0)
        pr_track(pid);
    return pid;
}

int rs_proc_alive(pid_t pid)
{
    return pid > 0 && !rs_proc_ended(pid, NULL, 0);
}

int rs_proc_ended(pid_t pid, char *how, size_t n)
{
    siginfo_t si = {0};
    if (pid <= 0 || waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0) {
        if (how)
            snprintf(how, n, "ended");
        return 1; /* already reaped */
    }
    if (si.si_pid != pid)
        return 0;
    const char *sig = si.si_code == CLD_EXITED ? NULL : sigabbrev_np(si.si_status);
    if (how && sig)
        snprintf(how, n, "was killed by SIG%s", sig);
    else if (how)
        snprintf(how, n, "exited (status %d)", si.si_status);
    return 1;
}

double rs_proc_group_cpu(pid_t group, uint64_t *peak_rss)
{
    double ticks = 0;
    uint64_t rss = 0;
    long hz = sysconf(_SC_CLK_TCK);
    DIR *d = opendir("/proc");
    struct dirent *ent;
    while (d && (ent = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)ent->d_name[0]))
            continue;
        char path[300], buf[1024];
        snprintf(path, sizeof(path), "/proc/%s/stat", ent->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = '\0';
        char *p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
        long pgrp;
        unsigned long utime, stime;
        if (!p ||
            sscanf(p + 2, "%*c %*d %ld %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &pgrp, &utime,
                   &stime) != 3 ||
            pgrp != group)
            continue;
        ticks += (double)(utime + stime);
        snprintf(path, sizeof(path), "/proc/%s/status", ent->d_name);
        f = fopen(path, "r");
        while (f && fgets(buf, sizeof(buf), f))
            if (strncmp(buf, "VmHWM:", 6) == 0)
                rss += strtoull(buf + 6, NULL, 10) * 1024;
        if (f)
            fclose(f);
    }
    if (d)
        closedir(d);
    if (peak_rss)
        *peak_rss = rss;
    return ticks / (double)hz;
}

int rs_proc_stop(pid_t group, uint64_t timeout_ns)
{
    if (group <= 0)
        return 0;
    kill(-group, SIGTERM);
    uint64_t deadline = pr_now_ms() + timeout_ns / 1000000;
    int rc = -1;
    while (pr_now_ms() < deadline) {
        siginfo_t si = {0};
        if (waitid(P_PID, (id_t)group, &si, WEXITED | WNOHANG | WNOWAIT) < 0 ||
            si.si_pid == group) {
            rc = 0;
            break;
        }
        pr_sleep_ms(20);
    }
    kill(-group, SIGKILL); /* whatever is left of the group */
    waitpid(group, NULL, 0);
    pr_untrack(group);
    return rc;
}

static int pr_remove(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

int rs_remove_tree(const char *path)
{
    nftw(path, pr_remove, 8, FTW_DEPTH | FTW_PHYS);
    return access(path, F_OK) == 0 ? -1 : 0;
}

int rs_which(const char *prog)
{
    const char *path = getenv("PATH");
    char buf[4096];
    snprintf(buf, sizeof(buf), "%s", path ? path : "/usr/bin:/bin");
    for (char *save, *dir = strtok_r(buf, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        char full[4200];
        snprintf(full, sizeof(full), "%s/%s", dir, prog);
        if (access(full, X_OK) == 0)
            return 1;
    }
    return 0;
}
