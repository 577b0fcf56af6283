/**
 * The signed-in key and tenant, kept in the browser's localStorage so that new tabs and reloads stay signed
 * in, until Sign out clears it (the trade-off: any script on this origin, and anyone at this browser profile,
 * can read the key; the README says so).
 */
export interface Session {
  apiKey: string;
  tenant: string;
}

const KEY = "stepwise.session";

export function loadSession(storage: Storage = localStorage): Session | null {
  try {
    const value = JSON.parse(storage.getItem(KEY) ?? "null") as Partial<Session> | null;
    return value?.apiKey ? { apiKey: value.apiKey, tenant: value.tenant ?? "" } : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session, storage: Storage = localStorage) {
  storage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = localStorage) {
  storage.removeItem(KEY);
}

/** The headers of every API call: the key, and the tenant when one is named. */
export const authHeaders = (session: Session): Record<string, string> => ({
  authorization: `Bearer ${session.apiKey}`,
  ...(session.tenant ? { "x-tenant-id": session.tenant } : {}),
});
