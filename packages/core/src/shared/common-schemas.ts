import { z } from "zod";
import { LIMITS } from "./limits";

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point
const NO_NUL = /^[^\u0000]*$/;
export const NUL_MESSAGE = "must not contain NUL (\\u0000) characters";

/** A UTF-16 surrogate not paired with its other half (with the u flag, a valid pair is one code point). */
const LONE_SURROGATE = /\p{Surrogate}/u;
export const SURROGATE_MESSAGE = "must be valid Unicode: it holds a lone UTF-16 surrogate (such as \\ud800)";
export const hasLoneSurrogate = (s: string) => LONE_SURROGATE.test(s);

/**
 * A string without NUL characters and without lone UTF-16 surrogates: PostgreSQL stores neither (jsonb and
 * text refuse them), and the contract makes them a 400. Every string of every input schema is one of these.
 */
export const text = () =>
  z
    .string()
    .regex(NO_NUL, NUL_MESSAGE)
    .refine((s) => !LONE_SURROGATE.test(s), SURROGATE_MESSAGE);

/** A UUID, in lower case (as stored and answered), so that an upper-case ID finds the same row everywhere. */
export const id = () => z.uuid({ message: "must be a UUID" }).toLowerCase();

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
export const TAGS_PER_ENTITY_MESSAGE = `an experiment or run holds at most ${LIMITS.tagsPerEntity} tags`;
export const tagMap = z
  .record(keySchema, tagValue)
  .refine((m) => Object.keys(m).length <= LIMITS.tagsPerEntity, TAGS_PER_ENTITY_MESSAGE);

/** ISO-8601 time in UTC with milliseconds, as every resource time is sent. */
export const isoTime = () => z.iso.datetime({ offset: true, message: "must be an ISO-8601 date-time" });

/**
 * The times a client may send (start_time, end_time): 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z, the
 * range that PostgreSQL's timestamptz, JavaScript's Date and ISO-8601's four-digit years all hold exactly (year
 * 0 does not exist in timestamptz, and years 1-99 were read back 1900 or 2000 years later); the same range
 * as metric timestamps (epoch milliseconds, at most TIME_MAX_MS).
 */
export const inputTime = () =>
  isoTime().refine((s) => {
    const ms = Date.parse(s);
    return ms >= 0 && ms <= TIME_MAX_MS;
  }, "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z");
export const TIME_MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

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
