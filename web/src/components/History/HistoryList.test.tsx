import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, type HistoryPublic, type ProjectPublic } from "../../api/client";
import { EditorProvider, useEditorRunner, useProjectQuery } from "../../hooks/useEditor";
import { HistoryList } from "./HistoryList";

type Answer = { data?: unknown; error?: unknown; response: Response };
const ok = (data: unknown): Answer => ({ data, response: new Response(null, { status: 200 }) });
const LABELS = ["Create project", "Edit title", "Edit narration", "Edit music"];

/** A fake server: four history states, the project at `position`; each step bumps the revision. */
let server: { position: number; revision: number };
/** Each undo/redo request, in order: which one, and the If-Match it sent. */
let steps: Array<{ op: "undo" | "redo"; ifMatch: string }>;
/** When set, every undo/redo waits until the test calls the resolver it leaves here. */
let hold: boolean;
let release: Array<() => void>;

const projectOf = (): ProjectPublic => ({
  id: "p1",
  title: `state ${server.position}`,
  revision: server.revision,
  createdAt: "2024-01-01T00:00:00Z",
  updatedAt: "2024-01-01T00:00:00Z",
  canUndo: server.position > 0,
  canRedo: server.position < LABELS.length - 1,
  document: { version: 1, title: `state ${server.position}`, scenes: [] } as ProjectPublic["document"],
});

const historyOf = (): HistoryPublic => ({
  position: server.position,
  canUndo: server.position > 0,
  canRedo: server.position < LABELS.length - 1,
  entries: LABELS.map((label, position) => ({ position, label, createdAt: "2024-01-01T10:00:00Z" })),
});

beforeEach(() => {
  server = { position: 3, revision: 7 };
  steps = [];
  hold = false;
  release = [];
  vi.spyOn(api, "GET").mockImplementation(((path: string) => {
    if (path === "/api/projects/{project_id}") return Promise.resolve(ok(projectOf()));
    if (path === "/api/projects/{project_id}/history") return Promise.resolve(ok(historyOf()));
    throw new Error(`unexpected GET ${path}`);
  }) as never);
  vi.spyOn(api, "POST").mockImplementation((async (path: string, init: { params: { header: Record<string, string> } }) => {
    const op = path.endsWith("/undo") ? "undo" : path.endsWith("/redo") ? "redo" : null;
    if (!op) throw new Error(`unexpected POST ${path}`);
    steps.push({ op, ifMatch: init.params.header["if-match"]! });
    if (hold) await new Promise<void>((resolve) => release.push(resolve));
    if (init.params.header["if-match"] !== String(server.revision)) {
      return { error: { error: { code: "revision_conflict", message: "changed" } }, response: new Response(null, { status: 409 }) };
    }
    server = { position: server.position + (op === "undo" ? -1 : 1), revision: server.revision + 1 };
    return ok(projectOf());
  }) as never);
});

afterEach(() => vi.restoreAllMocks());

function Harness() {
  const query = useProjectQuery("p1");
  const editor = useEditorRunner("p1", query.data);
  if (!editor) return null;
  return (
    <EditorProvider value={editor}>
      <p data-testid="shown-title">{editor.project.title}</p>
      <p data-testid="jumping">{String(editor.jumping)}</p>
      <HistoryList />
    </EditorProvider>
  );
}

function renderHistory() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <Harness />
    </QueryClientProvider>,
  );
}

const entry = (label: string) => screen.getByRole("button", { name: new RegExp(`^${label}`) });
const current = () => within(screen.getByRole("list")).getAllByRole("listitem").find((li) => li.getAttribute("aria-current") === "step");

async function ready() {
  await waitFor(() => expect(entry("Create project")).toBeEnabled());
}

describe("HistoryList", () => {
  it("marks the current entry; it cannot be chosen", async () => {
    renderHistory();
    await ready();
    expect(current()).toHaveTextContent("Edit music");
    expect(entry("Edit music")).toBeDisabled();
  });

  it("jumps back with one undo per step, each sending the revision the last one returned", async () => {
    renderHistory();
    await ready();
    fireEvent.click(entry("Create project"));
    await waitFor(() => expect(current()).toHaveTextContent("Create project"));
    expect(steps).toEqual([
      { op: "undo", ifMatch: "7" },
      { op: "undo", ifMatch: "8" },
      { op: "undo", ifMatch: "9" },
    ]);
    expect(screen.getByTestId("shown-title")).toHaveTextContent("state 0");
  });

  it("jumps forward with redos, and not at all to where it already is", async () => {
    server = { position: 0, revision: 3 };
    renderHistory();
    await waitFor(() => expect(entry("Edit narration")).toBeEnabled());
    fireEvent.click(entry("Edit narration"));
    await waitFor(() => expect(current()).toHaveTextContent("Edit narration"));
    expect(steps).toEqual([
      { op: "redo", ifMatch: "3" },
      { op: "redo", ifMatch: "4" },
    ]);
    expect(screen.getByTestId("shown-title")).toHaveTextContent("state 2");
    await waitFor(() => expect(entry("Edit title")).toBeEnabled());
    fireEvent.click(entry("Edit title"));
    await waitFor(() => expect(current()).toHaveTextContent("Edit title"));
    expect(steps.slice(2)).toEqual([{ op: "undo", ifMatch: "5" }]);
  });

  it("shows its progress and takes no other choice while it jumps", async () => {
    hold = true;
    renderHistory();
    await ready();
    fireEvent.click(entry("Edit title"));
    await waitFor(() => expect(release).toHaveLength(1));
    expect(screen.getByRole("status")).toHaveTextContent("Going to “Edit title”… step 1 of 2");
    expect(screen.getByRole("list")).toHaveAttribute("aria-busy", "true");
    for (const label of LABELS) expect(entry(label)).toBeDisabled();
    // The editor knows, so its undo/redo toolbar waits too (Editor.tsx passes it as `busy`).
    expect(screen.getByTestId("jumping")).toHaveTextContent("true");

    await act(async () => release.shift()!());
    await waitFor(() => expect(release).toHaveLength(1));
    expect(screen.getByRole("status")).toHaveTextContent("step 2 of 2");
    await act(async () => release.shift()!());

    await waitFor(() => expect(current()).toHaveTextContent("Edit title"));
    expect(screen.getByRole("status")).toHaveTextContent("");
    expect(steps.map((s) => s.op)).toEqual(["undo", "undo"]);
    await waitFor(() => expect(entry("Create project")).toBeEnabled());
    expect(screen.getByTestId("jumping")).toHaveTextContent("false");
  });

  it("stops at the first failure, says why, and reloads the project", async () => {
    renderHistory();
    await ready();
    server.revision = 42; // someone else edited the project meanwhile
    fireEvent.click(entry("Create project"));
    expect(await screen.findByRole("alert")).toHaveTextContent("changed");
    expect(steps).toHaveLength(1);
    await waitFor(() => expect(entry("Create project")).toBeEnabled());
    // The reloaded project is the server's (revision 42); a new jump starts from there.
    fireEvent.click(entry("Create project"));
    await waitFor(() => expect(current()).toHaveTextContent("Create project"));
    expect(steps.slice(1).map((s) => s.ifMatch)).toEqual(["42", "43", "44"]);
  });
});
