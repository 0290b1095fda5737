"""Dependencies of the routes, as `Annotated` aliases: `SessionDep`, `CurrentUser`,
`EditorDep`, ..."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from sqlalchemy.orm import Session

from reelforge.api.context import AppContext
from reelforge.api.limits import Limits
from reelforge.api.schemas import ProjectPublic
from reelforge.api.webhooks import IPNetwork
from reelforge.errors import CsrfRejected, InvalidRequest, NotAuthenticated
from reelforge.spec import Project as ProjectDocument
from reelforge.store import assets, projects, users
from reelforge.store.edits import Document, Edit
from reelforge.store.projects import ProjectView, RefCheck
from reelforge.store.users import AuthUser

SESSION_COOKIE = "reelforge_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-Requested-With"


def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


ContextDep = Annotated[AppContext, Depends(get_context)]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="the same key with the same body returns what the first request made (the "
        "render job or batch, for 24 hours and beyond); with another body, 422 "
        "`idempotency_key_reused`",
    ),
]


def get_session(context: ContextDep) -> Iterator[Session]:
    with context.db.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_current_user(request: Request, context: ContextDep) -> AuthUser:
    """The user of a bearer token or a session cookie.

    A cookie rides along on cross-site requests, so an unsafe method authenticated by cookie
    must also prove it comes from our own pages: a custom header (which a cross-site form
    cannot send) or an Origin header naming this server.
    """
    authorization = request.headers.get("authorization", "")
    scheme, _, secret = authorization.partition(" ")
    with context.db.session() as session:
        if scheme.lower() == "bearer" and secret.strip():
            user = users.authenticate(session=session, secret=secret.strip(), kind="token")
            context.rate_limiter.hit(user.id)
            return user
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise NotAuthenticated("sign in, or send Authorization: Bearer <token>")
        user = users.authenticate(session=session, secret=cookie, kind="session")
    if request.method not in SAFE_METHODS:
        check_same_origin(request)
    context.rate_limiter.hit(user.id)
    return user


def check_same_origin(request: Request) -> None:
    if request.headers.get(CSRF_HEADER):
        return
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if origin is None or origin != own:
        raise CsrfRejected(
            f"a request signed in by cookie needs the {CSRF_HEADER} header or a same-origin Origin"
        )


CurrentUser = Annotated[AuthUser, Depends(get_current_user)]


def client_address(request: Request, trusted_proxies: tuple[IPNetwork, ...]) -> str | None:
    """The client's address: the peer's, unless the peer is a configured proxy
    (`REELFORGE_TRUSTED_PROXIES`, none by default); then the right-most address of
    `X-Forwarded-For` that is not itself a trusted proxy."""
    peer = request.client.host if request.client else None
    if peer is None or not trusted_proxies or not _in(peer, trusted_proxies):
        return peer
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _in(hop, trusted_proxies):
            return hop if _is_address(hop) else peer
    return peer


def _in(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def get_if_match(if_match: Annotated[str | None, Header()] = None) -> int | None:
    """The revision a client expects: `If-Match: 3`, `"3"` or `W/"3"`."""
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    # ASCII digits only, and few enough that int() is cheap and the number fits the database.
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise InvalidRequest("If-Match must be a project revision number", field="If-Match")
    return int(value)


IfMatch = Annotated[int | None, Depends(get_if_match)]


async def get_json_object(request: Request, _user: CurrentUser) -> dict[str, Any]:
    """The body as a JSON object (for document edits, validated by the spec afterwards).

    Depends on the user so that a request without credentials is told so, not about its body.
    """
    body = await request.body()
    if not body:
        raise InvalidRequest("a JSON object body is required", field="body")
    try:
        value = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidRequest("the request body is not valid JSON", field="body") from None
    if not isinstance(value, dict):
        raise InvalidRequest("the request body must be a JSON object", field="body")
    return value


JsonObject = Annotated[dict[str, Any], Depends(get_json_object)]


def project_public(view: ProjectView, response: Response) -> ProjectPublic:
    """The project, with its revision also as the ETag (so `If-Match` can echo it)."""
    response.headers["ETag"] = f'"{view.revision}"'
    return ProjectPublic.model_validate(view)


@dataclass(frozen=True)
class ProjectEditor:
    """What every editing route needs: one edit (or undo, redo) to one of the user's projects,
    checked against `If-Match`, answered with the new project and its ETag."""

    session: Session
    user: AuthUser
    if_match: int | None
    response: Response
    limits: Limits = Limits()

    def apply(self, project_id: str, edit: Callable[[Document], Edit]) -> ProjectPublic:
        view = projects.apply_edit(
            session=self.session,
            owner_id=self.user.id,
            project_id=project_id,
            if_match=self.if_match,
            edit=edit,
            check_refs=document_check(self.session, self.user, self.limits),
        )
        return project_public(view, self.response)

    def undo(self, project_id: str) -> ProjectPublic:
        return self._step(projects.undo, project_id)

    def redo(self, project_id: str) -> ProjectPublic:
        return self._step(projects.redo, project_id)

    def _step(self, step: Callable[..., ProjectView], project_id: str) -> ProjectPublic:
        """Undo or redo; 409 `asset_deleted` (and no change) if the state to show names an
        asset deleted since it was recorded."""
        view = step(
            session=self.session,
            owner_id=self.user.id,
            project_id=project_id,
            if_match=self.if_match,
            check_refs=assets.ref_check(session=self.session, owner_id=self.user.id, stored=True),
        )
        return project_public(view, self.response)


def get_project_editor(
    session: SessionDep,
    user: CurrentUser,
    if_match: IfMatch,
    response: Response,
    context: ContextDep,
) -> ProjectEditor:
    return ProjectEditor(
        session=session, user=user, if_match=if_match, response=response, limits=context.limits
    )


def document_check(session: Session, user: AuthUser, limits: Limits) -> RefCheck:
    """What a document a user stores must pass: the limits, then its media references."""
    check_refs = assets.ref_check(session=session, owner_id=user.id)

    def check(project: ProjectDocument) -> None:
        limits.check_project(project)
        check_refs(project)

    return check


EditorDep = Annotated[ProjectEditor, Depends(get_project_editor)]
