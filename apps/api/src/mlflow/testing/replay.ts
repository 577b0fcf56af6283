import { readFileSync } from "node:fs";
import { join } from "node:path";

/** One recorded exchange of traces/*.jsonl (wire.md: request, and MLflow 3.6's real answer). */
export interface Exchange {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  req_len: number;
  req_headers: Record<string, string>;
  req: { body?: unknown; body_raw?: string; body_raw_encoding?: string };
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: recorded JSON
  res: { body?: any; body_raw?: string; body_shape?: string[] };
  /** The client call being made (the trace's last "mark" line before it). */
  call: string;
}

const TRACES = join(import.meta.dirname, "../testdata/traces");

/** The exchanges of one trace file, in recorded order, each with the client call it belongs to. */
export function readTrace(name: string): Exchange[] {
  let call = "";
  const out: Exchange[] = [];
  for (const line of readFileSync(join(TRACES, `${name}.jsonl`), "utf8").split("\n")) {
    if (!line.trim()) continue;
    const o = JSON.parse(line);
    if (o.type === "mark") call = o.label;
    else if (o.type === "http") out.push({ ...o, call });
  }
  return out;
}

/** Recorded ids to the ones this server gave for the same objects earlier in the same replay. */
export class IdMap {
  readonly experiments = new Map<string, string>();
  readonly runs = new Map<string, string>();
  /** Run names the server generated (recorded -> ours). */
  readonly names = new Map<string, string>();

  experiment = (recorded: string) => this.experiments.get(recorded) ?? recorded;
  run = (recorded: string) => this.runs.get(recorded) ?? recorded;

  /** A string with every recorded run id in it replaced. */
  text(s: string): string {
    let out = s;
    for (const [from, to] of this.runs) out = out.split(from).join(to);
    return out;
  }

  /** An artifact path `<experiment>/<run>/artifacts/...` with both ids replaced. */
  artifactPath(p: string): string {
    const [exp, ...rest] = this.text(p).split("/");
    return [this.experiment(exp ?? ""), ...rest].join("/");
  }

  /** A recorded request value, rewritten: experiment ids in experiment fields, run ids anywhere. */
  value(v: unknown, field = ""): unknown {
    if (typeof v === "string") {
      if (field === "experiment_id" || field === "experiment_ids") return this.experiment(v);
      if (field === "path") return this.artifactPath(v);
      return this.text(v);
    }
    if (Array.isArray(v)) return v.map((x) => this.value(x, field));
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x, k)]));
    }
    return v;
  }

  /** Learns the ids of a recorded answer from this server's answer to the same request. */
  learn(recorded: Exchange, ours: unknown) {
    // biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary JSON
    const o = ours as any;
    if (recorded.path.endsWith("/experiments/create") && recorded.status === 200) {
      this.experiments.set(recorded.res.body.experiment_id, o.experiment_id);
    }
    if (recorded.path.endsWith("/runs/create") && recorded.status === 200) {
      this.runs.set(recorded.res.body.run.info.run_id, o.run.info.run_id);
      this.names.set(recorded.res.body.run.info.run_name, o.run.info.run_name);
    }
  }
}

/** The recorded request body as bytes to send again (raw prefixes padded with zeros to their recorded length). */
export function requestBody(x: Exchange, ids: IdMap): string | Buffer | undefined {
  if (x.req.body_raw !== undefined) {
    const prefix = Buffer.from(x.req.body_raw, x.req.body_raw_encoding?.startsWith("base64") ? "base64" : "utf8");
    return Buffer.concat([prefix, Buffer.alloc(Math.max(0, x.req_len - prefix.length))]);
  }
  if (x.req.body === null || x.req.body === undefined) return undefined;
  if (x.method === "PUT") return JSON.stringify(x.req.body);
  return JSON.stringify(ids.value(x.req.body));
}
