import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { AccountMenu } from "./AccountMenu";

type Answer = { data?: unknown; error?: unknown; response: Response };
let answer: Answer;
let put: ReturnType<typeof vi.fn>;

beforeEach(() => {
  answer = { response: new Response(null, { status: 204 }) };
  put = vi.fn(async () => answer);
  vi.spyOn(api, "PUT").mockImplementation(put as never);
});

afterEach(() => vi.restoreAllMocks());

async function open() {
  const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AccountMenu user={{ id: "u1", name: "owner", isOwner: true }} />
    </QueryClientProvider>,
  );
  const button = screen.getByRole("button", { name: "Account" });
  button.focus(); // as a click does in a browser
  fireEvent.click(button);
  return screen.findByRole("dialog", { name: "Your account" });
}

function fill(password: string, repeat = password) {
  fireEvent.change(screen.getByLabelText("New password"), { target: { value: password } });
  fireEvent.change(screen.getByLabelText("Repeat the new password"), { target: { value: repeat } });
  fireEvent.click(screen.getByRole("button", { name: "Save password" }));
}

describe("AccountMenu", () => {
  it("sets the password with PUT /api/auth/password and says so", async () => {
    const dialog = await open();
    expect(dialog).toHaveTextContent("Signed in as owner (owner)");
    fill("a-good-password");
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Password saved"));
    expect(put).toHaveBeenCalledTimes(1);
    expect(put).toHaveBeenCalledWith("/api/auth/password", { body: { password: "a-good-password" } });
    expect(screen.getByLabelText("New password")).toHaveValue("");
    expect(screen.getByLabelText("Repeat the new password")).toHaveValue("");
  });

  it("shows the server's 4xx message next to the password, and marks it invalid", async () => {
    answer = {
      error: { error: { code: "invalid_request", message: "password: String should have at least 8 characters", field: "password" } },
      response: new Response(null, { status: 422 }),
    };
    await open();
    fill("short");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("password: String should have at least 8 characters");
    const input = screen.getByLabelText("New password");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAccessibleDescription(/At least 8 characters.*password: String should have at least 8 characters/);
    expect(screen.getByRole("status")).toHaveTextContent("");
    expect(screen.getByRole("button", { name: "Save password" })).toBeEnabled();

    // Typing again clears the old message.
    fireEvent.change(input, { target: { value: "longer-password" } });
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("does not send two passwords that differ", async () => {
    await open();
    fill("a-good-password", "a-good-passw0rd");
    expect(screen.getByRole("alert")).toHaveTextContent("The two passwords differ.");
    expect(screen.getByLabelText("Repeat the new password")).toHaveAttribute("aria-invalid", "true");
    expect(put).not.toHaveBeenCalled();
  });

  it("starts empty when opened again", async () => {
    await open();
    fill("a-good-password");
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Password saved"));
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    await waitFor(() => expect(screen.getByRole("button", { name: "Account" })).toHaveFocus());
    expect(screen.getByRole("button", { name: "Account" })).toHaveAttribute("aria-expanded", "false");
    fireEvent.click(screen.getByRole("button", { name: "Account" }));
    await screen.findByRole("dialog", { name: "Your account" });
    expect(screen.getByRole("status")).toHaveTextContent("");
  });
});
