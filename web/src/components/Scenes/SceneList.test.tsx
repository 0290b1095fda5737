import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { SceneList, type SceneListItem } from "./SceneList";

const items: SceneListItem[] = ["intro", "middle", "outro"].map((id, i) => ({
  scene: { id, narration: `Narration of ${id}.`, duration: 2 },
  time: { id, start: i * 2, duration: 2, auto: false, estimated: false },
  thumbnailUrl: `/frame/${id}`,
}));

describe("SceneList", () => {
  it("shows each scene's thumbnail, narration excerpt and duration", () => {
    render(<SceneList items={items} selectedId="intro" onSelect={vi.fn()} onReorder={vi.fn()} />);
    const rows = screen.getAllByTestId("scene-item");
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByText("Narration of middle.")).toBeInTheDocument();
    expect(within(rows[1]!).getByText("2.0 s")).toBeInTheDocument();
    expect(rows[1]!.querySelector("img")).toHaveAttribute("src", "/frame/middle");
  });

  it("marks only estimated automatic durations with ≈; no thumbnail while its time is unknown", () => {
    const auto: SceneListItem[] = [
      { scene: { id: "a", narration: "Real.", duration: null }, time: { id: "a", start: 0, duration: 3.44, auto: true, estimated: false }, thumbnailUrl: "/frame/a" },
      { scene: { id: "b", narration: "Guessed.", duration: null }, time: { id: "b", start: 3.44, duration: 2.6, auto: true, estimated: true }, thumbnailUrl: undefined },
    ];
    render(<SceneList items={auto} selectedId="a" onSelect={vi.fn()} onReorder={vi.fn()} />);
    const rows = screen.getAllByTestId("scene-item");
    expect(within(rows[0]!).getByText("3.4 s (auto)")).toBeInTheDocument();
    expect(within(rows[1]!).getByText("≈ 2.6 s (auto)")).toBeInTheDocument();
    expect(rows[1]!.querySelector("img")).not.toHaveAttribute("src");
  });

  it("moves a scene with the move buttons", () => {
    const onReorder = vi.fn();
    render(<SceneList items={items} selectedId="intro" onSelect={vi.fn()} onReorder={onReorder} />);
    expect(screen.getByRole("button", { name: "Move scene 1 up" })).toBeDisabled();
    fireEvent.click(screen.getByRole("button", { name: "Move scene 1 down" }));
    expect(onReorder).toHaveBeenLastCalledWith(["middle", "intro", "outro"]);
    fireEvent.click(screen.getByRole("button", { name: "Move scene 3 up" }));
    expect(onReorder).toHaveBeenLastCalledWith(["intro", "outro", "middle"]);
  });

  it("reorders with the keyboard sensor: Space lifts, arrow moves, Space drops", async () => {
    const onReorder = vi.fn();
    render(<SceneList items={items} selectedId="intro" onSelect={vi.fn()} onReorder={onReorder} />);
    // jsdom has no layout: give each row a box so the keyboard sensor can find the next one.
    screen.getAllByTestId("scene-item").forEach((row, i) => {
      row.getBoundingClientRect = () => ({ x: 0, y: i * 60, top: i * 60, left: 0, width: 200, height: 50, bottom: i * 60 + 50, right: 200, toJSON: () => ({}) });
    });
    const handle = screen.getByRole("button", { name: "Drag scene 1 to reorder" });
    handle.focus();
    fireEvent.keyDown(handle, { code: "Space" });
    await new Promise((r) => setTimeout(r, 0));
    fireEvent.keyDown(handle, { code: "ArrowDown" });
    await new Promise((r) => setTimeout(r, 0));
    fireEvent.keyDown(handle, { code: "Space" });
    await new Promise((r) => setTimeout(r, 0));
    expect(onReorder).toHaveBeenCalledWith(["middle", "intro", "outro"]);
  });

  it("selects a scene", () => {
    const onSelect = vi.fn();
    render(<SceneList items={items} selectedId="intro" onSelect={onSelect} onReorder={vi.fn()} />);
    fireEvent.click(screen.getByRole("button", { name: /^Scene 3:/ }));
    expect(onSelect).toHaveBeenCalledWith("outro");
    expect(screen.getByRole("button", { name: /^Scene 1:/ })).toHaveAttribute("aria-pressed", "true");
  });
});
