#!/usr/bin/env python3
"""Log a (fake) training run to Stepwise over its REST API, with nothing but the Python standard library.

    STEPWISE_URL        the server (default http://127.0.0.1:8080)
    STEPWISE_API_KEY    an API key; or STEPWISE_KEY_FILE, a file holding one (such as .stepwise/bootstrap.key)
    STEPWISE_EXPERIMENT the experiment to log into (default "python-example"; created if it does not exist)
    OUTPUT_DIR          where the model file is written before it is uploaded (default: a temporary folder)

The last line printed is `run_id=<uuid>`.
"""

import json
import math
import os
import random
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

STEPS = 200
LOG_EVERY = 50  # send the metrics in batches: one request per 50 steps, not one per point


class ApiError(Exception):
    """An error answer from the server: every error body is JSON with `code` and `message`."""

    def __init__(self, status, code, message):
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status = status


def api_key():
    key = os.environ.get("STEPWISE_API_KEY")
    if not key and os.environ.get("STEPWISE_KEY_FILE"):
        with open(os.environ["STEPWISE_KEY_FILE"], encoding="utf-8") as f:
            key = f.read().strip()
    if not key:
        sys.exit("Set STEPWISE_API_KEY, or STEPWISE_KEY_FILE to a file holding the key")
    return key


BASE = os.environ.get("STEPWISE_URL", "http://127.0.0.1:8080").rstrip("/") + "/api/v1"
HEADERS = {"Authorization": f"Bearer {api_key()}"}


def call(method, path, body=None, query=None, data=None, content_type="application/json"):
    """One request to /api/v1; returns the decoded JSON answer, or raises ApiError."""
    url = BASE + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    headers = dict(HEADERS)
    if body is not None:
        data = json.dumps(body).encode("utf-8")
    if data is not None:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8", "replace")
        try:
            answer = json.loads(text)
            code, message = answer["code"], answer["message"]
        except (ValueError, KeyError, TypeError):
            code, message = "HTTP_ERROR", text or error.reason
        raise ApiError(error.code, code, message) from None


def get_or_create_experiment(name):
    try:
        return call("POST", "/experiments", {"name": name, "tags": {"source": "examples/python"}})
    except ApiError as error:
        if error.status != 409:
            raise
    # The name is taken by an active experiment: find it. `search` matches substrings, so compare exactly.
    offset = 0
    while True:
        page = call("GET", "/experiments", query={"search": name, "limit": 1000, "offset": offset})
        for experiment in page["experiments"]:
            if experiment["name"] == name:
                return experiment
        offset += page["limit"]
        if offset >= page["total"]:
            raise ApiError(404, "NOT_FOUND", f"experiment '{name}' was reported as taken but not found")


def upload_artifact(run_id, file_path, artifact_path):
    """POST a file as multipart/form-data (field `file`), the way a browser form would."""
    boundary = uuid.uuid4().hex
    file_name = os.path.basename(file_path)
    with open(file_path, "rb") as f:
        content = f.read()
    data = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode("utf-8") + content + f"\r\n--{boundary}--\r\n".encode("utf-8")
    return call(
        "POST",
        f"/experiments/runs/{run_id}/log-artifact",
        query={"artifact_path": artifact_path},
        data=data,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def train(run_id, params):
    """A stand-in for a training loop: a loss that decays with noise, an accuracy that rises."""
    pending = []
    loss = acc = None
    for step in range(STEPS):
        loss = math.exp(-step / 60) + random.uniform(0, 0.05)
        acc = min(1.0, 0.5 + 0.5 * (1 - math.exp(-step / 40)) + random.uniform(-0.02, 0.02))
        now = int(time.time() * 1000)
        pending.append({"key": "loss", "value": loss, "step": step, "timestamp": now})
        pending.append({"key": "acc", "value": acc, "step": step, "timestamp": now})
        if len(pending) >= 2 * LOG_EVERY or step == STEPS - 1:
            call("POST", f"/experiments/runs/{run_id}/log-batch", {"metrics": pending})
            pending = []
    return {"loss": loss, "acc": acc, "params": params}


def main():
    experiment = get_or_create_experiment(os.environ.get("STEPWISE_EXPERIMENT", "python-example"))
    run = call("POST", "/experiments/runs", {"experiment_id": experiment["id"], "name": "python-train"})
    run_id = run["id"]
    print(f"experiment {experiment['name']} ({experiment['id']}), run {run['name']} ({run_id})")

    try:
        params = {"learning_rate": 0.01, "batch_size": 32, "optimizer": "sgd"}
        call("POST", f"/experiments/runs/{run_id}/log-params", {"params": params})  # stored as strings

        summary = train(run_id, params)
        call("POST", f"/experiments/runs/{run_id}/log-batch", {"tags": [{"key": "stage", "value": "trained"}]})

        output_dir = os.environ.get("OUTPUT_DIR") or tempfile.mkdtemp(prefix="stepwise-")
        os.makedirs(output_dir, exist_ok=True)
        model_file = os.path.join(output_dir, "model.json")
        with open(model_file, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2)
        stored = upload_artifact(run_id, model_file, "model")
        print(f"uploaded {stored['path']} ({stored['size']} bytes, sha256 {stored['sha256']})")
    except BaseException:
        # Mark the run as failed so it does not stay RUNNING forever, then let the error surface.
        try:
            call("POST", f"/experiments/runs/{run_id}/end", {"status": "FAILED"})
        except (ApiError, urllib.error.URLError):
            pass
        raise

    call("POST", f"/experiments/runs/{run_id}/end", {"status": "FINISHED"})
    print(f"final loss={summary['loss']!r} acc={summary['acc']!r}")
    print(f"run_id={run_id}")


if __name__ == "__main__":
    try:
        main()
    except ApiError as error:
        print(f"Stepwise error: {error}", file=sys.stderr)
        sys.exit(1)
    except urllib.error.URLError as error:
        print(f"Cannot reach Stepwise at {BASE}: {error.reason}", file=sys.stderr)
        sys.exit(1)
