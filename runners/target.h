/*
 * target.h - a target server's life: install what its recipe needs, build it, start it on a
 * free loopback port pinned to its CPUs, wait until it answers, sample it, stop it.
 */
#ifndef RF_TARGET_H
#define RF_TARGET_H

#include <stdint.h>
#include <sys/types.h>

#include "suite.h"

#define RS_REASON_MAX 1024

struct rs_running {
    pid_t pid; /* also the process group: the whole tree is signalled and sampled; 0 when the
                * target is not ringfire's to manage (a url) */
    unsigned port;
    char authority[80]; /* HOST:PORT, as a URL and a Host header write it */
    char host[64];      /* numeric, without brackets */
    char log[512];
    char version[128];
    char share[64]; /* the target's {share} folder, removed when it stops; "" when none */
};

/* Installs what the recipe needs (Debian packages not yet installed, npm ci), with argument
 * vectors: no package name ever reaches a shell.  Output goes to log.  Returns 0, or -1 with
 * the reason. */
int rs_target_install(const struct rs_target *t, const char *log, char reason[RS_REASON_MAX]);
/* Runs the recipe's build command, if any, within its time bound. */
int rs_target_build(const struct rs_target *t, const char *log, char reason[RS_REASON_MAX]);
/* Starts it on a free port, pinned to cpus (a CPU list, or NULL), logging to dir/NAME.log, and
 * waits until it answers (bounded by the recipe's ready timeout).  A target at a url is not
 * started: it must answer there. */
int rs_target_start(const struct rs_target *t, const char *cpus, const char *dir,
                    struct rs_running *r, char reason[RS_REASON_MAX]);
/* Whether the server is still running (a target at a url is taken to be). */
int rs_target_alive(const struct rs_running *r);
/* CPU time (user + system) of the target's process tree, in seconds, and its peak RSS; NaN for
 * a target at a url. */
double rs_target_cpu(const struct rs_running *r, uint64_t *peak_rss_bytes);
/* SIGTERM to the process group, SIGKILL after timeout_ns, then its {share} folder removed.
 * Returns 0 when it ended on TERM. */
int rs_target_stop(struct rs_running *r, uint64_t timeout_ns);

#endif
