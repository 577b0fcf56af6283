export type Direction = "min" | "max";

/** Name parts that say lower is better. */
const LOWER = new Set([
  "loss",
  "err",
  "error",
  "errors",
  "mse",
  "mae",
  "rmse",
  "mape",
  "nll",
  "perplexity",
  "ppl",
  "latency",
  "time",
  "duration",
  "wer",
  "cer",
  "regret",
  "cost",
  "fid",
]);
/** Name parts that say higher is better. */
const HIGHER = new Set([
  "acc",
  "accuracy",
  "top1",
  "top5",
  "f1",
  "auc",
  "auroc",
  "roc",
  "precision",
  "recall",
  "map",
  "iou",
  "miou",
  "dice",
  "bleu",
  "rouge",
  "r2",
  "reward",
  "return",
  "score",
]);

/**
 * Which way a metric is better, read from its name, or undefined when the name does not say. The name is cut
 * into parts at anything but letters and digits ("val/top1_acc" -> val, top1, acc): a part that names an error
 * (loss, err, mse, perplexity, latency, time, ...; also any part ending in "loss", as "trainloss") makes it
 * lower-is-better; otherwise a part that names a score (acc, accuracy, f1, auc, precision, recall, iou, bleu,
 * reward, ...) makes it higher-is-better. Used by the runs table (first sort direction) and compare ("best").
 */
export function metricDirection(key: string): Direction | undefined {
  const parts = key
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (parts.some((p) => LOWER.has(p) || p.endsWith("loss"))) return "min";
  if (parts.some((p) => HIGHER.has(p))) return "max";
  return undefined;
}
