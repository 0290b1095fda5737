import * as Dialog from "@radix-ui/react-dialog";
import type { RefObject } from "react";
import type { UserPublic } from "../../api/client";
import { PasswordForm } from "./PasswordForm";

interface Props {
  user: UserPublic;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The button that opened it (there is no `Dialog.Trigger`: the button lives outside the lazy chunk). */
  returnFocusTo: RefObject<HTMLButtonElement | null>;
}

/**
 * The signed-in user's account: who they are, and their password. A modal (focus is trapped,
 * Esc closes, focus returns to the button that opened it); `AccountMenu` loads it on first use.
 */
export function AccountDialog({ user, open, onOpenChange, returnFocusTo }: Props) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content
          className="dialog-content"
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            returnFocusTo.current?.focus();
          }}
        >
          <Dialog.Title>Your account</Dialog.Title>
          <Dialog.Description>
            Signed in as <strong>{user.name}</strong>
            {user.isOwner ? " (owner)" : ""}. Set a password here to sign in without a link or token.
          </Dialog.Description>
          {/* Mounted only while open, so it starts empty every time. */}
          <PasswordForm userName={user.name} />
          <div className="dialog-actions">
            <Dialog.Close asChild>
              <button type="button">Close</button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
