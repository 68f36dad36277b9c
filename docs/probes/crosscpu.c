/*
 * crosscpu.c - how far apart two CPUs are: the median round trip, in ns, of a cache line handed
 * between a thread on each for MS milliseconds (rs_machine_distance, the reading a suite's
 * results record when it begins and ends).  On a virtual machine the answer follows where the
 * host runs the two virtual CPUs: about 95 ns on the development machine when they share a
 * cache, about 415-660 ns when they do not, switching between the two for seconds or minutes at
 * a time.  A client and a server pinned to those CPUs pass every request and answer across that
 * distance, so both sides' CPU per request moves with it.  ci/bench runs it before and after
 * every run; evidence for docs/benchmarks.md, "The machine's two CPUs, near and far".
 *
 *   make && cc -O2 -Iengine/include -Ischema -Irunners docs/probes/crosscpu.c build/librunners.a \
 *       build/libschema.a build/libringfire.a -pthread -o /tmp/crosscpu && /tmp/crosscpu 0 1 100
 */
#include <stdio.h>
#include <stdlib.h>

#include "machine.h"

int main(int argc, char **argv)
{
    long ms = argc == 4 ? strtol(argv[3], NULL, 10) : 0;
    if (argc != 4 || ms <= 0 || ms > 10000) {
        fprintf(stderr, "usage: crosscpu CPU_A CPU_B MS (two different CPUs, 0 < MS <= 10000)\n");
        return 2;
    }
    double ns = rs_machine_distance(argv[2], argv[1], (unsigned)ms);
    if (!(ns > 0)) {
        fprintf(stderr, "crosscpu: no round trip between CPUs %s and %s (one CPU, or one this "
                        "process may not use)\n",
                argv[1], argv[2]);
        return 1;
    }
    printf("%.0f\n", ns);
    return 0;
}
