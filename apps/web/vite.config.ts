import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `pnpm dev` serves the app with hot reload and sends API calls to a running `pnpm start` (API_URL to change it).
const api = process.env.API_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", chunkSizeWarningLimit: 1024 },
  server: {
    proxy: Object.fromEntries(["/trpc", "/api", "/app/config.json"].map((path) => [path, api])),
  },
});
