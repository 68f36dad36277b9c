/*
 * stamps.h - the kernel's receive timestamps, on for the whole run.
 */
#ifndef RF_STAMPS_H
#define RF_STAMPS_H

/* Turns receive timestamps on system-wide and waits until they are (one or two ms; it gives up
 * after 100).  Returns a socket that keeps them on until closed, or -1 where the kernel
 * refuses. */
int rf__stamps_hold(void);

#endif
