import { describe, expect, it } from "vitest";
import {
  alignSeries,
  chartSummary,
  historyColumns,
  historyInput,
  OVERVIEW_POINTS,
  parseWindow,
  selectionWindow,
  windowParam,
} from "./history";

describe("historyInput", () => {
  it("asks for the whole series, downsampled, when not zoomed", () => {
    expect(historyInput("r1", "loss", null)).toEqual({ id: "r1", key: "loss", max_points: OVERVIEW_POINTS });
  });
  it("asks for the zoomed steps only, at full detail", () => {
    expect(historyInput("r1", "loss", { start: 1200, end: 1800 })).toEqual({
      id: "r1",
      key: "loss",
      start_step: 1200,
      end_step: 1800,
      max_points: 10_000,
    });
  });
});

describe("selectionWindow", () => {
  it("takes the whole steps inside the selection, in either drag direction", () => {
    expect(selectionWindow(10.2, 99.7)).toEqual({ start: 11, end: 99 });
    expect(selectionWindow(99.7, 10.2)).toEqual({ start: 11, end: 99 });
  });
  it("refuses a selection of less than two steps", () => {
    expect(selectionWindow(5.1, 5.9)).toBeNull();
    expect(selectionWindow(5, 5)).toBeNull();
    expect(selectionWindow(Number.NaN, 5)).toBeNull();
  });
});

describe("historyColumns and alignSeries", () => {
  it("turns points into columns, NaN and infinities as gaps", () => {
    const points = [
      { step: 1, value: 0.5, timestamp: 0 },
      { step: 2, value: "NaN" as const, timestamp: 0 },
      { step: 3, value: "Infinity" as const, timestamp: 0 },
    ];
    expect(historyColumns({ points })).toEqual([
      [1, 2, 3],
      [0.5, null, null],
    ]);
    expect(historyColumns(undefined)).toEqual([[], []]);
  });
  it("aligns runs logged at different steps on one x axis", () => {
    expect(
      alignSeries([
        [
          [0, 2, 4],
          [1, 2, 3],
        ],
        [
          [1, 2],
          [9, 8],
        ],
      ]),
    ).toEqual([
      [0, 1, 2, 4],
      [1, null, 2, 3],
      [null, 9, 8, null],
    ]);
  });
});

describe("view state and text alternative", () => {
  it("writes a step window into a URL param and reads it back, negative steps too", () => {
    expect(windowParam({ start: 100, end: 200 })).toBe("100-200");
    expect(parseWindow("100-200")).toEqual({ start: 100, end: 200 });
    expect(parseWindow("-5--1")).toEqual({ start: -5, end: -1 });
    expect(parseWindow("200-100")).toEqual({ start: 100, end: 200 });
    expect(parseWindow("abc")).toBeNull();
    expect(parseWindow(null)).toBeNull();
  });
  it("summarises each line of a chart: steps, last, lowest, highest", () => {
    const summary = chartSummary(
      "loss",
      [
        [0, 1, 2],
        [0.9, 0.5, 0.7],
        [null, null, null],
      ],
      ["run-a", "run-b"],
    );
    expect(summary).toBe(
      "Line chart of loss. run-a: steps 0 to 2, last 0.7, lowest 0.5, highest 0.9; run-b: no points.",
    );
  });
});
