import { defineConfig } from "vitest/config";

// Each test file gets its own copy of a migrated template database (see @stepwise/core/testing).
export default defineConfig({
  test: {
    globalSetup: ["../../packages/core/src/testing/global-setup.ts", "./src/testing/s3-global-setup.ts"],
    setupFiles: ["../../packages/core/src/testing/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
