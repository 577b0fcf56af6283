import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeApi, trpcData, trpcError } from "../testing/fake-api";
import { SignInPage } from "./SignInPage";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const config = { body: { embedded: true, keyFile: "/srv/stepwise/.stepwise/bootstrap.key" } };

function signIn(key: string, tenant?: string) {
  fireEvent.change(screen.getByLabelText("API key"), { target: { value: key } });
  if (tenant !== undefined) fireEvent.change(screen.getByLabelText("Tenant"), { target: { value: tenant } });
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("SignInPage", () => {
  it("names the server's bootstrap key file", async () => {
    fakeApi((path) => (path === "/app/config.json" ? config : undefined));
    render(<SignInPage onSignIn={() => {}} notice={null} />);
    expect(await screen.findByText("/srv/stepwise/.stepwise/bootstrap.key")).toBeTruthy();
  });

  it("falls back to the default key file hint when the server says nothing", async () => {
    fakeApi(() => undefined);
    render(<SignInPage onSignIn={() => {}} notice={null} />);
    expect(screen.getByText(".stepwise/bootstrap.key")).toBeTruthy();
  });

  it("says plainly when the key is refused (401) or the tenant is not granted (403)", async () => {
    let status = 401;
    fakeApi((path) =>
      path === "/trpc/experiments.list"
        ? status === 401
          ? trpcError(401, "UNAUTHORIZED", "Missing or invalid API key")
          : trpcError(403, "FORBIDDEN", "Tenant access denied")
        : undefined,
    );
    const onSignIn = vi.fn();
    render(<SignInPage onSignIn={onSignIn} notice={null} />);
    signIn("swk_bad");
    expect((await screen.findByRole("alert")).textContent).toContain("The API key was not accepted (401)");
    status = 403;
    signIn("swk_good", "other-team");
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("may not use that tenant (403)"));
    expect(onSignIn).not.toHaveBeenCalled();
  });

  it("checks the key with the tenant header, then hands over the session", async () => {
    const api = fakeApi((path) =>
      path === "/trpc/experiments.list" ? trpcData({ experiments: [], total: 0, limit: 1, offset: 0 }) : undefined,
    );
    const onSignIn = vi.fn();
    render(<SignInPage onSignIn={onSignIn} notice="Signed out" />);
    expect(screen.getByRole("alert").textContent).toBe("Signed out");
    signIn("  swk_good  ", "vision");
    await waitFor(() => expect(onSignIn).toHaveBeenCalledWith({ apiKey: "swk_good", tenant: "vision" }));
    const call = api.mock.calls.find(([url]) => String(url).includes("/trpc/"));
    const headers = new Headers(call?.[1]?.headers);
    expect(headers.get("authorization")).toBe("Bearer swk_good");
    expect(headers.get("x-tenant-id")).toBe("vision");
  });
});
