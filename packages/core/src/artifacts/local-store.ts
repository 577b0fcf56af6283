import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DomainError, notFound } from "../shared/errors";

/** The local folder of a run's artifacts; runs whose artifact_uri is not a local path are not served here. */
export function localArtifactDir(artifactUri: string): string {
  if (!isAbsolute(artifactUri)) {
    throw new DomainError("NOT_IMPLEMENTED", "This run's artifacts live on S3, which this server does not serve yet");
  }
  return artifactUri;
}

/** The absolute path of `segments` under `root`, checked to stay inside it. */
function inside(root: string, segments: string[]) {
  const path = resolve(root, ...segments);
  if (path !== root && !path.startsWith(root + sep))
    throw new DomainError("INVALID_ARGUMENT", "artifact path escapes the run's folder");
  return path;
}

/**
 * Streams `source` into `<root>/<folder>/<fileName>`: hashed and counted on the way into a temporary file
 * beside the run's folder, moved into place only when complete. Over `maxBytes`, or if the source fails
 * (a client that disconnects), the temporary file is removed and nothing is left behind.
 */
export async function saveArtifact(
  root: string,
  folder: string[],
  fileName: string,
  source: Readable,
  maxBytes: number,
) {
  const target = inside(root, [...folder, fileName]);
  const incoming = join(dirname(root), ".incoming");
  await mkdir(incoming, { recursive: true });
  const temp = join(incoming, `${randomUUID()}.part`);
  const hash = createHash("sha256");
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes)
        return done(new DomainError("PAYLOAD_TOO_LARGE", `The file is over the limit of ${maxBytes} bytes`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, count, createWriteStream(temp));
    await mkdir(dirname(target), { recursive: true });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { path: [...folder, fileName].join("/"), size, sha256: hash.digest("hex") };
}

/** The files and folders directly in a folder of the run's artifacts. */
export async function listArtifactFolder(root: string, folder: string[]) {
  const dir = inside(root, folder);
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") {
      if (folder.length === 0) return [];
      throw notFound("Artifact folder", folder.join("/"));
    }
    if (error.code === "ENOTDIR")
      throw new DomainError("INVALID_ARGUMENT", `'${folder.join("/")}' is a file, not a folder`);
    throw error;
  });
  const files = await Promise.all(
    entries
      .filter((e) => e.isFile() || e.isDirectory())
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(async (e) => ({
        path: [...folder, e.name].join("/"),
        is_dir: e.isDirectory(),
        size: e.isDirectory() ? null : (await stat(join(dir, e.name))).size,
      })),
  );
  return { files };
}

/** A stored file to stream back, or NOT_FOUND. */
export async function openArtifact(root: string, segments: string[]) {
  const path = inside(root, segments);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw notFound("Artifact", segments.join("/"));
  return { size: info.size, stream: createReadStream(path) };
}
