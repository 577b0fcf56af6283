#!/usr/bin/env bash
# A run logged to Stepwise with curl: experiment, run, metrics, params, history, an artifact, end.
#
#   STEPWISE_URL         the server (default http://127.0.0.1:8080)
#   STEPWISE_API_KEY     an API key (default: the one in .stepwise/bootstrap.key)
#   STEPWISE_EXPERIMENT  the experiment to log into (default "curl-example"; created if it does not exist)
#
# The last line printed is `run_id=<uuid>`.
set -euo pipefail

API="${STEPWISE_URL:-http://127.0.0.1:8080}/api/v1"
KEY="${STEPWISE_API_KEY:-$(cat .stepwise/bootstrap.key)}"
NAME="${STEPWISE_EXPERIMENT:-curl-example}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Every call: the key, and on an error status a non-zero exit with the server's {code, message} printed.
api() { curl --silent --show-error --fail-with-body -H "Authorization: Bearer $KEY" "$@"; }
post_json() { api -X POST -H 'Content-Type: application/json' "$1" -d "$2"; }
# The first "id" of a JSON answer (the resource's own: it comes first).
id_of() { sed -E 's/^[^{]*\{"id":"([^"]+)".*/\1/'; }

# 1. The experiment: create it, or on 409 (an active one has that name) find it by name.
if EXP_JSON=$(post_json "$API/experiments" "{\"name\": \"$NAME\"}"); then
  EXP=$(id_of <<<"$EXP_JSON")
elif [[ "$EXP_JSON" == *'"code":"CONFLICT"'* ]]; then
  # `search` matches substrings of names, so pick the exact name from the answer.
  EXP=$(api -G "$API/experiments" --data-urlencode "search=$NAME" -d limit=1000 |
    python3 -c 'import json, sys; print(next(e["id"] for e in json.load(sys.stdin)["experiments"] if e["name"] == sys.argv[1]))' "$NAME")
else
  echo "$EXP_JSON" >&2
  exit 1
fi
echo "experiment $NAME: $EXP"

# 2. A run in it.
RUN=$(post_json "$API/experiments/runs" "{\"experiment_id\": \"$EXP\", \"name\": \"curl-walkthrough\"}" | id_of)
echo "run: $RUN"

# 3. Ten steps of two metrics and a tag in one log-batch request.
METRICS=""
for step in $(seq 0 9); do
  METRICS+="{\"key\": \"loss\", \"value\": 1.$((9 - step)), \"step\": $step},"
  METRICS+="{\"key\": \"acc\", \"value\": 0.$((50 + step * 5)), \"step\": $step},"
done
post_json "$API/experiments/runs/$RUN/log-batch" \
  "{\"metrics\": [${METRICS%,}], \"tags\": [{\"key\": \"source\", \"value\": \"examples/curl\"}]}"
echo

# 4. Params (write-once: the same value again is fine, another value is a 409).
post_json "$API/experiments/runs/$RUN/log-params" '{"params": {"learning_rate": "0.1", "epochs": 10}}'
echo

# 5. The loss history, back from the server.
api "$API/experiments/runs/$RUN/metrics/history?key=loss"
echo

# 6. This script as an artifact (any file will do), the folder's listing, and a download compared byte for byte.
api -X POST "$API/experiments/runs/$RUN/log-artifact?artifact_path=scripts" -F "file=@$0;filename=walkthrough.sh"
echo
api "$API/experiments/runs/$RUN/artifacts?path=scripts"
echo
api -o "$WORK/walkthrough.sh" "$API/experiments/runs/$RUN/artifacts/download?path=scripts/walkthrough.sh"
cmp "$0" "$WORK/walkthrough.sh"
echo "downloaded artifact matches the upload"

# 7. End the run (FINISHED; FAILED and KILLED too).
post_json "$API/experiments/runs/$RUN/end" '{"status": "FINISHED"}' >/dev/null
echo "run_id=$RUN"
