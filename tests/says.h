/*
 * says.h - test helper for unit and integration tests: assert that a text (a command's output,
 * a report) contains a part, showing the whole text when it does not.
 */
#ifndef RF_TEST_SAYS_H
#define RF_TEST_SAYS_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#define assert_says(text, part) cr_assert(not(eq(ptr, strstr((text), (part)), NULL)), "%s", (text))

#endif
