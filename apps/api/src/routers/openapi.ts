/** The error statuses each REST operation documents (contract section 3); the messages describe the status. */
const MESSAGES: Record<number, string> = {
  400: "Invalid input: the message and issues say what to fix",
  401: "Missing, unknown or revoked API key",
  403: "Tenant access denied, or an admin endpoint without an admin key",
  404: "Not found in this tenant",
  409: "Conflicts with the current state",
  413: "Body over its size limit",
  415: "Body is not JSON",
};

const pick = (statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, MESSAGES[s] ?? "Error"]));

/** Errors of an operation without a body (GET, DELETE). */
export const readErrors = (...extra: number[]) => pick([400, 401, 403, ...extra]);
/** Errors of an operation with a JSON body (POST, PATCH). */
export const writeErrors = (...extra: number[]) => pick([400, 401, 403, ...extra, 413, 415]);
