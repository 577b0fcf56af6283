import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

/** Serves `app` on a free loopback port for a real HTTP client; `close` stops it. */
export async function listen(app: { fetch: (req: Request) => Response | Promise<Response> }) {
  const server = await new Promise<ReturnType<typeof serve>>((ready) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => ready(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
