import { useState, type FormEvent } from "react";
import { ApiError } from "../../api/client";
import { useSetPassword } from "../../hooks/useCurrentUser";
import { FieldError } from "../ui/FieldError";

/**
 * Set or change the signed-in user's password (an owner who came in through the one-time link
 * has none yet). The length rule is the server's: its message is shown as it answers.
 */
export function PasswordForm({ userName }: { userName: string }) {
  const setPassword = useSetPassword();
  const [password, setPasswordText] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setPassword.mutate(password, {
      onSuccess: () => {
        setPasswordText("");
        setRepeat("");
      },
    });
  };
  const edit = (set: (text: string) => void) => (text: string) => {
    set(text);
    setMismatch(false);
    if (!setPassword.isPending) setPassword.reset();
  };

  const error = setPassword.error;
  const passwordInvalid = error instanceof ApiError ? !error.field || error.field === "password" : Boolean(error);
  return (
    <form onSubmit={submit} aria-labelledby="password-form-title" className="password-form" noValidate>
      <h3 id="password-form-title">Password</h3>
      {/* For password managers: the account this password belongs to. */}
      <input type="text" name="username" autoComplete="username" value={userName} readOnly hidden />
      <div className="field">
        <label htmlFor="new-password">New password</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => edit(setPasswordText)(e.target.value)}
          aria-describedby="new-password-hint password-error"
          aria-invalid={passwordInvalid || undefined}
          required
        />
        <p className="hint" id="new-password-hint">
          At least 8 characters. You sign in with your user name, <strong>{userName}</strong>, and this password.
        </p>
      </div>
      <div className="field">
        <label htmlFor="repeat-password">Repeat the new password</label>
        <input
          id="repeat-password"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => edit(setRepeat)(e.target.value)}
          aria-describedby="repeat-password-error"
          aria-invalid={mismatch || undefined}
          required
        />
        {mismatch && (
          <p className="field-error" role="alert" id="repeat-password-error">
            The two passwords differ.
          </p>
        )}
      </div>
      <FieldError error={error} id="password-error" />
      <p className="success" role="status">
        {setPassword.isSuccess ? "Password saved. Use it the next time you sign in." : ""}
      </p>
      <button type="submit" className="primary" disabled={setPassword.isPending}>
        {setPassword.isPending ? "Saving…" : "Save password"}
      </button>
    </form>
  );
}
