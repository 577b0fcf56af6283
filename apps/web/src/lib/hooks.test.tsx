import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeApi, trpcData } from "../testing/fake-api";
import { ApiProviders } from "../testing/providers";
import { useDebouncedValue } from "./hooks";
import { useAllRuns } from "./use-runs";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("useDebouncedValue", () => {
  it("settles on the last value once typing pauses", () => {
    vi.useFakeTimers();
    const { result, rerender } = renderHook(({ value }) => useDebouncedValue(value, 250), {
      initialProps: { value: "r" },
    });
    rerender({ value: "re" });
    rerender({ value: "res" });
    act(() => vi.advanceTimersByTime(200));
    expect(result.current).toBe("r");
    act(() => vi.advanceTimersByTime(100));
    expect(result.current).toBe("res");
  });
});

const run = (i: number) => ({
  id: `00000000-0000-7000-8000-${String(i).padStart(12, "0")}`,
  experiment_id: "e",
  name: `run-${i}`,
  description: null,
  status: "FINISHED",
  start_time: "2026-01-01T00:00:00.000Z",
  end_time: "2026-01-01T00:01:00.000Z",
  artifact_uri: "/x",
  tags: {},
  params: {},
  metrics: {},
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
});

describe("useAllRuns", () => {
  it("reads every page of 1000 until the total, with the status filter", async () => {
    const total = 2300;
    const api = fakeApi((path, input) => {
      if (path !== "/trpc/runs.list") return undefined;
      const { offset, limit } = input as { offset: number; limit: number };
      const runs = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => run(offset + i));
      return trpcData({ runs, total, limit, offset });
    });
    const { result } = renderHook(() => useAllRuns("e", "FINISHED"), { wrapper: ApiProviders });
    await waitFor(() => expect(result.current.data).toHaveLength(total));
    const inputs = api.mock.calls.map(([url]) => JSON.parse(new URL(String(url)).searchParams.get("input") ?? "{}"));
    expect(inputs).toEqual(
      [0, 1000, 2000].map((offset) => ({ experiment_id: "e", status: "FINISHED", limit: 1000, offset })),
    );
    expect(result.current.data?.[2299]?.name).toBe("run-2299");
  });
});
