import type { Column } from "../lib/columns";

/** A drop-down of checkboxes, one per column, grouped into run fields, params and metrics. */
export function ColumnPicker({
  columns,
  picked,
  onToggle,
}: {
  columns: readonly Column[];
  picked: readonly string[];
  onToggle: (id: string) => void;
}) {
  const groups: [string, Column[]][] = [
    ["Run", columns.filter((c) => c.kind !== "param" && c.kind !== "metric" && c.kind !== "name")],
    ["Params", columns.filter((c) => c.kind === "param")],
    ["Metrics (latest)", columns.filter((c) => c.kind === "metric")],
  ];
  return (
    <details className="picker">
      <summary>
        Columns ({picked.length}/{columns.length})
      </summary>
      <div>
        {groups.map(
          ([title, group]) =>
            group.length > 0 && (
              <fieldset key={title}>
                <legend>{title}</legend>
                {group.map((column) => (
                  <label key={column.id} className="check">
                    <input type="checkbox" checked={picked.includes(column.id)} onChange={() => onToggle(column.id)} />
                    {column.label}
                  </label>
                ))}
              </fieldset>
            ),
        )}
      </div>
    </details>
  );
}
