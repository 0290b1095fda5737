import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/client";
import { UndoToolbar } from "./UndoToolbar";

function setup(props: Partial<Parameters<typeof UndoToolbar>[0]> = {}) {
  const onUndo = vi.fn();
  const onRedo = vi.fn();
  render(<UndoToolbar canUndo canRedo onUndo={onUndo} onRedo={onRedo} {...props} />);
  return { onUndo, onRedo };
}

describe("UndoToolbar", () => {
  it("undoes and redoes with its buttons", () => {
    const { onUndo, onRedo } = setup();
    fireEvent.click(screen.getByRole("button", { name: /Undo/ }));
    fireEvent.click(screen.getByRole("button", { name: /Redo/ }));
    expect(onUndo).toHaveBeenCalledTimes(1);
    expect(onRedo).toHaveBeenCalledTimes(1);
  });

  it.each([
    [{ key: "z", ctrlKey: true }, "undo"],
    [{ key: "z", metaKey: true }, "undo"],
    [{ key: "Z", ctrlKey: true, shiftKey: true }, "redo"],
    [{ key: "z", metaKey: true, shiftKey: true }, "redo"],
    [{ key: "y", ctrlKey: true }, "redo"],
  ])("handles the shortcut %o as %s", (keys, action) => {
    const { onUndo, onRedo } = setup();
    fireEvent.keyDown(document.body, keys);
    expect(onUndo).toHaveBeenCalledTimes(action === "undo" ? 1 : 0);
    expect(onRedo).toHaveBeenCalledTimes(action === "redo" ? 1 : 0);
  });

  it("leaves Ctrl+Z to a text field being typed in", () => {
    const { onUndo } = setup();
    const input = document.createElement("input");
    document.body.append(input);
    fireEvent.keyDown(input, { key: "z", ctrlKey: true });
    expect(onUndo).not.toHaveBeenCalled();
    input.remove();
  });

  it("is disabled when there is nothing to undo or redo, shortcuts too", () => {
    const { onUndo, onRedo } = setup({ canUndo: false, canRedo: false });
    expect(screen.getByRole("button", { name: /Undo/ })).toBeDisabled();
    expect(screen.getByRole("button", { name: /Redo/ })).toBeDisabled();
    fireEvent.keyDown(document.body, { key: "z", ctrlKey: true });
    fireEvent.keyDown(document.body, { key: "z", ctrlKey: true, shiftKey: true });
    expect(onUndo).not.toHaveBeenCalled();
    expect(onRedo).not.toHaveBeenCalled();
  });

  it("shows the server's error", () => {
    setup({ error: new ApiError(409, { code: "nothing_to_undo", message: "nothing to undo" }) });
    expect(screen.getByRole("alert")).toHaveTextContent("nothing to undo");
  });
});
