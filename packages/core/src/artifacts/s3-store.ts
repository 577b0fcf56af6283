import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { notFound } from "../shared/errors";
import { checkArtifactFilePath } from "./artifact-path";
import { uploadStream } from "./s3-upload";
import { byName, counted, fileAsFolder, inStore, pathTaken } from "./store-helpers";
import type { ArtifactEntry, ArtifactStore } from "./store-types";

/** Multipart parts: at least 8 MiB, and large enough that the size limit fits in S3's 10000 parts. */
const MIN_PART_SIZE = 8 * 1024 * 1024;
const MAX_PARTS = 10_000;

/** A missing object (GetObject's NoSuchKey, HeadObject's bodiless 404), not a missing bucket (a misconfiguration). */
const isMissing = (error: unknown) =>
  error instanceof S3ServiceException &&
  error.name !== "NoSuchBucket" &&
  (error.name === "NoSuchKey" || error.name === "NotFound" || error.$metadata.httpStatusCode === 404);

/**
 * A run's artifacts under `s3://bucket/<prefix>`. An upload is one PutObject or a multipart upload,
 * which S3 makes visible only when complete; on failure (over the limit, a client that disconnects)
 * the multipart upload is aborted, so no partial object is ever left behind.
 */
export function s3Store(client: S3Client, bucket: string, prefix: string[]): ArtifactStore {
  const key = (segments: string[]) => [...prefix, ...segments].join("/");

  const exists = (segments: string[]) =>
    client.send(new HeadObjectCommand({ Bucket: bucket, Key: key(segments) })).then(
      () => true,
      (error) => (isMissing(error) ? false : Promise.reject(error)),
    );
  const isFolder = async (segments: string[]) =>
    ((await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${key(segments)}/`, MaxKeys: 1 })))
      .KeyCount ?? 0) > 0;

  /** S3 would keep both `a` and `a/b`; the local disk cannot, so neither store takes such a collision (409). */
  async function checkCollisions(folder: string[], fileName: string) {
    if (await isFolder([...folder, fileName])) throw pathTaken([...folder, fileName], "folder");
    for (let depth = 1; depth <= folder.length; depth++) {
      if (await exists(folder.slice(0, depth))) throw pathTaken(folder.slice(0, depth), "file");
    }
  }

  async function* pages(folder: string[]) {
    const Prefix = `${key(folder)}/`;
    let ContinuationToken: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix, Delimiter: "/", ContinuationToken }),
      );
      yield { page, name: (k: string) => k.slice(Prefix.length).replace(/\/$/, "") };
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
  }

  return {
    async save(folder, fileName, source, maxBytes) {
      checkArtifactFilePath([...folder, fileName]);
      await inStore("save", () => checkCollisions(folder, fileName));
      const { through, result } = counted(maxBytes);
      const target = { Bucket: bucket, Key: key([...folder, fileName]) };
      // One pipeline: the source failing (over the limit, a client gone) stops the upload, which aborts its
      // multipart upload before this rejects; the store failing stops the source.
      await pipeline(source, through, (chunks: AsyncIterable<Buffer>) =>
        uploadStream(client, target, chunks, Math.max(MIN_PART_SIZE, Math.ceil(maxBytes / MAX_PARTS))),
      );
      return { path: [...folder, fileName].join("/"), ...result() };
    },

    list: (folder) => inStore("list", () => listFolder(folder)),
    open: (segments) => inStore("open", () => openFile(segments)),
  };

  async function listFolder(folder: string[]) {
    const files: ArtifactEntry[] = [];
    for await (const { page, name } of pages(folder)) {
      for (const p of page.CommonPrefixes ?? [])
        if (p.Prefix) files.push({ path: [...folder, name(p.Prefix)].join("/"), is_dir: true, size: null });
      for (const o of page.Contents ?? [])
        if (o.Key) files.push({ path: [...folder, name(o.Key)].join("/"), is_dir: false, size: o.Size ?? 0 });
    }
    if (files.length === 0 && folder.length > 0) {
      throw (await exists(folder)) ? fileAsFolder(folder) : notFound("Artifact folder", folder.join("/"));
    }
    return { files: files.sort(byName) };
  }

  async function openFile(segments: string[]) {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key(segments) }));
      return { size: object.ContentLength ?? 0, stream: object.Body as Readable };
    } catch (error) {
      if (isMissing(error)) throw notFound("Artifact", segments.join("/"));
      throw error;
    }
  }
}
