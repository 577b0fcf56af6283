import { DOMAIN_ERROR_CODES, DomainError } from "@stepwise/core";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { describe, expect, it } from "vitest";
import { toTRPCError } from "../trpc/errors";
import { DOMAIN_ERRORS, describeError } from "./errors";

describe("the status table", () => {
  it.each(DOMAIN_ERROR_CODES)("%s: tRPC answers the status REST does, and both send the same body", (code) => {
    const error = new DomainError(code, "m");
    expect(getHTTPStatusCodeFromError(toTRPCError(error))).toBe(DOMAIN_ERRORS[code].status);
    expect(describeError(toTRPCError(error))).toEqual(describeError(error));
  });

  it("sends WWW-Authenticate on a 401 and Retry-After for a conflict that clears by itself", () => {
    expect(describeError(new DomainError("UNAUTHENTICATED", "m")).headers).toEqual({ "WWW-Authenticate": "Bearer" });
    const running = new DomainError("CONFLICT", "still running", { retryAfterSeconds: 1 });
    expect(describeError(running)).toMatchObject({ status: 409, headers: { "Retry-After": "1" } });
    expect(describeError(new DomainError("IDEMPOTENCY_KEY_REUSED", "m")).body).toEqual({
      code: "IDEMPOTENCY_KEY_REUSED",
      message: "m",
    });
  });

  it("answers anything else as a 500 without its text", () => {
    const answer = describeError(new Error("select * from secrets"));
    expect(answer).toMatchObject({
      status: 500,
      body: { code: "INTERNAL_SERVER_ERROR", message: "Internal server error" },
    });
    expect(answer.log?.level).toBe("error");
  });
});
