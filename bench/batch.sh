#!/bin/sh
# Batch benchmarks (issue 14), run by `make bench`; prints figures, asserts
# only the identities the results depend on:
#   1. 1,000 seeds of the seed scenario, --jobs 2 and --jobs 1 (median of
#      5 wall times each; seeds.json and seeds.csv only, no per-run files);
#      identical for --jobs 1, --jobs 2, the merge of --shard 1/3..3/3 and
#      mpirun -n 3 (when the MPI build is given);
#   2. a sweep of minimumHealthyPercent 0..100:25 x maximumPercent
#      100..200:50, 100 seeds per point, with sweep.html. Two of the seed
#      scenario's expectations hold at seed 1 but not in every seed (the
#      error rate <= 0.2% fails in about one seed in eight, the scale-out
#      to at most 5 tasks in about one in two hundred), so the sweep asks
#      them to hold in 75% and 99% of the seeds ("in", set with --set);
#      otherwise no point meets every expectation and none is cheapest;
#   3. ecsim compare of deregistration delay 300 s against 30 s.
#
# Usage: ECSIM=build/ecsim [ECSIM_MPI=build-mpi/ecsim] sh bench/batch.sh
set -u
ECSIM=${ECSIM:-build/ecsim}
SEED=scenarios/seed-article.json
out=${BENCH_OUT:-build/bench-batch}
rm -rf "$out"
mkdir -p "$out"
status=0

now() { date +%s.%N; }
# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# wall REPS CMD...: the median wall seconds of REPS runs
wall() {
	reps=$1; shift
	i=0
	while [ "$i" -lt "$reps" ]; do
		t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
		echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }'
		i=$((i + 1))
	done | median
}
same() {
	if cmp -s "$1" "$2"; then echo "  identical: $3"; else echo "  DIFFERENT: $3 ($1 vs $2)"; status=1; fi
}

echo "1,000 seeds of $SEED ($(nproc) online cores)"
w2=$(wall 5 "$ECSIM" run "$SEED" --seeds 1000 --jobs 2 -o "$out/j2" -q)
w1=$(wall 5 "$ECSIM" run "$SEED" --seeds 1000 --jobs 1 -o "$out/j1" -q)
echo "  --jobs 2: $w2 s wall (median of 5; goal < 2 s)"
echo "  --jobs 1: $w1 s wall (median of 5)"
echo "$w1 $w2" | awk '{ printf "  speed-up %.2fx; %.0f runs/s with --jobs 2\n", $1 / $2, 1000 / $2 }'
for k in 1 2 3; do
	"$ECSIM" run "$SEED" --seeds 1000 --shard "$k/3" -o "$out/parts" -q >/dev/null 2>&1
done
"$ECSIM" merge "$out/parts" -o "$out/merged" -q >/dev/null 2>&1
same "$out/j1/seeds.json" "$out/j2/seeds.json" "seeds.json, --jobs 1 and --jobs 2"
same "$out/j1/seeds.csv" "$out/j2/seeds.csv" "seeds.csv, --jobs 1 and --jobs 2"
same "$out/j1/seeds.json" "$out/merged/seeds.json" "seeds.json, merge of --shard 1/3..3/3"
same "$out/j1/seeds.csv" "$out/merged/seeds.csv" "seeds.csv, merge of --shard 1/3..3/3"
if [ -n "${ECSIM_MPI:-}" ] && command -v mpirun >/dev/null 2>&1; then
	wm=$(wall 3 mpirun --oversubscribe --allow-run-as-root -n 3 "$ECSIM_MPI" run "$SEED" --seeds 1000 -o "$out/mpi3" -q)
	echo "  mpirun -n 3: $wm s wall (median of 3, MPI start-up included)"
	same "$out/j1/seeds.json" "$out/mpi3/seeds.json" "seeds.json, mpirun -n 3"
	same "$out/j1/seeds.csv" "$out/mpi3/seeds.csv" "seeds.csv, mpirun -n 3"
else
	echo "  mpirun -n 3: skipped (no MPI build; make MPI=1)"
fi
"$ECSIM" run "$SEED" --seeds 1000 --jobs 2 >"$out/seeds.txt" 2>&1
grep -E "deployment 2 duration|^  FAIL|held in" "$out/seeds.txt" | head -6 | sed 's/^/  | /'

echo
echo "sweep: minimumHealthyPercent 0..100:25 x maximumPercent 100..200:50, 100 seeds per point"
SVC='services[my-microservice].deploymentConfiguration'
t0=$(now)
"$ECSIM" sweep "$SEED" --vary "$SVC.minimumHealthyPercent=0..100:25" \
    --vary "$SVC.maximumPercent=100..200:50" --seeds 100 --jobs 2 \
    --set 'expect[errors only while the service is first created].in="75%"' \
    --set 'expect[the scale-out is proportional: ceil(2 x 120% / 50%) = 5 tasks at most].in="99%"' \
    -o "$out/sweep" >"$out/sweep.txt" 2>&1
code=$?
t1=$(now)
echo "$t0 $t1" | awk '{ printf "  1,500 runs: %.2f s wall (--jobs 2)\n", $2 - $1 }'
echo "  exit $code; $(grep -c . "$out/sweep/sweep.csv") lines in sweep.csv; sweep.html $(wc -c <"$out/sweep/sweep.html") bytes: $out/sweep/sweep.html"
grep -E "^Cheapest|^No point" "$out/sweep.txt" | sed 's/^/  /'
grep -E "^ +[0-9]+ +[0-9]+ +[0-9]+ " "$out/sweep.txt" | sed 's/^/  | /'

echo
echo "compare: deregistration delay 300 s (A) against 30 s (B)"
DEREG='targetGroups[my-microservice-tg].Attributes[deregistration_delay.timeout_seconds].Value="30"'
"$ECSIM" run "$SEED" -o "$out/d300" -q >/dev/null 2>&1
"$ECSIM" run "$SEED" -o "$out/d30" -q --set "$DEREG" >/dev/null 2>&1
"$ECSIM" compare "$out/d300" "$out/d30" --tolerance 10% >"$out/cmp.txt" 2>&1
c1=$?
grep -A1 "deployment 2 duration" "$out/cmp.txt" | sed 's/^/  | /'
echo "  300 s -> 30 s: exit $c1 (B faster)"
"$ECSIM" compare "$out/d30" "$out/d300" --tolerance 10% >"$out/cmp2.txt" 2>&1
c2=$?
echo "  30 s -> 300 s: exit $c2 (B slower beyond 10%)"
if [ "$c1" -ne 0 ] || [ "$c2" -ne 1 ]; then echo "  UNEXPECTED exit codes"; status=1; fi
exit $status
