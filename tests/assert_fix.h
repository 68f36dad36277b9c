/*
 * assert_fix.h - included first in every test (the Makefile's -include): Criterion 2.4.1, the
 * version Debian 12 ships, makes gt(Tag, a, b) pass when a equals b (it tests !(a < b);
 * Snaipe/Criterion#473, fixed after that release), so a check that a count moved above zero
 * passed on zero.  gt is redefined as lt with its operands swapped, which holds in every
 * version; a failure names the operands the other way round.
 */
#ifndef RF_ASSERT_FIX_H
#define RF_ASSERT_FIX_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#undef gt
#define gt(Tag, Actual, Reference) lt(Tag, Reference, Actual)

#endif
