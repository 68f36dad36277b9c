/*
 * validate.h - checking a target before any load: each endpoint answers as its suite says (a
 * small blocking HTTP/1.1 client), keeps the connection alive and answers pipelined requests
 * in order; a WebSocket endpoint echoes through the engine itself.
 */
#ifndef RF_VALIDATE_H
#define RF_VALIDATE_H

#include "suite.h"
#include "target.h"

/* Whether GET path on the target gets a complete HTTP answer within a second: 0 or -1. */
int rs_http_answers(const struct rs_running *r, const char *path);

/* Checks an endpoint with its own request (method, headers, body): status, content type
 * prefix, body (bytes, or a JSON value), two pipelined requests answered in order; for WebSocket
 * endpoints 4 messages echoed (2 in flight), every echo compared. Returns 0, or -1 with what was
 * wrong and what the server sent. */
int rs_validate(const struct rs_running *r, const struct rs_endpoint *e,
                char reason[RS_REASON_MAX]);

#endif
