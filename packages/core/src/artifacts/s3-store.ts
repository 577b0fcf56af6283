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
import { Upload } from "@aws-sdk/lib-storage";
import { notFound } from "../shared/errors";
import type { ArtifactEntry, ArtifactStore } from "./store";
import { byName, counted, fileAsFolder } from "./store-helpers";

/** Multipart part size and parallel parts: bounds an upload's memory to about 3 x 8 MiB. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 3;

const isMissing = (error: unknown) =>
  error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === "NoSuchKey");

/**
 * A run's artifacts under `s3://bucket/<prefix>`. An upload is one PutObject or a multipart upload,
 * which S3 makes visible only when complete; on failure (over the limit, a client that disconnects)
 * the multipart upload is aborted, so no partial object is ever left behind.
 */
export function s3Store(client: S3Client, bucket: string, prefix: string[]): ArtifactStore {
  const key = (segments: string[]) => [...prefix, ...segments].join("/");

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
      const { through, result } = counted(maxBytes);
      const upload = new Upload({
        client,
        params: {
          Bucket: bucket,
          Key: key([...folder, fileName]),
          Body: through,
          ContentType: "application/octet-stream",
        },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      // The store refusing stops the source; the source failing (over the limit, a client gone) fails
      // the upload, and the abort removes whatever parts were sent.
      let storeError: unknown;
      const uploaded = upload.done().then(
        () => {},
        (error) => {
          if (through.errored) return; // the source failed first: its error is the one to report
          storeError = error;
          source.destroy();
        },
      );
      try {
        await pipeline(source, through);
      } catch (error) {
        await upload.abort().catch(() => {});
        await uploaded;
        throw storeError ?? error;
      }
      await uploaded;
      if (storeError) throw storeError;
      return { path: [...folder, fileName].join("/"), ...result() };
    },

    async list(folder) {
      const files: ArtifactEntry[] = [];
      for await (const { page, name } of pages(folder)) {
        for (const p of page.CommonPrefixes ?? [])
          if (p.Prefix) files.push({ path: [...folder, name(p.Prefix)].join("/"), is_dir: true, size: null });
        for (const o of page.Contents ?? [])
          if (o.Key) files.push({ path: [...folder, name(o.Key)].join("/"), is_dir: false, size: o.Size ?? 0 });
      }
      if (files.length === 0 && folder.length > 0) {
        const isFile = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key(folder) })).then(
          () => true,
          (error) => (isMissing(error) ? false : Promise.reject(error)),
        );
        throw isFile ? fileAsFolder(folder) : notFound("Artifact folder", folder.join("/"));
      }
      return { files: files.sort(byName) };
    },

    async open(segments) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key(segments) }));
        return { size: object.ContentLength ?? 0, stream: object.Body as Readable };
      } catch (error) {
        if (isMissing(error)) throw notFound("Artifact", segments.join("/"));
        throw error;
      }
    },
  };
}
