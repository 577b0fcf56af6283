import type { ReactNode } from "react";
import { describeError } from "../lib/errors";

export const Loading = ({ what }: { what: string }) => (
  <p className="state loading" role="status" aria-live="polite">
    Loading {what}…
  </p>
);

export const Empty = ({ children }: { children: ReactNode }) => <div className="state empty">{children}</div>;

/** The API's message for a failed call, with a retry button when one is given. */
export function ErrorMessage({ error, retry }: { error: unknown; retry?: () => void }) {
  const info = describeError(error);
  return (
    <div className="state error" role="alert">
      <span>{info.message}</span>
      {retry && !info.auth && (
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
