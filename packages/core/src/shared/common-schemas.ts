import { z } from "zod";
import { LIMITS } from "./limits";

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point
const NO_NUL = /^[^\u0000]*$/;
export const NUL_MESSAGE = "must not contain NUL (\\u0000) characters";

/** A string without NUL characters (PostgreSQL cannot store them; the contract makes them a 400). */
export const text = () => z.string().regex(NO_NUL, NUL_MESSAGE);

export const id = () => z.uuid({ message: "must be a UUID" });

/** Metric, param and tag keys (contract section 4). */
export const keySchema = text()
  .min(1, "key must not be empty")
  .max(LIMITS.key, `key must be at most ${LIMITS.key} characters`)
  .regex(/^[A-Za-z0-9_\-. :/]+$/, "key may hold only letters, digits and _ - . space : /")
  .refine((k) => !k.startsWith("/"), "key must not start with '/'")
  .refine((k) => !k.split("/").some((s) => s === "." || s === ".."), "key must not hold a '.' or '..' segment")
  // A JSON object cannot carry it through JavaScript ({}["__proto__"] is the prototype): refused, never dropped.
  .refine((k) => k !== "__proto__", "key '__proto__' is reserved");

export const tagValue = text().max(LIMITS.tagValue, `tag value must be at most ${LIMITS.tagValue} characters`);
export const tagMap = z.record(keySchema, tagValue);

/** ISO-8601 time in UTC with milliseconds, as every resource time is sent. */
export const isoTime = () => z.iso.datetime({ offset: true, message: "must be an ISO-8601 date-time" });

/** Pagination query parameters: numbers on both transports (the REST dispatcher turns query strings into numbers). */
export const pagination = {
  limit: z
    .number({ message: "limit must be a number" })
    .int("limit must be an integer")
    .min(1, "limit must be at least 1")
    .max(LIMITS.pageSizeMax, `limit must be at most ${LIMITS.pageSizeMax}`)
    .default(LIMITS.pageSizeDefault),
  offset: z
    .number({ message: "offset must be a number" })
    .int("offset must be an integer")
    .min(0, "offset must be at least 0")
    .default(0),
};

export const page = {
  total: z.int().nonnegative(),
  limit: z.int(),
  offset: z.int(),
};
