import { useEffect, useRef } from "react";
import uPlot from "uplot";
import { formatMetric } from "../lib/format";
import { chartSummary, type StepWindow, selectionWindow } from "../lib/history";

export const PALETTE = [
  "#2357c6",
  "#d9480f",
  "#2b8a3e",
  "#ae3ec9",
  "#e67700",
  "#0c8599",
  "#c2255c",
  "#5c940d",
  "#495057",
  "#7048e8",
];
/**
 * Line patterns, so that lines differ by more than colour: seven patterns against ten colours repeat their
 * pairing only after 70 runs.
 */
export const DASHES: number[][] = [[], [8, 4], [2, 3], [12, 4, 2, 4], [4, 4], [12, 3, 2, 3, 2, 3], [1, 5]];
export const seriesStyle = (i: number) => ({
  color: PALETTE[i % PALETTE.length] as string,
  dash: DASHES[i % DASHES.length] as number[],
});

/** A colour of the stylesheet (light or dark, as the system prefers), for what uPlot draws on its canvas. */
const cssColor = (name: string, fallback: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/** Tick steps of the step axis: whole numbers only (a step is an integer). */
const STEP_INCRS = [1, 2, 5].flatMap((m) => Array.from({ length: 16 }, (_, e) => m * 10 ** e)).sort((a, b) => a - b);

interface Props {
  metric: string;
  /** Shared steps, then one column of values per series (null where a series has no point). */
  data: [number[], ...(number | null)[][]];
  labels: readonly string[];
  /** A drag over the chart: the step window to show at full detail. */
  onZoom: (window: StepWindow) => void;
  height?: number;
  /** Line patterns per series (compare); one series draws solid. */
  dashed?: boolean;
  /** uPlot's own legend (the compare page shows one legend for all charts instead). */
  legend?: boolean;
  /** Charts with the same key move their cursors together. */
  syncKey?: string;
}

/**
 * One uPlot chart: steps on x, a line per series, a legend with the values under the cursor. The plot is
 * made once per set of series and fed new data in place (a refresh does not rebuild it). Its text alternative
 * (role img, aria-label) summarises each line.
 */
export function MetricChart({ metric, data, labels, onZoom, height = 240, dashed, legend = true, syncKey }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef(onZoom);
  zoom.current = onZoom;
  const latest = useRef(data);
  latest.current = data;
  const labelKey = labels.join("\u0000");

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const names = labelKey.split("\u0000");
    const axis = { stroke: cssColor("--muted", "#5d6778"), grid: { stroke: cssColor("--line", "#dde1e8") } };
    const options: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      cursor: { drag: { x: true, y: false, setScale: false }, ...(syncKey ? { sync: { key: syncKey } } : {}) },
      scales: { x: { time: false } },
      legend: { show: legend, live: true },
      axes: [
        {
          ...axis,
          label: "step",
          incrs: STEP_INCRS,
          values: (_, ticks) => {
            const labels = ticks.map((t) => String(t));
            // The step ticks drawn, for tests (the axis is drawn on the canvas).
            el.dataset.xTicks = labels.join(" ");
            return labels;
          },
        },
        { ...axis, size: 60, values: (_, ticks) => ticks.map((t) => formatMetric(t)) },
      ],
      series: [
        { label: "step", value: (_, v) => (v === null ? "—" : String(v)) },
        ...names.map((label, i) => ({
          label,
          stroke: seriesStyle(i).color,
          dash: dashed ? seriesStyle(i).dash : undefined,
          width: 1.5,
          spanGaps: true,
          points: { show: false },
          value: (_: uPlot, v: number | null) => (v === null ? "—" : formatMetric(v)),
        })),
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
            const window = selectionWindow(
              u.posToVal(u.select.left, "x"),
              u.posToVal(u.select.left + u.select.width, "x"),
            );
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            if (window) zoom.current(window);
          },
        ],
      },
    };
    const chart = new uPlot(options, latest.current as uPlot.AlignedData, el);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [labelKey, height, dashed, legend, syncKey]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return (
    <div
      className="plot"
      ref={box}
      role="img"
      aria-label={chartSummary(metric, data, labels)}
      data-series={labels.length}
      data-points={data[0].length}
    />
  );
}
