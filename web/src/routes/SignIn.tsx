import { useState, type FormEvent } from "react";
import { FieldError } from "../components/ui/FieldError";
import { useLogIn } from "../hooks/useCurrentUser";

export function SignIn() {
  const logIn = useLogIn();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    logIn.mutate({ username, password });
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title" className="card">
        <h1 id="sign-in-title">Sign in to reelforge</h1>
        <div className="field">
          <label htmlFor="username">User name</label>
          <input id="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </div>
        <FieldError error={logIn.error} />
        <button type="submit" className="primary" disabled={logIn.isPending}>
          {logIn.isPending ? "Signing in…" : "Sign in"}
        </button>
        <p className="hint">
          First start? Open the one-time sign-in link that <code>reelforge serve</code> printed.
        </p>
      </form>
    </main>
  );
}
