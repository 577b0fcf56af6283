import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { join, resolve } from "node:path";
import { serve } from "@hono/node-server";
import { ensureBootstrapKey, pruneIdempotencyKeys } from "@stepwise/core";
import pino from "pino";
import { createApp } from "./app";
import { ConfigError, loadConfig } from "./env";
import { answerClientErrors } from "./http/client-error";
import { drainGate as createDrainGate } from "./http/draining";
import { readiness as createReadiness } from "./http/readiness";
import { openMigratedDatabase } from "./open-database";
import { gracefulShutdown } from "./shutdown";
import { checkLocalArtifactRoot, listenError } from "./start-up-checks";

const PRUNE_EVERY_MS = 60 * 60 * 1000;

async function main() {
  const config = loadConfig(process.env);
  const logger = pino({ level: config.logLevel });
  checkLocalArtifactRoot(config.artifacts.root, config.dataDir);
  // A first start on the embedded database spends seconds in PGlite's initdb: say so instead of staying silent.
  const creating = !config.databaseUrl && !existsSync(join(config.dataDir, "db"));
  const startedAt = Date.now();
  if (creating)
    process.stdout.write(`Creating the embedded database in ${join(config.dataDir, "db")} (first start only)...\n`);
  const database = await openMigratedDatabase(config, logger);
  if (creating)
    process.stdout.write(`Created the embedded database in ${Math.round((Date.now() - startedAt) / 1000)} s\n`);
  logger.info({ database: database.kind, dataDir: config.dataDir }, "database ready");

  const bootstrapKey = await ensureBootstrapKey(database.db, config.bootstrapKey);
  const file = join(config.dataDir, "bootstrap.key");
  if (bootstrapKey) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${bootstrapKey}\n`, { mode: 0o600 });
  }
  // Printed last, after the listening line, so that it is the first thing to read once the server is up.
  const keyBanner = bootstrapKey
    ? `\nCreated tenant 'default' and an admin API key. It is shown once, here, and saved to ${file}:\n\n  ${bootstrapKey}\n\nSign in at the web app with it (tenant 'default').\n\n`
    : existsSync(file)
      ? `The admin API key of the first start is in ${file}\n`
      : "";

  const drainGate = createDrainGate();
  const readiness = createReadiness(database);
  const app = createApp({
    database,
    artifacts: config.artifacts,
    maxBodyBytes: config.maxBodyBytes,
    maxArtifactBytes: config.maxArtifactBytes,
    logger,
    metricsToken: config.metricsToken,
    rateLimit: config.rateLimit,
    heavyRequests: config.heavyRequests,
    drainGate,
    readiness,
    // The web app's build (the root `pnpm start` makes it when missing or stale); its sign-in page names the key file.
    webApp: {
      dir: resolve(import.meta.dirname, "../../web/dist"),
      config: { embedded: !config.databaseUrl, keyFile: existsSync(file) ? file : null },
    },
  });
  // Slow clients: headers must arrive within headersTimeout, and a connection silent for idleTimeout is
  // closed; no limit on a whole request, so a large upload that keeps sending is never cut off.
  const serverOptions = {
    requestTimeout: 0,
    headersTimeout: config.headersTimeoutMs,
    keepAliveTimeout: 5000,
    // How often Node checks headersTimeout (30 s by default, which would let a stalled client wait that long).
    connectionsCheckingInterval: Math.max(100, Math.min(1000, config.headersTimeoutMs)),
  };
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port, serverOptions }, (info) => {
    const url = `http://${info.family === "IPv6" ? `[${info.address}]` : info.address}:${info.port}`;
    logger.info({ url, docs: `${url}/docs` }, "listening");
    // Plain lines for the person at the terminal, in this order (pino's own lines may reach stdout later):
    // where to go, then the key, last.
    process.stdout.write(`Stepwise listening on ${url} (web app at ${url}/, API docs at ${url}/docs)\n${keyBanner}`);
  });
  server.setTimeout(config.idleTimeoutMs);
  answerClientErrors(server as Server);
  server.on("error", (error: NodeJS.ErrnoException) => {
    process.stderr.write(`${listenError(error, config.host, config.port)}\n`);
    process.exit(1);
  });

  // Stored Idempotency-Key answers are replayed for 24 h; older ones are deleted at start-up and hourly.
  const pruneOnce = () =>
    pruneIdempotencyKeys(database.db).then(
      (deleted) => deleted && logger.info({ deleted }, "pruned expired idempotency keys"),
      (err) => logger.warn({ err }, "pruning idempotency keys failed"),
    );
  void pruneOnce();
  const prune = setInterval(pruneOnce, PRUNE_EVERY_MS).unref();

  const shutdown = gracefulShutdown({
    server,
    database,
    readiness,
    drainGate,
    logger,
    config,
    onStop: () => clearInterval(prune),
  });
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Stepwise failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
