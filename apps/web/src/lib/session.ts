/** The signed-in key and tenant, kept for the browser tab's session only (sessionStorage). */
export interface Session {
  apiKey: string;
  tenant: string;
}

const KEY = "stepwise.session";

export function loadSession(storage: Storage = sessionStorage): Session | null {
  try {
    const value = JSON.parse(storage.getItem(KEY) ?? "null") as Partial<Session> | null;
    return value?.apiKey ? { apiKey: value.apiKey, tenant: value.tenant ?? "" } : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session, storage: Storage = sessionStorage) {
  storage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = sessionStorage) {
  storage.removeItem(KEY);
}

/** The headers of every API call: the key, and the tenant when one is named. */
export const authHeaders = (session: Session): Record<string, string> => ({
  authorization: `Bearer ${session.apiKey}`,
  ...(session.tenant ? { "x-tenant-id": session.tenant } : {}),
});
