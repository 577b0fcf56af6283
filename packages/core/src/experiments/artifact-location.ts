import { invalid } from "../shared/errors";

/** How to reach S3: a custom endpoint (path-style addressing) and region; credentials from the AWS chain when left out. */
export interface S3Settings {
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Where artifacts go: a local folder or an s3:// root, plus the s3:// roots that experiments may name. */
export interface ArtifactSettings {
  root: string;
  allowedRoots: string[];
  s3?: S3Settings;
}

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])((?:\/[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'() -]*)*)\/?$/;

/** Parses an s3:// URI into bucket and `/`-separated segments, or returns null if it is not a clean one. */
export function parseS3Uri(uri: string): { bucket: string; segments: string[] } | null {
  const match = S3_URI.exec(uri);
  if (!match) return null;
  const segments = (match[2] ?? "").split("/").filter((s) => s !== "");
  if (segments.some((s) => s === "." || s === ".." || s.trim() !== s)) return null;
  return { bucket: match[1] as string, segments };
}

function isUnder(uri: { bucket: string; segments: string[] }, root: { bucket: string; segments: string[] }) {
  return uri.bucket === root.bucket && root.segments.every((s, i) => uri.segments[i] === s);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks a client-given artifact_location: an s3:// URI under one of the allowed roots, nothing else, and
 * never inside another tenant's default folder (`<artifact root>/<tenant id>/...`).
 */
export function checkArtifactLocation(location: string, settings: ArtifactSettings, tenantId: string): string {
  const parsed = parseS3Uri(location);
  if (!parsed) {
    throw invalid(
      "artifact_location must be an s3://bucket/prefix URI with plain path segments (no file://, relative paths, '..', query or fragment)",
      "artifact_location",
    );
  }
  const roots = settings.allowedRoots.map(parseS3Uri).filter((r) => r !== null);
  if (!roots.some((root) => isUnder(parsed, root))) {
    const allowed = settings.allowedRoots.length
      ? settings.allowedRoots.join(", ")
      : "none (the server stores artifacts locally)";
    throw invalid(
      `artifact_location must lie under an allowed artifact root; allowed: ${allowed}`,
      "artifact_location",
    );
  }
  const root = parseS3Uri(settings.root);
  const owner = root && isUnder(parsed, root) ? parsed.segments[root.segments.length] : undefined;
  if (owner && UUID.test(owner) && owner.toLowerCase() !== tenantId.toLowerCase()) {
    throw invalid(
      "artifact_location must not lie in another tenant's folder of the artifact root",
      "artifact_location",
    );
  }
  return `s3://${parsed.bucket}${parsed.segments.map((s) => `/${s}`).join("")}`;
}

export const defaultArtifactLocation = (settings: ArtifactSettings, tenantId: string, experimentId: string) =>
  `${settings.root.replace(/\/+$/, "")}/${tenantId}/${experimentId}`;
