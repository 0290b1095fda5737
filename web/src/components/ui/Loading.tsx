/** What shows while something loads (a screen, a panel): announced politely, marked busy. */
export function Loading({ what }: { what?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite" aria-busy="true">
      {what ? `Loading ${what}…` : "Loading…"}
    </p>
  );
}
