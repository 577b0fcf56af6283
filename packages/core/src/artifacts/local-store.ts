import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { v7 as uuidv7 } from "uuid";
import { DomainError, notFound } from "../shared/errors";
import { checkArtifactFilePath } from "./artifact-path";
import { byName, counted, fileAsFolder, inStore, pathTaken, storeFailure } from "./store-helpers";
import type { ArtifactStore } from "./store-types";

/** The absolute path of `segments` under `root`, checked to stay inside it. */
function inside(root: string, segments: string[]) {
  const path = resolve(root, ...segments);
  if (path !== root && !path.startsWith(root + sep))
    throw new DomainError("INVALID_ARGUMENT", "artifact path escapes the run's folder");
  return path;
}

/**
 * A run's artifacts in a local folder. Uploads go to a temporary file beside the run's folder and are
 * renamed into place only when complete; over the limit, or if the source fails (a client that
 * disconnects), the temporary file is removed and nothing is left behind.
 */
export function localStore(root: string): ArtifactStore {
  if (!isAbsolute(root)) throw new Error(`a local artifact root must be absolute, got '${root}'`);
  /** A folder or file already in the way of `<folder>/<fileName>` is a 409, not a 500. */
  const collision = (error: NodeJS.ErrnoException, folder: string[], fileName: string) => {
    if (error.code === "EISDIR") return pathTaken([...folder, fileName], "folder");
    if (error.code === "EEXIST" || error.code === "ENOTDIR") return pathTaken(folder, "file");
    return error;
  };
  return {
    async save(folder, fileName, source, maxBytes) {
      checkArtifactFilePath([...folder, fileName]);
      const target = inside(root, [...folder, fileName]);
      const incoming = join(dirname(root), ".incoming");
      const temp = join(incoming, `${uuidv7()}.part`);
      const { through, result } = counted(maxBytes);
      try {
        await mkdir(incoming, { recursive: true });
        await pipeline(source, through, createWriteStream(temp));
        await mkdir(dirname(target), { recursive: true });
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        // The client's stream failing (a disconnect) or the limit are the request's errors, not the store's.
        if (source.errored || through.errored) throw error;
        throw storeFailure("save", collision(error as NodeJS.ErrnoException, folder, fileName));
      }
      return { path: [...folder, fileName].join("/"), ...result() };
    },

    list: (folder) => inStore("list", () => listFolder(folder)),
    open: (segments) => inStore("open", () => openFile(segments)),
  };

  async function listFolder(folder: string[]) {
    const dir = inside(root, folder);
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") {
        if (folder.length === 0) return [];
        throw notFound("Artifact folder", folder.join("/"));
      }
      if (error.code === "ENOTDIR") throw fileAsFolder(folder);
      throw error;
    });
    const files = await Promise.all(
      entries
        .filter((e) => e.isFile() || e.isDirectory())
        .map(async (e) => ({
          path: [...folder, e.name].join("/"),
          is_dir: e.isDirectory(),
          size: e.isDirectory() ? null : (await stat(join(dir, e.name))).size,
        })),
    );
    return { files: files.sort(byName) };
  }

  async function openFile(segments: string[]) {
    const path = inside(root, segments);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw notFound("Artifact", segments.join("/"));
    return { size: info.size, stream: createReadStream(path) };
  }
}
