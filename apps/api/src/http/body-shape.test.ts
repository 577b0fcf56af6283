import { LIMITS } from "@stepwise/core";
import { describe, expect, it } from "vitest";
import { bodyShapeIssue, decodeUtf8, mayHoldBadStrings } from "./body-shape";

const deep = (n: number, open = "[", close = "]") => JSON.parse(`${open.repeat(n)}${close.repeat(n)}`);
const deepObject = (n: number) => JSON.parse(`${'{"a":'.repeat(n)}1${"}".repeat(n)}`);

describe("the iterative check of a JSON body's shape", () => {
  it("refuses nesting past LIMITS.jsonDepth, 3,000 and 100,000 deep included, without overflowing the stack", () => {
    expect(bodyShapeIssue({ a: deep(LIMITS.jsonDepth - 1) }, false)).toBeUndefined();
    for (const value of [{ a: deep(LIMITS.jsonDepth) }, deep(3000), deepObject(3000), deep(100_000)]) {
      expect(bodyShapeIssue(value, false)?.message).toMatch(`more than ${LIMITS.jsonDepth} deep`);
    }
    expect(bodyShapeIssue(deepObject(100), false)?.path).toEqual(Array(LIMITS.jsonDepth).fill("a"));
  });

  it("refuses objects with too many keys and bodies with too many values", () => {
    const wide = Object.fromEntries(Array.from({ length: LIMITS.jsonKeysPerObject + 1 }, (_, i) => [`k${i}`, 1]));
    expect(bodyShapeIssue({ params: wide }, false)).toEqual({
      path: ["params"],
      message: `has more than ${LIMITS.jsonKeysPerObject} keys`,
    });
    const many = { metrics: Array.from({ length: LIMITS.jsonEntities }, () => 0) };
    expect(bodyShapeIssue(many, false)?.message).toMatch(`more than ${LIMITS.jsonEntities} JSON values`);
  });

  it("finds a NUL or a lone surrogate in any string or key, with its path, and lets a surrogate pair pass", () => {
    const text = '{"tags":[{"key":"a","value":"x\\ud800"}],"ok":"\\ud83d\\ude00"}';
    expect(mayHoldBadStrings(text)).toBe(true);
    expect(bodyShapeIssue(JSON.parse(text), true)).toEqual({
      path: ["tags", 0, "value"],
      message: expect.stringMatching(/lone UTF-16 surrogate/),
    });
    expect(bodyShapeIssue(JSON.parse('{"p":{"a\\u0000":1}}'), true)).toEqual({
      path: ["p", "a\u0000"],
      message: expect.stringMatching(/NUL/),
    });
    expect(bodyShapeIssue(JSON.parse('{"ok":"\\ud83d\\ude00 \\u00fc"}'), true)).toBeUndefined();
    expect(mayHoldBadStrings('{"name":"plain ü"}')).toBe(false);
  });

  it("decodes UTF-8 strictly: invalid bytes are refused, not replaced", () => {
    expect(decodeUtf8(new TextEncoder().encode('{"n":"ü"}'))).toBe('{"n":"ü"}');
    expect(decodeUtf8(Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))).toBeUndefined(); // {"\xff"}
    expect(decodeUtf8(Uint8Array.from([0x22, 0xed, 0xa0, 0x80, 0x22]))).toBeUndefined(); // an encoded surrogate
  });

  // Micro-benchmark: the walk runs on every REST write, log-batch included; it must stay a small fraction of
  // JSON.parse of the same body (the figures are in the README).
  it("costs a fraction of JSON.parse on a full log-batch", () => {
    const body = JSON.stringify({
      metrics: Array.from({ length: 1000 }, (_, i) => ({
        key: "loss",
        value: 1 / (i + 1),
        step: i,
        timestamp: 1e12 + i,
      })),
    });
    const time = (f: () => unknown) => {
      for (let i = 0; i < 200; i++) f();
      const start = performance.now();
      for (let i = 0; i < 500; i++) f();
      return (performance.now() - start) / 500;
    };
    const parsed = JSON.parse(body);
    const parse = time(() => JSON.parse(body));
    const walk = time(() => bodyShapeIssue(parsed, mayHoldBadStrings(body)));
    console.log(
      `1000-point log-batch (${body.length} bytes): JSON.parse ${parse.toFixed(3)} ms, walk ${walk.toFixed(3)} ms`,
    );
    expect(walk).toBeLessThan(parse);
  });
});
