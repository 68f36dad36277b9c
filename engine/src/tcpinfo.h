/*
 * tcpinfo.h - what the kernel counted on a TCP connection.
 */
#ifndef RF_TCPINFO_H
#define RF_TCPINFO_H

#include <stdint.h>

/* In-order bytes and data segments the connection has received, read by us or not (TCP_INFO:
 * tcpi_bytes_received, tcpi_data_segs_in).  Returns -1 where the kernel does not say. */
int rf__tcp_received(int fd, uint64_t *bytes, uint32_t *data_segs);

#endif
