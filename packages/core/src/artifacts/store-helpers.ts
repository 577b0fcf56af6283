import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { DomainError } from "../shared/errors";
import type { ArtifactEntry } from "./store-types";

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

/** An upload whose path collides with what is stored: a folder where the file would go, or a file on its way. */
export const pathTaken = (path: string[], what: "folder" | "file") =>
  new DomainError(
    "CONFLICT",
    what === "folder"
      ? `'${path.join("/")}' is a folder of this run's artifacts: choose another file name`
      : `'${path.join("/")}' is a file of this run's artifacts, so it cannot hold a folder: choose another artifact_path`,
  );

/**
 * A failure of the store itself (unreachable, refusing the server's credentials, a missing bucket): the API
 * logs it and answers 500. It is never taken for the database being unreachable.
 */
export class ArtifactStoreError extends Error {
  override readonly name = "ArtifactStoreError";
}

/**
 * File system errors that a client's path can provoke (a name too long for the file system, a character it
 * refuses, a link loop): 400s, not failures of the store.
 */
const CLIENT_FS_ERRORS: Record<string, string> = {
  ENAMETOOLONG: "is too long for the artifact store's file system",
  EINVAL: "is not a valid file name on the artifact store's file system",
  EILSEQ: "holds characters the artifact store's file system refuses",
  ELOOP: "cannot be followed on the artifact store's file system",
};

/** A DomainError as it is; a client-provoked file system error as a 400; any other as an ArtifactStoreError. */
export function storeFailure(operation: string, error: unknown) {
  if (error instanceof DomainError || error instanceof ArtifactStoreError) return error;
  const why = CLIENT_FS_ERRORS[(error as NodeJS.ErrnoException)?.code ?? ""];
  if (why) return new DomainError("INVALID_ARGUMENT", `the artifact path ${why}: choose a shorter or simpler one`);
  return new ArtifactStoreError(`artifact store: ${operation} failed: ${(error as Error)?.message}`, { cause: error });
}

/** Runs a store operation that reads no client stream; its own failures become ArtifactStoreErrors. */
export async function inStore<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw storeFailure(operation, error);
  }
}
