/*
 * jsonx.h - reading fields of cJSON objects, for runners/ and reports/: a number (NaN when
 * missing or not a number) and a string ("" when missing).
 */
#ifndef RF_JSONX_H
#define RF_JSONX_H

#include <cjson/cJSON.h>
#include <math.h>

static inline double rs_json_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static inline const char *rs_json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

#endif
