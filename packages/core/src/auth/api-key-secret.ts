import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const PREFIX_LENGTH = 12; // "swk_" + 8 characters that identify the key in listings and lookups

/** A new key: `swk_<8 id chars>_<43 chars of 256-bit secret>`. Only its SHA-256 is stored. */
export function generateApiKey() {
  const key = `swk_${randomBytes(6).toString("base64url")}_${randomBytes(32).toString("base64url")}`;
  return { key, prefix: apiKeyPrefix(key), hash: hashApiKey(key) };
}

export const apiKeyPrefix = (key: string) => key.slice(0, PREFIX_LENGTH);

/** A fast hash is right here: keys are 256-bit random, so there is nothing to brute-force. */
export const hashApiKey = (key: string) => createHash("sha256").update(key).digest("hex");

export function apiKeyMatches(key: string, storedHash: string): boolean {
  const given = Buffer.from(hashApiKey(key), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}
