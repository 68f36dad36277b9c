/*
 * suite.h - a benchmark suite: what it is made of once loaded and checked, and its matrix of
 * cells.  Loading (suite.c) validates everything before any server starts; every error names
 * the file, the JSON path, what was expected and what was found.
 */
#ifndef RF_SUITE_H
#define RF_SUITE_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "results.h"

#define RS_MAX_AXIS 32
#define RS_MAX_NAMES 32
#define RS_MAX_TOOLS 16
#define RS_MAX_CELLS 100000
#define RS_ERR_MAX RJ_ERR_MAX

struct rs_endpoint {
    char *name;
    char *path;
    int websocket; /* an echo endpoint, loaded with WebSocket messages */
    /* the request: method (NULL: GET), headers ("Name: value"), body (NULL: none) */
    char *method;
    char *headers[RS_MAX_NAMES];
    unsigned nheaders;
    char *request_body;
    /* what a correct answer is */
    int status;         /* expected status (HTTP); other answers are errors */
    char *content_type; /* expected Content-Type prefix; NULL: not checked */
    char *body;         /* the exact body expected; NULL: not checked */
    char *body_contains;
    char *json; /* a JSON value the body must equal as a value (spacing and key order free) */
};

/* How to install, build, start, check and stop one server (fixtures/targets/NAME.json). */
struct rs_target {
    char *name;
    char *file; /* where the recipe came from ("inline" for one in the suite) */
    char *apt[RS_MAX_NAMES];
    unsigned napt;
    char *npm_dir; /* a directory with a package-lock.json: npm ci there */
    char *build;   /* a shell command, run once */
    char *start;   /* a shell command; {port} is the port, {dir} the run directory */
    char *version; /* a shell command whose first line is the version */
    char *ready_path;
    uint64_t ready_timeout_ns;
    uint64_t stop_timeout_ns;
    uint64_t build_timeout_ns;     /* the build command is stopped after this */
    char *endpoints[RS_MAX_NAMES]; /* the endpoints it serves */
    unsigned nendpoints;
    char *settings; /* its configuration in words (workers, processes), for the report */
    int reference;  /* shown in reports but never ranked (ringfire's own fixture) */
    char *url;      /* a server already running there: nothing installed, started or stopped */
    char *ringfire; /* the ringfire command that loads its cells (an A/B of two builds); NULL: this
                       one */
    unsigned twin;  /* a copy of targets[twin - 1] in an A/A run (rs_suite_twin); 0: none */
};

struct rs_match {
    char *target;
    char *endpoint;
    int tool;                       /* a place in rs_tools[]; -1: any */
    unsigned connections, pipeline; /* 0: any */
    int has_rate;                   /* 0: any rate */
    struct rr_rate rate;
};

/* How many runs a cell gets: at least min, and more, up to max, until the interval of its
 * median lies within target of the median (a fraction; 0: min = max, no target). */
struct rs_reps {
    unsigned min, max;
    double target;
};

struct rs_override {
    struct rs_match match;
    uint64_t duration_ns; /* 0: unchanged */
    struct rs_reps reps;  /* max 0: unchanged */
};

struct rs_suite {
    char *file;
    char sha256[65]; /* of the suite file, in hex */
    char *name;
    char *description;
    struct rs_target targets[RS_MAX_NAMES];
    unsigned ntargets;
    struct rs_endpoint endpoints[RS_MAX_NAMES];
    unsigned nendpoints;
    unsigned connections[RS_MAX_AXIS];
    unsigned nconnections;
    unsigned pipeline[RS_MAX_AXIS];
    unsigned npipeline;
    unsigned threads[RS_MAX_AXIS]; /* 0: the client CPUs */
    unsigned nthreads;
    unsigned ws_bytes[RS_MAX_AXIS]; /* WebSocket message sizes */
    unsigned nws_bytes;
    struct rr_rate rates[RS_MAX_AXIS]; /* present 0: the closed loop ("peak") */
    unsigned nrates;
    int tools[RS_MAX_TOOLS]; /* places in rs_tools[], each once */
    unsigned ntools;
    struct rs_reps reps;
    uint64_t duration_ns;
    uint64_t warmup_ns;
    uint64_t timeout_ns; /* per request, for every tool that has one */
    char *client_cpus;   /* a CPU list, or NULL: chosen at run time */
    char *target_cpus;
    char *agents; /* "host,host": ringfire's runs go to these over ssh (--agents); NULL: here */
    uint64_t seed;
    int interleave;    /* all targets run at once, taking turns cell by cell (A/B comparisons) */
    struct rr_slo slo; /* the objective of the cells whose rate is "slo" */
    struct rs_match exclude[RS_MAX_NAMES];
    unsigned nexclude;
    struct rs_override overrides[RS_MAX_NAMES];
    unsigned noverrides;
};

/* One cell of the matrix: a target, an endpoint and a tool at one point of the axes. */
struct rs_cell {
    unsigned target;
    unsigned endpoint;
    int tool; /* a place in rs_tools[] */
    unsigned connections;
    unsigned pipeline;
    unsigned threads;
    unsigned ws_bytes;   /* 0 for HTTP */
    struct rr_rate rate; /* the open model's rate; present 0: the closed loop */
    struct rs_reps reps;
    uint64_t duration_ns;
    char id[256]; /* rr_cell_id(): "nginx/json/ringfire/c64/p16/t0" */
};

/* Loads and checks a suite.  NAME without a slash or ".json" means suites/NAME.json; recipes
 * named by a target are read from fixtures/targets/NAME.json.  Target, endpoint and suite names
 * must be rr_name_ok(), apt entries Debian package names.  Returns 0, or -1 with the message
 * in err. */
int rs_suite_load(const char *name_or_path, struct rs_suite *suite, char err[RS_ERR_MAX]);
/* The same from text in memory; file stands for the suite's file in messages. */
int rs_suite_parse(const char *file, const char *text, size_t len, struct rs_suite *suite,
                   char err[RS_ERR_MAX]);
void rs_suite_free(struct rs_suite *suite);

/* Adds a copy of every target, named NAME + suffix, and makes the suite interleaved: an A/A run
 * (`ringfire calibrate`).  Matches, excludes and overrides apply to a copy as to its target.
 * Returns 0, or -1 with the reason in err (too many targets, out of memory). */
int rs_suite_twin(struct rs_suite *suite, const char *suffix, char err[RS_ERR_MAX]);

/* The cells, in matrix order: targets, endpoints, tools, connections, pipeline, threads,
 * message sizes; excluded cells are left out, overrides applied.  Returns the number of cells
 * (the array is malloc'ed) or -1 when out of memory. */
int rs_expand(const struct rs_suite *suite, struct rs_cell **cells);

/* Whether two rates of the axis are the same value ("peak", "50%", 20000, "slo"). */
int rs_rate_same(const struct rr_rate *a, const struct rr_rate *b);
/* Whether a match object matches a cell. */
int rs_match_cell(const struct rs_suite *suite, const struct rs_match *m, const struct rs_cell *c);

/* Whether host can go to ssh as an agent: [user@]name or address, never an option. */
int rs_agent_host_ok(const char *host);

#endif
