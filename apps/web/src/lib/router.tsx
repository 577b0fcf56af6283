import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from "react";

/** A small history-API router: the app has four pages, so a library would be more than the job needs. */
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
};
const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, { replace = false } = {}) {
  if (to === snapshot()) return;
  if (replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  for (const listener of listeners) listener();
  if (!replace) window.scrollTo(0, 0);
}

/** The current path and query, re-rendering on navigation. */
export function useLocation() {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, query: url.searchParams };
}

/**
 * The page's search params, and a setter that changes some of them in place (history.replaceState): a view's
 * state (columns, sort, zoom, selection) lives in the URL, so reload, Back and a pasted link keep it.
 * A null or empty value removes the param.
 */
export function useSearchParams(): [URLSearchParams, (changes: Record<string, string | null | undefined>) => void] {
  const { path, query } = useLocation();
  const set = (changes: Record<string, string | null | undefined>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [name, value] of Object.entries(changes)) {
      if (value === null || value === undefined || value === "") next.delete(name);
      else next.set(name, value);
    }
    const search = next.toString();
    navigate(`${path}${search ? `?${search}` : ""}`, { replace: true });
  };
  return [query, set];
}

/** A comma-separated list param ("a,b,c"), as the app writes them (IDs and keys hold no commas). */
export const listParam = (value: string | null) => (value ? value.split(",").filter(Boolean) : []);

export type Route =
  | { page: "experiments" }
  | { page: "experiment"; id: string }
  | { page: "run"; id: string }
  | { page: "compare"; ids: string[] }
  | { page: "not-found" };

/** The page a path names. */
export function matchRoute(path: string, query: URLSearchParams): Route {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: "experiments" };
  if (parts[0] === "experiments" && parts.length === 2 && parts[1]) return { page: "experiment", id: parts[1] };
  if (parts[0] === "runs" && parts.length === 2 && parts[1]) return { page: "run", id: parts[1] };
  if (parts[0] === "compare" && parts.length === 1)
    return { page: "compare", ids: (query.get("runs") ?? "").split(",").filter(Boolean) };
  return { page: "not-found" };
}

export const paths = {
  experiments: () => "/",
  experiment: (id: string) => `/experiments/${encodeURIComponent(id)}`,
  run: (id: string) => `/runs/${encodeURIComponent(id)}`,
  compare: (ids: readonly string[]) => `/compare?runs=${ids.map(encodeURIComponent).join(",")}`,
};

/** An ordinary link (middle-click and copy work) that navigates in place on a plain click. */
export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const click = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={click} {...rest} />;
}
