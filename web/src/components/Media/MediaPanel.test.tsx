import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, type AssetPublic } from "../../api/client";
import { MediaPanel } from "./MediaPanel";

type Answer = { data?: unknown; error?: unknown; response: Response };

const asset = (id: string, filename: string): AssetPublic => ({
  id,
  ref: `asset:${id}`,
  kind: "image",
  mediaType: "image/png",
  filename,
  size: 2048,
  sha256: id.repeat(8),
  width: 256,
  height: 256,
  duration: null,
  createdAt: "2024-01-01T10:00:00Z",
});

const IN_USE = "asset asset:a1 is used by project 'Launch' (p1); remove it from them first";

/** A fake server's asset list; DELETE answers 409 for a1 (used by a project), 204 otherwise. */
let stored: AssetPublic[];
let gets: number;
let del: ReturnType<typeof vi.fn>;

beforeEach(() => {
  stored = [asset("a1", "product.png"), asset("a2", "unused.png")];
  gets = 0;
  vi.spyOn(api, "GET").mockImplementation(((path: string) => {
    if (path !== "/api/assets") throw new Error(`unexpected GET ${path}`);
    gets += 1;
    return Promise.resolve({ data: [...stored], response: new Response(null, { status: 200 }) });
  }) as never);
  del = vi.fn(async (_path: string, init: { params: { path: { asset_id: string } } }): Promise<Answer> => {
    const id = init.params.path.asset_id;
    if (id === "a1") {
      return { error: { error: { code: "asset_in_use", message: IN_USE, field: "assetId" } }, response: new Response(null, { status: 409 }) };
    }
    stored = stored.filter((a) => a.id !== id);
    return { response: new Response(null, { status: 204 }) };
  });
  vi.spyOn(api, "DELETE").mockImplementation(del as never);
});

afterEach(() => vi.restoreAllMocks());

function renderPanel() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <MediaPanel />
    </QueryClientProvider>,
  );
}

const item = (filename: string) => screen.getAllByTestId("media-item").find((li) => li.textContent?.includes(filename));

async function deleteAfterConfirming(filename: string) {
  const trigger = await screen.findByRole("button", { name: `Delete ${filename}` });
  trigger.focus(); // as a click does in a browser
  fireEvent.click(trigger);
  const dialog = screen.getByRole("dialog", { name: `Delete “${filename}”?` });
  expect(del).not.toHaveBeenCalled();
  fireEvent.click(within(dialog).getByRole("button", { name: "Delete file" }));
  await waitFor(() => expect(del).toHaveBeenCalledTimes(1));
}

describe("MediaPanel", () => {
  it("lists the uploads, and cancelling the dialog deletes nothing", async () => {
    renderPanel();
    const trigger = await screen.findByRole("button", { name: "Delete unused.png" });
    expect(screen.getAllByTestId("media-item")).toHaveLength(2);
    expect(item("product.png")).toHaveTextContent("image · 2 kB");
    trigger.focus();
    fireEvent.click(trigger);
    fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(trigger).toHaveFocus());
    expect(del).not.toHaveBeenCalled();
  });

  it("on 409 shows the server's message next to the asset and keeps it listed", async () => {
    renderPanel();
    await deleteAfterConfirming("product.png");
    expect(del).toHaveBeenCalledWith("/api/assets/{asset_id}", { params: { path: { asset_id: "a1" } } });
    const row = item("product.png")!;
    expect(await within(row).findByRole("alert")).toHaveTextContent(IN_USE);
    expect(screen.getAllByTestId("media-item")).toHaveLength(2);
    expect(within(row).getByRole("button", { name: "Delete product.png" })).toHaveAccessibleDescription(IN_USE);
    expect(within(item("unused.png")!).queryByRole("alert")).toBeNull();
    expect(screen.getByRole("status")).toHaveTextContent("");
  });

  it("on 204 removes the asset from the list, refetches it and moves focus to the heading", async () => {
    renderPanel();
    await waitFor(() => expect(gets).toBe(1));
    await deleteAfterConfirming("unused.png");
    expect(del).toHaveBeenCalledWith("/api/assets/{asset_id}", { params: { path: { asset_id: "a2" } } });
    await waitFor(() => expect(screen.getAllByTestId("media-item")).toHaveLength(1));
    expect(item("unused.png")).toBeUndefined();
    expect(item("product.png")).toBeDefined();
    await waitFor(() => expect(gets).toBe(2)); // the assets query was invalidated
    expect(screen.getByRole("status")).toHaveTextContent("Deleted unused.png.");
    await waitFor(() => expect(screen.getByRole("heading", { name: "Media" })).toHaveFocus());
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
