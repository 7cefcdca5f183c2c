#!/bin/sh
# One AWS Batch array child: scan shard K of SHARDS of the organisation and store its JSON report.
#
# AWS Batch sets AWS_BATCH_JOB_ARRAY_INDEX (0 .. size-1) in each child of an array job; shard K is
# that index plus one. The array's size must equal SHARDS. The job role is the scanning principal
# (lakelint --print-iam-policy --org --role-name "$ROLE_NAME"); REPORTS is an s3:// prefix (written
# with the AWS CLI, by the job role: lakelint itself never writes) or, to try it locally, a folder.
# REGIONS (default: all) is a space-separated list of regions; LAKELINT_ARGS, more flags (--select ...).
# The scan's own exit code (1 findings, 2 an account not judged) is the merge's to recompute.
set -eu
: "${SHARDS:?set SHARDS to the array size}" "${ROLE_NAME:=lakelint-scan}" "${REPORTS:?set REPORTS}"
shard=$(( ${AWS_BATCH_JOB_ARRAY_INDEX:-0} + 1 ))
report="shard-$shard-of-$SHARDS.json"
set --
for region in ${REGIONS:-all}; do
  set -- "$@" --region "$region"
done
status=0
lakelint --live --org --role-name "$ROLE_NAME" "$@" --shard "$shard/$SHARDS" \
  --format json --output "$report" ${LAKELINT_ARGS:-} || status=$?
if [ "$status" -gt 2 ]; then
  echo "lakelint failed ($status) on shard $shard/$SHARDS" >&2
  exit "$status"
fi
case "$REPORTS" in
  s3://*) aws s3 cp "$report" "${REPORTS%/}/$report" ;;
  *) mkdir -p "$REPORTS" && cp "$report" "${REPORTS%/}/$report" ;;
esac
