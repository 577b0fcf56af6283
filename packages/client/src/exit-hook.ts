interface ProcessLike {
  on?: (event: "beforeExit", listener: () => void) => unknown;
  off?: (event: "beforeExit", listener: () => void) => unknown;
}

/**
 * Calls `hook` on Node's `beforeExit` (the event loop ran dry: the script is done but forgot `end()`) and returns
 * its remover. Where there is no `process` (browsers), nothing happens. `beforeExit` does not fire on
 * `process.exit()` or on signals: call `run.end()` there.
 */
export function onBeforeExit(hook: () => void): () => void {
  const proc = (globalThis as { process?: ProcessLike }).process;
  if (typeof proc?.on !== "function" || typeof proc.off !== "function") return () => {};
  proc.on("beforeExit", hook);
  return () => proc.off?.("beforeExit", hook);
}
