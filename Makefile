# ecsim — GNU make build.
#
#   make run     install missing packages, build, run the seed scenario
#   make test    install missing packages, build, run every test
#   make asan    the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench   benchmarks (prints figures; never part of the tests)
#   make fuzz    libFuzzer targets (clang-14), FUZZ_SECONDS each (600);
#                make test replays their committed corpus (tests/fuzz/corpus)
#   make deps    install check, libcjson-dev, libgsl-dev, pkg-config if missing
#   make deps-serve  install libmicrohttpd-dev (with GnuTLS) and libcurl for
#                `ecsim serve` and its benchmark; optional: without them
#                ecsim builds and `serve` says how to get them (with
#                CI=true a failed install fails the build)
#   make fuzz-serve  libFuzzer on serve's request decoding (clang)
#   make deps-aws  install libcurl4-openssl-dev, libxml2-dev (the AWS backend's
#                client; optional: without them `run --backend aws` says so
#                and its tests skip; CI=true installs them)
#   make MPI=1   the MPI build (build-mpi/ecsim: `mpirun -n N ecsim sweep ...`
#                spreads the runs over ranks); installs libopenmpi-dev and
#                openmpi-bin when missing. `make test` tests it when Open MPI
#                is installed (CI=true installs it), and says so otherwise.
#   make docs    regenerate the generated docs (man page, completions,
#                scenario reference and JSON Schema)
#   make install PREFIX=/usr/local DESTDIR=   binary, man page, completions
#   make uninstall                             (the same variables)
#
# Quiet by default (CC sim/engine.c, AR, LD, GEN); V=1 prints every command.
# Safe with -j: every object waits for `deps`, which runs once.
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
PKG_LIBS   = $(shell pkg-config --libs gsl libcjson 2>/dev/null || echo -lgsl -lgslcblas -lcjson) $(SERVE_LIBS) -lm
# ecsim serve: libmicrohttpd and GnuTLS when present (see deps-serve).
SERVE_PKGS   = libmicrohttpd gnutls
SERVE_CFLAGS = $(shell pkg-config --exists $(SERVE_PKGS) 2>/dev/null && \
                 echo -DECSIM_HAVE_MHD -DECSIM_HAVE_GNUTLS $$(pkg-config --cflags $(SERVE_PKGS)))
SERVE_LIBS   = $(shell pkg-config --exists $(SERVE_PKGS) 2>/dev/null && pkg-config --libs $(SERVE_PKGS))
CURL_CFLAGS  = $(shell pkg-config --exists libcurl 2>/dev/null && echo -DECSIM_HAVE_CURL $$(pkg-config --cflags libcurl))
CURL_LIBS    = $(shell pkg-config --libs libcurl 2>/dev/null)
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

# V=1: full commands; else one short line per step.
ifeq ($(V),1)
Q   :=
say  = @:
else
Q   := @
say  = @printf '  %-4s %s\n'
endif

ALL_CFLAGS = $(STD) $(WARN) $(CFLAGS) $(SANFLAGS) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(SERVE_CFLAGS) $(AWS_CFLAGS) $(MPI_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

LIB_SRC  = $(wildcard sim/*.c model/*.c model/*/*.c reports/*.c)
LIB_SRC := $(filter-out sim/main.c,$(LIB_SRC))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/refscn.o
# The reference scenarios `ecsim schema` reads, embedded in the binary.
REF_JSON = $(sort $(wildcard docs/reference/*.json))
TEST_SRC = $(wildcard tests/*.c)
TEST_OBJ = $(TEST_SRC:%.c=$(BUILD)/%.o)
BENCH_SRC = $(wildcard bench/*.c)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

ECSIM    = $(BUILD)/ecsim
LIBECSIM = $(BUILD)/libecsim.a
TESTRUN  = $(BUILD)/test_runner

.PHONY: all deps deps-required deps-serve deps-aws deps-mpi mpi-for-test test-clients run test check asan valgrind bench clean golden \
        docs install uninstall test-deps fuzz-serve fuzz fuzz-deps fuzz-build fuzz-replay
all: $(ECSIM)

DEPS_PKGS = check libcjson-dev libgsl-dev pkg-config
ifeq ($(CI),true)
# CI validates junit.xml against tests/data/junit/junit.xsd with xmllint
DEPS_PKGS += libxml2-utils
endif
SERVE_DEPS_PKGS = libmicrohttpd-dev libgnutls28-dev libcurl4-openssl-dev
deps: deps-serve
deps-required:
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

# Optional: serve is built when these are present. A failed install is a
# note, not an error, unless CI=true.
deps-serve: deps-required
	@missing=""; \
	for p in $(SERVE_DEPS_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "ecsim: installing missing packages for ecsim serve:$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  if ! { $$sudo apt-get update && \
	    DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y --no-install-recommends $$missing; }; then \
	    if [ "$(CI)" = true ]; then exit 1; fi; \
	    echo "ecsim: note: could not install$$missing; building without ecsim serve"; \
	  fi; \
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
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c | deps
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c $< -o $@

$(BUILD)/gen/refscn.c: $(REF_JSON) docs/reference docs/reference/embed-json.sh
	@mkdir -p $(dir $@)
	$(say) GEN $@
	$(Q)sh docs/reference/embed-json.sh $(REF_JSON) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/refscn.o: $(BUILD)/gen/refscn.c | deps
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIBECSIM): $(LIB_OBJ)
	@rm -f $@
	$(say) AR $@
	$(Q)ar rcs $@ $^

$(ECSIM): $(BUILD)/sim/main.o $(LIBECSIM)
	$(say) LD $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(AWS_LIBS) $(MPI_LIBS)

$(TESTRUN): $(TEST_OBJ) $(LIBECSIM)
	$(say) LD $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS) $(AWS_LIBS) $(MPI_LIBS)

$(BUILD)/bench/%: bench/%.c $(LIBECSIM) | deps
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(STD) $(WARN) -O2 -g $(CFLAGS) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(MPI_CFLAGS) $(CURL_CFLAGS) -o $@ $< $(LIBECSIM) $(PKG_LIBS) $(AWS_LIBS) $(MPI_LIBS) $(CURL_LIBS)

# Every tests/test_*.c must be listed in tests/suites.def (and vice versa).
suite-guard:
	@for f in tests/test_*.c; do \
	  s=$$(basename $$f .c); s=$${s#test_}; \
	  grep -q "^SUITE($$s)" tests/suites.def || { echo "$$f: suite '$$s' missing from tests/suites.def" >&2; exit 1; }; \
	done

# The real AWS clients of tests/serve_test.sh: Debian's awscli (v2) and
# node, and the AWS SDK for JavaScript v3 from npm into tests/js (not
# committed). `make test` installs them only with CI=true; without them the
# real-client tests skip with a message.
test-clients:
	@sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; missing=""; \
	[ -x /usr/bin/aws ] || missing="$$missing awscli"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "ecsim: installing the test clients:$$missing"; \
	  $$sudo apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y --no-install-recommends $$missing || exit 1; \
	fi; \
	[ -d tests/js/node_modules/@aws-sdk/client-ecs ] || \
	  npm install --prefix tests/js --no-audit --no-fund --loglevel=error

ifeq ($(CI),true)
TEST_CLIENTS = test-clients
endif

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

# Packages some CLI tests use; they skip without them, except in CI.
TEST_PKGS = zsh python3-jsonschema groff-base bsdutils
test-deps: deps
	@$(MAKE) --no-print-directory deps DEPS_PKGS="$(TEST_PKGS)"

test: suite-guard $(TEST_CLIENTS) $(TESTRUN) $(ECSIM) mpi-for-test fuzz-replay $(if $(filter true,$(CI)),test-deps)
	$(say) TEST $(TESTRUN)
	$(Q)ECSIM=$(ECSIM) $(TESTRUN)
	$(say) TEST tests/cli_test.sh
	+$(Q)ECSIM=$(ECSIM) MAKE="$(MAKE)" BUILD=$(BUILD) sh tests/cli_test.sh
	$(say) TEST tests/cli_batch_test.sh
	$(Q)ECSIM=$(ECSIM) ECSIM_MPI=$(MPI_ECSIM) sh tests/cli_batch_test.sh
	$(say) TEST tests/serve_test.sh
	$(Q)ECSIM=$(ECSIM) sh tests/serve_test.sh
	$(say) TEST tests/aws_serve_test.sh
	$(Q)ECSIM=$(ECSIM) sh tests/aws_serve_test.sh

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

# Generated from the binary's own tables; tests/cli_test.sh fails when a
# committed file differs from what the binary prints.
docs: $(ECSIM)
	@mkdir -p docs/completion
	$(ECSIM) help --man > docs/ecsim.1.tmp && mv docs/ecsim.1.tmp docs/ecsim.1
	$(ECSIM) completion bash > docs/completion/ecsim.bash.tmp && \
	  mv docs/completion/ecsim.bash.tmp docs/completion/ecsim.bash
	$(ECSIM) completion zsh > docs/completion/_ecsim.tmp && \
	  mv docs/completion/_ecsim.tmp docs/completion/_ecsim
	$(ECSIM) schema --format=markdown > docs/scenario.md.tmp && \
	  mv docs/scenario.md.tmp docs/scenario.md
	$(ECSIM) schema > docs/scenario.schema.json.tmp && \
	  mv docs/scenario.schema.json.tmp docs/scenario.schema.json

PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
INSTALL     ?= install
INSTALLED = $(DESTDIR)$(BINDIR)/ecsim $(DESTDIR)$(MANDIR)/man1/ecsim.1 \
            $(DESTDIR)$(BASHCOMPDIR)/ecsim $(DESTDIR)$(ZSHCOMPDIR)/_ecsim

install: $(ECSIM)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	$(INSTALL) -m 755 $(ECSIM) $(DESTDIR)$(BINDIR)/ecsim
	$(INSTALL) -m 644 docs/ecsim.1 $(DESTDIR)$(MANDIR)/man1/ecsim.1
	$(INSTALL) -m 644 docs/completion/ecsim.bash $(DESTDIR)$(BASHCOMPDIR)/ecsim
	$(INSTALL) -m 644 docs/completion/_ecsim $(DESTDIR)$(ZSHCOMPDIR)/_ecsim

uninstall:
	rm -f $(INSTALLED)

# libFuzzer on serve's request handling (wire decoding, query shapes,
# SigV4, admin endpoints): clang, ASan+UBSan, bounded by FUZZ_TIME seconds.
FUZZ_TIME ?= 60
fuzz-serve: | deps
	$(MAKE) CC=clang SAN=address,undefined BUILD=build-fuzz \
	  CFLAGS='-O1 -g -fsanitize=fuzzer-no-link' build-fuzz/libecsim.a
	clang $(STD) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(SERVE_CFLAGS) $(AWS_CFLAGS) -o build-fuzz/fuzz_serve \
	  tests/fuzz/fuzz_serve.c build-fuzz/libecsim.a $(PKG_LIBS) $(AWS_LIBS)
	@mkdir -p build-fuzz/corpus-serve
	build-fuzz/fuzz_serve -max_total_time=$(FUZZ_TIME) -rss_limit_mb=2048 \
	  -artifact_prefix=build-fuzz/ \
	  -max_len=65536 build-fuzz/corpus-serve tests/fuzz/corpus/serve

run: $(ECSIM)
	$(ECSIM) run scenarios/seed-article.json -o out/seed-article

# ---- fuzzing ----
# Each tests/fuzz/fuzz_<t>.c defines LLVMFuzzerTestOneInput. `make test` runs
# every target over its committed corpus with tests/fuzz/replay.c (any compiler,
# no new fuzzing, seconds); `make fuzz` builds the targets with clang-14's
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer and fuzzes
# each for FUZZ_SECONDS, seeded by tests/fuzz/corpus/<t> (and, for scenarios,
# scenarios/ and tests/data/). New inputs land in build-fuzz/corpus/<t>,
# findings in build-fuzz/findings-<t>-*; to keep new coverage, merge:
#   build-fuzz/fuzz-<t> -merge=1 tests/fuzz/corpus/<t> build-fuzz/corpus/<t>
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
FUZZ_DICT_scenario  = -dict=tests/fuzz/scenario.dict

$(BUILD)/fuzz/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(LIBECSIM) | deps
	@mkdir -p $(dir $@)
	$(say) LD $@
	$(Q)$(CC) $(STD) $(WARN) $(CFLAGS) $(SANFLAGS) $(CPPFLAGS_ALL) $(PKG_CFLAGS) \
	  $(ALL_LDFLAGS) -o $@ tests/fuzz/fuzz_$*.c tests/fuzz/replay.c $(LIBECSIM) $(PKG_LIBS) $(AWS_LIBS) $(MPI_LIBS)

fuzz-replay: $(FUZZ_REPLAY)
	$(say) TEST fuzz corpus replay
	@for t in $(FUZZ_TARGETS); do $(BUILD)/fuzz/replay-$$t tests/fuzz/corpus/$$t || exit 1; done

# the same install as deps-required, for clang-14 and libFuzzer
fuzz-deps:
	@$(MAKE) --no-print-directory deps-required DEPS_PKGS="$(FUZZ_PKGS)"

fuzz-build: fuzz-deps deps
	$(MAKE) CC=$(FUZZ_CC) BUILD=$(FUZZ_BUILD) SAN=address,undefined \
	  CFLAGS='-O1 -g -fsanitize=fuzzer-no-link' $(FUZZ_BUILD)/libecsim.a
	@for t in $(FUZZ_TARGETS); do \
	  echo "$(FUZZ_CC) ... -o $(FUZZ_BUILD)/fuzz-$$t"; \
	  $(FUZZ_CC) $(FUZZ_FLAGS) -o $(FUZZ_BUILD)/fuzz-$$t tests/fuzz/fuzz_$$t.c \
	    $(FUZZ_BUILD)/libecsim.a $(PKG_LIBS) $(AWS_LIBS) || exit 1; \
	done

define fuzz_run
	@mkdir -p $(FUZZ_BUILD)/corpus/$(1)
	@echo "== fuzz-$(1) for $(FUZZ_SECONDS) s"
	$(FUZZ_BUILD)/fuzz-$(1) -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	  -rss_limit_mb=2048 -print_final_stats=1 \
	  -artifact_prefix=$(FUZZ_BUILD)/findings-$(1)- $(FUZZ_DICT_$(1)) \
	  $(FUZZ_BUILD)/corpus/$(1) tests/fuzz/corpus/$(1) $(FUZZ_SEEDS_$(1))

endef

# One target only: make fuzz FUZZ_TARGETS=cql
fuzz: fuzz-build
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_run,$(t)))

clean:
	rm -rf build build-san build-fuzz build-mpi build-mpi-san out

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
