import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Two projects: component, hook and logic tests in happy-dom; the end-to-end suite in Node, driving Chromium.
export default defineConfig({
  plugins: [react()],
  test: {
    projects: [
      { extends: true, test: { name: "unit", environment: "happy-dom", include: ["src/**/*.test.{ts,tsx}"] } },
      {
        extends: true,
        test: {
          name: "e2e",
          environment: "node",
          include: ["e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
