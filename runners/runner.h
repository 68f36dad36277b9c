/*
 * runner.h - what the ringfire command calls in runners/: `ringfire suite`.
 */
#ifndef RF_RUNNER_H
#define RF_RUNNER_H

#include <signal.h>

/* `ringfire suite FILE|NAME [--dry-run] [--out DIR] [--resume DIR] [-q]`: the exit status. */
int rs_suite_main(int argc, char **argv);

/* Set by SIGINT/SIGTERM during a suite: the running client is stopped, results are kept. */
extern volatile sig_atomic_t rs_interrupted;

#endif
