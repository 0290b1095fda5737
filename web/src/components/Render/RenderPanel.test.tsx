import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, type ProjectPublic, type RenderPublic } from "../../api/client";
import { EditorProvider, type EditorState } from "../../hooks/useEditor";
import { RenderPanel } from "./RenderPanel";

type Answer = { data?: unknown; error?: unknown; response: Response };
const ok = (data: unknown, status = 200): Answer => ({ data, response: new Response(null, { status }) });

const project = {
  id: "p1",
  title: "Launch",
  revision: 4,
  createdAt: "2024-01-01T00:00:00Z",
  updatedAt: "2024-01-01T00:00:00Z",
  canUndo: false,
  canRedo: false,
  document: { version: 1, title: "Launch", scenes: [] },
} as unknown as ProjectPublic;

const outputs = { video: "/api/renders/r7/output", srt: "/api/renders/r7/captions.srt", vtt: "/api/renders/r7/captions.vtt", poster: "/api/renders/r7/poster" };
const finished = {
  id: "r7",
  projectId: "p1",
  projectRevision: 4,
  preview: true,
  status: "succeeded",
  phase: "done",
  chunksDone: 2,
  chunksTotal: 2,
  percent: 100,
  etaSeconds: null,
  cancelRequested: false,
  error: null,
  outputs,
  frames: 90,
  duration: 6,
  chunksRendered: 2,
  chunksCached: 0,
  createdAt: "2024-01-01T10:00:00Z",
  finishedAt: "2024-01-01T10:00:10Z",
} as unknown as RenderPublic;

let links: number;
let del: ReturnType<typeof vi.fn>;

beforeEach(() => {
  links = 0;
  vi.spyOn(api, "GET").mockImplementation(((path: string) => {
    if (path === "/api/projects/{project_id}/renders") return Promise.resolve(ok([finished]));
    throw new Error(`unexpected GET ${path}`);
  }) as never);
  vi.spyOn(api, "POST").mockImplementation(((path: string) => {
    if (path !== "/api/renders/{render_id}/share") throw new Error(`unexpected POST ${path}`);
    links += 1;
    return Promise.resolve(ok({ url: `/api/shared/token-${links}`, expiresAt: "2024-01-08T10:00:00Z" }, 201));
  }) as never);
  del = vi.fn(async () => ({ response: new Response(null, { status: 204 }) }));
  vi.spyOn(api, "DELETE").mockImplementation(del as never);
});

afterEach(() => vi.restoreAllMocks());

function renderPanel() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const editor: EditorState = {
    project,
    run: () => Promise.reject(new Error("no edits here")),
    notice: null,
    dismissNotice: () => {},
    pending: 0,
    jumping: false,
    setJumping: () => {},
  };
  render(
    <QueryClientProvider client={queryClient}>
      <EditorProvider value={editor}>
        <RenderPanel />
      </EditorProvider>
    </QueryClientProvider>,
  );
}

const shareInput = () => screen.queryByLabelText("Share link (valid 7 days)");

async function createLink(token: string) {
  fireEvent.click(await screen.findByRole("button", { name: "Create share link" }));
  await waitFor(() => expect(shareInput()).toHaveValue(`${window.location.origin}/api/shared/${token}`));
}

function openRevoke() {
  const trigger = screen.getByRole("button", { name: "Revoke links" });
  trigger.focus(); // as a click does in a browser
  fireEvent.click(trigger);
  return screen.getByRole("dialog", { name: "Revoke this render’s share links?" });
}

describe("RenderPanel share links", () => {
  it("revokes the render's links only after confirming, clears the shown link and says so", async () => {
    renderPanel();
    await createLink("token-1");

    // Opening the dialog, then cancelling, sends nothing; focus goes back to the button.
    const dialog = openRevoke();
    expect(dialog).toHaveTextContent("Every share link created so far for this render stops working");
    expect(del).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    await waitFor(() => expect(screen.getByRole("button", { name: "Revoke links" })).toHaveFocus());
    expect(del).not.toHaveBeenCalled();
    expect(shareInput()).not.toBeNull();

    fireEvent.click(within(openRevoke()).getByRole("button", { name: "Revoke all links" }));
    await waitFor(() => expect(del).toHaveBeenCalledTimes(1));
    expect(del).toHaveBeenCalledWith("/api/renders/{render_id}/share", { params: { path: { render_id: "r7" } } });
    await waitFor(() => expect(shareInput()).toBeNull());
    expect(screen.getByRole("status")).toHaveTextContent("links created before now no longer work");
    await waitFor(() => expect(screen.getByRole("button", { name: "Revoke links" })).toHaveFocus());

    // A link created afterwards is shown, and the notice gives way to it.
    await createLink("token-2");
    expect(screen.getByRole("status")).toHaveTextContent("");
  });

  it("keeps the link and shows the server's message when revoking fails", async () => {
    del.mockImplementation(async () => ({
      error: { error: { code: "not_found", message: "no such render", field: "renderId" } },
      response: new Response(null, { status: 404 }),
    }));
    renderPanel();
    await createLink("token-1");
    fireEvent.click(within(openRevoke()).getByRole("button", { name: "Revoke all links" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("no such render");
    expect(shareInput()).not.toBeNull();
    expect(screen.getByRole("status")).toHaveTextContent("");
  });
});
