/*
 * tcpinfo.c - TCP_INFO counters.  A module of its own because glibc's struct tcp_info stops
 * short of the fields read here, and <linux/tcp.h>, which has them, clashes with
 * <netinet/tcp.h>.
 */
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

#include "tcpinfo.h"

int rf__tcp_received(int fd, uint64_t *bytes, uint32_t *data_segs)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 ||
        len < offsetof(struct tcp_info, tcpi_data_segs_in) + sizeof(ti.tcpi_data_segs_in))
        return -1;
    *bytes = ti.tcpi_bytes_received;
    *data_segs = ti.tcpi_data_segs_in;
    return 0;
}
