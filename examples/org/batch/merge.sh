#!/bin/sh
# The job that runs after the array job (dependsOn it, type SEQUENTIAL or N_TO_N not needed): fetch
# every shard's report and merge them into one SARIF file, one JSON report and the text report in the
# log. Its exit code is the organisation's: 0 clean, 1 findings, 2 an account not judged.
set -eu
: "${REPORTS:?set REPORTS}" "${SHARDS:?set SHARDS}"
work=$(mktemp -d)
case "$REPORTS" in
  s3://*) aws s3 cp "${REPORTS%/}/" "$work/" --recursive --exclude "*" --include "shard-*-of-$SHARDS.json" ;;
  *) cp "${REPORTS%/}"/shard-*-of-"$SHARDS".json "$work/" ;;
esac
found=$(ls "$work" | wc -l)
if [ "$found" -ne "$SHARDS" ]; then
  echo "only $found of $SHARDS shard reports are there: the merge would leave accounts out" >&2
  exit 2
fi
status=0
lakelint merge "$work"/shard-*.json --format sarif --output "$work/lakelint-org.sarif" || status=$?
lakelint merge "$work"/shard-*.json --format json --output "$work/lakelint-org.json" || true
lakelint merge "$work"/shard-*.json --statistics || true
case "$REPORTS" in
  s3://*) aws s3 cp "$work/lakelint-org.sarif" "${REPORTS%/}/lakelint-org.sarif"
          aws s3 cp "$work/lakelint-org.json" "${REPORTS%/}/lakelint-org.json" ;;
  *) cp "$work/lakelint-org.sarif" "$work/lakelint-org.json" "${REPORTS%/}/" ;;
esac
exit "$status"
