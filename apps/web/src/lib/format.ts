import type { MetricValue } from "@stepwise/core/schemas";

/** A metric value as the API sends it: a number, or "NaN", "Infinity", "-Infinity". */
export const metricNumber = (value: MetricValue): number => (typeof value === "number" ? value : Number(value));

/** Up to 4 significant digits, exponent form for very large or small magnitudes; NaN and infinities by name. */
export function formatMetric(value: MetricValue | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const n = metricNumber(value);
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "∞" : "−∞";
  if (n === 0) return "0";
  const abs = Math.abs(n);
  if (abs >= 1e6 || abs < 1e-4) return n.toExponential(3).replace(/\.?0+e/, "e");
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(4)));
}

/** "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min", "3 d 4 h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const whole = Math.floor(s);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${pad(whole % 60)} s`;
  if (whole < 86400) return `${Math.floor(whole / 3600)} h ${pad(Math.floor((whole % 3600) / 60))} min`;
  return `${Math.floor(whole / 86400)} d ${Math.floor((whole % 86400) / 3600)} h`;
}

/** How long a run took, or has taken so far while it runs. */
export function runDuration(run: { start_time: string; end_time: string | null }, now = Date.now()): number {
  return (run.end_time ? Date.parse(run.end_time) : now) - Date.parse(run.start_time);
}

/** A local date and time to the second: "2026-03-04 15:07:09". */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "0 B", "1.5 KiB", "3.2 MiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "1–25 of 40". */
export const formatRange = (offset: number, count: number, total: number) =>
  total === 0 ? "0 of 0" : `${offset + 1}–${offset + count} of ${total}`;
