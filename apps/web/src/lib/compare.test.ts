import { describe, expect, it } from "vitest";
import { bestRun, guessDirection } from "./compare";

const summary = (last: number | "NaN") => ({ last, last_step: 10, min: 0, max: 1, count: 10 });

describe("bestRun", () => {
  const row = { key: "loss", runs: { a: summary(0.5), b: summary(0.2), c: summary("NaN"), d: null } };
  it("picks the lowest or highest last value, skipping NaN and runs without the metric", () => {
    expect(bestRun(row, "min")).toBe("b");
    expect(bestRun(row, "max")).toBe("a");
    expect(bestRun({ key: "x", runs: { c: summary("NaN"), d: null } }, "min")).toBeUndefined();
  });
  it("guesses which way is better from the name", () => {
    expect(guessDirection("val_loss")).toBe("min");
    expect(guessDirection("error_rate")).toBe("min");
    expect(guessDirection("accuracy")).toBe("max");
  });
});
