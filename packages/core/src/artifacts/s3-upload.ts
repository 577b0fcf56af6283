import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { storeFailure } from "./store-helpers";

/**
 * Writes a stream of chunks to one S3 object: a single PutObject when it fits in one part, else a multipart
 * upload, one part in flight while the next fills. Two part buffers are allocated once and reused, so memory
 * stays at about two parts whatever the size (lib-storage copied every part into a fresh buffer, and a 1 GiB
 * upload grew the server by 70-100 MiB of buffers waiting for the garbage collector). S3 shows the object
 * only once it is complete; on any failure the multipart upload is aborted before this rejects, so nothing is
 * left behind. The store's own failures reject as ArtifactStoreErrors; the stream's (a client gone, the size
 * limit) as themselves.
 */
export async function uploadStream(
  client: S3Client,
  target: { Bucket: string; Key: string },
  chunks: AsyncIterable<Buffer>,
  partSize: number,
) {
  const store = <T>(run: () => Promise<T>) => run().catch((error) => Promise.reject(storeFailure("save", error)));
  const buffers: Buffer[] = [];
  let current = 0;
  let filled = 0;
  let uploadId: string | undefined;
  const parts: { ETag?: string; PartNumber: number }[] = [];
  let inFlight: Promise<unknown> = Promise.resolve();

  const sendPart = (body: Buffer) => {
    const PartNumber = parts.length + 1;
    parts.push({ PartNumber });
    return store(async () => {
      const { ETag } = await client.send(
        new UploadPartCommand({ ...target, UploadId: uploadId, PartNumber, Body: body }),
      );
      (parts[PartNumber - 1] as { ETag?: string }).ETag = ETag;
    });
  };
  const flushFull = async () => {
    uploadId ??= (
      await store(() =>
        client.send(new CreateMultipartUploadCommand({ ...target, ContentType: "application/octet-stream" })),
      )
    ).UploadId;
    await inFlight; // the other buffer is free again once its part is stored
    inFlight = sendPart(buffers[current] as Buffer);
    inFlight.catch(() => {}); // awaited (and reported) at the next part or the end
    current = 1 - current;
    filled = 0;
  };

  try {
    for await (const chunk of chunks) {
      for (let offset = 0; offset < chunk.length; ) {
        buffers[current] ??= Buffer.allocUnsafe(partSize);
        const copied = chunk.copy(buffers[current] as Buffer, filled, offset);
        filled += copied;
        offset += copied;
        if (filled === partSize) await flushFull();
      }
    }
    const rest = (buffers[current] ?? Buffer.alloc(0)).subarray(0, filled);
    if (uploadId === undefined) {
      await store(() =>
        client.send(
          new PutObjectCommand({
            ...target,
            Body: rest,
            ContentLength: rest.length,
            ContentType: "application/octet-stream",
          }),
        ),
      );
      return;
    }
    await inFlight;
    if (rest.length > 0) await sendPart(rest);
    await store(() =>
      client.send(
        new CompleteMultipartUploadCommand({ ...target, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
      ),
    );
  } catch (error) {
    await inFlight.catch(() => {});
    if (uploadId !== undefined) {
      await client.send(new AbortMultipartUploadCommand({ ...target, UploadId: uploadId })).catch(() => {});
    }
    throw error;
  }
}
