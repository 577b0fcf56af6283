/** A route as `METHOD /api/v1/experiments/{id}`, matched against the documented REST and tRPC routes. */
export interface RouteTemplate {
  method: string;
  path: string;
}

/**
 * Maps a request to its route template, for logs and metric labels (bounded cardinality: IDs never appear).
 * `routes` are in match order (the REST router's own order); tRPC calls are `/trpc/<procedure>`.
 */
export function routeTemplates(routes: RouteTemplate[], procedures: string[]) {
  const compiled = routes.map((r) => ({
    method: r.method.toUpperCase(),
    template: r.path,
    pattern: new RegExp(`^${r.path.replace(/\{[^/]+\}/g, "[^/]+")}$`),
  }));
  const known = new Set(procedures);
  const fixed = new Set(["/healthz", "/readyz", "/metrics", "/docs", "/api/v1/openapi.json"]);
  return (method: string, path: string): string => {
    if (fixed.has(path)) return path;
    if (path.startsWith("/docs/")) return "/docs/*";
    if (path.startsWith("/trpc/")) {
      // A batch call names several procedures (/trpc/a,b): one label for all batches keeps the label set small.
      const name = path.slice(6);
      if (name.includes(",")) return "/trpc/(batch)";
      return known.has(name) ? path : "/trpc/(unknown)";
    }
    const match = compiled.find((r) => r.method === method && r.pattern.test(path));
    return match ? match.template : "(unmatched)";
  };
}
