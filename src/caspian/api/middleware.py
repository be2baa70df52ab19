"""ASGI middleware: request body size limit and security headers."""

from __future__ import annotations

import json
from typing import Any

from caspian.api.errors import error_body

__all__ = ["BodyLimit", "SecurityHeaders"]

Scope = dict[str, Any]
Message = dict[str, Any]


class _TooLarge(Exception):
    pass


async def _send_json(send: Any, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, by header or while reading."""

    def __init__(self, app: Any, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _message(self) -> dict[str, Any]:
        return error_body(
            "too_large", f"the request body is over the limit of {self.max_bytes:,} bytes"
        )

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.max_bytes:
                    await _send_json(send, 413, self._message())
                    return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message: Message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _send_json(send, 413, self._message())


class SecurityHeaders:
    """``nosniff``, no referrer and no framing by other sites on every response; a
    Content-Security-Policy on the interface (every path outside ``/api/``)."""

    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"SAMEORIGIN"),
    )

    CSP = (
        b"default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        b"script-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; "
        b"base-uri 'self'; frame-ancestors 'self'"
    )
    """The interface's Content-Security-Policy: the browser itself refuses any request that
    would leave the server (Leaflet sets inline styles; downloads use ``blob:`` URLs)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(self.HEADERS)
        if not str(scope.get("path", "")).startswith("/api/"):
            extra.append((b"content-security-policy", self.CSP))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, with_headers)
