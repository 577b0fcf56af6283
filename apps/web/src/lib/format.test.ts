import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatMetric, formatRange, formatTime, runDuration } from "./format";

describe("formatMetric", () => {
  it("keeps 4 significant digits and integers whole", () => {
    expect(formatMetric(0.123456)).toBe("0.1235");
    expect(formatMetric(42)).toBe("42");
    expect(formatMetric(-1.23456)).toBe("-1.235");
    expect(formatMetric(0)).toBe("0");
  });
  it("uses exponent form for extreme magnitudes", () => {
    expect(formatMetric(1234567)).toBe("1.235e+6");
    expect(formatMetric(0.00001)).toBe("1e-5");
  });
  it("names NaN and the infinities, also as the API's strings", () => {
    expect(formatMetric("NaN")).toBe("NaN");
    expect(formatMetric("Infinity")).toBe("∞");
    expect(formatMetric("-Infinity")).toBe("−∞");
    expect(formatMetric(null)).toBe("—");
  });
});

describe("formatDuration", () => {
  it("picks a unit by size", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_300)).toBe("12 s");
    expect(formatDuration(4_500)).toBe("4.5 s");
    expect(formatDuration(245_000)).toBe("4 min 05 s");
    expect(formatDuration(2 * 3600_000 + 3 * 60_000)).toBe("2 h 03 min");
    expect(formatDuration(3 * 86400_000 + 4 * 3600_000)).toBe("3 d 4 h");
  });
  it("shows a dash for nothing to show", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(-5)).toBe("—");
  });
  it("measures a running run up to now", () => {
    const start = "2026-01-01T00:00:00.000Z";
    expect(runDuration({ start_time: start, end_time: "2026-01-01T00:00:02.000Z" })).toBe(2000);
    expect(runDuration({ start_time: start, end_time: null }, Date.parse(start) + 500)).toBe(500);
  });
});

describe("other formats", () => {
  it("formats bytes, ranges and times", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(50 * 1024 * 1024)).toBe("50 MiB");
    expect(formatRange(0, 25, 40)).toBe("1–25 of 40");
    expect(formatRange(0, 0, 0)).toBe("0 of 0");
    expect(formatTime(null)).toBe("—");
    expect(formatTime("2026-03-04T15:07:09.000Z")).toMatch(/^2026-03-0\d \d\d:07:09$/);
  });
});
