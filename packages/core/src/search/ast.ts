/**
 * The typed AST of the run search language (contract section 10): what `parseFilter` and `parseOrderBy`
 * produce and what the SQL compiler reads. Browser-safe: no imports.
 */

/** Run attributes that a filter or order_by may name (`attributes.<name>` or the bare name). */
export const STRING_ATTRIBUTES = ["run_id", "run_name", "status", "user_id", "artifact_uri", "parent_run_id"] as const;
export const TIME_ATTRIBUTES = ["start_time", "end_time", "created_at"] as const;
export type StringAttribute = (typeof STRING_ATTRIBUTES)[number];
export type TimeAttribute = (typeof TIME_ATTRIBUTES)[number];
export type AttributeName = StringAttribute | TimeAttribute;

/** Aggregates over a metric's whole series, from its summary row. */
export const AGGREGATES = ["min", "max", "avg", "count", "first", "last_step"] as const;
export type AggregateName = (typeof AGGREGATES)[number];

export type Operand =
  /** The latest value (greatest step, then timestamp). */
  | { kind: "metric"; key: string }
  | { kind: "param"; key: string }
  | { kind: "tag"; key: string }
  | { kind: "attribute"; name: AttributeName }
  | { kind: "aggregate"; fn: AggregateName; key: string };

export type Value = { type: "number"; value: number } | { type: "string"; value: string };

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type PatternOp = "LIKE" | "ILIKE" | "RLIKE";

/** Where a comparison starts in the filter text (1-based column), for error messages. */
interface At {
  position: number;
}

export type Comparison =
  | ({ type: "compare"; operand: Operand; op: CompareOp; value: Value } & At)
  | ({ type: "pattern"; operand: Operand; op: PatternOp; pattern: string } & At)
  | ({ type: "in"; operand: Operand; negated: boolean; values: string[] } & At)
  | ({ type: "null"; operand: Operand; negated: boolean } & At)
  | ({ type: "between"; operand: Operand; low: Value; high: Value } & At);

export type Expr =
  | Comparison
  | { type: "and"; items: Expr[] }
  | { type: "or"; items: Expr[] }
  | { type: "not"; expr: Expr };

export interface OrderByItem {
  operand: Operand;
  descending: boolean;
}

/** Whether an operand holds numbers (metrics, aggregates, times) rather than strings. */
export const isNumericOperand = (o: Operand) =>
  o.kind === "metric" || o.kind === "aggregate" || (o.kind === "attribute" && isTimeAttribute(o.name));

export const isTimeAttribute = (name: string): name is TimeAttribute =>
  (TIME_ATTRIBUTES as readonly string[]).includes(name);

/** An operand as the filter language writes it, for messages: `metrics.loss`, `min(metrics.loss)`. */
export function operandText(o: Operand): string {
  const key = (k: string) => (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(k) ? k : `\`${k}\``);
  switch (o.kind) {
    case "metric":
      return `metrics.${key(o.key)}`;
    case "param":
      return `params.${key(o.key)}`;
    case "tag":
      return `tags.${key(o.key)}`;
    case "attribute":
      return `attributes.${o.name}`;
    case "aggregate":
      return `${o.fn}(metrics.${key(o.key)})`;
  }
}
