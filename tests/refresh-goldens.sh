#!/bin/sh
# Rewrite tests/golden/<scenario>.summary.json from the current build, on
# purpose. Review `git diff tests/golden` before committing: every change
# there is a change of behaviour a user would see.
set -eu
ECSIM=${ECSIM:-build/ecsim}
mkdir -p tests/golden
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecsim-golden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for s in scenarios/*.json; do
	name=$(basename "$s" .json)
	# a bundled scenario's expectations all hold: refreshing a golden must
	# never bake a failing expectation into it
	rc=0
	"$ECSIM" run "$s" -o "$tmp/$name" --quiet || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "$s: exit $rc (an expectation failed or the run broke); golden not refreshed" >&2
		exit 1
	fi
	cp "$tmp/$name/summary.json" "tests/golden/$name.summary.json"
	echo "refreshed tests/golden/$name.summary.json"
done
