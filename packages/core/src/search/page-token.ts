import { createHash } from "node:crypto";
import { invalid } from "../shared/errors";

/** A keyset cursor: the sort values of the last row of a page (classes, values as text, start time, id). */
export type Cursor = (string | number | null)[];

/** What a token is bound to: a token made for another query (or tenant) is refused. */
export const queryHash = (query: unknown) =>
  createHash("sha256").update(JSON.stringify(query)).digest("base64url").slice(0, 22);

/** Opaque: base64url JSON of the query's hash and the cursor. */
export const encodePageToken = (hash: string, cursor: Cursor) =>
  Buffer.from(JSON.stringify({ h: hash, c: cursor })).toString("base64url");

const badToken = (why: string) =>
  invalid(`page_token is not valid for this search (${why}): pass the next_page_token of the same query`, "page_token");

export function decodePageToken(token: string, hash: string, length: number): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw badToken("it is not a token");
  }
  const { h, c } = (parsed ?? {}) as { h?: unknown; c?: unknown };
  if (typeof h !== "string" || !Array.isArray(c)) throw badToken("it is not a token");
  if (h !== hash) throw badToken("it was made for another query");
  const ok = c.length === length && c.every((v) => v === null || typeof v === "string" || typeof v === "number");
  if (!ok) throw badToken("it is not a token");
  return c as Cursor;
}
