import { type Comparison, isTimeAttribute, operandText } from "./ast";
import { ParseError, type Token } from "./tokenize";

/** What MLflow's search_runs grammar is, for messages. */
const MLFLOW_GRAMMAR = "MLflow's search grammar joins comparisons with AND only";

export const mlflowRefusal = (t: Token, what: string) =>
  new ParseError(
    `Unsupported filter at position ${t.position} near '${t.text}': ${what} is not part of MLflow's grammar (${MLFLOW_GRAMMAR}; no OR, NOT, parentheses, aggregates, IS NULL, BETWEEN or RLIKE)`,
    t.position,
    t.text,
  );

const NUMERIC_OPS = ["=", "!=", "<", "<=", ">", ">="];
const STRING_OPS = ["=", "!=", "LIKE", "ILIKE"];

/** MLflow's comparators per kind of operand (its SearchUtils), and its value types. */
export function checkMlflowComparison(c: Comparison, start: Token) {
  const o = c.operand;
  const fail = (why: string): never => {
    throw new ParseError(
      `Invalid comparison at position ${start.position} near '${start.text}': ${why} MLflow's grammar`,
      start.position,
      start.text,
    );
  };
  const subject = operandText(o);
  if (c.type === "null") return fail("IS NULL is not part of");
  if (c.type === "between") return fail("BETWEEN is not part of");
  const op = c.type === "compare" || c.type === "pattern" ? c.op : c.negated ? "NOT IN" : "IN";
  const numeric = o.kind === "metric" || (o.kind === "attribute" && isTimeAttribute(o.name));
  const allowed = numeric
    ? NUMERIC_OPS
    : o.kind === "attribute" && o.name === "run_id"
      ? [...STRING_OPS, "IN", "NOT IN"]
      : STRING_OPS;
  if (!allowed.includes(op)) fail(`${subject} takes ${allowed.join(", ")}, and ${op} is not, in`);
  if (c.type === "compare" && !numeric && c.value.type !== "string") {
    fail(`${subject} compares with a quoted string, not the number ${c.value.value}, in`);
  }
}
