import { useSession } from "../lib/session-context";

/**
 * How to get a first run into an empty experiment: a Python script over plain HTTP, MLflow's client pointed
 * here, and curl, each with this server's URL, the signed-in tenant and this experiment filled in.
 */
export function FirstRun({ experimentId, experimentName }: { experimentId: string; experimentName: string }) {
  const { tenant } = useSession();
  const origin = window.location.origin;
  const api = `${origin}/api/v1`;
  const slug = tenant || "default";
  const python = `import os, requests

API = "${api}"
HEADERS = {"Authorization": f"Bearer {os.environ['STEPWISE_API_KEY']}", "X-Tenant-ID": "${slug}"}

run = requests.post(f"{API}/experiments/runs", headers=HEADERS,
                    json={"experiment_id": "${experimentId}"}).json()
for step in range(100):
    requests.post(f"{API}/experiments/runs/{run['id']}/log-metrics", headers=HEADERS,
                  json={"metrics": {"loss": 1 / (step + 1)}, "step": step})
requests.post(f"{API}/experiments/runs/{run['id']}/end", headers=HEADERS)`;
  const mlflow = `export MLFLOW_TRACKING_URI=${origin}/t/${slug}
export MLFLOW_TRACKING_TOKEN=$STEPWISE_API_KEY

import mlflow
mlflow.set_experiment(${JSON.stringify(experimentName)})
with mlflow.start_run():
    for step in range(100):
        mlflow.log_metric("loss", 1 / (step + 1), step=step)`;
  const curl = `RUN=$(curl -s -X POST ${api}/experiments/runs \\
  -H "Authorization: Bearer $STEPWISE_API_KEY" -H "X-Tenant-ID: ${slug}" \\
  -H 'Content-Type: application/json' -d '{"experiment_id": "${experimentId}"}' \\
  | sed -E 's/.*"id":"([^"]+)".*/\\1/')
curl -s -X POST ${api}/experiments/runs/$RUN/log-metrics \\
  -H "Authorization: Bearer $STEPWISE_API_KEY" -H "X-Tenant-ID: ${slug}" \\
  -H 'Content-Type: application/json' -d '{"metrics": {"loss": 0.5}, "step": 1}'`;
  return (
    <div className="first-run">
      <p>
        No runs yet. Log one from a training script: set <code>STEPWISE_API_KEY</code> to your API key (on the embedded
        database, <code>.stepwise/bootstrap.key</code>), then run one of these. The runs show here as they log.
      </p>
      <h2>Python (plain HTTP)</h2>
      <pre>
        <code>{python}</code>
      </pre>
      <h2>Python (MLflow's client)</h2>
      <pre>
        <code>{mlflow}</code>
      </pre>
      <h2>curl</h2>
      <pre>
        <code>{curl}</code>
      </pre>
    </div>
  );
}
