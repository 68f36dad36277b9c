/*
 * err.c - texts and names for engine error codes and errno values.
 */
#include <errno.h>
#include <string.h>

#include "ringfire.h"

const char *rf_strerror(int err)
{
    switch ((enum rf_err)err) {
#define RF_X_TEXT(name, text)                                                                      \
    case name:                                                                                     \
        return text;
        RF_ERRORS(RF_X_TEXT)
#undef RF_X_TEXT
    case RF_ERR_BASE_:
    case RF_ERR_END_:
        break;
    }
    if (err == 0)
        return "success";
    return strerror(err < 0 ? -err : err);
}

const char *rf_err_name(int err)
{
    switch ((enum rf_err)err) {
#define RF_X_NAME(name, text)                                                                      \
    case name:                                                                                     \
        return #name;
        RF_ERRORS(RF_X_NAME)
#undef RF_X_NAME
    case RF_ERR_BASE_:
    case RF_ERR_END_:
        break;
    }
    if (err == 0)
        return "OK";
    const char *name = strerrorname_np(err < 0 ? -err : err);
    return name ? name : "EUNKNOWN";
}
