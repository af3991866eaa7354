#!/bin/sh
# CLI tests of the batch commands through the real binary: `run --seeds`
# (distributions, the "in" share rule, per-run reports only when asked,
# the progress line only on a terminal), identical results for any
# --jobs, shards merged into the unsharded result byte for byte, MPI when
# built, `sweep` and `compare` (exit codes of the CI gate).
#
# Usage: ECSIM=build/ecsim sh tests/cli_batch_test.sh   (from the top)
set -u
ECSIM=${ECSIM:-build/ecsim}
SEED=scenarios/seed-article.json
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecsim-batch.XXXXXX")
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
	if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, expected $want: $(head -c 300 "$tmp/err")"; fi
}
# exit_in CODES DESCRIPTION -- COMMAND...: the exit code is one of CODES.
exit_in() {
	want=$1; what=$2; shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	case " $want " in *" $got "*) ok ;; *) bad "$what: exit $got, expected one of $want: $(head -c 300 "$tmp/err")" ;; esac
}
contains() {
	if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $(basename "$1"): $(head -c 300 "$1")"; fi
}
same() {
	if cmp -s "$1" "$2"; then ok; else bad "$3: $1 and $2 differ"; fi
}
# csv_col FILE NAME: the 1-based column of NAME in FILE's header (CSV
# with quoted fields).
csv_col() {
	head -1 "$1" | awk -v want="$2" '{
		n = 0; f = ""; q = 0
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (q) { if (c == "\"") { if (substr($0, i + 1, 1) == "\"") { f = f c; i++ } else q = 0 } else f = f c }
			else if (c == "\"") q = 1
			else if (c == ",") { n++; if (f == want) { print n; exit } f = "" }
			else f = f c
		}
		n++; if (f == want) print n
	}'
}

# --- run --seeds: usage errors (exit 2, a message) ---
expect_exit 2 "--seeds 0" -- "$ECSIM" run "$SEED" --seeds 0
contains "$tmp/err" '--seeds needs a count N (seeds 1..N) or a range A..B, got "0"' "--seeds 0 message"
expect_exit 2 "--seeds 5..3" -- "$ECSIM" run "$SEED" --seeds 5..3
expect_exit 2 "--seed with --seeds" -- "$ECSIM" run "$SEED" --seeds 3 --seed 4
contains "$tmp/err" "--seed and --seeds exclude each other" "--seed/--seeds message"
expect_exit 2 "--jobs 0" -- "$ECSIM" run "$SEED" --seeds 3 --jobs 0
expect_exit 2 "--run-reports without -o" -- "$ECSIM" run "$SEED" --seeds 3 --run-reports
expect_exit 2 "--shard without --seeds" -- "$ECSIM" run "$SEED" --shard 1/2
expect_exit 2 "--shard 3/2" -- "$ECSIM" run "$SEED" --seeds 3 --shard 3/2
expect_exit 2 "unknown option in seeds mode" -- "$ECSIM" run "$SEED" --seeds 3 --bogus
contains "$tmp/err" 'unknown option "--bogus"' "unknown option message"
expect_exit 2 "bad scenario in seeds mode" -- "$ECSIM" run tests/data/cli/unknown-key.json --seeds 3
contains "$tmp/err" "unknown key 'desiredCont'" "scenario error in seeds mode"

# --- results do not depend on --jobs; stdout, seeds.json, seeds.csv ---
for j in 1 2 3; do
	exit_in "0 1" "--seeds 24 --jobs $j" -- "$ECSIM" run "$SEED" --seeds 24 --jobs "$j" -o "$tmp/j$j"
	grep -v '^results: ' "$tmp/out" >"$tmp/j$j.txt"
	if [ -s "$tmp/err" ]; then bad "--jobs $j wrote to stderr (not a terminal): $(head -c 200 "$tmp/err")"; else ok; fi
done
for j in 2 3; do
	same "$tmp/j1/seeds.json" "$tmp/j$j/seeds.json" "seeds.json --jobs 1 vs $j"
	same "$tmp/j1/seeds.csv" "$tmp/j$j/seeds.csv" "seeds.csv --jobs 1 vs $j"
	same "$tmp/j1.txt" "$tmp/j$j.txt" "text summary --jobs 1 vs $j"
done
contains "$tmp/j1.txt" "ecsim run --seeds: seed-article, 24 runs (seeds 1..24)" "text header"
contains "$tmp/j1.txt" "deployment 2 duration" "text names the deployment duration"
contains "$tmp/j1.txt" "gsl_stats_quantile_from_sorted_data" "text states the quantile method"
contains "$tmp/j1/seeds.json" '"kind":	"ecsim-seeds"' "seeds.json kind"
contains "$tmp/j1/seeds.json" '"key":	"service/my-microservice/deployment/2/duration"' "seeds.json metric key"
contains "$tmp/j1/seeds.json" '"meanCI95":' "seeds.json CI"
if [ "$(wc -l <"$tmp/j1/seeds.csv")" -eq 25 ]; then ok; else bad "seeds.csv: $(wc -l <"$tmp/j1/seeds.csv") lines, expected 25"; fi
contains "$tmp/j1/seeds.csv" "seed,status,service/my-microservice/deployment/1/duration" "seeds.csv header"
if [ -d "$tmp/j1/runs" ]; then bad "per-run reports written without --run-reports"; else ok; fi

# the mean in seeds.json is the mean of the seeds.csv column
col=$(csv_col "$tmp/j1/seeds.csv" service/my-microservice/deployment/2/duration)
csv_mean=$(awk -F, -v c="$col" 'NR > 1 { s += $c; n++ } END { printf "%.6f", s / n }' "$tmp/j1/seeds.csv")
json_mean=$(awk '/"key":.*deployment\/2\/duration"/ { f = 1 } f && /"mean":/ { gsub(/[^0-9.e+-]/, "", $2); printf "%.6f", $2; exit }' "$tmp/j1/seeds.json")
if [ "$csv_mean" = "$json_mean" ]; then ok; else bad "deployment 2 mean: csv $csv_mean, json $json_mean"; fi

# --format json prints seeds.json
exit_in "0 1" "--format json" -- "$ECSIM" run "$SEED" --seeds 24 --jobs 2 --format json
same "$tmp/out" "$tmp/j1/seeds.json" "--format json equals seeds.json"

# --- "in": an expectation passes when it holds in at least that share ---
col=$(csv_col "$tmp/j1/seeds.csv" "held: errors only while the service is first created")
held=$(awk -F, -v c="$col" 'NR > 1 && $c == 1 { n++ } END { print n + 0 }' "$tmp/j1/seeds.csv")
sed 's/"errorRateAtMost"/"in": "IN%", &/' "$SEED" >"$tmp/in.json.t"
share=$(awk -v h="$held" 'BEGIN { printf "%.4f", 100 * h / 24 }')
sed "s/IN%/$share%/" "$tmp/in.json.t" >"$tmp/in.json"
exit_in "0 1" "in = the measured share" -- "$ECSIM" run "$tmp/in.json" --seeds 24
contains "$tmp/out" "PASS  errors only while the service is first created" "holds in exactly its share: PASS"
contains "$tmp/out" "held in $held of 24 seeds" "held count in the text"
if [ "$held" -lt 24 ]; then
	more=$(awk -v h="$held" 'BEGIN { printf "%.4f", 100 * (h + 1) / 24 }')
	sed "s/IN%/$more%/" "$tmp/in.json.t" >"$tmp/in2.json"
	expect_exit 1 "in above the measured share" -- "$ECSIM" run "$tmp/in2.json" --seeds 24
	contains "$tmp/out" "FAIL  errors only while the service is first created" "one seed short of its share: FAIL"
	contains "$tmp/out" "did not hold in seed" "failing seeds named"
else
	echo "note: the error-rate expectation held in every seed; the FAIL side of the share rule is covered by the unit tests"
fi

# --- per-run reports when asked, the same files `run --seed N -o` writes ---
exit_in "0 1" "--run-reports" -- "$ECSIM" run "$SEED" --seeds 2..3 --jobs 2 --run-reports -o "$tmp/rr"
for s in 2 3; do
	for f in summary.json timeline.csv events.log report.html; do
		if [ -s "$tmp/rr/runs/seed-$s/$f" ]; then ok; else bad "--run-reports: runs/seed-$s/$f missing"; fi
	done
done
exit_in "0 1" "run --seed 3" -- "$ECSIM" run "$SEED" --seed 3 -o "$tmp/one3"
same "$tmp/one3/summary.json" "$tmp/rr/runs/seed-3/summary.json" "seed 3 in a batch is ecsim run --seed 3"

# -q keeps only the expectations that failed, never silent when one did:
# the seed scenario's scale-out bound fails in seed 62
expect_exit 1 "--seeds -q with a failing expectation" -- "$ECSIM" run "$SEED" --seeds 60..64 -q
contains "$tmp/out" "  FAIL  the scale-out is proportional" "--seeds -q prints the failure"
contains "$tmp/out" "did not hold in seed 62" "--seeds -q names the seed"
if grep -q "PASS" "$tmp/out"; then bad "--seeds -q printed a PASS"; else ok; fi

# --max-memory holds for every run of a batch, as for one run
expect_exit 2 "--seeds over --max-memory" -- "$ECSIM" run "$SEED" --seeds 3 --max-memory 1K
contains "$tmp/err" "the limit is 1.0 KiB: set a longer sampleInterval" "--seeds --max-memory message"
expect_exit 2 "sweep over --max-memory" -- "$ECSIM" sweep "$SEED" --vary "services[my-microservice].deploymentConfiguration.maximumPercent=150,200" --max-memory 1K
contains "$tmp/err" "or raise --max-memory (at sweep point" "sweep --max-memory names the point"
expect_exit 2 "--seeds --max-memory x" -- "$ECSIM" run "$SEED" --seeds 3 --max-memory x
contains "$tmp/err" '--max-memory needs a size like 512M or 4G, got "x"' "--max-memory value message"

# --- progress line: on a terminal only ---
if command -v script >/dev/null 2>&1; then
	script -qec "$ECSIM run $SEED --seeds 40 --jobs 2 -q -o $tmp/tty" /dev/null >"$tmp/tty.txt" 2>&1
	contains "$tmp/tty.txt" "runs: " "progress line on a terminal"
	contains "$tmp/tty.txt" "/40 done" "progress counts done/total"
	if grep -q "done," "$tmp/tty/seeds.json" "$tmp/tty/seeds.csv"; then bad "progress in files"; else ok; fi
else
	echo "note: 'script' not installed: progress-on-a-terminal check skipped"
fi


# --- shards merged: byte for byte the unsharded result ---
for k in 1 2 3; do
	exit_in "0" "--shard $k/3" -- "$ECSIM" run "$SEED" --seeds 24 --shard "$k/3" --jobs 2 -o "$tmp/parts"
done
for k in 1 2 3; do
	if [ -s "$tmp/parts/partial-$k-of-3.json" ]; then ok; else bad "--shard $k/3 wrote no partial-$k-of-3.json"; fi
done
exit_in "0 1" "merge" -- "$ECSIM" merge "$tmp/parts" -o "$tmp/merged"
grep -v '^results: ' "$tmp/out" >"$tmp/merged.txt"
same "$tmp/j1/seeds.json" "$tmp/merged/seeds.json" "merged seeds.json equals unsharded"
same "$tmp/j1/seeds.csv" "$tmp/merged/seeds.csv" "merged seeds.csv equals unsharded"
same "$tmp/j1.txt" "$tmp/merged.txt" "merged text equals unsharded"
# files in any order, and a shard written to stdout
exit_in "0" "--shard to stdout" -- "$ECSIM" run "$SEED" --seeds 24 --shard 2/3
cp "$tmp/out" "$tmp/p2.json"
contains "$tmp/p2.json" '"kind":	"ecsim-partial"' "partial on stdout"
exit_in "0 1" "merge files in any order" -- "$ECSIM" merge "$tmp/parts/partial-3-of-3.json" "$tmp/p2.json" "$tmp/parts/partial-1-of-3.json" -o "$tmp/merged2"
same "$tmp/j1/seeds.json" "$tmp/merged2/seeds.json" "merge in another order"
expect_exit 2 "merge with a shard missing" -- "$ECSIM" merge "$tmp/parts/partial-1-of-3.json" "$tmp/parts/partial-3-of-3.json"
contains "$tmp/err" "shard 2 of 3 is missing" "missing shard message"
expect_exit 2 "merge with a shard twice" -- "$ECSIM" merge "$tmp/parts" "$tmp/p2.json"
contains "$tmp/err" "shard 2 of 3 given twice" "duplicate shard message"
exit_in "0" "a shard of another batch" -- "$ECSIM" run "$SEED" --seeds 25 --shard 2/3 -o "$tmp/other"
expect_exit 2 "merge partials of two batches" -- "$ECSIM" merge "$tmp/parts/partial-1-of-3.json" "$tmp/other/partial-2-of-3.json" "$tmp/parts/partial-3-of-3.json"
contains "$tmp/err" "a partial of another batch" "foreign partial message"
expect_exit 2 "merge of a non-partial" -- "$ECSIM" merge "$tmp/j1/seeds.json"
contains "$tmp/err" "not a partial result" "non-partial message"
expect_exit 2 "merge of nothing" -- "$ECSIM" merge

# --- MPI: mpirun -n 3 gives the unsharded result (when built with MPI) ---
if [ -n "${ECSIM_MPI:-}" ] && command -v mpirun >/dev/null 2>&1; then
	exit_in "0 1" "mpirun -n 3" -- mpirun --oversubscribe --allow-run-as-root -n 3 "$ECSIM_MPI" run "$SEED" --seeds 24 -o "$tmp/mpi3" -q
	same "$tmp/j1/seeds.json" "$tmp/mpi3/seeds.json" "mpirun -n 3 seeds.json equals unsharded"
	same "$tmp/j1/seeds.csv" "$tmp/mpi3/seeds.csv" "mpirun -n 3 seeds.csv equals unsharded"
	exit_in "0 1" "mpirun -n 4 sweep" -- mpirun --oversubscribe --allow-run-as-root -n 4 "$ECSIM_MPI" sweep "$SEED" --vary 'services[my-microservice].deploymentConfiguration.minimumHealthyPercent=50,100' --vary 'services[my-microservice].deploymentConfiguration.maximumPercent=150,200' --seeds 3 -o "$tmp/mpisw" -q
	mpisweep=1
else
	echo "note: MPI build not given (ECSIM_MPI) or mpirun missing: MPI checks skipped"
	mpisweep=
fi

# --- sweep ---
MH='services[my-microservice].deploymentConfiguration.minimumHealthyPercent'
MX='services[my-microservice].deploymentConfiguration.maximumPercent'
expect_exit 2 "sweep without --vary" -- "$ECSIM" sweep "$SEED"
contains "$tmp/err" "sweep needs at least one --vary" "sweep without --vary message"
expect_exit 2 "--vary without =" -- "$ECSIM" sweep "$SEED" --vary foo
expect_exit 2 "--vary backwards range" -- "$ECSIM" sweep "$SEED" --vary "$MH=100..50:10"
contains "$tmp/err" "needs A <= B" "backwards range message"
expect_exit 2 "--vary the same path twice" -- "$ECSIM" sweep "$SEED" --vary "$MH=50" --vary "$MH=100"
expect_exit 2 "--vary a path that names nothing" -- "$ECSIM" sweep "$SEED" --vary 'services[nope].desiredCount=1,2'
contains "$tmp/err" "(at sweep point services[nope].desiredCount=1)" "bad vary path names the point"
expect_exit 2 "--vary a bad value at one point" -- "$ECSIM" sweep "$SEED" --vary "$MH=50,-5"
contains "$tmp/err" "at sweep point $MH=-5" "bad value names its point"
for j in 1 2; do
	exit_in "0 1" "sweep --jobs $j" -- "$ECSIM" sweep "$SEED" --vary "$MH=50,100" --vary "$MX=150..200:50" --seeds 3 --jobs "$j" -o "$tmp/sw$j"
	grep -v '^results: ' "$tmp/out" >"$tmp/sw$j.txt"
done
for f in sweep.csv sweep.json sweep.html; do
	same "$tmp/sw1/$f" "$tmp/sw2/$f" "sweep $f --jobs 1 vs 2"
done
same "$tmp/sw1.txt" "$tmp/sw2.txt" "sweep text --jobs 1 vs 2"
if [ "$(wc -l <"$tmp/sw1/sweep.csv")" -eq 5 ]; then ok; else bad "sweep.csv: $(wc -l <"$tmp/sw1/sweep.csv") lines, expected 5 (4 points)"; fi
contains "$tmp/sw1/sweep.csv" "point,$MH,$MX,meetsAll,cheapest" "sweep.csv header"
contains "$tmp/sw1.txt" "4 points x 3 seeds (seeds 1..3) = 12 runs" "sweep text header"
contains "$tmp/sw1/sweep.html" "<svg" "sweep.html has charts"
contains "$tmp/sw1/sweep.html" "Heat maps" "two swept values: heat maps"
if grep -qE 'https?://|<script' "$tmp/sw1/sweep.html"; then bad "sweep.html references the network or runs script"; else ok; fi
# minimumHealthyPercent 50 lets the deploy drop to 1 healthy task, 100 keeps 2
awk -F, 'NR > 1 { print $2, $3 }' "$tmp/sw1/sweep.csv" >"$tmp/points.txt"
if [ "$(head -1 "$tmp/points.txt")" = "50 150" ] && [ "$(tail -1 "$tmp/points.txt")" = "100 200" ]; then ok; else bad "sweep point order: $(tr '\n' ';' <"$tmp/points.txt")"; fi
col=$(csv_col "$tmp/sw1/sweep.csv" "service/my-microservice/deployment/2/lowestHealthy:min")
lows=$(awk -F, -v c="$col" 'NR > 1 { printf "%s ", $c }' "$tmp/sw1/sweep.csv")
if [ "$lows" = "1 1 2 2 " ]; then ok; else bad "deployment 2 lowest healthy by point: '$lows', expected '1 1 2 2 '"; fi
# sharded sweep merged equals the unsharded one
for k in 1 2; do
	exit_in "0" "sweep --shard $k/2" -- "$ECSIM" sweep "$SEED" --vary "$MH=50,100" --vary "$MX=150..200:50" --seeds 3 --shard "$k/2" -o "$tmp/swparts"
done
exit_in "0 1" "merge sweep" -- "$ECSIM" merge "$tmp/swparts" -o "$tmp/swmerged"
for f in sweep.csv sweep.json sweep.html; do
	same "$tmp/sw1/$f" "$tmp/swmerged/$f" "merged sweep $f equals unsharded"
done
if [ -n "$mpisweep" ]; then
	for f in sweep.csv sweep.json sweep.html; do
		same "$tmp/sw1/$f" "$tmp/mpisw/$f" "mpirun -n 4 sweep $f equals unsharded"
	done
fi
# the cheapest point that meets every expectation is marked
exit_in "0 1" "sweep with a cheapest point" -- "$ECSIM" sweep "$SEED" --vary "$MX=150,200" --vary 'scaling.scalingPolicies[cpu50].TargetTrackingScalingPolicyConfiguration.TargetValue=50,75' -o "$tmp/swc" -q
if grep -q '"cheapest":	{' "$tmp/swc/sweep.json"; then
	contains "$tmp/swc/sweep.html" "cheapest point meeting every expectation" "cheapest marked in the HTML"
	cheap=$(awk -F, 'NR > 1 && $5 == 1 { print $1 }' "$tmp/swc/sweep.csv")
	meets=$(awk -F, -v p="$cheap" 'NR > 1 && $1 == p { print $4 }' "$tmp/swc/sweep.csv")
	if [ -n "$cheap" ] && [ "$meets" = "1" ]; then ok; else bad "cheapest point '$cheap' does not meet every expectation"; fi
else
	contains "$tmp/swc/sweep.html" "no point meets every expectation" "no cheapest point: said so"
fi

# --- compare: deregistration delay 300 s (A) against 30 s (B) ---
DEREG='targetGroups[my-microservice-tg].Attributes[deregistration_delay.timeout_seconds].Value="30"'
exit_in "0 1" "run with 300 s" -- "$ECSIM" run "$SEED" -o "$tmp/d300" -q
exit_in "0 1" "run with 30 s" -- "$ECSIM" run "$SEED" -o "$tmp/d30" -q --set "$DEREG"
expect_exit 0 "compare 300 -> 30 (B faster)" -- "$ECSIM" compare "$tmp/d300" "$tmp/d30" --tolerance 10%
contains "$tmp/out" "my-microservice: deployment 2 duration (lower is better)" "compare names the deploy"
contains "$tmp/out" "A 7m50." "deploy took ~7m50s with 300 s"
contains "$tmp/out" "B 3m20." "deploy takes ~3m20s with 30 s"
contains "$tmp/out" "better" "shorter deploy is better"
expect_exit 1 "compare 30 -> 300 (B slower beyond 10%)" -- "$ECSIM" compare "$tmp/d30/summary.json" "$tmp/d300/summary.json" --tolerance 10%
contains "$tmp/out" "WORSE beyond the tolerance" "slower deploy flagged"
contains "$tmp/out" "my-microservice: deployment 2 duration: +134" "verdict names the metric and the change"
expect_exit 0 "compare within a 200% tolerance" -- "$ECSIM" compare "$tmp/d30" "$tmp/d300" --tolerance 200%
expect_exit 1 "compare --format json" -- "$ECSIM" compare "$tmp/d30" "$tmp/d300" --tolerance 10% --format json
contains "$tmp/out" '"worseBeyondTolerance":' "compare JSON lists what is worse"
contains "$tmp/out" '"key":	"service/my-microservice/deployment/2/duration"' "compare JSON key"
# with distributions: seeds results
exit_in "0 1" "seeds with 30 s" -- "$ECSIM" run "$SEED" --seeds 24 -o "$tmp/s30" -q --set "$DEREG"
expect_exit 1 "compare seeds 30 -> 300" -- "$ECSIM" compare "$tmp/s30" "$tmp/j1" --tolerance 10%
contains "$tmp/out" "A mean 3m2" "compare shows the distribution of A"
contains "$tmp/out" "95% CI" "compare shows the CI of the difference"
expect_exit 0 "compare seeds 300 -> 30" -- "$ECSIM" compare "$tmp/j1/seeds.json" "$tmp/s30/seeds.json" --tolerance 10%
expect_exit 2 "compare a sweep with a run" -- "$ECSIM" compare "$tmp/sw1/sweep.json" "$tmp/d30"
contains "$tmp/err" "a sweep compares with a sweep only" "sweep vs run message"
exit_in "0 1" "compare two sweeps" -- "$ECSIM" compare "$tmp/sw1" "$tmp/sw2"
contains "$tmp/out" "not worse than A" "identical sweeps compare equal"
expect_exit 2 "compare a missing file" -- "$ECSIM" compare "$tmp/nope.json" "$tmp/d30"
expect_exit 2 "compare with a bad tolerance" -- "$ECSIM" compare "$tmp/d30" "$tmp/d300" --tolerance ten
expect_exit 2 "compare one file" -- "$ECSIM" compare "$tmp/d30"

printf 'cli batch tests: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
