/*
 * bufring.h - a provided buffer ring, mapped and registered by hand.
 *
 * liburing 2.3 (Debian 12) has the buffer-ring helpers but not io_uring_setup_buf_ring(), so
 * the ring memory is mmap'ed here and registered with io_uring_register_buf_ring().
 */
#ifndef RF_BUFRING_H
#define RF_BUFRING_H

#include <liburing.h>

struct rf__bufring {
    struct io_uring_buf_ring *br;
    char *bufs;
    size_t ring_bytes;
    size_t bufs_bytes;
    unsigned count; /* a power of two */
    unsigned size;
    unsigned pending; /* buffers added since the last publish */
    int bgid;
};

int rf__bufring_setup(struct io_uring *ring, struct rf__bufring *b, unsigned count, unsigned size,
                      int bgid);
void rf__bufring_free(struct io_uring *ring, struct rf__bufring *b);

static inline char *rf__bufring_data(const struct rf__bufring *b, unsigned bid)
{
    return b->bufs + (size_t)bid * b->size;
}

/* Gives buffer bid back; the kernel sees it after rf__bufring_publish(). */
static inline void rf__bufring_put(struct rf__bufring *b, unsigned bid)
{
    io_uring_buf_ring_add(b->br, rf__bufring_data(b, bid), b->size, (unsigned short)bid,
                          io_uring_buf_ring_mask(b->count), (int)b->pending++);
}

/* One release store for every buffer given back in this loop turn. */
static inline void rf__bufring_publish(struct rf__bufring *b)
{
    if (b->pending) {
        io_uring_buf_ring_advance(b->br, (int)b->pending);
        b->pending = 0;
    }
}

#endif
