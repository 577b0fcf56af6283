import { useEffect, useRef } from "react";
import uPlot from "uplot";
import { formatMetric } from "../lib/format";
import { type StepWindow, selectionWindow } from "../lib/history";

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

interface Props {
  /** Shared steps, then one column of values per series (null where a series has no point). */
  data: [number[], ...(number | null)[][]];
  labels: readonly string[];
  /** A drag over the chart: the step window to show at full detail. */
  onZoom: (window: StepWindow) => void;
  height?: number;
}

/**
 * One uPlot chart: steps on x, a line per series, a legend with the values under the cursor. The plot is
 * made once per set of series and fed new data in place (a refresh does not rebuild it).
 */
export function MetricChart({ data, labels, onZoom, height = 240 }: Props) {
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
    const options: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      cursor: { drag: { x: true, y: false, setScale: false } },
      scales: { x: { time: false } },
      legend: { live: true },
      axes: [{ label: "step" }, { size: 60, values: (_, ticks) => ticks.map((t) => formatMetric(t)) }],
      series: [
        { label: "step", value: (_, v) => (v === null ? "—" : String(v)) },
        ...names.map((label, i) => ({
          label,
          stroke: PALETTE[i % PALETTE.length],
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
  }, [labelKey, height]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return <div className="plot" ref={box} data-series={labels.length} data-points={data[0].length} />;
}
