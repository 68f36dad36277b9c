/*
 * request.h - the request bytes, built once before the run.
 *
 * A pipeline of N requests is N copies back to back in one buffer, so filling k slots of a
 * pipeline is one send of the first k copies.  For WebSocket it is the upgrade request, once,
 * with room for each connection's own key.
 */
#ifndef RF_REQUEST_H
#define RF_REQUEST_H

#include <stddef.h>

#include "ringfire.h"

struct rf__request {
    char *pipeline; /* copies requests of len bytes */
    size_t len;
    unsigned copies;
    int head;          /* the method is HEAD: responses carry no body */
    size_t key_offset; /* WebSocket: where the Sec-WebSocket-Key value goes (RF_WS_KEY_LEN) */
};

/* Validates method and headers and builds the pipeline buffer.  Returns 0, RF_EHEADER,
 * RF_EMETHOD or RF_ENOMEM. */
int rf__request_build(const struct rf_config *config, struct rf__request *req);
void rf__request_free(struct rf__request *req);

#endif
