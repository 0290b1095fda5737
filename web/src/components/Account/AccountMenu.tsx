import { lazy, Suspense, useRef, useState } from "react";
import type { UserPublic } from "../../api/client";

// The dialog (and Radix's focus trap) is fetched when first opened, not with the first screen.
const AccountDialog = lazy(() => import("./AccountDialog").then((m) => ({ default: m.AccountDialog })));

/** The header's "Account" button, which opens the account dialog (set or change the password). */
export function AccountMenu({ user }: { user: UserPublic }) {
  const [open, setOpen] = useState(false);
  // After the first use the dialog stays mounted: closing it is then Radix's own close (exit,
  // focus back to this button), not an unmount.
  const [used, setUsed] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={button}
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => {
          setUsed(true);
          setOpen(true);
        }}
      >
        Account
      </button>
      {used && (
        <Suspense
          fallback={
            <span className="visually-hidden" role="status">
              Loading your account…
            </span>
          }
        >
          <AccountDialog user={user} open={open} onOpenChange={setOpen} returnFocusTo={button} />
        </Suspense>
      )}
    </>
  );
}
