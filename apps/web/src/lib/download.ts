import { HttpError } from "./errors";
import { authHeaders, type Session } from "./session";

/** The REST download path of an artifact. */
export const downloadUrl = (runId: string, path: string) =>
  `/api/v1/experiments/runs/${encodeURIComponent(runId)}/artifacts/download?path=${encodeURIComponent(path)}`;

/**
 * Downloads an artifact with the session's key (a plain link cannot send the Authorization header): the bytes
 * become a blob, saved under the file's own name through a temporary object URL.
 */
export async function downloadArtifact(session: Session, runId: string, path: string) {
  const res = await fetch(downloadUrl(runId, path), { headers: authHeaders(session) });
  if (!res.ok) throw await HttpError.from(res);
  const url = URL.createObjectURL(await res.blob());
  try {
    const a = document.createElement("a");
    a.href = url;
    a.download = path.split("/").pop() || "artifact";
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
