import { startServer } from "./server";
import { batchBody, call, createRun } from "./workloads";
const server = await startServer({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/prof2" });
const api = { url: server.url, key: server.key };
const exp = (await call(api, "POST", "/experiments", JSON.stringify({ name: `p${Date.now()}` }))).id;
const keys = Array.from({ length: 10 }, (_, i) => `metric_${i}`);
for (let round = 0; round < 2; round++) {
  const runs = await Promise.all([0, 1, 2, 3].map(() => createRun(api, exp)));
  const bodies = runs.map(() => Array.from({ length: 80 }, (_, i) => batchBody(keys, i * 100, 100)));
  const t0 = performance.now();
  await Promise.all(runs.map(async (run, c) => { for (const b of bodies[c]!) await call(api, "POST", `/experiments/runs/${run}/log-batch`, b); }));
  console.log("points/s", Math.round((4 * 80 * 1000) / ((performance.now() - t0) / 1000)));
}
await server.stop();
