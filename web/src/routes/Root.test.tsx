import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, render, screen } from "@testing-library/react";
import { lazy } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../api/client";
import { Root } from "./Root";

afterEach(() => vi.restoreAllMocks());

describe("Root", () => {
  it("shows an accessible loading state while a lazily loaded screen arrives", async () => {
    vi.spyOn(api, "GET").mockResolvedValue({
      data: { id: "u1", name: "owner", isOwner: true },
      response: new Response(null, { status: 200 }),
    } as never);
    let arrive: (module: { default: () => React.JSX.Element }) => void = () => undefined;
    const Screen = lazy(() => new Promise<{ default: () => React.JSX.Element }>((resolve) => (arrive = resolve)));
    render(
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <Routes>
            <Route path="/" element={<Root />}>
              <Route index element={<Screen />} />
            </Route>
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    );
    expect(await screen.findByText("Signed in as owner")).toBeInTheDocument();
    const loading = screen.getByRole("status");
    expect(loading).toHaveTextContent("Loading screen…");
    expect(loading).toHaveAttribute("aria-busy", "true");
    expect(screen.getByRole("button", { name: "Account" })).toBeInTheDocument();

    await act(async () => arrive({ default: () => <h1>Projects</h1> }));
    expect(await screen.findByRole("heading", { name: "Projects" })).toBeInTheDocument();
    expect(screen.queryByRole("status")).toBeNull();
  });
});
