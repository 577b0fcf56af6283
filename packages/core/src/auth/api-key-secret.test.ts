import { describe, expect, it } from "vitest";
import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from "./api-key-secret";

describe("generateApiKey", () => {
  it("makes a swk_ key with its readable prefix and its SHA-256 hash, new every time", () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^swk_[\w-]{8}_[\w-]{43}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(prefix).toBe(apiKeyPrefix(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashApiKey(key));
    expect(hash).not.toContain(key.slice(13));
    const other = generateApiKey();
    expect(other.key).not.toBe(key);
    expect(other.prefix).not.toBe(prefix);
  });
});

describe("apiKeyMatches", () => {
  const { key, hash } = generateApiKey();

  it("accepts the right key", () => {
    expect(apiKeyMatches(key, hash)).toBe(true);
  });

  it("rejects a wrong key, including one that differs only in its last character", () => {
    expect(apiKeyMatches(generateApiKey().key, hash)).toBe(false);
    const last = key.at(-1) === "A" ? "B" : "A";
    expect(apiKeyMatches(`${key.slice(0, -1)}${last}`, hash)).toBe(false);
    expect(apiKeyMatches(`${key}x`, hash)).toBe(false);
    expect(apiKeyMatches("", hash)).toBe(false);
  });

  it("answers false, without throwing, for a stored hash of another length or not hex", () => {
    // timingSafeEqual throws on buffers of different lengths: the length check must come first.
    for (const stored of [hash.slice(0, -2), `${hash}00`, "", "not hex at all"]) {
      expect(() => apiKeyMatches(key, stored)).not.toThrow();
      expect(apiKeyMatches(key, stored), stored).toBe(false);
    }
  });
});
