import { beforeAll, describe, expect, it } from "vitest";
import { testApp } from "../testing/app";
import { type ArtifactRun, bytes, newArtifactRun } from "../testing/artifact-client";
import { storesUnderTest } from "../testing/artifact-stores";

const HOSTILE = [
  "..",
  ".",
  "...",
  "../x",
  "x/..",
  "a/../b",
  "./a",
  "a/./b",
  "a//b",
  "/abs",
  "/etc/passwd",
  "a/",
  "a/b/",
  "a\\b",
  "..\\x",
  "C:/x",
  "c:x",
  "C:\\x",
  "a\u0000b",
  "\u0000",
  "%2e%2e",
  "%2e%2e/x",
  "%2E%2E%2F",
  "%252e%252e",
  "%252e%252e%252f",
  "..%2f",
  "..%5c",
  "%2fetc",
  "a%00b",
  "%00",
  "%5c",
  "%2e",
  "%25",
  " ",
  " a",
  "a ",
  "a/ /b",
  "a:b",
  "a*b",
  "a?b",
  'a"b',
  "a<b>",
  "a|b",
  "\u202egnp.exe",
  "a\nb",
  "a\tb",
  "~/../x",
  "x/../../../../etc",
  "%c0%ae%c0%ae/x",
];

describe.each(storesUnderTest())("hostile paths on $name", (store) => {
  let run: ArtifactRun["run"];
  let client: ArtifactRun["client"];
  beforeAll(async () => {
    ({ run, client } = await newArtifactRun(await testApp({ artifacts: store.settings }), "a"));
  });

  it.each(HOSTILE)(
    "rejects %j in artifact_path, file name, list path and download path; writes nothing",
    async (hostile) => {
      expect((await client.upload(bytes(5), { folder: hostile })).status, "artifact_path").toBe(400);
      expect((await client.upload(bytes(5), { name: hostile })).status, "file name").toBe(400);
      expect((await client.list(hostile)).status, "list path").toBe(400);
      expect((await client.download(hostile)).status, "download path").toBe(400);
      expect(await store.leftovers(run.artifact_uri)).toEqual([]);
    },
  );
});

it("holds at least 40 hostile strings", () => expect(HOSTILE.length).toBeGreaterThanOrEqual(40));
