#!/bin/sh
# ecsim serve through the real binary and real HTTP: options and their
# errors, the admin endpoints, oversized and garbage requests, and real AWS
# clients (awscli v2, the AWS SDK for JavaScript v3) when present.
#
# Usage: ECSIM=build/ecsim sh tests/serve_test.sh   (from the checkout's top)
# Without libmicrohttpd in the build, or without curl, it skips with a
# message (unless CI=true: then that is a failure). The real-client part
# skips when awscli / node and the SDK are absent, unless CI=true.
set -u
ECSIM=${ECSIM:-build/ecsim}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecsim-serve.XXXXXX")
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }
skipping() {
	if [ "${CI:-}" = true ]; then bad "$1 (CI=true: nothing may be skipped)"; else
		skip=$((skip + 1)); printf 'serve_test: skipped: %s\n' "$1" >&2; fi
}
finish() {
	printf 'serve CLI: %d passed, %d failed, %d skipped\n' "$pass" "$fail" "$skip"
	[ "$fail" -eq 0 ]
	exit $?
}
expect_exit() {
	want=$1; what=$2; shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, expected $want: $(head -c 300 "$tmp/err")"; fi
}
contains() {
	if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $(basename "$1"): $(head -c 400 "$1")"; fi
}

# --- options ---
expect_exit 0 "serve --help" -- "$ECSIM" serve --help
contains "$tmp/out" "usage: ecsim serve SCENARIO" "serve --help text"
contains "$tmp/out" "--bind ADDR" "serve --help documents --bind"
expect_exit 2 "serve without scenario" -- "$ECSIM" serve
contains "$tmp/err" "serve needs a scenario file" "serve without scenario message"
expect_exit 2 "serve --clock bogus" -- "$ECSIM" serve scenarios/seed-article.json --clock fast
contains "$tmp/err" 'realtime, manual or a factor in (0, 1000000], got "fast"' "--clock message"
expect_exit 2 "serve --port 70000" -- "$ECSIM" serve scenarios/seed-article.json --port 70000
expect_exit 2 "serve --auth without secret" -- "$ECSIM" serve scenarios/seed-article.json --auth KEY
contains "$tmp/err" "--auth needs KEY:SECRET" "--auth message"
expect_exit 2 "serve --bogus" -- "$ECSIM" serve scenarios/seed-article.json --bogus
contains "$tmp/err" 'unknown option "--bogus"' "serve unknown option message"
expect_exit 2 "serve --port without value" -- "$ECSIM" serve scenarios/seed-article.json --port
contains "$tmp/err" '--port needs a value' "serve missing value message"
expect_exit 2 "serve with a bad scenario" -- "$ECSIM" serve tests/data/cli/unknown-key.json --port 0
contains "$tmp/err" "unknown key 'desiredCont'" "serve bad scenario message"

if ! command -v curl >/dev/null 2>&1; then
	skipping "curl is not installed"
	finish
fi
"$ECSIM" serve scenarios/seed-article.json --bind 127.0.0.1 --port 0 >/dev/null 2>"$tmp/err0" &
p0=$!
sleep 0.3
kill "$p0" 2>/dev/null; wait "$p0" 2>/dev/null
if grep -q "built without libmicrohttpd" "$tmp/err0"; then
	skipping "ecsim was built without libmicrohttpd (make deps-serve; make clean all)"
	finish
fi
expect_exit 2 "serve --bind bad address" -- "$ECSIM" serve scenarios/seed-article.json --bind 999.1.1.1 --port 0
contains "$tmp/err" "--bind 999.1.1.1: not a numeric IPv4 or IPv6 address" "--bind message"

# start: wait for the port file (bounded)
serve() {
	rm -f "$tmp/port"
	"$ECSIM" serve "$@" --port 0 --port-file "$tmp/port" >"$tmp/serve.out" 2>"$tmp/serve.err" &
	pid=$!
	i=0
	while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	port=$(cat "$tmp/port" 2>/dev/null)
	url="http://127.0.0.1:$port"
}
stop_serve() {
	kill "$pid" 2>/dev/null
	wait "$pid"
	code=$?
	pid=""
}
C="curl -s --max-time 10"

serve scenarios/seed-article.json --clock manual --max-body 4096
if [ -z "$port" ]; then bad "serve did not start: $(cat "$tmp/serve.err")"; finish; fi
ok
contains "$tmp/serve.err" "on http://127.0.0.1:$port (clock manual, until 2h)" "serve banner"
$C "$url/_ecsim/state" >"$tmp/state"
contains "$tmp/state" '"now":"0s","nowSeconds":0,"clock":"manual","horizon":"2h","ended":false,"backend":"sim"' "state at start"
$C -X POST "$url/_ecsim/advance" -d '{"by":"12m"}' >"$tmp/adv"
contains "$tmp/adv" '"now":"12m"' "advance by 12m"
$C -o "$tmp/events.log" "$url/_ecsim/report/events.log"
"$ECSIM" run scenarios/seed-article.json --duration 12m -o "$tmp/run" --quiet
if cmp -s "$tmp/events.log" "$tmp/run/events.log"; then ok; else
	bad "events.log of serve at 12m differs from run --duration 12m: $(diff "$tmp/events.log" "$tmp/run/events.log" | head -5)"; fi
$C -o "$tmp/summary.json" "$url/_ecsim/report"
contains "$tmp/summary.json" '"scenario":	"seed-article"' "report is summary.json"
$C -w '%{http_code}' -o "$tmp/r404" "$url/_ecsim/report/x.pdf" >"$tmp/code"
contains "$tmp/code" 404 "unknown report is 404"
# garbage over HTTP: AWS-shaped errors
$C -X POST "$url/" -H 'Content-Type: application/x-amz-json-1.1' \
	-H 'X-Amz-Target: AmazonEC2ContainerServiceV20141113.DescribeServices' -d '{"cluster":' >"$tmp/g1"
contains "$tmp/g1" '"__type":"' "malformed JSON answered AWS-shaped"
$C -X POST "$url/" -d 'Action=DescribeTargetGroups&Version=2015-12-01&Names.member.9999=x' >"$tmp/g2"
contains "$tmp/g2" '<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>ValidationError</Code>' "bad query answered as XML"
head -c 10000 /dev/zero | tr '\0' 'a' >"$tmp/big"
$C -w '%{http_code}' -o "$tmp/g3" -X POST "$url/" -H 'X-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters' \
	--data-binary @"$tmp/big" >"$tmp/code"
contains "$tmp/code" 413 "oversized body is 413"
contains "$tmp/g3" '{"__type":"RequestEntityTooLarge","message":"the request body is larger than 4096 bytes' "413 body"
$C -X POST "$url/_ecsim/reset" >"$tmp/reset"
contains "$tmp/reset" '"now":"0s"' "reset to 0"
stop_serve
if [ "$code" -eq 0 ]; then ok; else bad "serve exit $code on SIGTERM"; fi
contains "$tmp/serve.err" "ecsim serve: stopped after" "serve stops cleanly"

# a factor clock moves by itself: x600 → 0.5 s of wall time is 5 minutes
serve scenarios/seed-article.json --clock 600
sleep 0.5
$C "$url/_ecsim/state" >"$tmp/state"
n=$(sed 's/.*"nowSeconds":\([0-9.]*\).*/\1/' "$tmp/state")
if awk "BEGIN { exit !($n >= 280 && $n <= 1200) }"; then ok; else bad "--clock 600 after 0.5 s: now $n s"; fi
contains "$tmp/state" '"clock":"factor","factor":600' "factor clock state"
stop_serve

finish
