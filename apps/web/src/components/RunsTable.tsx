import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, useRef } from "react";
import type { Run } from "../lib/api";
import type { Column, Sort } from "../lib/columns";
import { formatDuration, formatMetric, formatTime, runDuration } from "../lib/format";
import { Link, paths } from "../lib/router";
import { StatusBadge } from "./states";

const ROW = 36;
/** Compact numeric columns, so that name, status and six metrics fit a 1440 px screen with room for params. */
const WIDTH: Record<Column["kind"], string> = {
  name: "minmax(180px, 1.2fr)",
  status: "104px",
  start: "156px",
  duration: "96px",
  param: "minmax(88px, 0.8fr)",
  metric: "minmax(88px, 104px)",
};

interface Props {
  runs: readonly Run[];
  columns: readonly Column[];
  sort: Sort | null;
  onSort: (column: Column) => void;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  now: number;
}

/**
 * The runs as a virtualised grid: only the rows in view (plus a few) are in the DOM, so 1000 runs stay quick.
 * The select and name columns stay pinned when it scrolls sideways. Each row is one Tab stop (the run's link):
 * Space selects it, Up and Down move to the row above or below.
 */
export function RunsTable({ runs, columns, sort, onSort, selected, onToggle, now }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: runs.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 12,
    initialRect: { width: 1200, height: 720 },
  });
  const grid = { gridTemplateColumns: `40px ${columns.map((c) => WIDTH[c.kind]).join(" ")}` };
  const focusRow = (index: number) => {
    if (index < 0 || index >= runs.length) return;
    virtualizer.scrollToIndex(index);
    const focus = (tries: number) => {
      const link = scroller.current?.querySelector<HTMLElement>(`tr[aria-rowindex="${index + 2}"] a`);
      if (link) link.focus();
      else if (tries > 0) requestAnimationFrame(() => focus(tries - 1));
    };
    focus(5);
  };
  const onRowKey = (event: KeyboardEvent, index: number, id: string) => {
    if (event.key === " ") onToggle(id);
    else if (event.key === "ArrowDown") focusRow(index + 1);
    else if (event.key === "ArrowUp") focusRow(index - 1);
    else return;
    event.preventDefault();
  };
  const ariaSort = (column: Column) =>
    sort?.column === column.id ? (sort.dir === "asc" ? "ascending" : "descending") : undefined;

  return (
    <div className="runs" ref={scroller}>
      <table aria-label="Runs" aria-rowcount={runs.length + 1}>
        <thead>
          <tr className="row head" style={grid}>
            <th scope="col" className="pin">
              <span className="sr-only">Select</span>
            </th>
            {columns.map((column) => (
              <th
                scope="col"
                key={column.id}
                aria-sort={ariaSort(column)}
                className={
                  column.kind === "name"
                    ? "pin pin-name"
                    : column.kind === "metric" || column.kind === "duration"
                      ? "num"
                      : undefined
                }
              >
                <button
                  type="button"
                  onClick={() => onSort(column)}
                  title={`Sort by ${column.label}${column.kind === "param" ? " (param)" : column.kind === "metric" ? " (latest value)" : ""}`}
                >
                  {column.kind === "param" ? "⚙ " : ""}
                  {column.label}
                  {sort?.column === column.id ? (sort.dir === "asc" ? " ▲" : " ▼") : ""}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const run = runs[item.index];
            if (!run) return null;
            const isSelected = selected.has(run.id);
            return (
              <tr
                key={run.id}
                aria-rowindex={item.index + 2}
                aria-selected={isSelected}
                data-run={run.name}
                className={`row${isSelected ? " selected" : ""}`}
                style={{ ...grid, position: "absolute", top: 0, transform: `translateY(${item.start}px)` }}
                onKeyDown={(event) => onRowKey(event, item.index, run.id)}
              >
                <td className="pin">
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    checked={isSelected}
                    onChange={() => onToggle(run.id)}
                    aria-label={`Select run ${run.name}`}
                  />
                </td>
                {columns.map((column) => (
                  <Cell key={column.id} run={run} column={column} now={now} />
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ run, column, now }: { run: Run; column: Column; now: number }) {
  switch (column.kind) {
    case "name":
      return (
        <td className="pin pin-name">
          <Link to={paths.run(run.id)} aria-keyshortcuts="Space ArrowUp ArrowDown">
            {run.name}
          </Link>
        </td>
      );
    case "status":
      return (
        <td>
          <StatusBadge status={run.status} />
        </td>
      );
    case "start":
      return <td>{formatTime(run.start_time)}</td>;
    case "duration":
      return <td className="num">{formatDuration(runDuration(run, now))}</td>;
    case "param": {
      const value = run.params[column.key ?? ""];
      return <td title={value}>{value ?? "—"}</td>;
    }
    case "metric": {
      const latest = run.metrics[column.key ?? ""];
      return (
        <td className="num" title={latest ? `step ${latest.step}: ${latest.value}` : undefined}>
          {formatMetric(latest?.value)}
        </td>
      );
    }
  }
}
