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
contains "$tmp/err" "ecsim: unknown command 'frobnicate' (see: ecsim help)" "unknown command message"
expect_exit 2 "unknown option" -- "$ECSIM" run scenarios/seed-article.json --bogus
contains "$tmp/err" "ecsim run: unknown option '--bogus' (see: ecsim help run)" "unknown option message"
expect_exit 2 "bad --duration" -- "$ECSIM" run scenarios/seed-article.json --duration 5x
contains "$tmp/err" 'unknown unit "x"' "bad --duration message"
expect_exit 2 "bad --seed" -- "$ECSIM" run scenarios/seed-article.json --seed -3
expect_exit 2 "run without scenario" -- "$ECSIM" run
# --max-memory (run, check): a run whose timeline would not fit is refused
# before it starts, naming the estimate and the setting to change
expect_exit 2 "run --max-memory too small" -- "$ECSIM" run scenarios/seed-article.json --max-memory 1K
contains "$tmp/err" "sampleInterval: the timeline would take about 39.7 KiB in memory and 49.6 KiB as timeline.csv" "--max-memory refusal names the estimate"
contains "$tmp/err" "the limit is 1.0 KiB: set a longer sampleInterval" "--max-memory refusal names the setting"
expect_exit 2 "bad --max-memory" -- "$ECSIM" run scenarios/seed-article.json --max-memory=12X
contains "$tmp/err" "--max-memory needs a size like 512M or 4G, got '12X'" "bad --max-memory message"
expect_exit 0 "run --max-memory that fits" -- "$ECSIM" run scenarios/seed-article.json --max-memory 64M -q
expect_exit 2 "check --max-memory too small" -- "$ECSIM" check scenarios/seed-article.json --max-memory 1K -q

# --- getopt conventions: help per command, --opt=value, -V ---
for c in run check validate sweep merge compare schema completion version help; do
	expect_exit 0 "ecsim $c --help" -- "$ECSIM" "$c" --help
	contains "$tmp/out" "usage: ecsim $c" "ecsim $c --help prints its usage"
	"$ECSIM" help "$c" >"$tmp/help2" 2>&1
	if cmp -s "$tmp/out" "$tmp/help2"; then ok; else bad "ecsim help $c differs from ecsim $c --help"; fi
done
expect_exit 0 "run -h" -- "$ECSIM" run -h
contains "$tmp/out" "  -o, --output=DIR" "run -h lists -o"
contains "$tmp/out" "      --set PATH=VALUE" "run -h lists --set"
expect_exit 0 "help check" -- "$ECSIM" help check
contains "$tmp/out" "usage: ecsim check [options] SCENARIO..." "help check usage line"
contains "$tmp/out" "      --junit=FILE" "help check lists --junit"
expect_exit 0 "validate -h" -- "$ECSIM" validate -h
contains "$tmp/out" "usage: ecsim validate" "validate -h is help, not a file"
expect_exit 2 "help of an unknown command" -- "$ECSIM" help chek
contains "$tmp/err" "ecsim help: no command 'chek'; did you mean 'check'? (see: ecsim help)" "help chek suggests check"
expect_exit 0 "-V" -- "$ECSIM" -V
contains "$tmp/out" "ecsim 0.1.0 (GSL " "-V prints the version"
expect_exit 0 "--version" -- "$ECSIM" --version
contains "$tmp/out" "ecsim 0.1.0 (GSL " "--version prints the version"
"$ECSIM" run scenarios/seed-article.json --seed=3 --format=json >"$tmp/seed3a" 2>&1
"$ECSIM" run --seed 3 --format json scenarios/seed-article.json >"$tmp/seed3b" 2>&1
contains "$tmp/seed3a" '"seed":	3,' "--seed=3 sets the seed"
if cmp -s "$tmp/seed3a" "$tmp/seed3b"; then ok; else bad "--seed=3 and --seed 3 (options after or before the file) differ"; fi
"$ECSIM" run scenarios/seed-article.json --format=json >"$tmp/seed1" 2>&1
if cmp -s "$tmp/seed1" "$tmp/seed3a"; then bad "--seed=3 changes nothing"; else ok; fi
expect_exit 2 "unknown short option" -- "$ECSIM" check -x scenarios/seed-article.json
contains "$tmp/err" "ecsim check: unknown option '-x' (see: ecsim help check)" "unknown short option message"
expect_exit 2 "missing value" -- "$ECSIM" run scenarios/seed-article.json --seed
contains "$tmp/err" "ecsim run: option '--seed' needs a value (N) (see: ecsim help run)" "missing value message"
expect_exit 2 "flag given a value" -- "$ECSIM" run scenarios/seed-article.json --quiet=yes
contains "$tmp/err" "ecsim run: option '--quiet' takes no value (see: ecsim help run)" "flag value message"
expect_exit 2 "ambiguous prefix" -- "$ECSIM" run scenarios/seed-article.json --se=3
contains "$tmp/err" "ecsim run: option '--se' is ambiguous (--seed, --set, --seeds, --security-groups) (see: ecsim help run)" "ambiguous option message"
expect_exit 2 "unknown option of the program" -- "$ECSIM" --frob
contains "$tmp/err" "ecsim: unknown option '--frob' (see: ecsim help)" "unknown top-level option message"

# --- generated docs: the committed files are what the binary prints ---
# (the man page and the completions come from the same option table as
# the parser and the help; `make docs` rewrites them)
gen_same() { # FILE COMMAND...
	f=$1; shift
	"$@" >"$tmp/gen" 2>"$tmp/gen.err"
	if cmp -s "$tmp/gen" "$f"; then ok; else bad "$f is out of date: run make docs ($(diff "$f" "$tmp/gen" | head -5))"; fi
}
gen_same docs/ecsim.1 "$ECSIM" help --man
gen_same docs/completion/ecsim.bash "$ECSIM" completion bash
gen_same docs/completion/_ecsim "$ECSIM" completion zsh
expect_exit 2 "completion for an unknown shell" -- "$ECSIM" completion fish
contains "$tmp/err" "ecsim completion: knows bash and zsh, not 'fish'" "completion fish message"
# every option of every command's help is in the man page
for c in run check validate sweep merge compare schema completion version help; do
	"$ECSIM" help "$c" | sed -n 's/^  \(-., \)\{0,1\} *\(--[a-z-]*\).*/\2/p' | while read -r o; do
		esc_o=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
		grep -q -- "$esc_o" docs/ecsim.1 || echo "$c $o"
	done >"$tmp/missing"
	if [ -s "$tmp/missing" ]; then bad "options missing from docs/ecsim.1: $(cat "$tmp/missing")"; else ok; fi
done
if command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 -ww -z docs/ecsim.1 >"$tmp/groff" 2>&1
	if [ -s "$tmp/groff" ]; then bad "groff warns about docs/ecsim.1: $(head -3 "$tmp/groff")"; else ok; fi
else
	echo "cli tests: groff not found: man page lint skipped" >&2
fi
# bash completion, run as bash would run it
comp() { # EXPECTED WORDS... (the last word is the one being completed)
	want=$1; shift
	got=$(bash -c '. docs/completion/ecsim.bash; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ecsim; printf "%s\n" "${COMPREPLY[@]}"' ecsim "$@" 2>&1 | tr '\n' ' ' | sed 's/ $//')
	if [ "$got" = "$want" ]; then ok; else bad "bash completion of '$*': got '$got', expected '$want'"; fi
}
if command -v bash >/dev/null 2>&1; then
	comp "run" ecsim ru
	comp "--format=" ecsim run --for
	comp "text json" ecsim run --format ""
	comp "json" ecsim run --format = j
	comp "--quiet" ecsim check --q
	comp "--seed= --set= --seeds= --security-groups=" ecsim run --se
	comp "bash zsh" ecsim completion ""
	comp "check" ecsim help ch
	comp "tests/data/setpath/main.json" ecsim validate tests/data/setpath/m
else
	echo "cli tests: bash not found: completion tests skipped" >&2
fi
if command -v zsh >/dev/null 2>&1; then
	if zsh -n docs/completion/_ecsim 2>"$tmp/zsh"; then ok; else bad "zsh rejects docs/completion/_ecsim: $(cat "$tmp/zsh")"; fi
	# the function loads through fpath and compinit as an installed one would
	zsh -f -c 'fpath=(docs/completion $fpath); autoload -Uz compinit; compinit -u -d "$1/zcomp"; print -r -- $_comps[ecsim]' zsh "$tmp" >"$tmp/zsh" 2>&1
	if [ "$(cat "$tmp/zsh")" = "_ecsim" ]; then ok; else bad "zsh compinit does not bind _ecsim to ecsim: $(cat "$tmp/zsh")"; fi
else
	echo "cli tests: zsh not found: zsh completion tests skipped" >&2
fi

# --- the scenario reference: generated from the loader's own reads ---
gen_same docs/scenario.md "$ECSIM" schema --format=markdown
gen_same docs/scenario.schema.json "$ECSIM" schema
# every member the loader looks up is given by a reference scenario, so
# its type is the one the loader checks (docs/reference/)
expect_exit 0 "schema --format=gaps" -- "$ECSIM" schema --format=gaps
if [ -s "$tmp/out" ]; then bad "members no reference scenario gives (add them to docs/reference/): $(head -5 "$tmp/out")"; else ok; fi
# every key a loader names in its source is in the reference (catches a
# key the loader asks for only in a branch no reference scenario takes)
"$ECSIM" schema --format=keys | cut -f2 | sort -u >"$tmp/refkeys"
# (the *_api.c files read API requests of ecsim serve, not scenarios)
ls model/*.c model/*/*.c reports/*.c sim/scenario.c sim/plan.c sim/dist.c | grep -v '_api\.c$' | xargs cat | tr '\n' ' ' |
	grep -oE 'jr_(get|need|ignore|opt_[a-z0-9]+|req_[a-z0-9]+)\( *[^,()]+, *"[^"]+"' |
	sed 's/.*"\([^"]*\)"$/\1/' | sort -u >"$tmp/srckeys"
if [ "$(wc -l <"$tmp/srckeys")" -gt 100 ]; then ok; else bad "source key scan found only $(wc -l <"$tmp/srckeys") keys"; fi
comm -23 "$tmp/srckeys" "$tmp/refkeys" >"$tmp/unref"
if [ -s "$tmp/unref" ]; then bad "loader keys missing from docs/scenario.md (add them to docs/reference/): $(tr '\n' ' ' <"$tmp/unref")"; else ok; fi
contains docs/scenario.md '| `minimumHealthyPercent` | integer in [0, 100] |' "reference documents a range"
contains docs/scenario.md '| `networkMode` | one of `bridge`, `host`, `awsvpc`, `none` | `"bridge"` |' "reference documents an enum and its default"
contains docs/scenario.md '## `timeline[call=ecs:UpdateService]`' "reference documents a timeline call"
contains docs/scenario.md '### `expect[].latencyAtMost`' "reference documents an expect kind"
contains docs/scenario.md 'rejected: CustomizedMetricSpecification is not supported by ecsim' "reference documents a rejected member"
# the JSON Schema accepts every bundled and reference scenario and rejects
# a misspelt key (python3-jsonschema; CI installs it)
if python3 -c 'import jsonschema' 2>/dev/null; then
	python3 - docs/scenario.schema.json >"$tmp/js" 2>&1 <<'PY'
import glob, json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
good = sorted(glob.glob("scenarios/*.json") + [f for f in glob.glob("docs/reference/*.json") if "rejected" not in f])
bad = ["tests/data/cli/unknown-key.json", "tests/data/cli/out-of-range.json"] + sorted(glob.glob("docs/reference/*rejected*.json"))
for f in good:
    errs = list(v.iter_errors(json.load(open(f))))
    if errs:
        print("FAIL schema rejects %s: %s" % (f, errs[0].message[:200]))
for f in bad:
    if v.is_valid(json.load(open(f))):
        print("FAIL schema accepts %s" % f)
print("checked %d good, %d bad" % (len(good), len(bad)))
PY
	if grep -q FAIL "$tmp/js" || ! grep -q "^checked" "$tmp/js"; then bad "JSON Schema: $(head -5 "$tmp/js")"; else ok; fi
else
	echo "cli tests: python3 jsonschema not found: JSON Schema validation skipped" >&2
fi

# --- make install / uninstall into a staging DESTDIR ---
if [ -n "${MAKE:-}" ]; then
	dest="$tmp/stage"
	$MAKE -s install BUILD="${BUILD:-build}" DESTDIR="$dest" PREFIX=/opt/ecsim >"$tmp/inst" 2>&1 || bad "make install failed: $(tail -5 "$tmp/inst")"
	for f in bin/ecsim share/man/man1/ecsim.1 share/bash-completion/completions/ecsim share/zsh/site-functions/_ecsim; do
		if [ -f "$dest/opt/ecsim/$f" ]; then ok; else bad "make install did not install $f"; fi
	done
	if "$dest/opt/ecsim/bin/ecsim" -V | grep -q "^ecsim "; then ok; else bad "the installed binary does not run"; fi
	$MAKE -s uninstall DESTDIR="$dest" PREFIX=/opt/ecsim >"$tmp/inst" 2>&1 || bad "make uninstall failed"
	if [ -z "$(find "$dest" -type f)" ]; then ok; else bad "make uninstall left $(find "$dest" -type f)"; fi
else
	echo "cli tests: MAKE not set (run through make test): install test skipped" >&2
fi

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
# --- issue 10: every error of a file at once, in file order ---
expect_exit 2 "console export with 33 problems" -- "$ECSIM" validate tests/data/cli/console-export-33.json
n=$(grep -c '^tests/data/cli/console-export-33.json:' "$tmp/err")
if [ "$n" -eq 33 ]; then ok; else bad "console export: $n errors listed, expected 33"; fi
if cut -d: -f2 "$tmp/err" | sort -n -c 2>/dev/null; then ok; else bad "console export: errors not in file order"; fi
contains "$tmp/err" "tests/data/cli/console-export-33.json:26:7: taskDefinitions[0]: unknown key 'Family'; did you mean 'family'? (CloudFormation property names are PascalCase; the API's JSON is camelCase)" "PascalCase hint"
contains "$tmp/err" "tests/data/cli/console-export-33.json:59:32: targetGroups[0].HealthyThresholdCount: expected an integer, got string" "wrong optional member listed with the others"
contains "$tmp/err" "tests/data/cli/console-export-33.json:135:91: expect[1].healthyTasksNeverBelow.count: expected an integer >= 0, got -1" "last error of the file"
# {"file": ...} for an array (containerDefinitions in a file) and null as absent
expect_exit 0 "containerDefinitions by file, nulls" -- "$ECSIM" run tests/data/cli/containers-by-file.json -o "$tmp/cbf" --quiet
expect_exit 0 "seed for comparison" -- "$ECSIM" run scenarios/seed-article.json -o "$tmp/sa" --quiet
if cmp -s "$tmp/cbf/timeline.csv" "$tmp/sa/timeline.csv"; then ok; else bad "containers by file: the run differs from the inline seed scenario"; fi
# only regular files are read: a FIFO nobody writes to is refused at once
mkfifo "$tmp/fifo.json"
if command -v timeout >/dev/null 2>&1; then to="timeout 10"; else to=""; fi
expect_exit 2 "FIFO as scenario" -- $to "$ECSIM" validate "$tmp/fifo.json"
contains "$tmp/err" "a FIFO (named pipe), not a regular file (ecsim reads its input only from regular files)" "FIFO message"
expect_exit 2 "/dev/zero as scenario" -- $to "$ECSIM" validate /dev/zero
contains "$tmp/err" "cannot read '/dev/zero': a character device, not a regular file" "/dev/zero message"
# a CSV trace is read the same way: a FIFO is refused, not waited on
mkfifo "$tmp/trace.csv"
cp scenarios/seed-article.json "$tmp/fifo-trace.json"
expect_exit 2 "FIFO as CSV trace" -- $to "$ECSIM" validate "$tmp/fifo-trace.json" \
	--set 'workload[0].requestsPerSecond={"trace": {"csv": "'"$tmp"'/trace.csv"}}'
contains "$tmp/err" "cannot read trace file '$tmp/trace.csv': a FIFO (named pipe), not a regular file" "FIFO trace message"
# a load curve, a number or a shape, may be in a file like any value: the
# run is the one of the same value inline
echo 40 >"$tmp/rps-number.json"
echo '{"constant": 40}' >"$tmp/rps-shape.json"
expect_exit 0 "rps inline" -- "$ECSIM" run "$tmp/fifo-trace.json" -o "$tmp/rps0" -q --set "expect=[]" \
	--set 'workload[0].requestsPerSecond=40'
expect_exit 0 "rps number by file" -- "$ECSIM" run "$tmp/fifo-trace.json" -o "$tmp/rps1" -q --set "expect=[]" \
	--set 'workload[0].requestsPerSecond={"file": "'"$tmp"'/rps-number.json"}'
expect_exit 0 "rps shape by file" -- "$ECSIM" run "$tmp/fifo-trace.json" -o "$tmp/rps2" -q --set "expect=[]" \
	--set 'workload[0].requestsPerSecond={"file": "'"$tmp"'/rps-shape.json"}'
if cmp -s "$tmp/rps0/timeline.csv" "$tmp/rps1/timeline.csv" && cmp -s "$tmp/rps0/timeline.csv" "$tmp/rps2/timeline.csv"; then ok; else bad "rps by file: the run differs from the inline value"; fi
# invalid UTF-8 in a name never reaches the outputs: refused with its position
printf '{"name": "caf\351", "services": []}\n' >"$tmp/latin1.json"
expect_exit 2 "Latin-1 name" -- "$ECSIM" validate "$tmp/latin1.json"
contains "$tmp/err" "latin1.json:1:14: malformed JSON: invalid UTF-8 (byte 0xe9): JSON text must be UTF-8" "invalid UTF-8 message"

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
expect_exit 0 "run --assumptions" -- "$ECSIM" run scenarios/seed-article.json --assumptions
contains "$tmp/out" "ecs.schedulerDelay = 1s [INF]" "--assumptions lists each assumption with its value and tag"
expect_exit 0 "json format" -- "$ECSIM" run scenarios/seed-article.json --format json
if [ "$(head -c 1 "$tmp/out")" = "{" ]; then ok; else bad "--format json does not print JSON"; fi
expect_exit 0 "quiet" -- "$ECSIM" run scenarios/seed-article.json --quiet
if [ -s "$tmp/out" ]; then bad "--quiet printed to stdout"; else ok; fi
# --quiet is never silent about a failure: the failed expectations only
expect_exit 1 "quiet with a failing expectation" -- "$ECSIM" run tests/data/cli/expect-fails.json -q
if [ "$(cat "$tmp/out")" = "FAIL  expect-fails: one task at most (peak 2 at 00:01:00; expected <= 1)" ]; then ok; else bad "run -q with a failure printed: $(cat "$tmp/out")"; fi
expect_exit 1 "check -q" -- "$ECSIM" check -q tests/data/cli/expect-fails.json scenarios/seed-article.json
if [ "$(cat "$tmp/out")" = "FAIL  expect-fails: one task at most (peak 2 at 00:01:00; expected <= 1)" ]; then ok; else bad "check -q printed: $(cat "$tmp/out")"; fi
expect_exit 0 "--set makes the failing expectation pass" -- "$ECSIM" check tests/data/cli/expect-fails.json --set 'services[web].desiredCount=1'
contains "$tmp/out" "PASS  expect-fails: one task at most" "check --set desiredCount=1"
# colours: only on a terminal (script(1) gives one), never with NO_COLOR
esc=$(printf '\033')
if command -v script >/dev/null 2>&1; then
	env -u NO_COLOR TERM=xterm script -qec "$ECSIM check tests/data/cli/expect-fails.json" /dev/null >"$tmp/tty" 2>&1
	if grep -q "${esc}\[1;31mFAIL${esc}\[0m  expect-fails: one task at most" "$tmp/tty" && grep -q "${esc}\[32mPASS" "$tmp/tty"; then ok; else bad "no colour on a terminal: $(head -c 300 "$tmp/tty")"; fi
	NO_COLOR=1 TERM=xterm script -qec "$ECSIM check tests/data/cli/expect-fails.json" /dev/null >"$tmp/tty" 2>&1
	if grep -q "$esc" "$tmp/tty"; then bad "colour with NO_COLOR set"; else ok; fi
	contains "$tmp/tty" "FAIL  expect-fails: one task at most" "NO_COLOR check still prints FAIL"
else
	echo "cli tests: script(1) not found: terminal colour tests skipped" >&2
fi
"$ECSIM" check tests/data/cli/expect-fails.json >"$tmp/pipe" 2>&1
if grep -q "$esc" "$tmp/pipe"; then bad "colour on a pipe"; else ok; fi

# --- --set: override a scenario value by path before it is read ---
expect_exit 1 "--set that changes the result" -- "$ECSIM" run scenarios/seed-article.json --set 'services[my-microservice].deploymentConfiguration.minimumHealthyPercent=50'
contains "$tmp/out" "lowest healthy 1 (minimum 1)" "--set minimumHealthyPercent=50 lowers the deploy's minimum"
contains "$tmp/out" "FAIL  rolling 100/200 never drops below 2 healthy tasks" "--set makes an expectation fail"
expect_exit 2 "--set with a path that names nothing" -- "$ECSIM" run scenarios/seed-article.json --set 'services[my-microservce].desiredCount=3'
contains "$tmp/err" "--set:1:9: services: no element is named 'my-microservce'; did you mean 'my-microservice'?" "--set bad path message"
expect_exit 2 "--set with a bad value" -- "$ECSIM" run scenarios/seed-article.json --set duration=1h --set 'services[my-microservice].desiredCount=-1'
contains "$tmp/err" "--set:2:40: services[0].desiredCount: expected an integer in [0, 100000], got -1" "--set bad value points at the value"

# a bad value inside a listener rule's PathPatternConfig is an error with
# its path (it used to crash: the path pointed into a dead stack frame)
expect_exit 2 "bad PathPatternConfig value" -- "$ECSIM" validate docs/reference/1-ec2.json --set 'loadBalancers[alb].Listeners[0].Rules[1].Conditions[0].PathPatternConfig.Values=[5]'
contains "$tmp/err" "--set:1:82: loadBalancers[0].Listeners[0].Rules[1].Conditions[0].PathPatternConfig.Values[0]: expected a string, got number" "PathPatternConfig error message"

# --- check: verdicts, exit 1 on a failed expectation, JUnit ---
expect_exit 1 "check with a failing expectation" -- "$ECSIM" check tests/data/cli/expect-fails.json --junit "$tmp/j/junit.xml" --markdown "$tmp/j/summary.md"
contains "$tmp/out" "PASS  expect-fails: two tasks at most" "check PASS line"
contains "$tmp/out" "FAIL  expect-fails: one task at most" "check FAIL line"
contains "$tmp/j/junit.xml" '<testsuite name="expect-fails"' "JUnit testsuite"
contains "$tmp/j/junit.xml" '<failure message=' "JUnit failure"
contains "$tmp/j/summary.md" "one task at most" "Markdown summary"
expect_exit 2 "check with an input error" -- "$ECSIM" check tests/data/cli/expect-fails.json tests/data/cli/unknown-key.json

# --- issue 10: outputs ---
expect_exit 2 "-o \"\"" -- "$ECSIM" run scenarios/seed-article.json -o ""
contains "$tmp/err" "the output directory name is empty" "-o \"\" message"
expect_exit 2 "--junit \"\"" -- "$ECSIM" check tests/data/cli/expect-fails.json --junit ""
# --junit - and --markdown - write to standard output (the listing moves to stderr), and into a pipe
expect_exit 1 "--junit -" -- "$ECSIM" check tests/data/cli/expect-fails.json --junit -
if [ "$(head -c 5 "$tmp/out")" = "<?xml" ] && tail -n 1 "$tmp/out" | grep -q '^</testsuites>$'; then ok; else bad "--junit - did not put the JUnit XML alone on stdout: $(head -c 200 "$tmp/out")"; fi
contains "$tmp/err" "FAIL  expect-fails: one task at most" "--junit -: the listing is on stderr"
"$ECSIM" check tests/data/cli/expect-fails.json --markdown - 2>/dev/null | cat >"$tmp/md.txt"
contains "$tmp/md.txt" "## ecsim check: 1 scenario, 2 assertions, 1 failed" "--markdown - into a pipe"
mkfifo "$tmp/junit.fifo"
cat "$tmp/junit.fifo" >"$tmp/from-fifo.xml" &
reader=$!
(sleep 10; kill "$reader" 2>/dev/null) &
watchdog=$!
expect_exit 1 "--junit FIFO" -- "$ECSIM" check tests/data/cli/expect-fails.json --junit "$tmp/junit.fifo"
wait "$reader" 2>/dev/null
kill "$watchdog" 2>/dev/null; wait "$watchdog" 2>/dev/null
contains "$tmp/from-fifo.xml" '<testsuite name="expect-fails"' "--junit into a named pipe"
# a directory path of more than 1024 bytes
long="$tmp"
for i in 1 2 3 4 5 6; do long="$long/$(printf '%0200d' "$i")"; done
expect_exit 1 "--junit under a 1200-byte directory" -- "$ECSIM" check tests/data/cli/expect-fails.json --junit "$long/junit.xml"
contains "$long/junit.xml" '<testsuite name="expect-fails"' "--junit under a long path"
expect_exit 0 "run -o a 1200-byte directory" -- "$ECSIM" run tests/data/cli/containers-by-file.json -o "$long/run" --quiet
if [ -s "$long/run/report.html" ]; then ok; else bad "run -o under a long path wrote no report.html"; fi
# a stdout that cannot be written is an error of every command (exit 3)
if [ -c /dev/full ] && [ -w /dev/full ]; then
	expect_exit 3 "check >/dev/full" -- sh -c "'$ECSIM' check tests/data/cli/expect-fails.json >/dev/full"
	contains "$tmp/err" "cannot write to standard output: No space left on device" "check >/dev/full message"
	expect_exit 3 "validate >/dev/full" -- sh -c "'$ECSIM' validate scenarios/seed-article.json >/dev/full"
	expect_exit 3 "check --junit - >/dev/full" -- sh -c "'$ECSIM' check tests/data/cli/expect-fails.json --junit - >/dev/full"
else
	echo "skip: /dev/full is not writable here" >&2
fi
# a planted symlink in the output directory does not redirect the write
mkdir -p "$tmp/planted"
echo precious >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/planted/summary.json"
expect_exit 0 "run -o over a planted symlink" -- "$ECSIM" run tests/data/cli/containers-by-file.json -o "$tmp/planted" --quiet
if [ "$(cat "$tmp/victim")" = precious ] && [ ! -L "$tmp/planted/summary.json" ]; then ok; else bad "a planted symlink redirected summary.json"; fi
# a directory another run holds is refused (its files would mix)
if command -v flock >/dev/null 2>&1; then
	mkdir -p "$tmp/held"
	flock "$tmp/held" sleep 5 &
	holder=$!
	sleep 1
	expect_exit 3 "run -o a held directory" -- "$ECSIM" run tests/data/cli/containers-by-file.json -o "$tmp/held" --quiet
	contains "$tmp/err" "is being written by another ecsim run" "held directory message"
	kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
else
	echo "skip: flock(1) is not installed" >&2
fi
# names cannot forge check's lines, CI workflow commands or terminal escapes
expect_exit 1 "hostile names" -- "$ECSIM" check tests/data/cli/hostile-names.json --junit "$tmp/hj.xml" --markdown "$tmp/hm.md"
if grep -q '^PASS' "$tmp/out" || grep -q '^::' "$tmp/out"; then bad "a name forged a line of check's output: $(cat "$tmp/out")"; else ok; fi
if [ "$(wc -l <"$tmp/out")" -eq 2 ]; then ok; else bad "hostile names: check printed $(wc -l <"$tmp/out") lines, expected 2"; fi
contains "$tmp/out" 'FAIL  hostile\nPASS  hostile: everything is fine\n::error file=x::forged \x1b[2J\u009b31m: one task at most\nPASS' "escaped name in check's line"
esc=$(printf '\033')
for f in "$tmp/out" "$tmp/hj.xml" "$tmp/hm.md"; do
	if grep -q "$esc" "$f"; then bad "a raw ESC reached $(basename "$f")"; else ok; fi
done
contains "$tmp/hj.xml" '&lt;script&gt;alert(1)&lt;/script&gt;' "JUnit escapes markup"
contains "$tmp/hm.md" '&lt;script\>alert\(1\)&lt;/script\> \[x\]\(http\://evil\.example\)' "Markdown escapes links and HTML"
expect_exit 1 "hostile names, run -o" -- "$ECSIM" run tests/data/cli/hostile-names.json -o "$tmp/hostile" --quiet
if grep -q "$esc" "$tmp/hostile/report.html" || grep -q '<script>alert' "$tmp/hostile/report.html"; then bad "report.html holds a raw ESC or the name's <script>"; else ok; fi
# --- reports (issue 11): results first, the deploy in the page, CI files ---
expect_exit 0 "seed summary" -- "$ECSIM" run scenarios/seed-article.json -o "$tmp/r"
lines=$(wc -l <"$tmp/out")
if [ "$lines" -lt 60 ]; then ok; else bad "the seed summary is $lines lines (under 60 wanted)"; fi
if [ "$(sed -n 6p "$tmp/out")" = "Service my-microservice (cluster default)" ]; then ok; else bad "the seed summary does not start with its results: line 6 is '$(sed -n 6p "$tmp/out")'"; fi
contains "$tmp/out" "Assumptions: " "one line of assumption counts"
expect_exit 0 "bad-image report" -- "$ECSIM" run scenarios/bad-image-rollback.json -o "$tmp/bi" --quiet
n=$(grep -c '<g class="tk failed">' "$tmp/bi/report.html")
if [ "$n" -eq 5 ]; then ok; else bad "bad-image report.html draws $n failed tasks, 5 wanted"; fi
contains "$tmp/bi/report.html" '<section class="zoom" id="svc-1-dep-2">' "zoom panel of the failed deployment"
contains "$tmp/bi/report.html" 'TaskFailedToStart: Essential container in task exited' "failed task's stop reason"
expect_exit 1 "check for JUnit" -- "$ECSIM" check scenarios/bad-image-rollback.json tests/data/cli/expect-fails.json --junit "$tmp/ju/junit.xml"
contains "$tmp/ju/junit.xml" 'file="tests/data/cli/expect-fails.json" line="' "JUnit testcase file and line"
contains "$tmp/ju/junit.xml" ' hostname="' "JUnit hostname"
# the JUnit file against the schema (xmllint, from libxml2-utils)
if command -v xmllint >/dev/null 2>&1; then
	if xmllint --noout --schema tests/data/junit/junit.xsd "$tmp/ju/junit.xml" "$tmp/j/junit.xml" 2>"$tmp/err"; then ok; else bad "junit.xml does not validate: $(cat "$tmp/err")"; fi
	# and the schema can fail: a line 0 is refused
	sed 's/line="[0-9]*"/line="0"/' "$tmp/ju/junit.xml" >"$tmp/ju/bad.xml"
	if xmllint --noout --schema tests/data/junit/junit.xsd "$tmp/ju/bad.xml" 2>/dev/null; then bad "the JUnit schema accepts line=\"0\""; else ok; fi
elif [ "${CI:-}" = true ]; then
	bad "xmllint missing in CI (the Makefile installs libxml2-utils when CI=true)"
else
	echo "skip: JUnit schema check needs xmllint (apt-get install libxml2-utils)"
fi

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
