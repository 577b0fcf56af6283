import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { DomainError } from "../shared/errors";
import { localStore } from "./local-store";

const base = mkdtempSync(join(tmpdir(), "stepwise-store-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

// A run folder deep enough that a valid artifact path (255-byte names) goes over the file system's PATH_MAX
// (4096 bytes): ENAMETOOLONG, which a client provokes with its path, is a 400, not a store failure (500).
const deepRoot = join(base, ...Array.from({ length: 15 }, (_, i) => `${i}`.padEnd(250, "d")));
const name = "n".repeat(250);

describe("the local store's file system errors that a client's path provokes", () => {
  it("are a 400 on upload, with nothing left behind", async () => {
    const store = localStore(deepRoot);
    const failure = await store.save([name, name], name, Readable.from([Buffer.from("abc")]), 1024).catch((e) => e);
    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/too long/) });
    expect(readdirSync(join(dirname(deepRoot), ".incoming"))).toEqual([]); // the temporary file is removed
  });

  it("are a 400 on listing", async () => {
    const failure = await localStore(deepRoot)
      .list([name, name, name])
      .catch((e) => e);
    expect(failure).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/too long/) });
  });
});
