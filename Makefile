# ecsim — GNU make build.
#
#   make run     install missing packages, build, run the seed scenario
#   make test    install missing packages, build, run every test
#   make asan    the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench   benchmarks (prints figures; never part of the tests)
#   make fuzz    libFuzzer targets (clang-14), FUZZ_SECONDS each (600);
#                make test replays their committed corpus (fuzz/corpus)
#   make deps    install check, libcjson-dev, libgsl-dev, pkg-config if missing
#   make deps-aws  install libcurl4-openssl-dev, libxml2-dev (the AWS backend's
#                client; optional: without them `run --backend aws` says so
#                and its tests skip; CI=true installs them)
#   make MPI=1   the MPI build (build-mpi/ecsim: `mpirun -n N ecsim sweep ...`
#                spreads the runs over ranks); installs libopenmpi-dev and
#                openmpi-bin when missing. `make test` tests it when Open MPI
#                is installed (CI=true installs it), and says so otherwise.
#
# User CFLAGS are respected; project flags are appended after them.

CC      ?= cc
CFLAGS  ?= -O2 -g
STD      = -std=c11
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wold-style-definition -Wwrite-strings \
           -Wundef -Wformat=2 -Wcast-qual -Wpointer-arith -Wconversion \
           -Wdouble-promotion
ifeq ($(CI),true)
WARN    += -Werror
endif
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L -I. $(CPPFLAGS)
# Recursive (=) on purpose: pkg-config may only exist after `make deps`.
PKG_CFLAGS = $(shell pkg-config --cflags gsl libcjson 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs gsl libcjson 2>/dev/null || echo -lgsl -lgslcblas -lcjson) -lm
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -pthread)
# The AWS backend's client (optional): libcurl (SigV4 signing) and libxml2
# (the query protocol's XML). Recursive (=): `make deps-aws` may install them.
AWS_PC     = libcurl libxml-2.0
AWS_CFLAGS = $(shell pkg-config --exists $(AWS_PC) 2>/dev/null && echo -DECSIM_HAVE_AWS $$(pkg-config --cflags $(AWS_PC)))
AWS_LIBS   = $(shell pkg-config --exists $(AWS_PC) 2>/dev/null && pkg-config --libs $(AWS_PC))

# The MPI build (optional): Open MPI's C bindings, its own build directory.
MPI ?=
ifeq ($(MPI),1)
MPI_CFLAGS = -DECSIM_MPI $(shell pkg-config --cflags ompi-c 2>/dev/null || mpicc --showme:compile 2>/dev/null)
MPI_LIBS   = $(shell pkg-config --libs ompi-c 2>/dev/null || mpicc --showme:link 2>/dev/null)
ifneq ($(SAN),)
BUILD   ?= build-mpi-san
else
BUILD   ?= build-mpi
endif
endif

SAN ?=
ifneq ($(SAN),)
SANFLAGS = -fsanitize=$(SAN) -fno-sanitize-recover=all -fno-omit-frame-pointer
BUILD   ?= build-san
else
BUILD   ?= build
endif

ALL_CFLAGS = $(STD) $(WARN) $(CFLAGS) $(SANFLAGS) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(AWS_CFLAGS) $(MPI_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

LIB_SRC  = $(wildcard sim/*.c model/*.c model/*/*.c reports/*.c)
LIB_SRC := $(filter-out sim/main.c,$(LIB_SRC))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC = $(wildcard tests/*.c)
TEST_OBJ = $(TEST_SRC:%.c=$(BUILD)/%.o)
BENCH_SRC = $(wildcard bench/*.c)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

ECSIM    = $(BUILD)/ecsim
LIBECSIM = $(BUILD)/libecsim.a
TESTRUN  = $(BUILD)/test_runner

.PHONY: all deps deps-aws deps-mpi mpi-for-test run test check asan valgrind bench clean golden \
        fuzz fuzz-deps fuzz-build fuzz-replay
all: $(ECSIM)

DEPS_PKGS = check libcjson-dev libgsl-dev pkg-config
ifeq ($(CI),true)
# CI validates junit.xml against tests/data/junit/junit.xsd with xmllint
DEPS_PKGS += libxml2-utils
endif
deps:
	@missing=""; \
	for p in $(DEPS_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "ecsim: installing missing packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y --no-install-recommends $$missing; \
	fi

# Optional packages of the AWS backend, same pattern; CI installs them.
AWS_PKGS = libcurl4-openssl-dev libxml2-dev
deps-aws:
	@missing=""; \
	for p in $(AWS_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "ecsim: installing missing packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y --no-install-recommends $$missing; \
	fi
ifeq ($(CI),true)
deps: deps-aws
endif

# Open MPI for `make MPI=1`, same pattern.
MPI_PKGS = libopenmpi-dev openmpi-bin
deps-mpi:
	@missing=""; \
	for p in $(MPI_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "ecsim: installing missing packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y --no-install-recommends $$missing; \
	fi
ifeq ($(MPI),1)
deps: deps-mpi
endif

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c $< -o $@

$(LIBECSIM): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(ECSIM): $(BUILD)/sim/main.o $(LIBECSIM)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(AWS_LIBS) $(MPI_LIBS)

$(TESTRUN): $(TEST_OBJ) $(LIBECSIM)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS) $(AWS_LIBS) $(MPI_LIBS)

$(BUILD)/bench/%: bench/%.c $(LIBECSIM) | deps
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) -O2 -g $(CFLAGS) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(MPI_CFLAGS) -o $@ $< $(LIBECSIM) $(PKG_LIBS) $(AWS_LIBS) $(MPI_LIBS)

# Every tests/test_*.c must be listed in tests/suites.def (and vice versa).
suite-guard:
	@for f in tests/test_*.c; do \
	  s=$$(basename $$f .c); s=$${s#test_}; \
	  grep -q "^SUITE($$s)" tests/suites.def || { echo "$$f: suite '$$s' missing from tests/suites.def" >&2; exit 1; }; \
	done

# The MPI build is tested (mpirun -n 3/-n 4 against the plain build's
# results) when Open MPI is installed, always with CI=true; not under the
# sanitizers (Open MPI's own allocations are not ours to chase).
ifeq ($(SAN)$(MPI),)
ifeq ($(CI),true)
MPI_TEST = yes
else
MPI_TEST = $(shell command -v mpicc >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1 && echo yes)
endif
endif
MPI_ECSIM = $(if $(MPI_TEST),build-mpi/ecsim)

mpi-for-test:
ifneq ($(MPI_TEST),)
	$(MAKE) MPI=1 BUILD=build-mpi all
else
	@echo "ecsim: Open MPI is not installed: the MPI build is not tested (make MPI=1 installs it)"
endif

test: suite-guard $(TESTRUN) $(ECSIM) mpi-for-test fuzz-replay
	ECSIM=$(ECSIM) $(TESTRUN)
	ECSIM=$(ECSIM) sh tests/cli_test.sh
	ECSIM=$(ECSIM) ECSIM_MPI=$(MPI_ECSIM) sh tests/cli_batch_test.sh

check: test

# Sanitized code runs 2-4 times slower: Check's per-test timeouts too.
asan:
	CK_TIMEOUT_MULTIPLIER=4 $(MAKE) SAN=address,undefined CFLAGS='-O1 -g' test

valgrind: $(TESTRUN) $(ECSIM)
	CK_FORK=no valgrind -q --leak-check=full --error-exitcode=1 \
	  --child-silent-after-fork=yes $(TESTRUN)
	valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=1 \
	  $(ECSIM) run scenarios/seed-article.json -o $(BUILD)/valgrind-out --quiet

bench: $(BENCH_BIN) $(ECSIM) mpi-for-test
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done
	@echo "== bench/batch.sh"; ECSIM=$(ECSIM) ECSIM_MPI=$(MPI_ECSIM) sh bench/batch.sh

run: $(ECSIM)
	$(ECSIM) run scenarios/seed-article.json -o out/seed-article

# ---- fuzzing ----
# Each fuzz/fuzz_<t>.c defines LLVMFuzzerTestOneInput. `make test` runs
# every target over its committed corpus with fuzz/replay.c (any compiler,
# no new fuzzing, seconds); `make fuzz` builds the targets with clang-14's
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer and fuzzes
# each for FUZZ_SECONDS, seeded by fuzz/corpus/<t> (and, for scenarios,
# scenarios/ and tests/data/). New inputs land in build-fuzz/corpus/<t>,
# findings in build-fuzz/findings-<t>-*; to keep new coverage, merge:
#   build-fuzz/fuzz-<t> -merge=1 fuzz/corpus/<t> build-fuzz/corpus/<t>
FUZZ_TARGETS = scenario duration cql
FUZZ_REPLAY  = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay-%)
FUZZ_CC     ?= clang-14
FUZZ_SECONDS ?= 600
FUZZ_BUILD   = build-fuzz
FUZZ_PKGS    = clang-14 libfuzzer-14-dev libclang-rt-14-dev
FUZZ_FLAGS   = $(STD) $(WARN) -O1 -g -fno-omit-frame-pointer \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
               $(CPPFLAGS_ALL) $(PKG_CFLAGS)
FUZZ_SEEDS_scenario = scenarios tests/data
FUZZ_DICT_scenario  = -dict=fuzz/scenario.dict

$(BUILD)/fuzz/replay-%: fuzz/fuzz_%.c fuzz/replay.c fuzz/fuzz.h $(LIBECSIM) | deps
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(CFLAGS) $(SANFLAGS) $(CPPFLAGS_ALL) $(PKG_CFLAGS) \
	  $(ALL_LDFLAGS) -o $@ fuzz/fuzz_$*.c fuzz/replay.c $(LIBECSIM) $(PKG_LIBS)

fuzz-replay: $(FUZZ_REPLAY)
	@for t in $(FUZZ_TARGETS); do $(BUILD)/fuzz/replay-$$t fuzz/corpus/$$t || exit 1; done

fuzz-deps:
	@missing=""; \
	for p in $(FUZZ_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "ecsim: installing missing packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y --no-install-recommends $$missing; \
	fi

fuzz-build: fuzz-deps deps
	$(MAKE) CC=$(FUZZ_CC) BUILD=$(FUZZ_BUILD) SAN=address,undefined \
	  CFLAGS='-O1 -g -fsanitize=fuzzer-no-link' $(FUZZ_BUILD)/libecsim.a
	@for t in $(FUZZ_TARGETS); do \
	  echo "$(FUZZ_CC) ... -o $(FUZZ_BUILD)/fuzz-$$t"; \
	  $(FUZZ_CC) $(FUZZ_FLAGS) -o $(FUZZ_BUILD)/fuzz-$$t fuzz/fuzz_$$t.c \
	    $(FUZZ_BUILD)/libecsim.a $(PKG_LIBS) || exit 1; \
	done

define fuzz_run
	@mkdir -p $(FUZZ_BUILD)/corpus/$(1)
	@echo "== fuzz-$(1) for $(FUZZ_SECONDS) s"
	$(FUZZ_BUILD)/fuzz-$(1) -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	  -rss_limit_mb=2048 -print_final_stats=1 \
	  -artifact_prefix=$(FUZZ_BUILD)/findings-$(1)- $(FUZZ_DICT_$(1)) \
	  $(FUZZ_BUILD)/corpus/$(1) fuzz/corpus/$(1) $(FUZZ_SEEDS_$(1))

endef

# One target only: make fuzz FUZZ_TARGETS=cql
fuzz: fuzz-build
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_run,$(t)))

clean:
	rm -rf build build-san build-mpi build-mpi-san build-fuzz out

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
