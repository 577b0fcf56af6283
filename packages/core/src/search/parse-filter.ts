import { LIMITS } from "../shared/limits";
import {
  AGGREGATES,
  type AggregateName,
  type AttributeName,
  type Comparison,
  type Expr,
  isNumericOperand,
  isTimeAttribute,
  type Operand,
  type OrderByItem,
  operandText,
  STRING_ATTRIBUTES,
  TIME_ATTRIBUTES,
  type Value,
} from "./ast";
import { checkMlflowComparison, mlflowRefusal } from "./mlflow-dialect";
import { ParseError, syntaxError, type Token, tokenize } from "./tokenize";

/**
 * `stepwise` (default): the whole language of contract section 10. `mlflow`: MLflow's own AND-only grammar
 * and comparators, refusing the rest with a message that says what MLflow accepts.
 */
export interface ParseOptions {
  dialect?: "stepwise" | "mlflow";
}

const ENTITY: Record<string, Operand["kind"]> = {
  metric: "metric",
  metrics: "metric",
  param: "param",
  params: "param",
  parameter: "param",
  parameters: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
};
/** MLflow's alternative attribute names. */
const ATTRIBUTE_ALIASES: Record<string, AttributeName> = {
  created: "start_time",
  Created: "start_time",
  "run name": "run_name",
  "Run name": "run_name",
  "Run Name": "run_name",
};
const ATTRIBUTES = [...STRING_ATTRIBUTES, ...TIME_ATTRIBUTES] as readonly string[];
const COMPARATORS = "a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, RLIKE, IN, NOT IN, IS [NOT] NULL, BETWEEN)";

class Parser {
  private i = 0;
  private comparisons = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly mlflow: boolean,
  ) {}

  private get token(): Token {
    return this.tokens[this.i] as Token;
  }
  /** The current token's kind (a method, so that TypeScript does not narrow it across next()). */
  private kind(): Token["kind"] {
    return this.token.kind;
  }
  private next(): Token {
    const t = this.token;
    if (t.kind !== "eof") this.i++;
    return t;
  }
  private isWord(word: string, t = this.token) {
    return t.kind === "word" && t.text.toUpperCase() === word;
  }
  private expectWord(word: string, expected = word) {
    if (!this.isWord(word)) throw syntaxError(this.token, expected);
    return this.next();
  }

  end() {
    if (this.token.kind !== "eof") {
      throw syntaxError(this.token, this.mlflow ? "AND or the end of the filter" : "AND, OR or the end of the filter");
    }
  }

  expr(depth: number): Expr {
    const items = [this.and(depth)];
    while (this.isWord("OR")) {
      if (this.mlflow) throw mlflowRefusal(this.token, "OR");
      this.next();
      items.push(this.and(depth));
    }
    return items.length === 1 ? (items[0] as Expr) : { type: "or", items };
  }

  private and(depth: number): Expr {
    const items = [this.term(depth)];
    while (this.isWord("AND")) {
      this.next();
      items.push(this.term(depth));
    }
    return items.length === 1 ? (items[0] as Expr) : { type: "and", items };
  }

  private term(depth: number): Expr {
    const t = this.token;
    if (this.isWord("NOT") || t.kind === "lparen") {
      if (this.mlflow) throw mlflowRefusal(t, t.kind === "lparen" ? "parentheses" : "NOT");
      // Bounded before recursing: 10,000 nested parentheses are a clean error, never a stack overflow.
      if (depth >= LIMITS.filterDepth) {
        throw new ParseError(
          `Filter nested too deeply at position ${t.position}: at most ${LIMITS.filterDepth} levels of NOT and parentheses`,
          t.position,
          t.text,
        );
      }
      this.next();
      if (t.kind === "word") return { type: "not", expr: this.term(depth + 1) };
      const inner = this.expr(depth + 1);
      if (this.token.kind !== "rparen") throw syntaxError(this.token, "')'");
      this.next();
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Comparison {
    const start = this.token;
    if (++this.comparisons > LIMITS.filterComparisons) {
      throw new ParseError(
        `Filter has too many comparisons at position ${start.position}: at most ${LIMITS.filterComparisons}`,
        start.position,
        start.text,
      );
    }
    const operand = this.operand();
    const position = start.position;
    const t = this.token;
    let c: Comparison;
    if (t.kind === "op") {
      this.next();
      c = { type: "compare", operand, op: t.text as "=", value: this.value(operand), position };
    } else if (this.isWord("LIKE") || this.isWord("ILIKE") || this.isWord("RLIKE")) {
      this.next();
      c = { type: "pattern", operand, op: t.text.toUpperCase() as "LIKE", pattern: this.string(), position };
    } else if (this.isWord("IN") || this.isWord("NOT")) {
      const negated = this.isWord("NOT");
      if (negated) this.next();
      this.expectWord("IN", negated ? "IN after NOT" : "IN");
      c = { type: "in", operand, negated, values: this.list(), position };
    } else if (this.isWord("IS")) {
      this.next();
      const negated = this.isWord("NOT");
      if (negated) this.next();
      this.expectWord("NULL", negated ? "NULL" : "NULL or NOT NULL");
      c = { type: "null", operand, negated, position };
    } else if (this.isWord("BETWEEN")) {
      this.next();
      const low = this.value(operand);
      this.expectWord("AND", "AND (BETWEEN a AND b)");
      c = { type: "between", operand, low, high: this.value(operand), position };
    } else {
      throw syntaxError(t, COMPARATORS);
    }
    checkTypes(c, start);
    if (this.mlflow) checkMlflowComparison(c, start);
    return c;
  }

  /** `metrics.loss`, ``params.`my key` ``, `tags."a.b"`, `status`, `min(metrics.loss)`. */
  operand(): Operand {
    const t = this.token;
    if (t.kind === "word" && this.tokens[this.i + 1]?.kind === "lparen" && !t.text.includes(".")) {
      const fn = t.text.toLowerCase();
      if (!(AGGREGATES as readonly string[]).includes(fn)) {
        throw syntaxError(t, `an operand; '${t.text}(...)' is not an aggregate (${AGGREGATES.join(", ")})`);
      }
      if (this.mlflow) throw mlflowRefusal(t, "aggregates");
      this.next();
      this.next();
      const inner = this.operand();
      if (inner.kind !== "metric") {
        throw syntaxError(t, `a metric inside ${fn}(...), as in ${fn}(metrics.loss)`);
      }
      if (this.token.kind !== "rparen") throw syntaxError(this.token, "')'");
      this.next();
      return { kind: "aggregate", fn: fn as AggregateName, key: inner.key };
    }
    if (t.kind === "backtick" || t.kind === "dquote") {
      this.next();
      return attribute(t.value, t, this.mlflow);
    }
    if (t.kind !== "word")
      throw syntaxError(t, "an operand such as metrics.<key>, params.<key>, tags.<key> or an attribute");
    this.next();
    const dot = t.text.indexOf(".");
    if (dot < 0) return attribute(t.text, t, this.mlflow);
    const prefix = t.text.slice(0, dot);
    let key = t.text.slice(dot + 1);
    const quoted = this.token;
    if (key === "" && (quoted.kind === "backtick" || quoted.kind === "dquote") && quoted.position === t.end) {
      key = quoted.value;
      this.next();
    }
    const kind = ENTITY[prefix];
    if (!kind) {
      throw new ParseError(
        `Invalid entity '${prefix}' at position ${t.position}: expected metrics, params, tags or attributes (or their MLflow spellings)`,
        t.position,
        t.text,
      );
    }
    if (key === "") throw syntaxError(this.token, `a key after '${t.text}'`);
    if (kind === "attribute") return attribute(key, t, this.mlflow);
    return { kind, key } as Operand;
  }

  private value(operand: Operand): Value {
    const t = this.next();
    if (t.kind === "number") return { type: "number", value: Number(t.text) };
    if (t.kind === "squote" || t.kind === "dquote") {
      // Times also take an ISO-8601 string (a superset of MLflow's epoch milliseconds).
      if (operand.kind === "attribute" && isTimeAttribute(operand.name) && !this.mlflow) {
        const ms = Date.parse(t.value);
        if (Number.isNaN(ms)) {
          throw new ParseError(
            `Invalid value at position ${t.position} near ${t.text}: ${operandText(operand)} takes epoch milliseconds or an ISO-8601 time`,
            t.position,
            t.text,
          );
        }
        return { type: "number", value: ms };
      }
      return { type: "string", value: t.value };
    }
    throw syntaxError(t, "a value (a number, or a string in single or double quotes)");
  }

  private string(): string {
    const t = this.next();
    if (t.kind === "squote" || t.kind === "dquote") return t.value;
    throw syntaxError(t, "a pattern in single or double quotes");
  }

  private list(): string[] {
    if (this.kind() !== "lparen") throw syntaxError(this.token, "'(' starting a list of strings");
    this.next();
    const values = [this.string()];
    while (this.kind() === "comma") {
      this.next();
      values.push(this.string());
    }
    if (this.kind() !== "rparen") throw syntaxError(this.token, "',' or ')'");
    this.next();
    return values;
  }

  orderDirection(): boolean {
    if (this.isWord("ASC") || this.isWord("DESC")) return this.next().text.toUpperCase() === "DESC";
    return false;
  }
}

function attribute(name: string, t: Token, mlflow: boolean): Operand {
  const resolved = ATTRIBUTE_ALIASES[name] ?? name;
  if (!ATTRIBUTES.includes(resolved) || (mlflow && (resolved === "parent_run_id" || resolved === "created_at"))) {
    const known = mlflow ? ATTRIBUTES.filter((a) => a !== "parent_run_id" && a !== "created_at") : ATTRIBUTES;
    throw new ParseError(
      `Invalid attribute '${name}' at position ${t.position}: expected one of ${known.join(", ")}, or metrics.<key>, params.<key>, tags.<key>`,
      t.position,
      t.text,
    );
  }
  return { kind: "attribute", name: resolved as AttributeName };
}

/** Numbers for metrics, aggregates and times; strings elsewhere (and numbers for params and tags, compared as numbers). */
function checkTypes(c: Comparison, start: Token) {
  const fail = (why: string): never => {
    throw new ParseError(
      `Invalid comparison at position ${start.position} near '${start.text}': ${why}`,
      start.position,
      start.text,
    );
  };
  const subject = operandText(c.operand);
  const numeric = isNumericOperand(c.operand);
  if (c.type === "pattern" || c.type === "in") {
    const op = c.type === "in" ? (c.negated ? "NOT IN" : "IN") : c.op;
    if (numeric) fail(`${op} applies to strings, and ${subject} is a number`);
    if (c.type === "pattern" && c.op !== "RLIKE" && /(^|[^\\])(\\\\)*\\$/.test(c.pattern)) {
      fail(`a ${op} pattern must not end with a lone backslash (write \\\\ for a literal one)`);
    }
  }
  const values = c.type === "compare" ? [c.value] : c.type === "between" ? [c.low, c.high] : [];
  for (const v of values) {
    if (numeric && v.type !== "number") fail(`${subject} compares with numbers, not the string '${v.value}'`);
    if (!numeric && v.type === "number" && c.operand.kind === "attribute") {
      fail(`${subject} compares with strings in quotes, not the number ${v.value}`);
    }
  }
  if (c.type === "between" && c.low.type !== c.high.type) fail("BETWEEN takes two numbers or two strings");
}

/** Whether a filter is empty (no filter at all). */
const blank = (text: string) => text.trim() === "";

function checkLength(text: string, what: string) {
  if (text.length > LIMITS.filterChars) {
    throw new ParseError(
      `The ${what} is ${text.length} characters long: at most ${LIMITS.filterChars}`,
      LIMITS.filterChars + 1,
      "",
    );
  }
}

/** Parses a filter string into its AST; an empty filter is null (every run). Throws ParseError. */
export function parseFilter(text: string, options: ParseOptions = {}): Expr | null {
  checkLength(text, "filter");
  if (blank(text)) return null;
  const parser = new Parser(tokenize(text), options.dialect === "mlflow");
  const expr = parser.expr(0);
  parser.end();
  return expr;
}

/** Parses one order_by item: an operand or aggregate, then ASC (default) or DESC. Throws ParseError. */
export function parseOrderBy(text: string, options: ParseOptions = {}): OrderByItem {
  checkLength(text, "order_by item");
  const parser = new Parser(tokenize(text), options.dialect === "mlflow");
  const operand = parser.operand();
  const descending = parser.orderDirection();
  parser.end();
  return { operand, descending };
}

/** The ParseError of a filter, or null when it is valid (for a form's inline error). */
export function checkFilter(text: string, options: ParseOptions = {}): ParseError | null {
  try {
    parseFilter(text, options);
    return null;
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
}
