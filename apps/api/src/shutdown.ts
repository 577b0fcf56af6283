import type { ServerType } from "@hono/node-server";
import type { DatabaseHandle } from "@stepwise/core";
import type { Logger } from "pino";
import type { Config } from "./env";
import type { DrainGate } from "./http/draining";
import type { Readiness } from "./http/readiness";

interface ShutdownDeps {
  server: ServerType;
  database: Pick<DatabaseHandle, "close">;
  readiness: Pick<Readiness, "stop">;
  drainGate: Pick<DrainGate, "drain">;
  logger: Logger;
  config: Pick<Config, "drainDelayMs" | "shutdownGraceMs">;
  onStop: () => void;
}

/**
 * What SIGTERM and SIGINT do: not ready at once, serving for STEPWISE_DRAIN_DELAY_MS more (a load balancer
 * moves the traffic meanwhile), then finishing the in-flight requests within STEPWISE_SHUTDOWN_GRACE_MS,
 * closing the database and exiting 0. A second signal changes nothing.
 */
export function gracefulShutdown({ server, database, readiness, drainGate, logger, config, onStop }: ShutdownDeps) {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    onStop();
    // Behind a load balancer: /readyz answers 503 at once, and requests are still served for
    // STEPWISE_DRAIN_DELAY_MS, until its health checks have moved the traffic elsewhere.
    readiness.stop();
    if (config.drainDelayMs > 0) logger.info({ signal, ms: config.drainDelayMs }, "not ready; draining soon");
    setTimeout(() => drain(signal), config.drainDelayMs);
  };
  const drain = (signal: string) => {
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    // Stop accepting connections and close the idle ones. Running requests finish and answer with
    // `Connection: close`; later requests on open keep-alive connections are refused unprocessed (503) by the
    // drain gate; so every connection ends after its current answer, and close() completes.
    drainGate.drain();
    const force = setTimeout(() => {
      logger.warn("in-flight requests did not finish in time; closing their connections");
      if ("closeAllConnections" in server) server.closeAllConnections();
    }, config.shutdownGraceMs).unref();
    server.close(async () => {
      clearTimeout(force);
      await database.close();
      logger.info("stopped");
      process.exit(0);
    });
    if ("closeIdleConnections" in server) server.closeIdleConnections();
  };
  return shutdown;
}
