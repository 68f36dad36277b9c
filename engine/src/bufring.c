/*
 * bufring.c - set-up and tear-down of a hand-mapped provided buffer ring.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "bufring.h"
#include "ringfire.h"

int rf__bufring_setup(struct io_uring *ring, struct rf__bufring *b, unsigned count, unsigned size,
                      int bgid)
{
    memset(b, 0, sizeof(*b));
    b->count = count;
    b->size = size;
    b->bgid = bgid;
    /* The kernel wants the ring page-aligned; an anonymous mapping is. */
    b->ring_bytes = (size_t)count * sizeof(struct io_uring_buf);
    void *mem =
        mmap(NULL, b->ring_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (mem == MAP_FAILED)
        return RF_ENOMEM;
    b->br = mem;
    b->bufs_bytes = (size_t)count * size;
    mem = mmap(NULL, b->bufs_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (mem == MAP_FAILED) {
        munmap(b->br, b->ring_bytes);
        b->br = NULL;
        return RF_ENOMEM;
    }
    b->bufs = mem;

    struct io_uring_buf_reg reg;
    memset(&reg, 0, sizeof(reg));
    reg.ring_addr = (unsigned long)b->br;
    reg.ring_entries = count;
    reg.bgid = (unsigned short)bgid;
    int rc = io_uring_register_buf_ring(ring, &reg, 0);
    if (rc < 0) {
        munmap(b->bufs, b->bufs_bytes);
        munmap(b->br, b->ring_bytes);
        b->bufs = NULL;
        b->br = NULL;
        return RF_EBUFRING;
    }
    io_uring_buf_ring_init(b->br);
    for (unsigned i = 0; i < count; i++)
        rf__bufring_put(b, i);
    rf__bufring_publish(b);
    return 0;
}

void rf__bufring_free(struct io_uring *ring, struct rf__bufring *b)
{
    if (!b->br)
        return;
    io_uring_unregister_buf_ring(ring, b->bgid);
    munmap(b->bufs, b->bufs_bytes);
    munmap(b->br, b->ring_bytes);
    b->br = NULL;
}
