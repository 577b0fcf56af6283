/**
 * `@stepwise/core/schemas`: the contract's zod schemas, importable by a browser bundle.
 * Only zod and this package's own schema files may be imported from here (a test bundles it to check).
 */
export * from "./admin/schemas";
export * from "./artifacts/schemas";
export * from "./experiments/schemas";
export * from "./inputs/schemas";
export * from "./metrics/schemas";
export * from "./runs/schemas";
export * from "./search/ast";
export { checkFilter, type ParseOptions, parseFilter, parseOrderBy } from "./search/parse-filter";
export * from "./search/schemas";
export { ParseError } from "./search/tokenize";
export {
  id as uuidSchema,
  keySchema,
  NUL_MESSAGE,
  SURROGATE_MESSAGE,
  TIME_MAX_MS,
  text as textSchema,
} from "./shared/common-schemas";
export { LIMITS } from "./shared/limits";
