import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

// `@stepwise/core/schemas` is what frontends import (style.md): bundled for a browser, it must hold zod and the
// package's own schema files only, never a database driver, Drizzle or a Node built-in.
const entry = fileURLToPath(new URL("./schemas.ts", import.meta.url));
const FORBIDDEN = /postgres|pglite|drizzle|node:/i;

describe("@stepwise/core/schemas in a browser bundle", () => {
  it("bundles without errors, with zod inside and no server-side module", async () => {
    const result = await build({
      entryPoints: [entry],
      platform: "browser",
      format: "esm",
      bundle: true,
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles).toHaveLength(1);

    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => FORBIDDEN.test(path))).toEqual([]);
    expect(inputs.some((path) => /node_modules\/(\.pnpm\/zod@[^/]+\/node_modules\/)?zod\//.test(path))).toBe(true);
    expect(inputs.some((path) => path.endsWith("experiments/schemas.ts"))).toBe(true);
    // The run search parser, which frontends and other teams validate filters with.
    expect(inputs.some((path) => path.endsWith("search/parse-filter.ts"))).toBe(true);
    // An import that esbuild left external (a Node built-in, say) would not show up as an input.
    const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    expect(imports).toEqual([]);
  });
});
