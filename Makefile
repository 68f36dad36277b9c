# ringfire - one entry point: all, test, check, bench, suite, gate, baseline, soak, format,
# format-check, clean, install
#
#   make                     build build/ringfire and build/ringfire-fixture
#   make test                install missing packages, build, run unit and integration tests
#   make test SAN=address,undefined   the same under the sanitizers (in build/san/)
#   make bench               ringfire vs wrk and gcannon against the fixture server and nginx
#                            (BASELINE=path: and another ringfire build; PROFILE=1: perf)
#   make fuzz                libFuzzer on every parser and loader (FUZZ_SECONDS each, default 60)
#   make gate                ringfire as of GATE_BASE (default HEAD) against this tree, A/B
#   make baseline            run suites/ci.json, make it the new ci/baselines/ci.json
#   make soak                an hour at 5k/s: memory, open files and p99 must stay flat
#   make install PREFIX=/usr/local

CC ?= cc
CFLAGS ?= -O2 -g
PREFIX ?= /usr/local
PKGS := liburing libcjson libcrypto zlib

# The packages' flags are read when a command runs, not when the Makefile is read: on a fresh
# machine `deps` installs them first (every object waits for it, also under make -j).
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla -Wundef -Wno-missing-field-initializers \
	-MMD -MP -pthread $(PKG_CFLAGS)
ifeq ($(CI),true)
override CFLAGS += -Werror
endif
LDLIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread

BUILD := build
ifneq ($(SAN),)
BUILD := build/san
override CFLAGS += -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SAN)
endif
# The fuzz build (make fuzz calls it): clang's libFuzzer with its sanitizers.
ifeq ($(FUZZ),1)
BUILD := build/fuzz
override CFLAGS += -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
endif

ENGINE_SRC := $(wildcard engine/src/*.c)
SCHEMA_SRC := $(wildcard schema/*.c)
RUNNER_SRC := $(wildcard runners/*.c)
REPORT_SRC := $(wildcard reports/*.c)
CLI_SRC := $(filter-out cli/main.c,$(wildcard cli/*.c))
FIXTURE_SRC := $(wildcard fixtures/server/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
INTEG_SRC := $(wildcard tests/integration/test_*.c)
TEST_HELPERS := tests/integration/harness.c
FORMAT_FILES := $(shell find cli engine schema runners reports fixtures fuzz tests -name '*.[ch]' \
	2>/dev/null)

LIB := $(BUILD)/libringfire.a
SCHEMA_LIB := $(BUILD)/libschema.a
RUNNER_LIB := $(BUILD)/librunners.a
REPORT_LIB := $(BUILD)/libreports.a
CLI_LIB := $(BUILD)/libcli.a
# Above the engine, top to bottom: each library uses only those after it.
LIBS := $(CLI_LIB) $(REPORT_LIB) $(RUNNER_LIB) $(SCHEMA_LIB) $(LIB)
BIN := $(BUILD)/ringfire
FIXTURE := $(BUILD)/ringfire-fixture
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
INTEG_BIN := $(patsubst tests/integration/%.c,$(BUILD)/tests/%,$(INTEG_SRC))
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN := $(patsubst fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 60

INC := -Iengine/include -Iengine/src -Ischema -Irunners -Ireports -Icli

.PHONY: all deps test unit integration check bench suite gate baseline soak fuzz fuzz-build format \
	format-check clean install

all: deps $(BIN) $(FIXTURE)

deps:
	@ci/install-deps build

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INC) -c $< -o $@

$(LIB): $(patsubst %.c,$(BUILD)/%.o,$(ENGINE_SRC))
	$(AR) rcs $@ $^

$(SCHEMA_LIB): $(patsubst %.c,$(BUILD)/%.o,$(SCHEMA_SRC))
	$(AR) rcs $@ $^

$(RUNNER_LIB): $(patsubst %.c,$(BUILD)/%.o,$(RUNNER_SRC))
	$(AR) rcs $@ $^

$(REPORT_LIB): $(patsubst %.c,$(BUILD)/%.o,$(REPORT_SRC))
	$(AR) rcs $@ $^

$(CLI_LIB): $(patsubst %.c,$(BUILD)/%.o,$(CLI_SRC))
	$(AR) rcs $@ $^

$(BIN): $(BUILD)/cli/main.o $(LIBS)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(FIXTURE): $(patsubst %.c,$(BUILD)/%.o,$(FIXTURE_SRC))
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# Every test is compiled with tests/assert_fix.h first (Criterion 2.4.1's gt is >=).
TEST_FLAGS := -include tests/assert_fix.h

$(BUILD)/tests/%: tests/unit/%.c tests/assert_fix.h $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INC) $(TEST_FLAGS) $< $(LIBS) $(LDFLAGS) $(LDLIBS) -lcriterion -o $@

# The harness asserts with Criterion's older macros, which its new assert.h breaks: compiled
# on its own, without TEST_FLAGS.
$(BUILD)/tests/harness.o: $(TEST_HELPERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INC) -DRF_BUILD_DIR='"$(abspath $(BUILD))"' -c $< -o $@

$(BUILD)/tests/%: tests/integration/%.c tests/assert_fix.h $(BUILD)/tests/harness.o $(BIN) $(FIXTURE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INC) $(TEST_FLAGS) -DRF_BUILD_DIR='"$(abspath $(BUILD))"' $< \
		$(BUILD)/tests/harness.o $(LIBS) $(LDFLAGS) $(LDLIBS) -lcriterion -o $@

# make fuzz: libFuzzer on the parsers, the value parsers, the suite and results loaders, the
# report, charts and gate, and the fixture's request side; each target runs FUZZ_SECONDS
# (default 60) from fuzz/corpus/NAME.
fuzz:
	@ci/install-deps fuzz
	@$(MAKE) --no-print-directory CC=clang CFLAGS='-g -O1' FUZZ=1 fuzz-build
	@ci/fuzz $(FUZZ_SECONDS) $(FUZZ_BIN)

fuzz-build: $(FUZZ_BIN)

$(BUILD)/fuzz_fixture: fuzz/fuzz_fixture.c \
		$(patsubst %.c,$(BUILD)/%.o,$(filter-out fixtures/server/main.c,$(FIXTURE_SRC)))
	$(CC) $(CFLAGS) -fsanitize=fuzzer -Ifixtures/server $(filter %.c %.o,$^) $(LDLIBS) -o $@

$(BUILD)/fuzz_%: fuzz/fuzz_%.c $(REPORT_LIB) $(RUNNER_LIB) $(SCHEMA_LIB) $(LIB)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(INC) $< $(REPORT_LIB) $(RUNNER_LIB) $(SCHEMA_LIB) \
		$(LIB) $(LDLIBS) -o $@

test:
	@ci/install-deps test
	@$(MAKE) --no-print-directory unit integration

unit: $(UNIT_BIN)
	@ci/run-tests $(UNIT_BIN)

# Integration tests put load on the machine: one at a time.
integration: $(INTEG_BIN)
	@ci/run-tests --jobs 1 -- $(INTEG_BIN)

check: format-check test

bench: all
	@ci/install-deps bench $(if $(filter 1,$(PROFILE)),profile)
	@ci/bench

# make suite SUITE=NAME: build, install what the suite's tools need, run it.
SUITE ?= frameworks
suite: all
	@if [ ! -f suites/$(SUITE).json ] && [ ! -f $(SUITE) ]; then \
	    echo "make suite: no suite '$(SUITE)' (suites/$(SUITE).json); the suites here:" \
	        $$(ls suites | sed -n 's/\.json$$//p') >&2; \
	    echo "  for example: make suite SUITE=smoke" >&2; \
	    exit 2; fi
	@ci/install-deps suite
	@out=results/$(SUITE)-$$(date -u +%Y%m%dT%H%M%SZ); \
	    $(BIN) suite $(SUITE) --out $$out; rc=$$?; \
	    [ -f $$out/results.json ] && $(BIN) report $$out; exit $$rc

# make gate: ringfire as of GATE_BASE (default HEAD, the last commit) against this tree, both
# built here and run interleaved on this machine (suites/gate-ab.json, about 2 minutes), gated on
# GATE_METRICS, GATE_REPS repetitions (default the suite's 9; ringfire calibrate advises);
# GATE_BASELINE=FILE gates suites/ci.json against stored results instead (from another machine:
# with a warning).  GATE_ARGS adds options: GATE_ARGS='--max-regression 10%'.
GATE_BASE ?= HEAD
GATE_METRICS ?= rps,p99,client-cpu
BASELINE_FILE ?= ci/baselines/ci.json
gate: all
	@out=results/gate-$$(date -u +%Y%m%dT%H%M%SZ); \
	if [ -n "$(GATE_BASELINE)" ]; then \
	    $(BIN) suite ci --out $$out -q || exit 2; \
	    $(BIN) gate --baseline $(GATE_BASELINE) --current $$out --markdown $$out/gate.md \
	        $(GATE_ARGS); \
	else \
	    ci/gate-baseline $(GATE_BASE) build/baseline || exit 2; \
	    $(BIN) suite gate-ab --out $$out -q $(if $(GATE_REPS),--repetitions $(GATE_REPS)) || exit 2; \
	    $(BIN) gate --ab $$out --metrics $(GATE_METRICS) --markdown $$out/gate.md $(GATE_ARGS); \
	fi

# make soak: one long run at a fixed rate (SOAK_SECONDS, default an hour; SOAK_RATE, default
# 5k/s) with memory, open files and p99 sampled every 10 s: they must stay flat.  Not in CI.
SOAK_SECONDS ?= 3600
SOAK_RATE ?= 5k
soak: all
	@ci/soak $(SOAK_SECONDS) $(SOAK_RATE)

# make baseline: suites/ci.json's results stored as BASELINE_FILE, for make gate GATE_BASELINE=.
baseline: all
	@out=results/ci-$$(date -u +%Y%m%dT%H%M%SZ); \
	    $(BIN) suite ci --out $$out -q || exit 2; \
	    mkdir -p $(dir $(BASELINE_FILE)) && cp $$out/results.json $(BASELINE_FILE) && \
	    echo "make baseline: $(BASELINE_FILE) now holds $$out/results.json"

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/ringfire
	install -m 755 $(FIXTURE) $(DESTDIR)$(PREFIX)/bin/ringfire-fixture

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
