import { TRPCClientError } from "@trpc/client";

export interface ErrorInfo {
  /** The HTTP status, when an answer arrived. */
  status: number | undefined;
  message: string;
  /** The key was refused (401) or the tenant is not granted to it (403): signing in again is the way out. */
  auth: boolean;
}

const AUTH_MESSAGES: Record<number, string> = {
  401: "The API key was not accepted (401). Check the key, or sign in with another one.",
  403: "This key may not use that tenant (403). Check the tenant slug, or sign in with another key.",
};

/** What a failed call tells a person: the API's own message, or a plain sentence for auth and network errors. */
export function describeError(error: unknown): ErrorInfo {
  if (error instanceof TRPCClientError) {
    const data = error.data as { httpStatus?: number } | undefined;
    const response = error.meta?.response as { status?: number } | undefined;
    const status = data?.httpStatus ?? response?.status;
    if (status && AUTH_MESSAGES[status]) return { status, message: AUTH_MESSAGES[status], auth: true };
    if (status === undefined)
      return { status, message: "The server could not be reached. Is it running?", auth: false };
    return { status, message: error.message || `The request failed (${status}).`, auth: false };
  }
  if (error instanceof HttpError) {
    const auth = AUTH_MESSAGES[error.status];
    return { status: error.status, message: auth ?? error.message, auth: auth !== undefined };
  }
  return { status: undefined, message: error instanceof Error ? error.message : String(error), auth: false };
}

/** A failed plain `fetch` (artifact downloads): the API's `{code, message}` body when there is one. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }

  static async from(res: Response) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    return new HttpError(res.status, body?.message ?? `The request failed (${res.status}).`);
  }
}
