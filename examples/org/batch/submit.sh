#!/bin/sh
# Submit the array job (one child per shard) and the merge job that waits for all of it.
# Needs the AWS CLI, a job queue, the job definition in job-definition.json (registered once with
# aws batch register-job-definition --cli-input-json file://job-definition.json) and the merge job's,
# merge-job-definition.json (lakelint-org-merge, which runs merge.sh with the same SHARDS and REPORTS).
set -eu
: "${QUEUE:?set QUEUE to your job queue}" "${SHARDS:=10}"
array=$(aws batch submit-job --job-name lakelint-org --job-queue "$QUEUE" \
  --job-definition lakelint-org-shard --array-properties "size=$SHARDS" \
  --container-overrides "environment=[{name=SHARDS,value=$SHARDS}]" --query jobId --output text)
aws batch submit-job --job-name lakelint-org-merge --job-queue "$QUEUE" --job-definition lakelint-org-merge \
  --depends-on "jobId=$array" --container-overrides "environment=[{name=SHARDS,value=$SHARDS}]"
