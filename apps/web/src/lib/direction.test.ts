import { describe, expect, it } from "vitest";
import { metricDirection } from "./direction";

describe("metricDirection", () => {
  it.each(["loss", "val_loss", "train/loss", "trainloss", "error_rate", "val/mse", "ppl", "step_time", "WER"])(
    "%s: lower is better",
    (key) => expect(metricDirection(key)).toBe("min"),
  );
  it.each(["acc", "accuracy", "val/top1_acc", "f1", "roc_auc", "precision", "recall@10", "mIoU", "bleu"])(
    "%s: higher is better",
    (key) => expect(metricDirection(key)).toBe("max"),
  );
  it.each(["lr", "grad_norm", "epoch", "throughput", "accumulate", "losses_seen_x"])(
    "%s: the name does not say",
    (key) => expect(metricDirection(key)).toBeUndefined(),
  );
});
