/** "Saving…" while an edit is on its way, "Saved" once the server has it. */
export function SavedIndicator({ saving, dirty, error }: { saving: boolean; dirty?: boolean; error?: boolean }) {
  const text = error ? "Not saved" : saving || dirty ? "Saving…" : "Saved";
  return (
    <span className={`saved-indicator ${error ? "is-error" : saving || dirty ? "is-saving" : "is-saved"}`} role="status">
      {text}
    </span>
  );
}
