"""Signing in and out: password login, one-time links, API tokens, the current user."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from reelforge.api.deps import SESSION_COOKIE, ContextDep, CurrentUser, SessionDep, client_address
from reelforge.api.schemas import (
    ErrorPublic,
    LoginCreate,
    PasswordUpdate,
    TokenPublic,
    UserPublic,
)
from reelforge.errors import NotAuthenticated
from reelforge.store import users

router = APIRouter(prefix="/auth", tags=["auth"])

LINK_GONE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in link expired</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto">
<h1>This sign-in link cannot be used</h1>
<p>Each sign-in link works once and for 24 hours; this one was used already or has expired.</p>
<p>Ask for a new one: on the server, run <code>reelforge user link NAME</code>.
Or <a href="/">sign in with your password</a>.</p>
</body></html>
"""


def set_session_cookie(response: Response, request: Request, secret: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(users.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


@router.post(
    "/login",
    operation_id="logIn",
    responses={
        429: {"model": ErrorPublic, "description": "too many failed sign-ins; see Retry-After"}
    },
)
def log_in(
    body: LoginCreate,
    session: SessionDep,
    context: ContextDep,
    request: Request,
    response: Response,
) -> UserPublic:
    """Check a user name and password and set the session cookie.

    After repeated failures for a user name or from one address, sign-ins are refused for a
    while (429 with `Retry-After`), even with the right password.
    """
    user, secret = users.log_in(
        session=session,
        name=body.username,
        password=body.password,
        address=client_address(request, context.trusted_proxies),
        policy=context.login_throttle,
    )
    set_session_cookie(response, request, secret)
    return UserPublic.model_validate(user)


@router.get(
    "/signin/{secret}",
    operation_id="redeemSignInLink",
    response_class=RedirectResponse,
    responses={410: {"content": {"text/html": {}}, "description": "used or expired link"}},
)
def redeem_sign_in_link(secret: str, session: SessionDep, request: Request) -> Response:
    """The one-time sign-in link printed on first start (or by `reelforge user link NAME`):
    sets the cookie, opens the editor. A used or expired link shows a plain page (410)."""
    try:
        session_secret = users.redeem_link(session=session, secret=secret)
    except NotAuthenticated:
        return HTMLResponse(LINK_GONE_PAGE, status_code=410)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, request, session_secret)
    return response


@router.post("/logout", operation_id="logOut", status_code=204)
def log_out(request: Request, session: SessionDep, _user: CurrentUser) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        users.log_out(session=session, secret=cookie)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/me", operation_id="getCurrentUser")
def get_current_user(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.put("/password", operation_id="setPassword", status_code=204)
def set_password(body: PasswordUpdate, session: SessionDep, user: CurrentUser) -> Response:
    users.set_password(session=session, user_id=user.id, password=body.password)
    return Response(status_code=204)


@router.post("/tokens", operation_id="createApiToken", status_code=201)
def create_api_token(session: SessionDep, user: CurrentUser) -> TokenPublic:
    """A new API token for `Authorization: Bearer`; shown once."""
    return TokenPublic(token=users.issue_credential(session=session, user_id=user.id, kind="token"))
