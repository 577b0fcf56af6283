import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { createApiClient, TRPCProvider } from "../lib/api";

/** The app's query and tRPC providers over `fetch` (stub it with fakeApi), without retries. */
export function ApiProviders({ children }: { children: ReactNode }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const client = createApiClient({ apiKey: "swk_test", tenant: "default" }, "http://localhost");
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={client} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
