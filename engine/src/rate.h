/*
 * rate.h - the open model's account of a run and its verdict (rate.c).
 */
#ifndef RF_RATE_H
#define RF_RATE_H

#include "ringfire.h"

/* Fills res->rate from the merged result: target is what the schedule asked for in the
 * measured phase, worker_cpu the busiest worker's CPU over that phase. */
void rf__rate_account(struct rf_result *res, const struct rf_config *config, double target,
                      double worker_cpu);

#endif
