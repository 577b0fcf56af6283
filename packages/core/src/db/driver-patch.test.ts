import postgres from "postgres";
import { describe, expect, it } from "vitest";

// patches/postgres@3.4.9.patch (README, "Database outages"): a write on a connection whose socket had closed
// threw from a setImmediate in postgres.js and ended the process (porsager/postgres issues 1066, 1154, 1208).
const url = process.env.DATABASE_URL;
describe.skipIf(!url)("postgres.js in a transaction whose backend went away", () => {
  it("rejects the next statement with CONNECTION_CLOSED instead of throwing where nothing can catch it", async () => {
    const sql = postgres(url as string, { max: 2, onnotice: () => {} });
    const admin = postgres(url as string, { max: 1 });
    try {
      let inside: string | undefined;
      const transaction = sql.begin(async (tx) => {
        const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
        await admin`select pg_terminate_backend(${row?.pid ?? 0})`;
        await new Promise((r) => setTimeout(r, 300)); // the socket's close arrives while the callback runs
        inside = await tx`select 1`.then(
          () => "answered",
          (error: { code?: string }) => error.code,
        );
      });
      await expect(transaction).rejects.toMatchObject({ code: "CONNECTION_CLOSED" });
      await new Promise((r) => setTimeout(r, 500)); // an uncaught error from the driver would fail the run here
      expect(inside).toBe("CONNECTION_CLOSED");
      // The pool still serves, on a fresh connection.
      expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
    } finally {
      await sql.end({ timeout: 1 });
      await admin.end();
    }
  });
});
