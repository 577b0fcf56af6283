import type { SQL } from "drizzle-orm";
import type { Database } from "./client";

/** Runs raw SQL and returns its rows on either driver (postgres.js answers an array, PGlite `{ rows }`). */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** A PostgreSQL array literal of numbers (NaN and the infinities spelled as PostgreSQL reads them). */
export const numberArray = (values: readonly number[]) => `{${values.join(",")}}`;

/** A PostgreSQL array literal of strings; each element is quoted and escaped. */
export const textArray = (values: readonly string[]) =>
  `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
