import { defineConfig } from "vitest/config";

// The API's own test database setup: each test file gets a copy of a migrated template (see @stepwise/core/testing).
export default defineConfig({
  test: {
    globalSetup: ["../core/src/testing/global-setup.ts"],
    setupFiles: ["../core/src/testing/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
