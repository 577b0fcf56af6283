import { type DomainError, invalid } from "../shared/errors";
import { LIMITS } from "../shared/limits";

function sqlState(error: unknown): { code: string; message: string } | undefined {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return { code, message: String((e as Error).message) };
  }
  return undefined;
}

/** The client's mistakes that only the database finds out, as 400s; anything else is not a search failure. */
export function searchFailure(error: unknown, timeoutMs: number = LIMITS.searchTimeoutMs): DomainError | undefined {
  const state = sqlState(error);
  if (!state) return undefined;
  if (state.code === "57014") {
    return invalid(
      `The search ran longer than ${timeoutMs / 1000} s and was cancelled: narrow the filter (fewer experiments, fewer OR, LIKE or RLIKE terms, or a condition that fewer runs meet)`,
      "filter",
    );
  }
  if (state.code === "2201B")
    return invalid(`RLIKE pattern is not a valid regular expression: ${state.message}`, "filter");
  if (state.code === "22025") return invalid(`LIKE pattern has an invalid escape: ${state.message}`, "filter");
  // Other data exceptions (class 22) come from a value the client sent: a tampered page token, say.
  if (state.code.startsWith("22")) return invalid(`A value of the filter or page_token is invalid: ${state.message}`);
  return undefined;
}
