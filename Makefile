# ecsim — GNU make build.
#
#   make run     install missing packages, build, run the seed scenario
#   make test    install missing packages, build, run every test
#   make asan    the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench   benchmarks (prints figures; never part of the tests)
#   make deps    install check, libcjson-dev, libgsl-dev, pkg-config if missing
#   make deps-aws  install libcurl4-openssl-dev, libxml2-dev (the AWS backend's
#                client; optional: without them `run --backend aws` says so
#                and its tests skip; CI=true installs them)
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

SAN ?=
ifneq ($(SAN),)
SANFLAGS = -fsanitize=$(SAN) -fno-sanitize-recover=all -fno-omit-frame-pointer
BUILD   ?= build-san
else
BUILD   ?= build
endif

ALL_CFLAGS = $(STD) $(WARN) $(CFLAGS) $(SANFLAGS) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(AWS_CFLAGS) -MMD -MP
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

.PHONY: all deps deps-aws run test check asan valgrind bench clean golden
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
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(AWS_LIBS)

$(TESTRUN): $(TEST_OBJ) $(LIBECSIM)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS) $(AWS_LIBS)

$(BUILD)/bench/%: bench/%.c $(LIBECSIM) | deps
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) -O2 -g $(CFLAGS) $(CPPFLAGS_ALL) $(PKG_CFLAGS) -o $@ $< $(LIBECSIM) $(PKG_LIBS) $(AWS_LIBS)

# Every tests/test_*.c must be listed in tests/suites.def (and vice versa).
suite-guard:
	@for f in tests/test_*.c; do \
	  s=$$(basename $$f .c); s=$${s#test_}; \
	  grep -q "^SUITE($$s)" tests/suites.def || { echo "$$f: suite '$$s' missing from tests/suites.def" >&2; exit 1; }; \
	done

test: suite-guard $(TESTRUN) $(ECSIM)
	ECSIM=$(ECSIM) $(TESTRUN)
	ECSIM=$(ECSIM) sh tests/cli_test.sh

check: test

asan:
	$(MAKE) SAN=address,undefined CFLAGS='-O1 -g' test

valgrind: $(TESTRUN) $(ECSIM)
	CK_FORK=no valgrind -q --leak-check=full --error-exitcode=1 $(TESTRUN)
	valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=1 \
	  $(ECSIM) run scenarios/seed-article.json -o $(BUILD)/valgrind-out --quiet

bench: $(BENCH_BIN) $(ECSIM)
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done

run: $(ECSIM)
	$(ECSIM) run scenarios/seed-article.json -o out/seed-article

clean:
	rm -rf build build-san out

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
