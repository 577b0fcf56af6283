import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { DomainError } from "../shared/errors";
import type { ArtifactEntry } from "./store";

/** A pass-through stream that hashes and counts the bytes, failing with a 413 once over `maxBytes`. */
export function counted(maxBytes: number) {
  const hash = createHash("sha256");
  let size = 0;
  const through = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes)
        return done(new DomainError("PAYLOAD_TOO_LARGE", `The file is over the limit of ${maxBytes} bytes`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { through, result: () => ({ size, sha256: hash.digest("hex") }) };
}

export const byName = (a: ArtifactEntry, b: ArtifactEntry) => a.path.localeCompare(b.path);

export const fileAsFolder = (folder: string[]) =>
  new DomainError("INVALID_ARGUMENT", `'${folder.join("/")}' is a file, not a folder`);
