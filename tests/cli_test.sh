#!/bin/sh
# CLI tests through the real binary: the exit codes and messages of the
# CLI contract, the files `run -o` writes, byte-identical determinism, and
# the golden summary.json of every bundled scenario.
#
# Usage: ECSIM=build/ecsim sh tests/cli_test.sh   (from the checkout's top)
# Refresh goldens on purpose with: sh tests/refresh-goldens.sh
set -u
ECSIM=${ECSIM:-build/ecsim}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecsim-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }

# expect_exit CODE DESCRIPTION -- COMMAND...: run, keep stdout/stderr.
expect_exit() {
	want=$1; what=$2; shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, expected $want"; fi
}
# contains FILE TEXT DESCRIPTION
contains() {
	if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $(basename "$1"): $(head -c 300 "$1")"; fi
}

# --- usage and exit codes ---
expect_exit 2 "no arguments" -- "$ECSIM"
contains "$tmp/err" "usage: ecsim" "no arguments prints usage"
expect_exit 0 "help" -- "$ECSIM" help
contains "$tmp/out" "exit codes: 0 ok, 1 expectation failed, 2 usage or input error" "help text"
expect_exit 0 "version" -- "$ECSIM" version
contains "$tmp/out" "ecsim 0.1.0" "version text"
expect_exit 2 "unknown command" -- "$ECSIM" frobnicate
contains "$tmp/err" 'unknown command "frobnicate"' "unknown command message"
expect_exit 2 "unknown option" -- "$ECSIM" run scenarios/seed-article.json --bogus
contains "$tmp/err" 'unknown option "--bogus"' "unknown option message"
expect_exit 2 "bad --duration" -- "$ECSIM" run scenarios/seed-article.json --duration 5x
contains "$tmp/err" 'unknown unit "x"' "bad --duration message"
expect_exit 2 "bad --seed" -- "$ECSIM" run scenarios/seed-article.json --seed -3
expect_exit 2 "run without scenario" -- "$ECSIM" run

# --- input errors: file:line:col: path: message, exit 2 ---
expect_exit 2 "missing file" -- "$ECSIM" run tests/data/cli/nope.json
contains "$tmp/err" "cannot read 'tests/data/cli/nope.json': No such file or directory" "missing file message"
expect_exit 2 "unknown key" -- "$ECSIM" run tests/data/cli/unknown-key.json
contains "$tmp/err" "tests/data/cli/unknown-key.json:6:72: services[0]: unknown key 'desiredCont'; did you mean 'desiredCount'?" "unknown key message"
expect_exit 2 "malformed JSON" -- "$ECSIM" validate tests/data/cli/malformed.json
contains "$tmp/err" "tests/data/cli/malformed.json:3:20: malformed JSON: trailing comma before '}'" "malformed JSON message"
expect_exit 2 "expect naming an unknown service" -- "$ECSIM" check tests/data/cli/bad-expect.json
contains "$tmp/err" 'tests/data/cli/bad-expect.json:8:44: expect[0].runningTasksNeverAbove.service: no service named "wbe"; did you mean "web"?' "bad expect message"
# each kind of loading error: its own message, position, exit 2
while IFS='|' read -r f msg; do
	expect_exit 2 "$f" -- "$ECSIM" validate "tests/data/cli/$f"
	contains "$tmp/err" "$msg" "$f message"
done <<'ROWS'
duplicate-key.json|tests/data/cli/duplicate-key.json:4:3: duplicate key 'duration' (first at line 3, column 3)
wrong-type.json|tests/data/cli/wrong-type.json:3:11: seed: expected an integer, got string
out-of-range.json|tests/data/cli/out-of-range.json:3:62: clusters[0].instances[0].count: expected an integer in [1, 5000], got 0
missing-ref.json|tests/data/cli/missing-ref.json:3:32: taskDefinitions[0].file: cannot read referenced file 'no-such-task-def.json': No such file or directory
ROWS
expect_exit 0 "validate" -- "$ECSIM" validate scenarios/seed-article.json
contains "$tmp/out" "scenarios/seed-article.json: ok (seed-article)" "validate output"

# --- run -o: the files, atomically written ---
expect_exit 0 "run -o" -- "$ECSIM" run scenarios/seed-article.json -o "$tmp/a"
for f in summary.json timeline.csv events.log report.html; do
	if [ -s "$tmp/a/$f" ]; then ok; else bad "run -o did not write $f"; fi
done
if ls "$tmp/a" | grep -q tmp; then bad "temporary files left in $tmp/a"; else ok; fi
contains "$tmp/out" "report: $tmp/a/report.html" "run prints the report path"
contains "$tmp/out" "Deployment 2: my-microservice-task:1 -> my-microservice-task:2" "text summary names the deployment"
contains "$tmp/a/events.log" "(service my-microservice) has reached a steady state." "events.log has AWS texts"
contains "$tmp/a/timeline.csv" "time_s," "timeline.csv header"
if grep -qE 'https?://' "$tmp/a/report.html"; then bad "report.html references the network"; else ok; fi

# --- determinism: same scenario and seed, byte-identical outputs ---
expect_exit 0 "second run" -- "$ECSIM" run scenarios/seed-article.json -o "$tmp/b" --quiet
for f in summary.json timeline.csv events.log report.html; do
	if cmp -s "$tmp/a/$f" "$tmp/b/$f"; then ok; else bad "$f differs between two identical runs"; fi
done
expect_exit 0 "another seed" -- "$ECSIM" run scenarios/seed-article.json -o "$tmp/c" --seed 2 --quiet
if cmp -s "$tmp/a/events.log" "$tmp/c/events.log"; then bad "--seed 2 changed nothing"; else ok; fi
expect_exit 0 "json format" -- "$ECSIM" run scenarios/seed-article.json --format json
if [ "$(head -c 1 "$tmp/out")" = "{" ]; then ok; else bad "--format json does not print JSON"; fi
expect_exit 0 "quiet" -- "$ECSIM" run scenarios/seed-article.json --quiet
if [ -s "$tmp/out" ]; then bad "--quiet printed to stdout"; else ok; fi

# --- check: verdicts, exit 1 on a failed expectation, JUnit ---
expect_exit 1 "check with a failing expectation" -- "$ECSIM" check tests/data/cli/expect-fails.json --junit "$tmp/j/junit.xml" --markdown "$tmp/j/summary.md"
contains "$tmp/out" "PASS  expect-fails: two tasks at most" "check PASS line"
contains "$tmp/out" "FAIL  expect-fails: one task at most" "check FAIL line"
contains "$tmp/j/junit.xml" '<testsuite name="expect-fails"' "JUnit testsuite"
contains "$tmp/j/junit.xml" '<failure message=' "JUnit failure"
contains "$tmp/j/summary.md" "one task at most" "Markdown summary"
expect_exit 2 "check with an input error" -- "$ECSIM" check tests/data/cli/expect-fails.json tests/data/cli/unknown-key.json

# --- golden summary.json of every bundled scenario ---
for s in scenarios/*.json; do
	name=$(basename "$s" .json)
	golden="tests/golden/$name.summary.json"
	"$ECSIM" run "$s" -o "$tmp/g/$name" --quiet >"$tmp/out" 2>"$tmp/err"
	code=$?
	# the bundled scenarios document behaviour: every expectation holds
	if [ "$code" -ne 0 ]; then bad "$s: exit $code (bundled scenarios must pass their expectations): $(cat "$tmp/err")"; continue; fi
	if [ ! -f "$golden" ]; then bad "$golden missing (run sh tests/refresh-goldens.sh and review the diff)"; continue; fi
	if cmp -s "$golden" "$tmp/g/$name/summary.json"; then ok; else
		bad "$s: summary.json differs from $golden (diff it; refresh on purpose with sh tests/refresh-goldens.sh)"
	fi
done

# run --backend aws
. tests/cli_aws_test.sh

printf 'cli tests: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
