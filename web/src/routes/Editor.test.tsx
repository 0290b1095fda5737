import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, type ProjectPublic } from "../api/client";
import { keys } from "../hooks/queryKeys";
import type { Timeline } from "../lib/timing";
import { Editor } from "./Editor";

// Scene a follows its narration (5 words: estimated 2.6 s, really 3.5 s); scene b is fixed.
const project: ProjectPublic = {
  id: "p1",
  title: "Launch",
  revision: 1,
  createdAt: "2024-01-01T00:00:00Z",
  updatedAt: "2024-01-01T00:00:00Z",
  canUndo: false,
  canRedo: false,
  document: {
    version: 1,
    title: "Launch",
    scenes: [
      { id: "a", narration: "one two three four five", duration: null },
      { id: "b", narration: "Fixed.", duration: 3 },
    ],
  } as ProjectPublic["document"],
};

const timeline: Timeline = {
  duration: 6.5,
  frames: 195,
  fps: 30,
  scenes: [
    { id: "a", start: 0, duration: 3.5, auto: true, narrationSeconds: 2.9 },
    { id: "b", start: 3.5, duration: 3, auto: false, narrationSeconds: 0.6 },
  ],
};

type Answer = { data?: unknown; error?: unknown; response: Response };
const ok = (data: unknown): Answer => ({ data, response: new Response(null, { status: 200 }) });
const failed = (): Answer => ({
  error: { error: { code: "speech_too_long", message: "too long" } },
  response: new Response(null, { status: 422 }),
});

let resolvers: Array<(answer: Answer) => void>;
/** The project id of each timeline request. */
let timelineCalls: string[];

beforeEach(() => {
  resolvers = [];
  timelineCalls = [];
  vi.spyOn(api, "GET").mockImplementation(((path: string, init?: { params?: { path?: { project_id?: string } } }) => {
    if (path === "/api/projects/{project_id}") return Promise.resolve(ok(project));
    if (path === "/api/projects/{project_id}/timeline") {
      timelineCalls.push(init?.params?.path?.project_id ?? "");
      const answer = new Promise<Answer>((resolve) => resolvers.push(resolve));
      return answer;
    }
    return Promise.resolve(ok([]));
  }) as never);
});

afterEach(() => vi.restoreAllMocks());

function renderEditor() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={["/projects/p1"]}>
        <Routes>
          <Route path="/projects/:projectId" element={<Editor />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return queryClient;
}

const total = () => screen.getByTestId("total-duration");
const rows = () => screen.getAllByTestId("scene-item");
const thumbnail = (index: number) => rows()[index]!.querySelector("img")!;

describe("Editor timing", () => {
  it("shows the estimate (≈) while the timeline loads, then the server's real lengths and midpoints", async () => {
    const queryClient = renderEditor();
    await screen.findByRole("heading", { name: "Launch" });

    // Loading: the word-count estimate, marked; no still at a guessed time.
    expect(total()).toHaveTextContent("≈ 5.6 s");
    expect(within(rows()[0]!).getByText("≈ 2.6 s (auto)")).toBeInTheDocument();
    expect(within(rows()[1]!).getByText("3.0 s")).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: "Automatic (follows the narration, ≈ 2.6 s)" })).toBeChecked();
    expect(thumbnail(0)).not.toHaveAttribute("src");
    expect(thumbnail(1)).not.toHaveAttribute("src");
    expect(screen.getByTestId("frame-preview")).not.toHaveAttribute("src");

    await act(async () => resolvers[0]!(ok(timeline)));

    await waitFor(() => expect(total()).toHaveTextContent(/^6\.5 s$/));
    expect(within(rows()[0]!).getByText("3.5 s (auto)")).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: "Automatic (follows the narration, 3.5 s)" })).toBeChecked();
    expect(thumbnail(0).getAttribute("src")).toMatch(/^\/api\/projects\/p1\/frame\?t=1\.750&v=/);
    expect(thumbnail(1).getAttribute("src")).toMatch(/^\/api\/projects\/p1\/frame\?t=5\.000&v=/);
    expect(screen.getByTestId("frame-preview")).toHaveAttribute("src", thumbnail(0).getAttribute("src"));
    const stills = [thumbnail(0).getAttribute("src"), thumbnail(1).getAttribute("src")];

    // An edit that leaves the narration alone: the timeline of the new revision is fetched,
    // and meanwhile the real lengths (and stills) stay, not the estimate.
    const renamed = { ...project, revision: 2, title: "Renamed" };
    act(() => queryClient.setQueryData(keys.project("p1"), renamed));
    await screen.findByRole("heading", { name: "Renamed" });
    await waitFor(() => expect(timelineCalls).toHaveLength(2));
    expect(total()).toHaveTextContent(/^6\.5 s$/);
    expect(within(rows()[0]!).getByText("3.5 s (auto)")).toBeInTheDocument();
    expect([thumbnail(0).getAttribute("src"), thumbnail(1).getAttribute("src")]).toEqual(stills);

    // A new narration: that scene is estimated again until the server answers.
    const document = renamed.document;
    const narrated = {
      ...renamed,
      revision: 3,
      document: { ...document, scenes: [{ ...document.scenes![0]!, narration: "six words are in this one" }, document.scenes![1]!] },
    };
    act(() => queryClient.setQueryData(keys.project("p1"), narrated));
    await waitFor(() => expect(timelineCalls).toHaveLength(3));
    expect(total()).toHaveTextContent("≈ 6.0 s");
    expect(within(rows()[0]!).getByText("≈ 3.0 s (auto)")).toBeInTheDocument();
    expect(thumbnail(0).getAttribute("src")).toBe(stills[0]); // the last still, until the real midpoint is known
    await act(async () => resolvers[2]!(ok({ ...timeline, duration: 7.2, scenes: [
      { ...timeline.scenes[0]!, duration: 4.2 },
      { ...timeline.scenes[1]!, start: 4.2 },
    ] })));
    await waitFor(() => expect(total()).toHaveTextContent(/^7\.2 s$/));
    expect(within(rows()[0]!).getByText("4.2 s (auto)")).toBeInTheDocument();
    expect(thumbnail(0).getAttribute("src")).toMatch(/\?t=2\.100&v=/);
    expect(thumbnail(1).getAttribute("src")).toMatch(/\?t=5\.700&v=/);
    expect(timelineCalls).toEqual(["p1", "p1", "p1"]);
  });

  it("falls back to the estimate (≈), stills included, when the timeline fails", async () => {
    renderEditor();
    await screen.findByRole("heading", { name: "Launch" });
    await act(async () => resolvers[0]!(failed()));

    await waitFor(() => expect(thumbnail(0)).toHaveAttribute("src"));
    expect(total()).toHaveTextContent("≈ 5.6 s");
    expect(within(rows()[0]!).getByText("≈ 2.6 s (auto)")).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: "Automatic (follows the narration, ≈ 2.6 s)" })).toBeChecked();
    expect(thumbnail(0).getAttribute("src")).toMatch(/\?t=1\.300&v=/);
    expect(thumbnail(1).getAttribute("src")).toMatch(/\?t=4\.100&v=/);
  });
});
