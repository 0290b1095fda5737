import { useUndoShortcuts } from "../../hooks/useUndoShortcuts";
import { FieldError } from "../ui/FieldError";

interface Props {
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  busy?: boolean;
  error?: unknown;
}

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? "⌘" : "Ctrl+";

/** Undo and redo buttons, and the keyboard shortcuts for them. */
export function UndoToolbar({ canUndo, canRedo, onUndo, onRedo, busy, error }: Props) {
  const undo = () => canUndo && !busy && onUndo();
  const redo = () => canRedo && !busy && onRedo();
  useUndoShortcuts(undo, redo);
  return (
    <div className="undo-toolbar" role="toolbar" aria-label="History">
      <button type="button" onClick={undo} disabled={!canUndo || busy} aria-keyshortcuts="Control+Z Meta+Z" title={`Undo (${mod}Z)`}>
        ↶ Undo
      </button>
      <button type="button" onClick={redo} disabled={!canRedo || busy} aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z" title={`Redo (${mod}Shift+Z)`}>
        ↷ Redo
      </button>
      <FieldError error={error} />
    </div>
  );
}
