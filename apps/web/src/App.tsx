import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { createApiClient, TRPCProvider } from "./lib/api";
import { describeError } from "./lib/errors";
import { useTitle } from "./lib/hooks";
import { Link, matchRoute, paths, useLocation } from "./lib/router";
import { clearSession, loadSession, type Session, saveSession } from "./lib/session";
import { SessionContext } from "./lib/session-context";
import { ComparePage } from "./pages/ComparePage";
import { ExperimentPage } from "./pages/ExperimentPage";
import { ExperimentsPage } from "./pages/ExperimentsPage";
import { RunPage } from "./pages/RunPage";
import { SignInPage } from "./pages/SignInPage";

export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState<string | null>(null);

  const signIn = (next: Session) => {
    saveSession(next);
    setNotice(null);
    setSession(next);
  };
  const signOut = (message: string | null = null) => {
    clearSession();
    setNotice(message);
    setSession(null);
  };

  // Signing in or out in another tab of this browser does the same here.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.storageArea === localStorage) setSession(loadSession());
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, []);

  if (!session) return <SignInPage onSignIn={signIn} notice={notice} />;
  return <SignedIn key={session.apiKey + session.tenant} session={session} onSignOut={signOut} />;
}

function SignedIn({ session, onSignOut }: { session: Session; onSignOut: (message?: string | null) => void }) {
  const [queryClient] = useState(() => {
    // A refused key or tenant ends the session with the reason; other errors show where they happened.
    const onError = (error: unknown) => {
      const info = describeError(error);
      if (info.auth) onSignOut(info.message);
    };
    return new QueryClient({
      queryCache: new QueryCache({ onError }),
      mutationCache: new MutationCache({ onError }),
      defaultOptions: {
        queries: {
          staleTime: 5_000,
          refetchOnWindowFocus: false,
          retry: (count, error) => count < 2 && (describeError(error).status ?? 500) >= 500,
        },
      },
    });
  });
  const trpcClient = useMemo(() => createApiClient(session), [session]);
  return (
    <SessionContext.Provider value={session}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <Shell session={session} onSignOut={() => onSignOut(null)} />
        </TRPCProvider>
      </QueryClientProvider>
    </SessionContext.Provider>
  );
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const { path, query } = useLocation();
  const route = matchRoute(path, query);
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link to={paths.experiments()} className="brand">
          Stepwise
        </Link>
        <nav aria-label="Main">
          <Link to={paths.experiments()}>Experiments</Link>
        </nav>
        <span className="spacer" />
        <span className="who" title="Tenant">
          {session.tenant || "(the key's tenant)"}
        </span>
        <button type="button" className="link" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === "experiments" && <ExperimentsPage />}
        {route.page === "experiment" && <ExperimentPage id={route.id} />}
        {route.page === "run" && <RunPage id={route.id} />}
        {route.page === "compare" && <ComparePage ids={route.ids} />}
        {route.page === "not-found" && (
          <section>
            <Title text="Page not found" />
            <h1>Page not found</h1>
            <p>
              <Link to={paths.experiments()}>Back to the experiments</Link>
            </p>
          </section>
        )}
      </main>
    </>
  );
}

function Title({ text }: { text: string }) {
  useTitle(text);
  return null;
}
