import { describe, expect, it } from "vitest";
import { LIMITS } from "../shared/limits";
import { checkFilter, parseFilter, parseOrderBy } from "./parse-filter";
import { ParseError } from "./tokenize";

const metric = (key: string) => ({ kind: "metric", key });
const param = (key: string) => ({ kind: "param", key });
/** The AST without positions, to compare shapes. */
const shape = (text: string, dialect?: "mlflow") =>
  JSON.parse(JSON.stringify(parseFilter(text, { dialect }), (k, v) => (k === "position" ? undefined : v)));
const error = (text: string, dialect?: "mlflow") => {
  const e = checkFilter(text, { dialect });
  if (!e) throw new Error(`expected '${text}' to be refused`);
  return e;
};

describe("parseFilter: the grammar", () => {
  it("an empty filter is no filter", () => {
    expect(parseFilter("")).toBeNull();
    expect(parseFilter("   ")).toBeNull();
  });

  it("binds AND tighter than OR: a OR b AND c is a OR (b AND c)", () => {
    expect(shape("metrics.a = 1 OR metrics.b = 2 AND metrics.c = 3")).toEqual({
      type: "or",
      items: [
        { type: "compare", operand: metric("a"), op: "=", value: { type: "number", value: 1 } },
        {
          type: "and",
          items: [
            { type: "compare", operand: metric("b"), op: "=", value: { type: "number", value: 2 } },
            { type: "compare", operand: metric("c"), op: "=", value: { type: "number", value: 3 } },
          ],
        },
      ],
    });
  });

  it("parentheses and NOT override it; keywords are case-insensitive", () => {
    const ast = shape("not (metrics.a = 1 or metrics.b = 2) and Metrics.c = 3".replace("Metrics", "metrics"));
    expect(ast.type).toBe("and");
    expect(ast.items[0]).toMatchObject({ type: "not", expr: { type: "or" } });
    expect(shape("metrics.a = 1 aNd metrics.b < 2").type).toBe("and");
  });

  it("reads every operand kind, MLflow's spellings and aliases, quoted keys", () => {
    const operand = (text: string) => shape(`${text} IS NULL`).operand;
    expect(operand("metrics.loss")).toEqual(metric("loss"));
    expect(operand("metric.loss")).toEqual(metric("loss"));
    expect(operand("params.lr")).toEqual(param("lr"));
    for (const p of ["param", "parameter", "parameters"]) expect(operand(`${p}.lr`)).toEqual(param("lr"));
    expect(operand("tag.x")).toEqual({ kind: "tag", key: "x" });
    expect(operand("metrics.`val loss`")).toEqual(metric("val loss"));
    expect(operand('metrics."a/b:c-d"')).toEqual(metric("a/b:c-d"));
    expect(operand("tags.`mlflow.runName`")).toEqual({ kind: "tag", key: "mlflow.runName" });
    expect(operand("metrics.a.b")).toEqual(metric("a.b"));
    expect(operand("status")).toEqual({ kind: "attribute", name: "status" });
    for (const p of ["attribute", "attributes", "attr", "run"]) {
      expect(operand(`${p}.run_id`)).toEqual({ kind: "attribute", name: "run_id" });
    }
    expect(operand("attributes.`Run name`")).toEqual({ kind: "attribute", name: "run_name" });
    expect(operand("attributes.created")).toEqual({ kind: "attribute", name: "start_time" });
    expect(operand("MIN(metrics.loss)")).toEqual({ kind: "aggregate", fn: "min", key: "loss" });
    expect(operand("last_step(metrics.`a b`)")).toEqual({ kind: "aggregate", fn: "last_step", key: "a b" });
  });

  it("reads every comparator and value form", () => {
    expect(shape("metrics.x >= -1.5e-3")).toMatchObject({ op: ">=", value: { type: "number", value: -0.0015 } });
    expect(shape("params.a != 'x'")).toMatchObject({ op: "!=", value: { type: "string", value: "x" } });
    expect(shape('params.a = "x y"')).toMatchObject({ value: { type: "string", value: "x y" } });
    expect(shape("params.a like 'a%'")).toMatchObject({ type: "pattern", op: "LIKE", pattern: "a%" });
    expect(shape("params.a ILIKE 'a%'")).toMatchObject({ type: "pattern", op: "ILIKE" });
    expect(shape("params.a RLIKE '^a.*b$'")).toMatchObject({ type: "pattern", op: "RLIKE", pattern: "^a.*b$" });
    expect(shape("params.a IN ('x', \"y\")")).toMatchObject({ type: "in", negated: false, values: ["x", "y"] });
    expect(shape("tags.a NOT IN ('x')")).toMatchObject({ type: "in", negated: true, values: ["x"] });
    expect(shape("tags.a IS NOT NULL")).toMatchObject({ type: "null", negated: true });
    expect(shape("metrics.a BETWEEN 1 AND 2 AND metrics.b < 3")).toMatchObject({
      type: "and",
      items: [{ type: "between", low: { value: 1 }, high: { value: 2 } }, { type: "compare" }],
    });
    // A number against a param compares as numbers; a time takes epoch ms or an ISO-8601 string.
    expect(shape("params.lr < 1e-3")).toMatchObject({ value: { type: "number", value: 0.001 } });
    expect(shape("start_time > '2026-01-01T00:00:00Z'")).toMatchObject({
      value: { type: "number", value: 1767225600000 },
    });
  });

  it("keeps a quoted string as written, as MLflow does (no unescaping)", () => {
    expect(shape("params.a = 'it''s'")).toMatchObject({ value: { value: "it''s" } });
    expect(shape('params.a = "it\'s"')).toMatchObject({ value: { value: "it's" } });
  });
});

describe("parseFilter: errors name the position and the token", () => {
  it.each([
    ["metrics.loss < 1 ANDD params.x = 'a'", 18, "ANDD", "expected AND, OR or the end of the filter"],
    ["metrics.loss ANDD 1", 14, "ANDD", "expected a comparator"],
    ["metrics.loss <", 15, "", "near the end: expected a value"],
    ["(metrics.loss < 1", 18, "", "expected ')'"],
    ["params.x = 'open", 12, "'", "not closed"],
    ["metrics.loss ~ 1", 14, "~", "unexpected character"],
    ["bogus.x = 1", 1, "bogus.x", "Invalid entity 'bogus'"],
    ["experiment_id = '1'", 1, "experiment_id", "Invalid attribute 'experiment_id'"],
    ["metrics.loss = 'low'", 1, "metrics.loss", "compares with numbers"],
    ["metrics.loss LIKE 'a%'", 1, "metrics.loss", "LIKE applies to strings"],
    ["status = 1", 1, "status", "compares with strings in quotes"],
    ["median(metrics.loss) > 1", 1, "median", "not an aggregate"],
    ["min(params.x) > 1", 1, "min", "a metric inside min(...)"],
    ["params.x LIKE 'a\\'", 1, "params.x", "lone backslash"],
  ])("%s", (text, position, token, message) => {
    const e = error(text);
    expect(e).toBeInstanceOf(ParseError);
    expect(e.message).toContain(message);
    expect(e.message).toContain(`position ${position}`);
    expect(e).toMatchObject({ position, token });
  });

  it("bounds length, comparisons and nesting with clean errors (no stack overflow)", () => {
    expect(error("x".repeat(50_000)).message).toContain(`at most ${LIMITS.filterChars}`);
    const nested = `${"(".repeat(10_000)}metrics.a = 1${")".repeat(10_000)}`;
    expect(() => parseFilter(nested.slice(0, 4000))).toThrow(/nested too deeply/);
    expect(() => parseFilter(`${"NOT ".repeat(1000)}metrics.a = 1`)).toThrow(/nested too deeply/);
    const many = (n: number) => Array.from({ length: n }, (_, i) => `metrics.m${i} = 1`).join(" OR ");
    expect(parseFilter(many(LIMITS.filterComparisons))).toMatchObject({ type: "or" });
    expect(() => parseFilter(many(LIMITS.filterComparisons + 1))).toThrow(/too many comparisons/);
    expect(() => parseFilter(Array.from({ length: 1000 }, () => "a=1").join(" OR "))).toThrow(ParseError);
  });
});

describe("parseFilter with dialect mlflow", () => {
  it("accepts MLflow's filters", () => {
    const ok = [
      "metrics.acc > 0.9 and params.optimizer = 'adam' AND tags.`mlflow.user` LIKE '%bob%'",
      "attributes.run_id IN ('a', 'b') and attribute.status != 'FAILED' and attributes.start_time >= 0",
      "params.x ILIKE 'A%' and tags.y = \"v\" and run_name = 'n' and attributes.`Run name` != 'm'",
    ];
    for (const text of ok) expect(checkFilter(text, { dialect: "mlflow" })).toBeNull();
  });

  it.each([
    ["metrics.a = 1 OR metrics.b = 2", "OR is not part of MLflow's grammar"],
    ["NOT metrics.a = 1", "NOT is not part of"],
    ["(metrics.a = 1)", "parentheses is not part of"],
    ["min(metrics.a) < 1", "aggregates is not part of"],
    ["tags.a IS NULL", "IS NULL is not part of"],
    ["metrics.a BETWEEN 1 AND 2", "BETWEEN is not part of"],
    ["params.a RLIKE 'x'", "RLIKE is not"],
    ["params.a IN ('x')", "IN is not"],
    ["metrics.a LIKE 'x'", "LIKE applies to strings"],
    ["params.lr < '1'", "< is not"],
    ["params.lr = 1", "not the number 1"],
    ["parent_run_id = 'x'", "Invalid attribute 'parent_run_id'"],
    ["start_time > '2026-01-01'", "compares with numbers"],
  ])("refuses %s", (text, message) => {
    expect(error(text, "mlflow").message).toContain(message);
    // and the same filter is valid in the full language (but for the type errors that are errors there too)
  });
});

describe("parseOrderBy", () => {
  it("reads an operand or aggregate and a direction", () => {
    expect(parseOrderBy("metrics.loss")).toEqual({ operand: metric("loss"), descending: false });
    expect(parseOrderBy("metrics.`val loss` desc")).toEqual({ operand: metric("val loss"), descending: true });
    expect(parseOrderBy("max(metrics.acc) DESC")).toMatchObject({ operand: { kind: "aggregate", fn: "max" } });
    expect(parseOrderBy("attributes.created ASC")).toMatchObject({ operand: { name: "start_time" } });
  });

  it("refuses junk after the direction and aggregates in MLflow's dialect", () => {
    expect(() => parseOrderBy("metrics.loss DESC x")).toThrow(/position 19 near 'x'/);
    expect(() => parseOrderBy("metrics.loss sideways")).toThrow(/position 14 near 'sideways'/);
    expect(() => parseOrderBy("min(metrics.loss)", { dialect: "mlflow" })).toThrow(/aggregates/);
  });
});
