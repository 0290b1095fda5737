import { act, fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { ProductOverlay } from "../../api/client";
import { OverlayEditor } from "./OverlayEditor";

const overlay: ProductOverlay = { enabled: true, position: { x: "center", y: "center" }, scale: 0.4, animation: "fade" };

function setup(props: Partial<Parameters<typeof OverlayEditor>[0]> = {}) {
  const onSave = vi.fn((_patch: unknown) => Promise.resolve());
  const view = render(
    <OverlayEditor
      sceneId="intro"
      overlay={overlay}
      previewUrl="/frame?v=1"
      previewAlt="Still frame of scene 1"
      onSave={onSave}
      hasProductImage
      debounceMs={200}
      {...props}
    />,
  );
  return { onSave, ...view };
}

describe("OverlayEditor", () => {
  it("saves several quick changes as one debounced patch and shows the saved state", async () => {
    vi.useFakeTimers();
    const { onSave } = setup();
    fireEvent.click(screen.getByRole("radio", { name: "bottom right" }));
    const slider = screen.getByRole("slider", { name: "Size" });
    slider.focus();
    fireEvent.keyDown(slider, { key: "ArrowRight" });
    fireEvent.keyDown(slider, { key: "ArrowRight" });
    expect(screen.getByText("Saving…")).toHaveClass("saved-indicator");
    expect(onSave).not.toHaveBeenCalled();
    await act(async () => {
      vi.advanceTimersByTime(250);
    });
    expect(onSave).toHaveBeenCalledTimes(1);
    expect(onSave).toHaveBeenCalledWith({ position: { x: "right", y: "bottom" }, scale: 0.42 });
    expect(screen.getByText("Saved")).toHaveClass("saved-indicator");
    vi.useRealTimers();
  });

  it("turns the overlay off, and disables its other controls", async () => {
    vi.useFakeTimers();
    const { onSave } = setup();
    fireEvent.click(screen.getByRole("switch", { name: "Show the product" }));
    expect(screen.getByRole("radio", { name: "center" })).toBeDisabled();
    await act(async () => {
      vi.advanceTimersByTime(250);
    });
    expect(onSave).toHaveBeenCalledWith({ enabled: false });
    vi.useRealTimers();
  });

  it("shows the server's error next to the controls", async () => {
    vi.useFakeTimers();
    const onSave = vi.fn(() => Promise.reject(new Error("scale: must be at most 0.8")));
    setup({ onSave });
    fireEvent.click(screen.getByRole("radio", { name: "top left" }));
    await act(async () => {
      vi.advanceTimersByTime(250);
    });
    expect(screen.getByRole("alert")).toHaveTextContent("scale: must be at most 0.8");
    expect(screen.getByText("Not saved")).toHaveClass("saved-indicator");
    vi.useRealTimers();
  });

  it("follows the server value (undo) and shows the new preview", () => {
    const { rerender } = setup();
    expect(screen.getByRole("slider", { name: "Size" })).toHaveAttribute("aria-valuenow", "40");
    rerender(
      <OverlayEditor
        sceneId="intro"
        overlay={{ ...overlay, scale: 0.6, position: { x: "left", y: "top" } }}
        previewUrl="/frame?v=2"
        previewAlt="Still frame of scene 1"
        onSave={vi.fn()}
        hasProductImage
      />,
    );
    expect(screen.getByRole("slider", { name: "Size" })).toHaveAttribute("aria-valuenow", "60");
    expect(screen.getByRole("radio", { name: "top left" })).toBeChecked();
    expect(screen.getByRole("img", { name: "Still frame of scene 1" })).toHaveAttribute("src", "/frame?v=2");
  });
});
