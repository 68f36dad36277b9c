/*
 * target.h - a target server's life: install, build, start on a free loopback port, wait until
 * ready, validate each endpoint before any load, sample its CPU, stop it.
 */
#ifndef RF_TARGET_H
#define RF_TARGET_H

#include <stdint.h>
#include <sys/types.h>

#include "suite.h"

#define RS_REASON_MAX 1024

struct rs_running {
    pid_t pid; /* also the process group: the whole tree is signalled and sampled */
    unsigned port;
    char log[512];
    char version[128];
};

/* Installs what the recipe needs (apt packages not yet installed, npm ci).  Output goes to
 * log.  Returns 0, or -1 with the installer's message in reason. */
int rs_target_install(const struct rs_target *t, const char *log, char reason[RS_REASON_MAX]);
/* Runs the recipe's build command, if any. */
int rs_target_build(const struct rs_target *t, const char *log, char reason[RS_REASON_MAX]);
/* Starts it on a free port, pinned to cpus (a CPU list, or NULL), logging to dir/NAME.log, and
 * waits until it answers (bounded by the recipe's ready timeout). */
int rs_target_start(const struct rs_target *t, const char *cpus, const char *dir,
                    struct rs_running *r, char reason[RS_REASON_MAX]);
/* Checks an endpoint before any load: status, content type prefix, body, two pipelined
 * requests answered in order; for WebSocket endpoints an echo through the engine.  ringfire
 * is the path of the ringfire command.  Returns 0, or -1 with what was wrong and what the
 * server sent. */
int rs_target_validate(const struct rs_running *r, const struct rs_endpoint *e,
                       const char *ringfire, char reason[RS_REASON_MAX]);
/* Whether the server is still running. */
int rs_target_alive(const struct rs_running *r);
/* CPU time (user + system) of the target's process tree, in seconds, and its peak RSS. */
double rs_target_cpu(const struct rs_running *r, uint64_t *peak_rss_bytes);
/* SIGTERM to the process group, SIGKILL after timeout_ns.  Returns 0 when it ended on TERM. */
int rs_target_stop(struct rs_running *r, uint64_t timeout_ns);

/* Runs argv pinned to cpus (or NULL), capturing stdout into *out (malloc'ed) and stderr into
 * log (appended; may be NULL), killing it after timeout_s.  Returns the exit status, -1 when
 * it could not run or was killed; *cpu_s gets its CPU time and *rss its peak RSS. */
int rs_run_capture(const char *const *argv, const char *cpus, int timeout_s, const char *log,
                   char **out, double *cpu_s, uint64_t *rss);

#endif
