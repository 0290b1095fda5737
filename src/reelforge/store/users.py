"""Accounts: users, argon2 password hashes, API tokens, sessions and one-time sign-in links."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from reelforge.errors import InvalidRequest, NotAuthenticated, NotFound
from reelforge.store import throttle
from reelforge.store.db import Database, database_url_for, write_transaction
from reelforge.store.models import Credential, ServerSecret, User, utcnow
from reelforge.store.throttle import ThrottlePolicy

SESSION_LIFETIME = dt.timedelta(days=30)
LINK_LIFETIME = dt.timedelta(hours=24)
USER_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")

_hasher = PasswordHasher()


@dataclass(frozen=True)
class AuthUser:
    """The signed-in user of a request."""

    id: str
    name: str
    is_owner: bool


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def add_user(
    *,
    data_dir: Path,
    name: str,
    password: str | None = None,
    database_url: str | None = None,
) -> str:
    """Create a user (migrating the database first if needed) and return a new API token."""
    data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(database_url_for(data_dir, database_url))
    try:
        db.migrate(lock_dir=data_dir)
        with db.session() as session:
            user = create_user(session=session, name=name, password=password)
            return issue_credential(session=session, user_id=user.id, kind="token")
    finally:
        db.dispose()


def create_user(
    *, session: Session, name: str, password: str | None = None, is_owner: bool = False
) -> AuthUser:
    """Add a user; the name must be new."""
    if not USER_NAME.match(name):
        raise InvalidRequest("user names are 1 to 64 letters, digits or _.@-", field="name")
    password_hash = _hash_password(password) if password is not None else None
    with write_transaction(session):
        if session.scalar(select(User.id).where(User.name == name)) is not None:
            raise InvalidRequest(f"user {name!r} exists already", field="name")
        user = User(name=name, is_owner=is_owner, password_hash=password_hash)
        session.add(user)
    return AuthUser(id=user.id, name=user.name, is_owner=user.is_owner)


def ensure_owner(*, session: Session) -> str | None:
    """On an empty database: create the owner and return a one-time sign-in secret."""
    with write_transaction(session):
        if session.scalar(select(func.count()).select_from(User)):
            return None
        owner = User(name="owner", is_owner=True)
        session.add(owner)
        session.flush()
        return _add_credential(session, owner.id, "link", LINK_LIFETIME)


def issue_credential(*, session: Session, user_id: str, kind: str) -> str:
    """A new secret of `kind` ("token", "session" or "link") for a user."""
    lifetime = {"token": None, "session": SESSION_LIFETIME, "link": LINK_LIFETIME}[kind]
    with write_transaction(session):
        return _add_credential(session, user_id, kind, lifetime)


def _add_credential(session: Session, user_id: str, kind: str, life: dt.timedelta | None) -> str:
    secret = secrets.token_urlsafe(32)
    expires = utcnow() + life if life is not None else None
    session.add(
        Credential(secret_hash=secret_hash(secret), user_id=user_id, kind=kind, expires_at=expires)
    )
    return secret


def authenticate(*, session: Session, secret: str, kind: str) -> AuthUser:
    """The user a token or session cookie belongs to; NotAuthenticated if none or expired."""
    row = session.execute(
        select(User, Credential.expires_at)
        .join(Credential, Credential.user_id == User.id)
        .where(Credential.secret_hash == secret_hash(secret), Credential.kind == kind)
    ).first()
    if row is None or (row[1] is not None and row[1] < utcnow()):
        raise NotAuthenticated("sign in required")
    user = row[0]
    return AuthUser(id=user.id, name=user.name, is_owner=user.is_owner)


def redeem_link(*, session: Session, secret: str) -> str:
    """Use a one-time sign-in link: it is deleted, and a new session secret is returned."""
    with write_transaction(session):
        credential = session.get(Credential, secret_hash(secret))
        if credential is None or credential.kind != "link" or _expired(credential):
            raise NotAuthenticated("this sign-in link is invalid, used or expired")
        session.delete(credential)
        return _add_credential(session, credential.user_id, "session", SESSION_LIFETIME)


def log_in(
    *,
    session: Session,
    name: str,
    password: str,
    address: str | None = None,
    policy: ThrottlePolicy | None = None,
) -> tuple[AuthUser, str]:
    """Check a password; return the user and a new session secret.

    Failures are counted per user name and per client `address`; while either is locked
    (LoginThrottled), not even the right password signs in. Success clears the name's count.
    """
    policy = policy or ThrottlePolicy()
    keys = policy.limits(name=name, address=address)
    throttle.check(session=session, keys=keys)
    user = session.scalar(select(User).where(User.name == name))
    stored = user.password_hash if user is not None else None
    try:
        if user is None or stored is None:
            # The same work as for a real user, so the time taken does not tell whether the
            # name exists (or has a password).
            _hasher.verify(_dummy_hash(), password)
            raise VerificationError
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        throttle.record_failure(session=session, keys=keys, policy=policy)
        raise NotAuthenticated("wrong user name or password") from None
    throttle.clear(session=session, key=throttle.user_key(name))
    secret = issue_credential(session=session, user_id=user.id, kind="session")
    return AuthUser(id=user.id, name=user.name, is_owner=user.is_owner), secret


@functools.cache
def _dummy_hash() -> str:
    """An argon2 hash with the hasher's parameters, of a password nobody has."""
    return _hasher.hash(secrets.token_urlsafe(16))


def issue_link(*, data_dir: Path, name: str, database_url: str | None = None) -> str:
    """A new one-time sign-in link secret for the user `name` (NotFound if there is none):
    the way back in for an owner who never set a password."""
    db = Database(database_url_for(data_dir, database_url))
    try:
        db.migrate(lock_dir=data_dir)
        with db.session() as session:
            user = session.scalar(select(User).where(User.name == name))
            if user is None:
                raise NotFound(f"no user named {name!r}", field="name")
            return issue_credential(session=session, user_id=user.id, kind="link")
    finally:
        db.dispose()


def log_out(*, session: Session, secret: str) -> None:
    with write_transaction(session):
        session.execute(delete(Credential).where(Credential.secret_hash == secret_hash(secret)))


def set_password(*, session: Session, user_id: str, password: str) -> None:
    """Set (or change) a user's password."""
    password_hash = _hash_password(password)
    with write_transaction(session):
        user = session.get(User, user_id)
        if user is None:
            raise NotAuthenticated("sign in required")
        user.password_hash = password_hash


def _hash_password(password: str) -> str:
    if not 8 <= len(password) <= 1024:
        raise InvalidRequest("a password has 8 to 1024 characters", field="password")
    return _hasher.hash(password)


def _expired(credential: Credential) -> bool:
    return credential.expires_at is not None and credential.expires_at < utcnow()


def server_key(*, session: Session, name: str) -> bytes:
    """A random key shared by every server process on this database (made on first use)."""
    with write_transaction(session):
        row = session.get(ServerSecret, name)
        if row is None:
            row = ServerSecret(name=name, value=secrets.token_hex(32))
            session.add(row)
        return bytes.fromhex(row.value)
