/*
 * ud.h - what an io_uring user_data carries: {op, generation, connection index}.
 *
 * Never a pointer: a connection can be closed and re-opened while completions for its old
 * socket are still on their way.  Re-opening bumps the generation, and a completion whose
 * generation differs from the connection's is stale and dropped.
 *
 *   63      56 55                  32 31                             0
 *  +----------+----------------------+--------------------------------+
 *  |    op    |  generation (24 bit) |  connection index (32 bit)     |
 *  +----------+----------------------+--------------------------------+
 */
#ifndef RF_UD_H
#define RF_UD_H

#include <stdint.h>

enum rf__op {
    RF_OP_CONNECT = 1,
    RF_OP_RECV = 2,
    RF_OP_SEND = 3,
    RF_OP_CANCEL = 4,
    RF_OP_TICK = 5, /* the worker's periodic timeout; not a connection's */
};

#define RF_UD_GEN_MASK 0xffffffu

static inline uint64_t rf__ud_pack(enum rf__op op, uint32_t gen, uint32_t idx)
{
    return (uint64_t)op << 56 | (uint64_t)(gen & RF_UD_GEN_MASK) << 32 | idx;
}

static inline enum rf__op rf__ud_op(uint64_t ud)
{
    return (enum rf__op)(ud >> 56);
}

static inline uint32_t rf__ud_gen(uint64_t ud)
{
    return (uint32_t)(ud >> 32) & RF_UD_GEN_MASK;
}

static inline uint32_t rf__ud_idx(uint64_t ud)
{
    return (uint32_t)ud;
}

#endif
