import { type FormEvent, useState } from "react";
import { createApiClient } from "../lib/api";
import { useAppConfig } from "../lib/app-config";
import { describeError } from "../lib/errors";
import { useTitle } from "../lib/hooks";
import type { Session } from "../lib/session";

/** An API key and a tenant slug, checked against the API before they are kept for the tab's session. */
export function SignInPage({ onSignIn, notice }: { onSignIn: (session: Session) => void; notice: string | null }) {
  const config = useAppConfig();
  useTitle("Sign in");
  const [apiKey, setApiKey] = useState("");
  const [tenant, setTenant] = useState("default");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const session = { apiKey: apiKey.trim(), tenant: tenant.trim() };
    if (!session.apiKey) return setError("Enter an API key.");
    setBusy(true);
    setError(null);
    try {
      await createApiClient(session).experiments.list.query({ limit: 1 });
      onSignIn(session);
    } catch (failure) {
      setError(describeError(failure).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form onSubmit={submit} aria-labelledby="signin-title" noValidate>
        <h1 id="signin-title">Sign in to Stepwise</h1>
        {notice && (
          <p className="state error" role="alert">
            {notice}
          </p>
        )}
        <label>
          API key
          <input
            type="password"
            name="apiKey"
            autoComplete="off"
            spellCheck={false}
            placeholder="swk_…"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            required
          />
        </label>
        <label>
          Tenant
          <input
            name="tenant"
            spellCheck={false}
            value={tenant}
            onChange={(e) => setTenant(e.target.value)}
            aria-describedby="tenant-help"
          />
        </label>
        <small id="tenant-help">The tenant's slug; leave it empty for a key granted a single tenant.</small>
        {error && (
          <p className="state error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Checking…" : "Sign in"}
        </button>
        <p className="hint">
          {config?.keyFile ? (
            <>
              This server created an admin key for tenant <code>default</code> on its first start and saved it to{" "}
              <code>{config.keyFile}</code>.
            </>
          ) : (
            <>
              On its first start, the server prints an admin key for tenant <code>default</code> and saves it to{" "}
              <code>.stepwise/bootstrap.key</code> in its data directory.
            </>
          )}{" "}
          The key is kept in this browser until you sign out.
        </p>
      </form>
    </main>
  );
}
