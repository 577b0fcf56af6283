/** What the global setup hands each test file: where its migrated template database is. */
export type TemplateRef = { kind: "postgres"; database: string; prefix: string } | { kind: "pglite"; dumpPath: string };

declare module "vitest" {
  interface ProvidedContext {
    stepwiseTemplate: TemplateRef;
  }
}
