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
contains "$tmp/out" "usage: ecsim serve [options] SCENARIO" "serve --help text"
contains "$tmp/out" "--bind=ADDR" "serve --help documents --bind"
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

# --- real clients: the seed scenario's deploy (its timeline's two calls at
# 10m) made by the client, compared with `ecsim run` of the scenario ---
run_ref() {
	"$ECSIM" run scenarios/seed-article.json --duration "$1" -o "$tmp/ref" --quiet >/dev/null
}
# The session's report equals the run's up to the same time (summary.json
# differs only in the stated duration: the run's is its end, serve's its
# horizon).
same_as_run() {
	$C -o "$tmp/s-events.log" "$url/_ecsim/report/events.log"
	$C -o "$tmp/s-summary.json" "$url/_ecsim/report/summary.json"
	if cmp -s "$tmp/s-events.log" "$tmp/ref/events.log"; then ok; else
		bad "$1: events.log differs from run's: $(diff "$tmp/s-events.log" "$tmp/ref/events.log" | head -6)"; fi
	grep -v '"duration' "$tmp/s-summary.json" >"$tmp/a.json"
	grep -v '"duration' "$tmp/ref/summary.json" >"$tmp/b.json"
	if cmp -s "$tmp/a.json" "$tmp/b.json"; then ok; else
		bad "$1: summary.json differs from run's: $(diff "$tmp/a.json" "$tmp/b.json" | head -6)"; fi
}

AWS=""
if [ -x /usr/bin/aws ] && /usr/bin/aws --version 2>&1 | grep -q '^aws-cli/2'; then AWS=/usr/bin/aws
elif command -v aws >/dev/null 2>&1 && aws --version 2>&1 | grep -q '^aws-cli/2'; then AWS=aws; fi
if [ -z "$AWS" ]; then
	skipping "awscli v2 is not installed (make test-clients installs it)"
else
	export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_DEFAULT_REGION=us-east-1
	export AWS_PAGER="" AWS_MAX_ATTEMPTS=1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
	serve scenarios/seed-article.json --clock manual --no-timeline --start-time 2026-01-01T00:00:00Z \
		--auth AKIDEXAMPLE:secret
	A="$AWS --endpoint-url $url"
	$C -X POST "$url/_ecsim/advance" -d '{"to":"10m"}' >/dev/null
	$A ecs register-task-definition --cli-input-json file://tests/data/serve/td-1.1.json \
		--query taskDefinition.taskDefinitionArn --output text >"$tmp/aws1" 2>&1
	contains "$tmp/aws1" "arn:aws:ecs:us-east-1:123456789012:task-definition/my-microservice-task:2" "awscli register-task-definition"
	$A ecs update-service --cluster default --service my-microservice \
		--task-definition my-microservice-task --force-new-deployment \
		--query 'service.deployments[].[status,rolloutState]' --output text >"$tmp/aws2" 2>&1
	contains "$tmp/aws2" "PRIMARY	IN_PROGRESS" "awscli update-service starts a deployment"
	$C -X POST "$url/_ecsim/advance" -d '{"until":"steady"}' >"$tmp/st"
	# the seed's deploy: 10m to 17m51s, as ecsim run says
	contains "$tmp/st" '"now":"17m51s"' "deploy completes at 17m51s"
	$A ecs wait services-stable --cluster default --services my-microservice >"$tmp/aws3" 2>&1
	if [ $? -eq 0 ]; then ok; else bad "awscli wait services-stable: $(cat "$tmp/aws3")"; fi
	$A ecs describe-services --cluster default --services my-microservice \
		--query 'services[0].events[0].[createdAt,message]' --output text >"$tmp/aws4" 2>&1
	contains "$tmp/aws4" "2026-01-01T00:17:50" "event time in awscli's output"
	contains "$tmp/aws4" "(service my-microservice) has reached a steady state." "latest event text"
	tg=$($A elbv2 describe-target-groups --names my-microservice-tg --query 'TargetGroups[0].TargetGroupArn' --output text)
	$A elbv2 describe-target-health --target-group-arn "$tg" \
		--query 'TargetHealthDescriptions[].TargetHealth.State' --output text >"$tmp/aws5" 2>&1
	contains "$tmp/aws5" "healthy	healthy" "awscli elbv2 describe-target-health"
	$A application-autoscaling describe-scaling-activities --service-namespace ecs >"$tmp/aws6" 2>&1
	contains "$tmp/aws6" '"ScalingActivities": []' "awscli describe-scaling-activities"
	$A ecs describe-services --cluster nope --services x >"$tmp/aws7" 2>&1
	contains "$tmp/aws7" "An error occurred (ClusterNotFoundException) when calling the DescribeServices operation" "awscli sees AWS's error code"
	contains "$tmp/aws7" ": Cluster not found." "awscli sees AWS's error message"
	AWS_SECRET_ACCESS_KEY=wrong $A ecs list-clusters >"$tmp/aws8" 2>&1
	contains "$tmp/aws8" "(InvalidSignatureException)" "--auth refuses a wrong secret"
	run_ref 17m51s
	same_as_run "awscli deploy"
	stop_serve

	# --clock 60: the waiter's 15-second polls see 15 simulated minutes;
	# it returns at its first poll after the deploy completes (7m51s of
	# simulated time, under 8 s of wall time): well under 20 s.
	serve scenarios/seed-article.json --clock 60 --no-timeline
	A="$AWS --endpoint-url $url"
	$C -X POST "$url/_ecsim/advance" -d '{"to":"10m"}' >/dev/null
	$A ecs register-task-definition --cli-input-json file://tests/data/serve/td-1.1.json >/dev/null 2>&1
	$A ecs update-service --cluster default --service my-microservice \
		--task-definition my-microservice-task --force-new-deployment >/dev/null 2>&1
	t0=$(date +%s)
	$A ecs wait services-stable --cluster default --services my-microservice >"$tmp/aws9" 2>&1
	rc=$?
	t1=$(date +%s)
	now=$($C "$url/_ecsim/state" | sed 's/.*"nowSeconds":\([0-9.]*\).*/\1/')
	$C -o "$tmp/f-events.log" "$url/_ecsim/report/events.log"
	done_at=$(grep 'deployment completed' "$tmp/f-events.log" | tail -1 |
		awk '{ split($1, t, ":"); print t[1] * 3600 + t[2] * 60 + t[3] }')
	# it returns at its first poll after the deploy completed: within one
	# 15-second poll interval (15 simulated minutes) plus awscli's exit
	if [ $rc -eq 0 ] && [ -n "$done_at" ] &&
		awk "BEGIN { exit !($now - $done_at < 17 * 60) }"; then ok; else
		bad "wait services-stable with --clock 60: exit $rc, returned at $now s, deploy done at ${done_at:-?} s: $(cat "$tmp/aws9")"; fi
	printf 'serve_test: aws ecs wait services-stable with --clock 60 returned after %d s of wall time\n' $((t1 - t0)) >&2
	if [ $((t1 - t0)) -lt 45 ]; then ok; else bad "wait services-stable took $((t1 - t0)) s"; fi
	stop_serve
fi

if ! command -v node >/dev/null 2>&1 || [ ! -d tests/js/node_modules/@aws-sdk/client-ecs ]; then
	skipping "node or the AWS SDK for JavaScript is not installed (make test-clients installs them)"
else
	serve scenarios/seed-article.json --clock manual --no-timeline --auth AKIDEXAMPLE:secret
	node tests/js/deploy.mjs "$url" tests/data/serve/td-1.1.json >"$tmp/js" 2>"$tmp/js.err"
	if [ $? -eq 0 ]; then ok; else bad "JS SDK deploy: $(cat "$tmp/js.err" | head -5)"; fi
	contains "$tmp/js" '"taskDefinitionArn":"arn:aws:ecs:us-east-1:123456789012:task-definition/my-microservice-task:2"' "JS register"
	contains "$tmp/js" '"deploymentsAfterUpdate":["PRIMARY:IN_PROGRESS","ACTIVE:COMPLETED"]' "JS update-service"
	contains "$tmp/js" '"steadyAt":"17m51s","deployments":["PRIMARY:COMPLETED"],"runningCount":2,"desiredCount":2' "JS deploy to steady"
	contains "$tmp/js" '"latestEvent":"(service my-microservice) has reached a steady state.","eventsAreDates":true' "JS events"
	contains "$tmp/js" '"targetStates":["healthy","healthy"],"scalingActivities":0' "JS ELBv2 (query protocol) and Application Auto Scaling"
	contains "$tmp/js" '"errorName":"ClusterNotFoundException","errorStatus":400,"notFound":true' "JS errors"
	run_ref 17m51s
	same_as_run "JS SDK deploy"
	stop_serve
fi

finish
