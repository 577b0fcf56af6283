import { useEffect, useState } from "react";

/** What the server tells the sign-in page (GET /app/config.json, no key needed). */
export interface AppConfig {
  /** The server keeps the embedded database (no DATABASE_URL). */
  embedded: boolean;
  /** Where start-up saved the bootstrap admin key, when that file exists. */
  keyFile: string | null;
}

export function useAppConfig(): AppConfig | null {
  const [config, setConfig] = useState<AppConfig | null>(null);
  useEffect(() => {
    let live = true;
    fetch("/app/config.json")
      .then((res) => (res.ok ? (res.json() as Promise<AppConfig>) : null))
      .then((value) => live && setConfig(value))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return config;
}
