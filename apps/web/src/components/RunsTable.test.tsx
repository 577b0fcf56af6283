import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Run } from "../lib/api";
import { runColumns } from "../lib/columns";
import { RunsTable } from "./RunsTable";

// happy-dom lays nothing out: give the scrolling box a laptop-sized viewport for the virtualiser to measure.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(720);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1200);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const runs = Array.from(
  { length: 1000 },
  (_, i): Run => ({
    id: `id-${i}`,
    experiment_id: "e",
    name: `run-${i}`,
    description: null,
    status: i === 0 ? "RUNNING" : "FINISHED",
    start_time: "2026-01-01T00:00:00.000Z",
    end_time: i === 0 ? null : "2026-01-01T00:00:30.000Z",
    artifact_uri: "/x",
    parent_run_id: null,
    deleted_at: null,
    tags: {},
    params: { lr: String(i / 1000) },
    metrics: { loss: { value: i === 1 ? "NaN" : 1 / (i + 1), step: 3, timestamp: 0 } },
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
  }),
);

describe("RunsTable", () => {
  const columns = runColumns(runs);
  const props = { runs, columns, sort: null, selected: new Set(["id-2"]), now: Date.parse("2026-01-01T00:00:05.000Z") };

  it("puts only the rows in view into the DOM, with formatted cells", () => {
    const { container } = render(<RunsTable {...props} onSort={() => {}} onToggle={() => {}} />);
    const rows = container.querySelectorAll("tr[data-run]");
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]?.textContent).toContain("RUNNING");
    expect(rows[0]?.textContent).toContain("5.0 s"); // running: measured up to now
    expect(rows[1]?.textContent).toContain("NaN");
    expect(rows[1]?.textContent).toContain("30 s");
    expect(rows[2]?.getAttribute("aria-selected")).toBe("true");
  });

  it("sorts from the header buttons and selects with the checkboxes", () => {
    const onSort = vi.fn();
    const onToggle = vi.fn();
    render(<RunsTable {...props} onSort={onSort} onToggle={onToggle} />);
    fireEvent.click(screen.getByRole("button", { name: /loss/ }));
    expect(onSort).toHaveBeenCalledWith(expect.objectContaining({ id: "metric:loss" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Select run run-3" }));
    expect(onToggle).toHaveBeenCalledWith("id-3");
  });
});
