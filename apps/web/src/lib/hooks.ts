import { useEffect, useState } from "react";

/** `value`, once it has stopped changing for `ms` (a search box asks the server once per pause, not per key). */
export function useDebouncedValue<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The tab's title while a page shows: "<what> · Stepwise". */
export function useTitle(title: string | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · Stepwise` : "Stepwise";
  }, [title]);
}
