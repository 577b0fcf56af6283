import { type FormEvent, type ReactNode, useId } from "react";
import { type StepWindow, selectionWindow } from "../lib/history";

/** A chart's frame: the metric's name, what is shown (zoom window, downsampling), and the way back out. */
export function ChartCard({
  title,
  window,
  onZoom,
  onReset,
  note,
  children,
}: {
  title: string;
  window: StepWindow | null;
  onZoom: (window: StepWindow) => void;
  onReset: () => void;
  note?: string;
  children: ReactNode;
}) {
  const id = useId();
  // The keyboard's way to zoom: type the step range.
  const zoomTo = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const range = selectionWindow(Number(form.get("from")), Number(form.get("to")));
    if (range) onZoom(range);
  };
  return (
    <figure className="chart" data-metric={title} aria-label={`Chart of ${title}`}>
      <header>
        <h3>{title}</h3>
        <span className="note">
          {window ? `steps ${window.start}–${window.end}` : "drag across the chart to zoom"}
          {note ? ` · ${note}` : ""}
        </span>
        <span className="spacer" />
        <details className="zoom-form">
          <summary>Steps…</summary>
          <form onSubmit={zoomTo}>
            <label htmlFor={`${id}-from`}>from</label>
            <input id={`${id}-from`} name="from" type="number" required defaultValue={window?.start} />
            <label htmlFor={`${id}-to`}>to</label>
            <input id={`${id}-to`} name="to" type="number" required defaultValue={window?.end} />
            <button type="submit">Zoom</button>
          </form>
        </details>
        {window && (
          <button type="button" onClick={onReset}>
            Reset zoom
          </button>
        )}
      </header>
      {children}
    </figure>
  );
}
