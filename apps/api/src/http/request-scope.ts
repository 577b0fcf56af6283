import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/** What the request log line and error answers need to know about the request being served. */
export interface RequestScope {
  requestId: string;
  /** When the request arrived (epoch ms): the default timestamp of the metric points it logs. */
  receivedAt: number;
  /** The tenant the request acts for, once resolved. */
  tenantId?: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

export const runInRequestScope = <T>(scope: RequestScope, fn: () => T) => storage.run(scope, fn);
export const requestScope = () => storage.getStore();

const CLIENT_ID = /^[\w.:-]{1,128}$/;

/** The client's X-Request-Id when it is a sane token, else a new one. */
export const requestIdFrom = (header: string | undefined) => (header && CLIENT_ID.test(header) ? header : randomUUID());
