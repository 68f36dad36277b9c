/*
 * parse.h - the return contract shared by the protocol parsers (h1, ws).
 *
 * A parser returns the bytes it consumed (> 0) when it completed one message, or one of these.
 */
#ifndef RF_PARSE_H
#define RF_PARSE_H

#define RF_PARSE_INCOMPLETE (-1) /* every byte was consumed; the message needs more */
#define RF_PARSE_ERROR (-2)      /* the input breaks the protocol; the connection is unusable */

#endif
