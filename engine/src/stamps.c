/*
 * stamps.c - receive timestamps for the run.  The kernel stamps arriving packets only while
 * some socket asks for stamps, and it turns that on in deferred work after the first such
 * socket appears (net_enable_timestamp): the first responses of a run could arrive unstamped,
 * and so could those after every connection closed at once.  A socket held open for the run
 * keeps stamping on; a datagram it sends itself over loopback shows when the kernel stamps.
 */
#include <arpa/inet.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "stamps.h"

#define STAMPS_PROBES 100 /* one per millisecond */

/* Whether the datagram waiting on fd was stamped on arrival.  With SO_TIMESTAMPING alone (no
 * SO_TIMESTAMPNS) the kernel does not stamp it late, at the read, where arrival left none. */
static int stamps_probe(int fd)
{
    char byte, control[CMSG_SPACE(3 * sizeof(struct timespec))];
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    m.msg_control = control;
    m.msg_controllen = sizeof(control);
    if (recvmsg(fd, &m, MSG_DONTWAIT) != 1)
        return 0;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm))
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SO_TIMESTAMPING)
            return 1;
    return 0;
}

int rf__stamps_hold(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int flags = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) < 0 ||
        bind(fd, (struct sockaddr *)&a, len) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
        close(fd);
        return -1;
    }
    for (int i = 0; i < STAMPS_PROBES; i++) {
        /* Loopback delivers within sendto(): the datagram is there when it returns. */
        if (sendto(fd, "", 1, 0, (struct sockaddr *)&a, len) == 1 && stamps_probe(fd))
            break;
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
    return fd;
}
