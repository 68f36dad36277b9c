/*
 * harness.h - integration-test helpers: start the fixture server on port 0, run a command with
 * a time bound and collect its output, read JSON results.
 */
#ifndef RF_TEST_HARNESS_H
#define RF_TEST_HARNESS_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <sys/types.h>

#ifndef RF_BUILD_DIR
#define RF_BUILD_DIR "build"
#endif
#define RINGFIRE RF_BUILD_DIR "/ringfire"
#define FIXTURE RF_BUILD_DIR "/ringfire-fixture"

struct fixture {
    pid_t pid;
    unsigned port;
    char dir[64];
};

/* Starts ringfire-fixture with extra arguments (NULL-terminated; may be NULL) and waits, at
 * most 5 s, for its port file.  Returns 0 or -1. */
int fixture_start(struct fixture *f, const char *const *args);
/* Starts any server that takes "--port-file FILE" after argv (NULL-terminated) and writes its
 * port there.  Returns 0 or -1. */
int server_start(struct fixture *f, const char *const *argv);
/* SIGTERM, then SIGKILL after 3 s.  Returns the exit status, or -1 if it had to be killed. */
int fixture_stop(struct fixture *f);

struct cmd_result {
    int status; /* exit status; -1 when killed by the time bound or a signal */
    char *out;
    char *err;
    long ms; /* from the start until its output closed */
};

/* A signal to send, after_ms from the start. */
struct cmd_signal {
    int sig;
    long after_ms;
};

/* Runs argv (NULL-terminated; a bare name is looked up in PATH) for at most timeout_s seconds. */
void cmd_run(const char *const *argv, int timeout_s, struct cmd_result *r);
/* cmd_run, sending each signal of sigs (ended by sig 0; in order of after_ms) on time. */
void cmd_run_signalled(const char *const *argv, int timeout_s, const struct cmd_signal *sigs,
                       struct cmd_result *r);
void cmd_free(struct cmd_result *r);

struct rr_doc;

/* The results.json in a suite's output directory, through the one loader (rr_load): 0, or -1
 * (the reason logged) when missing or not valid. */
int load_results(const char *out, struct rr_doc *doc);
/* A whole text file, malloc'ed; the test fails when it cannot be read. */
char *read_file(const char *path);

/* A number at a dotted path ("errors.parse", "status.codes.200"); NaN when missing. */
double json_num(const cJSON *root, const char *path);
/* The samples in a ringfire.run/1 histogram (key: histogram, response_histogram...), from its
 * buckets. */
double json_hist_total(const cJSON *run, const char *key);
/* A merged run is its n shards added: requests, responses, 2xx and connections summed, and the
 * three histograms bucket by bucket (json_hist_is_sum). */
void assert_merged(const cJSON *merged, cJSON *const *parts, int n);

/* Runs `ringfire URL ARGS... --json` (args NULL-terminated, at most 32) for at most 60 s and
 * parses what it printed: NULL when that was not JSON. */
cJSON *ringfire_json(const char *url, const char *const *args, struct cmd_result *r);
/* requests - (responses + lost + unanswered) of a ringfire.run/1 result: 0 when every request
 * is accounted for. */
double json_unaccounted(const cJSON *run);

/* Marks this test's process tree: what it starts from now on carries RF_TEST_TREE=<unique> in
 * its environment, so tree_left() finds every process of it still running, whatever its
 * process group or session. */
void tree_mark(void);
/* How many processes other than this one carry the mark (each is logged). */
int tree_left(void);

/* Opens a TCP connection to 127.0.0.1:port with a 5 s receive timeout.  Returns the fd. */
int tcp_connect(unsigned port);
/* Sends all of data. */
int tcp_send(int fd, const void *data, size_t n);
/* Reads until n bytes, the peer closes, or the timeout; returns the bytes read. */
size_t tcp_recv_n(int fd, char *buf, size_t n);
/* Reads until the peer closes (or the timeout).  Returns bytes read into buf (NUL-terminated). */
size_t tcp_recv_all(int fd, char *buf, size_t cap);

#endif
