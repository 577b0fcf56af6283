import { invalid } from "../shared/errors";
import { LIMITS } from "../shared/limits";

const SEGMENT = /^[\p{L}\p{N}_\-. +=@,()~]+$/u;

/** Every form a client's path may take on its way to a file name: as given, and up to three URL decodings. */
function decodings(raw: string, what: string): string[] {
  const forms = [raw];
  for (let i = 0; i < 3; i++) {
    const last = forms[forms.length - 1] as string;
    let next: string;
    try {
      next = decodeURIComponent(last);
    } catch {
      throw invalid(`${what} '${raw}' holds a malformed percent-encoding`, what);
    }
    if (next === last) break;
    forms.push(next);
  }
  return forms;
}

function check(form: string, raw: string, what: string): string[] {
  const reject = (why: string) => invalid(`${what} '${raw}' is not allowed: ${why}`, what);
  if (form.includes("\u0000")) throw reject("it holds a NUL character");
  if (form.includes("\\")) throw reject("use '/' between folders, not '\\'");
  if (form.startsWith("/")) throw reject("it must be relative (no leading '/')");
  if (/^[A-Za-z]:/.test(form)) throw reject("it must not start with a drive letter");
  const segments = form.split("/");
  for (const segment of segments) {
    if (segment === "") throw reject("it holds an empty segment ('//' or a trailing '/')");
    if (/^\.+$/.test(segment)) throw reject("'.' and '..' (and other dots-only) segments are not allowed");
    if (segment.trim() !== segment) throw reject("segments must not start or end with a space");
    if (!SEGMENT.test(segment)) throw reject("segments may hold letters, digits, spaces and _ - . + = @ , ( ) ~");
    if (Buffer.byteLength(segment, "utf8") > LIMITS.artifactSegmentBytes)
      throw reject(`a folder or file name may be at most ${LIMITS.artifactSegmentBytes} bytes in UTF-8`);
  }
  return segments;
}

/**
 * The segments of a relative artifact path, validated in every decoded form and rejected, never cleaned:
 * `..`, `.`, empty segments, backslashes, NUL, a leading `/`, drive letters, percent-encoded and
 * double-encoded variants of all of these. An empty path is the artifact root when `allowEmpty`.
 */
export function artifactPathSegments(raw: string | undefined, what = "artifact path", allowEmpty = true): string[] {
  if (raw === undefined || raw === "") {
    if (allowEmpty) return [];
    throw invalid(`${what} must not be empty`, what);
  }
  if (raw.length > LIMITS.artifactPath || Buffer.byteLength(raw, "utf8") > LIMITS.artifactPathBytes)
    throw invalid(`${what} must be at most ${LIMITS.artifactPathBytes} bytes in UTF-8`, what);
  const forms = decodings(raw, what);
  for (const form of forms) check(form, raw, what);
  if (forms.length > 1) throw invalid(`${what} '${raw}' is not allowed: it holds percent-encoded characters`, what);
  return check(raw, raw, what);
}

/** A file's whole path (its folder and its name, each checked above) within LIMITS.artifactPathBytes. */
export function checkArtifactFilePath(segments: string[]) {
  const path = segments.join("/");
  if (Buffer.byteLength(path, "utf8") > LIMITS.artifactPathBytes)
    throw invalid(`artifact path '${path}' is too long: at most ${LIMITS.artifactPathBytes} bytes in UTF-8`, "file");
}
