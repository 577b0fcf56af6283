import type { ReactNode } from "react";
import { describeError } from "../lib/errors";

export const Loading = ({ what }: { what: string }) => (
  <p className="state loading" role="status" aria-live="polite">
    Loading {what}…
  </p>
);

export const Empty = ({ children }: { children: ReactNode }) => <div className="state empty">{children}</div>;

/**
 * The API's message for a failed call, with a retry button when one is given and trying again can help (the
 * server was unreachable, busy or failed; never for a 4xx such as a run that does not exist).
 */
export function ErrorMessage({ error, retry }: { error: unknown; retry?: () => void }) {
  const info = describeError(error);
  const transient = info.status === undefined || info.status === 429 || info.status >= 500;
  return (
    <div className="state error" role="alert">
      <span>{info.message}</span>
      {retry && transient && !info.auth && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export const StatusBadge = ({ status }: { status: string }) => (
  <span className={`badge status-${status.toLowerCase()}`}>{status}</span>
);
