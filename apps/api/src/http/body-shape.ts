import { LIMITS, type ValidationIssue } from "@stepwise/core";
import { NUL_MESSAGE, SURROGATE_MESSAGE } from "@stepwise/core/schemas";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** A body's bytes as UTF-8 text, or undefined when they are not valid UTF-8 (never replaced silently). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export const INVALID_UTF8_MESSAGE = "Request body is not valid UTF-8";

/**
 * Whether a JSON text may hold a NUL or a lone surrogate once parsed: in valid JSON from valid UTF-8, both
 * can only come from a \u escape (NUL as \u0000, a surrogate as \uD800-\uDFFF), so strings need no look
 * when the text has neither.
 */
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;
export const mayHoldBadStrings = (text: string) => text.includes("\\u") && SUSPECT_ESCAPE.test(text);

const SURROGATE = /\p{Surrogate}/u;
const badString = (s: string) => (s.includes("\u0000") ? NUL_MESSAGE : SURROGATE.test(s) ? SURROGATE_MESSAGE : null);

/**
 * The first fault of a parsed JSON body's shape, in one iterative pass before any recursive code sees it:
 * nesting deeper than LIMITS.jsonDepth, an object with more than LIMITS.jsonKeysPerObject keys, more than
 * LIMITS.jsonEntities values in all, and (with `strings`) a NUL or a lone UTF-16 surrogate in a key or a
 * string. Undefined when the body is fine. Its path is built only for the answer.
 */
export function bodyShapeIssue(root: unknown, strings: boolean): ValidationIssue | undefined {
  if (typeof root !== "object" || root === null) return strings ? stringIssue(root, []) : undefined;
  // Only objects and arrays are queued (primitives are looked at in place), in parallel arrays: the value,
  // its depth, its key in its parent and its parent's index (for the path, built only for the answer).
  const values: object[] = [root];
  const depths: number[] = [1];
  const keys: (string | number)[] = [""];
  const parents: number[] = [-1];
  let next = 0;
  let count = 1;
  const pathOf = (at: number, ...last: (string | number)[]) => {
    const path = last;
    for (let i = at; i > 0; i = parents[i] as number) path.unshift(keys[i] as string | number);
    return path;
  };
  const tooMany = { path: [], message: `holds more than ${LIMITS.jsonEntities} JSON values in all` };
  for (; next < values.length; next++) {
    const value = values[next] as Record<string, unknown> | unknown[];
    const depth = depths[next] as number;
    if (depth > LIMITS.jsonDepth) {
      return { path: pathOf(next), message: `nests objects and arrays more than ${LIMITS.jsonDepth} deep` };
    }
    if (Array.isArray(value)) {
      count += value.length;
      if (count > LIMITS.jsonEntities) return tooMany;
      for (let i = 0; i < value.length; i++) {
        const child = value[i];
        if (typeof child === "object" && child !== null) {
          values.push(child);
          depths.push(depth + 1);
          keys.push(i);
          parents.push(next);
        } else if (strings && typeof child === "string" && badString(child)) {
          return stringIssue(child, pathOf(next, i));
        }
      }
      continue;
    }
    let n = 0;
    for (const key in value) {
      n++;
      const child = value[key];
      if (strings && badString(key)) return { path: pathOf(next, key), message: `key ${badString(key)}` };
      if (typeof child === "object" && child !== null) {
        values.push(child);
        depths.push(depth + 1);
        keys.push(key);
        parents.push(next);
      } else if (strings && typeof child === "string" && badString(child)) {
        return stringIssue(child, pathOf(next, key));
      }
    }
    if (n > LIMITS.jsonKeysPerObject) {
      return { path: pathOf(next), message: `has more than ${LIMITS.jsonKeysPerObject} keys` };
    }
    count += n;
    if (count > LIMITS.jsonEntities) return tooMany;
  }
  return undefined;
}

function stringIssue(value: unknown, path: (string | number)[]): ValidationIssue | undefined {
  const bad = typeof value === "string" ? badString(value) : null;
  return bad ? { path, message: bad } : undefined;
}
