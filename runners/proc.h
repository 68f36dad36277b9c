/*
 * proc.h - running other programs for a suite: load tools, installers, target servers.  Every
 * program gets an argument vector (a shell only for a suite's own build, start and version
 * commands, which are commands by design), its own process group, an optional CPU pinning and
 * a time bound; its CPU time and peak memory are measured.  Nothing it starts outlives it.
 */
#ifndef RF_PROC_H
#define RF_PROC_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#define RS_TIMED_OUT -2 /* the time bound ran out and the process group was killed */

/* How to run a program.  Every field may be 0/NULL. */
struct rs_proc {
    const char *cpus;       /* a CPU list to pin it to */
    const char *dir;        /* its working directory */
    const char *log;        /* stderr (and stdout where not captured) appended here */
    int timeout_s;          /* 0: no bound */
    const char *const *env; /* "NAME=value" entries added to the environment */
    int session;            /* a session of its own (setsid), for servers */
};

/* What a finished program used. */
struct rs_usage {
    double cpu_s;      /* user + system */
    uint64_t peak_rss; /* bytes */
};

/* Runs argv and waits, capturing stdout into *out (malloc'ed, NUL-terminated) when out is not
 * NULL.  Returns the exit status, RS_TIMED_OUT, or -1 when it could not run or died of a
 * signal; usage, when not NULL, gets what it used. */
int rs_proc_run(const char *const *argv, const struct rs_proc *p, char **out,
                struct rs_usage *usage);
/* Starts argv in the background, in a session of its own (stdin from /dev/null).  Returns its
 * pid (also its process group), or -1. */
pid_t rs_proc_start(const char *const *argv, const struct rs_proc *p);
/* Whether a started process is still running. */
int rs_proc_alive(pid_t pid);
/* Whether it has ended, and then how, in words ("exited (status 3)", "was killed by SIGKILL"),
 * into how when not NULL.  It is not reaped: its process group id stays reserved until
 * rs_proc_stop. */
int rs_proc_ended(pid_t pid, char *how, size_t n);
/* The CPU time (user + system, seconds) of every process of a group, and their peak RSS. */
double rs_proc_group_cpu(pid_t group, uint64_t *peak_rss);
/* SIGTERM to a group, SIGKILL to what is left after timeout_ns; reaps the leader.  Returns 0
 * when the leader ended on TERM. */
int rs_proc_stop(pid_t group, uint64_t timeout_ns);
/* Removes path and, if it is a directory, everything in it, following no links (what cannot be
 * removed stays).  Returns 0 when nothing is left at path, else -1. */
int rs_remove_tree(const char *path);
/* Whether prog is an executable on PATH. */
int rs_which(const char *prog);

/* Asks every running and later rs_proc_run to stop (the group is killed) and the suite to end
 * soon.  Async-signal-safe. */
void rs_stop(void);
int rs_stopping(void);
/* SIGKILL to every process group running now, for a second Ctrl-C.  Async-signal-safe. */
void rs_kill_all(void);

#endif
