/** Seeds a server through its REST API, as a training script would. */
export function restClient(url: string, key: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    // Retried as a training script would (a loaded machine's server may drop a kept-alive connection): with an
    // Idempotency-Key, so a retried write is applied once.
    const idempotency: Record<string, string> = method === "POST" ? { "idempotency-key": crypto.randomUUID() } : {};
    const send = () =>
      fetch(`${url}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...idempotency,
          ...(body ? { "content-type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    const res = await send().catch(() => send());
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    call,
    experiment: (name: string) => call<{ id: string }>("POST", "/experiments", { name }),
    run: (experimentId: string, name: string) =>
      call<{ id: string }>("POST", "/experiments/runs", { experiment_id: experimentId, name }),
    batch: (runId: string, body: unknown) => call("POST", `/experiments/runs/${runId}/log-batch`, body),
    end: (runId: string) => call("POST", `/experiments/runs/${runId}/end`, {}),
    upload: async (runId: string, name: string, text: string) => {
      const form = new FormData();
      form.append("file", new Blob([text]), name);
      const res = await fetch(`${url}/api/v1/experiments/runs/${runId}/log-artifact?artifact_path=reports`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}` },
        body: form,
      });
      if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`);
    },
  };
}

/** Runs `task` over `items`, `concurrency` at a time. */
export async function pool<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export interface SeededRun {
  id: string;
  name: string;
  lr: number;
  finalLoss: number;
}

/** A loss curve that falls towards `floor`, and an accuracy that rises: `steps` points each. */
function curves(steps: number, floor: number, seed: number) {
  const metrics: { key: string; value: number; step: number; timestamp: number }[] = [];
  for (let step = 0; step < steps; step++) {
    const noise = Math.sin(step * 0.37 + seed) * 0.01;
    const loss = floor + Math.exp(-step / 900) + noise;
    metrics.push({ key: "loss", value: loss, step, timestamp: 1_700_000_000_000 + step });
    metrics.push({ key: "accuracy", value: 1 - loss / 2, step, timestamp: 1_700_000_000_000 + step });
  }
  return metrics;
}

/**
 * Two experiments and 12 runs: "vision-resnet" with 8 runs and "nlp-bert" with 4, each run with loss and
 * accuracy over 5000 steps, params where lr and batch_size differ and optimizer does not; one run still RUNNING.
 */
export async function seedProject(api: ReturnType<typeof restClient>) {
  const vision = await api.experiment("vision-resnet");
  const nlp = await api.experiment("nlp-bert");
  const plan = [
    ...Array.from({ length: 8 }, (_, i) => ({ experiment: vision.id, name: `resnet-${i + 1}`, i })),
    ...Array.from({ length: 4 }, (_, i) => ({ experiment: nlp.id, name: `bert-${i + 1}`, i: i + 8 })),
  ];
  const runs: SeededRun[] = [];
  await pool(plan, 4, async ({ experiment, name, i }) => {
    const run = await api.run(experiment, name);
    const lr = [0.1, 0.03, 0.01, 0.003][i % 4] ?? 0.1;
    const floor = 0.05 + ((i * 7) % 12) / 40;
    await api.batch(run.id, {
      metrics: curves(5000, floor, i),
      params: [
        { key: "lr", value: String(lr) },
        { key: "batch_size", value: String(i % 2 ? 64 : 128) },
        { key: "optimizer", value: "adam" },
      ],
      tags: [{ key: "team", value: i < 8 ? "vision" : "nlp" }],
    });
    if (name !== "resnet-8") await api.end(run.id);
    runs.push({ id: run.id, name, lr, finalLoss: floor + Math.exp(-4999 / 900) + Math.sin(4999 * 0.37 + i) * 0.01 });
  });
  return { vision, nlp, runs };
}

/** An experiment with `count` runs, each with 3 params and 2 metrics: the table's load test. */
export async function seedManyRuns(api: ReturnType<typeof restClient>, name: string, count: number) {
  const experiment = await api.experiment(name);
  await pool(
    Array.from({ length: count }, (_, i) => i),
    6,
    async (i) => {
      const run = await api.run(experiment.id, `run-${String(i).padStart(4, "0")}`);
      await api.batch(run.id, {
        metrics: [
          { key: "loss", value: 1 / (i + 1), step: 10 },
          { key: "accuracy", value: i / count, step: 10 },
        ],
        params: [
          { key: "lr", value: String(10 ** -(1 + (i % 4))) },
          { key: "seed", value: String(i) },
          { key: "model", value: i % 2 ? "small" : "large" },
        ],
      });
    },
  );
  return experiment;
}

/**
 * For the everyday-use suite: "sweep", 10 runs with 8 metrics x 20,000 steps and 10 params each, plus 2 short
 * runs; an empty experiment; and "live", 30 finished runs and one RUNNING run with 1000 steps of loss and accuracy.
 */
export async function seedCompare(api: ReturnType<typeof restClient>) {
  const experiment = await api.experiment("sweep");
  const empty = await api.experiment("empty-one");
  const metricKeys = ["loss", "val_loss", "accuracy", "f1", "lr", "grad_norm", "throughput", "val_accuracy"];
  const steps = 20_000;
  const big: string[] = [];
  const accuracy = new Map<string, number>();
  for (let r = 0; r < 10; r++) big.push((await api.run(experiment.id, `run-${String(r + 1).padStart(2, "0")}`)).id);
  const batches = big.flatMap((id, r) =>
    Array.from({ length: (steps * metricKeys.length) / 10_000 }, (_, b) => ({ id, r, b })),
  );
  const perBatch = 10_000 / metricKeys.length;
  // One at a time: the embedded database writes one batch at a time anyway.
  await pool(batches, 1, async ({ id, r, b }) => {
    const metrics = Array.from({ length: perBatch }, (_, i) => b * perBatch + i).flatMap((step) =>
      metricKeys.map((key, k) => ({
        key,
        step,
        timestamp: 1_700_000_000_000 + step * 100,
        value: (k % 2 ? 1 : -1) * Math.exp(-step / (3000 + r * 400)) + Math.sin(step / 50 + k + r) * 0.02 + k,
      })),
    );
    await api.batch(id, {
      metrics,
      ...(b === 0
        ? { params: Array.from({ length: 10 }, (_, p) => ({ key: `param_${p}`, value: String(r * p) })) }
        : {}),
    });
  });
  const small: string[] = [];
  for (let r = 0; r < 2; r++) {
    const run = await api.run(experiment.id, `short-${r + 1}`);
    await api.batch(run.id, {
      metrics: metricKeys.flatMap((key) => [0, 1, 2, 3, 4].map((step) => ({ key, step, value: step + r }))),
    });
    small.push(run.id);
  }
  const names = [...big.map((_, r) => `run-${String(r + 1).padStart(2, "0")}`), "short-1", "short-2"];
  for (const [i, id] of [...big, ...small].entries())
    accuracy.set(names[i] as string, (await runLast(api, id)).accuracy ?? 0);
  const bestAccuracy = [...accuracy.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];

  const liveExperiment = await api.experiment("live");
  const liveRuns = 31;
  await pool(
    Array.from({ length: liveRuns - 1 }, (_, i) => i),
    4,
    async (i) => {
      const run = await api.run(liveExperiment.id, `done-${i}`);
      await api.batch(run.id, {
        metrics: [{ key: "loss", value: 1 / (i + 1), step: 1 }],
        params: [{ key: "i", value: String(i) }],
      });
      await api.end(run.id);
    },
  );
  const live = (await api.run(liveExperiment.id, "live-run")).id;
  const liveSteps = 1000;
  await api.batch(live, {
    metrics: Array.from({ length: liveSteps }, (_, s) => [
      { key: "loss", value: 1 / (s + 1), step: s },
      { key: "accuracy", value: 1 - 1 / (s + 1), step: s },
    ]).flat(),
  });
  return { experiment, empty, metricKeys, big, small, bestAccuracy, liveExperiment, live, liveSteps, liveRuns };
}

async function runLast(api: ReturnType<typeof restClient>, id: string) {
  const run = await api.call<{ metrics: Record<string, { value: number }> }>("GET", `/experiments/runs/${id}`);
  return Object.fromEntries(Object.entries(run.metrics).map(([k, m]) => [k, m.value]));
}
