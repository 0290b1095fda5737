import { Suspense } from "react";
import { Link, Outlet } from "react-router";
import { AccountMenu } from "../components/Account/AccountMenu";
import { Loading } from "../components/ui/Loading";
import { useCurrentUser, useLogOut } from "../hooks/useCurrentUser";
import { SignIn } from "./SignIn";

/** The frame of every screen; shows the sign-in form until someone is signed in. */
export function Root() {
  const me = useCurrentUser();
  const logOut = useLogOut();
  if (me.isPending) return <Loading />;
  if (!me.data) return <SignIn />;
  return (
    <div className="app">
      <header className="app-header">
        <Link to="/" className="brand">
          reelforge
        </Link>
        <span className="spacer" />
        <span className="user">Signed in as {me.data.name}</span>
        <AccountMenu user={me.data} />
        <button type="button" onClick={() => logOut.mutate()}>
          Sign out
        </button>
      </header>
      <Suspense fallback={<Loading what="screen" />}>
        <Outlet />
      </Suspense>
    </div>
  );
}
