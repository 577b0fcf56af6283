import { v7 } from "uuid";

/** Time-ordered UUIDs (v7): new rows land at the right end of every index. */
export const newId = (): string => v7();

/** The single row a statement such as INSERT ... RETURNING must produce. */
export function one<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error("expected the statement to return a row");
  return row;
}
