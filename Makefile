# ecsim — GNU make build.
#
#   make run     install missing packages, build, run the seed scenario
#   make test    install missing packages, build, run every test
#   make asan    the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench   benchmarks (prints figures; never part of the tests)
#   make deps    install check, libcjson-dev, libgsl-dev, pkg-config if missing
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
PKG_LIBS   = $(shell pkg-config --libs gsl libcjson 2>/dev/null || echo -lgsl -lgslcblas -lcjson) -lm
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -pthread)

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

ALL_CFLAGS = $(STD) $(WARN) $(CFLAGS) $(SANFLAGS) $(CPPFLAGS_ALL) $(PKG_CFLAGS) -MMD -MP
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

.PHONY: all deps run test check asan valgrind bench clean golden docs \
        install uninstall test-deps
all: $(ECSIM)

DEPS_PKGS = check libcjson-dev libgsl-dev pkg-config
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

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c | deps
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c $< -o $@

$(BUILD)/gen/refscn.c: $(REF_JSON) docs/reference tools/embed-json.sh
	@mkdir -p $(dir $@)
	$(say) GEN $@
	$(Q)sh tools/embed-json.sh $(REF_JSON) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/refscn.o: $(BUILD)/gen/refscn.c | deps
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIBECSIM): $(LIB_OBJ)
	@rm -f $@
	$(say) AR $@
	$(Q)ar rcs $@ $^

$(ECSIM): $(BUILD)/sim/main.o $(LIBECSIM)
	$(say) LD $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(TESTRUN): $(TEST_OBJ) $(LIBECSIM)
	$(say) LD $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS)

$(BUILD)/bench/%: bench/%.c $(LIBECSIM) | deps
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(STD) $(WARN) -O2 -g $(CFLAGS) $(CPPFLAGS_ALL) $(PKG_CFLAGS) -o $@ $< $(LIBECSIM) $(PKG_LIBS)

# Every tests/test_*.c must be listed in tests/suites.def (and vice versa).
suite-guard:
	@for f in tests/test_*.c; do \
	  s=$$(basename $$f .c); s=$${s#test_}; \
	  grep -q "^SUITE($$s)" tests/suites.def || { echo "$$f: suite '$$s' missing from tests/suites.def" >&2; exit 1; }; \
	done

# Packages some CLI tests use; they skip without them, except in CI.
TEST_PKGS = zsh python3-jsonschema groff-base bsdutils
test-deps: deps
	@$(MAKE) --no-print-directory deps DEPS_PKGS="$(TEST_PKGS)"

test: suite-guard $(TESTRUN) $(ECSIM) $(if $(filter true,$(CI)),test-deps)
	$(say) TEST $(TESTRUN)
	$(Q)ECSIM=$(ECSIM) $(TESTRUN)
	$(say) TEST tests/cli_test.sh
	+$(Q)ECSIM=$(ECSIM) MAKE="$(MAKE)" BUILD=$(BUILD) sh tests/cli_test.sh

check: test

asan:
	$(MAKE) SAN=address,undefined CFLAGS='-O1 -g' test

valgrind: $(TESTRUN) $(ECSIM)
	CK_FORK=no valgrind -q --leak-check=full --error-exitcode=1 $(TESTRUN)
	valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=1 \
	  $(ECSIM) run scenarios/seed-article.json -o $(BUILD)/valgrind-out --quiet

bench: $(BENCH_BIN) $(ECSIM)
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done

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

run: $(ECSIM)
	$(ECSIM) run scenarios/seed-article.json -o out/seed-article

clean:
	rm -rf build build-san out

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
