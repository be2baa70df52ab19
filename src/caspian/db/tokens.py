"""API write tokens: made once, stored as a SHA-256 hash, checked on every write request."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from caspian.db.models import ApiToken, now, utc
from caspian.errors import ValidationError

__all__ = ["TokenInfo", "create_token", "list_tokens", "revoke_token", "verify_token"]

PREFIX = "cgw_"
"""Tokens start with this, so a leaked one is easy to recognise in a log or a repository."""


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What is kept of a token (never the token itself)."""

    id: int
    name: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        """Not revoked."""
        return self.revoked_at is None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _info(row: ApiToken) -> TokenInfo:
    created = utc(row.created_at)
    assert created is not None
    return TokenInfo(row.id, row.name, created, utc(row.revoked_at))


def create_token(engine: Engine, *, name: str) -> tuple[TokenInfo, str]:
    """A new token: its record and the token text (shown once, never stored).

    Raises
    ------
    ValidationError
        An empty name or one over 200 characters.
    """
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError("--name must be 1 to 200 characters, e.g. --name 'my laptop'")
    token = PREFIX + secrets.token_urlsafe(32)
    with Session(engine) as session, session.begin():
        row = ApiToken(name=name, token_sha256=_digest(token), created_at=now())
        session.add(row)
        session.flush()
        info = _info(row)
    return info, token


def list_tokens(engine: Engine) -> list[TokenInfo]:
    """Every token, oldest first."""
    with Session(engine) as session:
        return [_info(r) for r in session.scalars(select(ApiToken).order_by(ApiToken.id))]


def revoke_token(engine: Engine, token_id: int) -> TokenInfo:
    """Revoke token ``token_id`` (revoking twice keeps the first time).

    Raises
    ------
    ValidationError
        No token has that id (the message lists the ids there are).
    """
    with Session(engine) as session, session.begin():
        row = session.get(ApiToken, token_id)
        if row is None:
            ids = [str(i) for i in session.scalars(select(ApiToken.id).order_by(ApiToken.id))]
            known = ", ".join(ids) if ids else "none yet (caspian token create)"
            raise ValidationError(f"no token with id {token_id}; token ids: {known}")
        if row.revoked_at is None:
            row.revoked_at = now()
        session.flush()
        return _info(row)


def verify_token(session: Session, token: str) -> TokenInfo | None:
    """The active token ``token`` is, or ``None``."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    digest = _digest(token)
    row = session.scalars(select(ApiToken).where(ApiToken.token_sha256 == digest)).first()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.token_sha256, digest):  # pragma: no cover - equal by query
        return None
    return _info(row)
