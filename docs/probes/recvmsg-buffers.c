/*
 * recvmsg-buffers.c - whether this kernel's bundled receives and incremental provided buffers
 * can serve ringfire's receives, which are multishot recvmsg (for the kernel's arrival stamp in
 * a control message).  Evidence for docs/engine.md, "Levers for large responses".
 *
 *   cc -O1 docs/probes/recvmsg-buffers.c -o /tmp/recvmsg-buffers -luring && /tmp/recvmsg-buffers
 *
 * Each line names a case and the result of its first two completions (a negative result is an
 * errno).  liburing 2.3 lacks the constants; they are defined as the kernel's uapi has them.
 */
#include <arpa/inet.h>
#include <liburing.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROBE_PBUF_RING_INC 2u          /* IOU_PBUF_RING_INC, Linux 6.12 */
#define PROBE_CQE_F_BUF_MORE (1u << 4)  /* IORING_CQE_F_BUF_MORE */
#define PROBE_RECVSEND_BUNDLE (1u << 4) /* IORING_RECVSEND_BUNDLE, Linux 6.10 */

static int tcp_pair(int *client, int *server)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, len) || listen(ls, 1) ||
        getsockname(ls, (struct sockaddr *)&a, &len))
        return -1;
    *client = socket(AF_INET, SOCK_STREAM, 0);
    if (*client < 0 || connect(*client, (struct sockaddr *)&a, len))
        return -1;
    *server = accept(ls, NULL, NULL);
    close(ls);
    return *server < 0 ? -1 : 0;
}

/* One multishot receive into buffers of buf_size; two 20-byte writes; prints the completions. */
static void probe(const char *name, int use_recvmsg, unsigned ring_flags, unsigned ioprio,
                  unsigned buf_size)
{
    struct io_uring ring;
    int c, s;
    if (io_uring_queue_init(8, &ring, 0) || tcp_pair(&c, &s)) {
        printf("%-52s cannot set up\n", name);
        return;
    }
    enum { NBUFS = 4 };
    struct io_uring_buf_ring *br =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    char *bufs =
        mmap(NULL, NBUFS * buf_size, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    struct io_uring_buf_reg reg;
    memset(&reg, 0, sizeof(reg));
    reg.ring_addr = (unsigned long)br;
    reg.ring_entries = NBUFS;
    reg.bgid = 1;
    reg.pad = (unsigned short)ring_flags; /* "flags" in the kernel's uapi */
    int rc = io_uring_register_buf_ring(&ring, &reg, 0);
    if (rc < 0) {
        printf("%-52s buffer ring refused: %d\n", name, rc);
        goto out;
    }
    io_uring_buf_ring_init(br);
    for (unsigned i = 0; i < NBUFS; i++)
        io_uring_buf_ring_add(br, bufs + i * buf_size, buf_size, (unsigned short)i, NBUFS - 1,
                              (int)i);
    io_uring_buf_ring_advance(br, NBUFS);

    struct msghdr mh;
    memset(&mh, 0, sizeof(mh));
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    if (use_recvmsg)
        io_uring_prep_recvmsg_multishot(sqe, c, &mh, 0);
    else
        io_uring_prep_recv_multishot(sqe, c, NULL, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = 1;
    sqe->ioprio |= (unsigned short)ioprio;
    io_uring_submit(&ring);

    printf("%-52s", name);
    for (int k = 0; k < 2; k++) {
        if (write(s, "abcdefghijklmnopqrst", 20) != 20)
            break;
        struct io_uring_cqe *cqe;
        if (io_uring_wait_cqe(&ring, &cqe))
            break;
        printf(" res %d%s%s", cqe->res,
               cqe->flags & PROBE_CQE_F_BUF_MORE ? " (buffer continues)" : "",
               cqe->flags & IORING_CQE_F_MORE ? "" : " (receive ended)");
        int ended = !(cqe->flags & IORING_CQE_F_MORE);
        io_uring_cqe_seen(&ring, cqe);
        if (ended)
            break;
    }
    printf("\n");
out:
    close(c);
    close(s);
    io_uring_queue_exit(&ring);
}

int main(void)
{
    probe("recv, bundle", 0, 0, PROBE_RECVSEND_BUNDLE, 4096);
    probe("recvmsg, bundle", 1, 0, PROBE_RECVSEND_BUNDLE, 4096);
    probe("recvmsg, incremental buffers of 4096", 1, PROBE_PBUF_RING_INC, 0, 4096);
    /* 16 header bytes + 20 leave 12: less than the next read's header. */
    probe("recvmsg, incremental buffers of 48 (a short rest)", 1, PROBE_PBUF_RING_INC, 0, 48);
    probe("recv, incremental buffers of 48 (a short rest)", 0, PROBE_PBUF_RING_INC, 0, 48);
    return 0;
}
