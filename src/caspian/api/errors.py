"""Errors as JSON: ``{"error": {"code", "message", "field", "suggestions"}}`` with a status.

The message is the library's (the same text the command line prints); unknown places carry
the ids of the closest matches in ``suggestions``.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from caspian.errors import CaspianError, NoRouteError, ScenarioError, UnknownPlaceError

__all__ = ["ApiError", "error_body", "install_error_handlers"]

log = logging.getLogger("caspian.api")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "busy",
    503: "busy",
}


class ApiError(Exception):
    """An error with its HTTP status, code, message and the request field it is about."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str | None = None,
        suggestions: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.suggestions = suggestions
        self.headers = headers

    @classmethod
    def from_library(cls, exc: CaspianError, *, field: str | None = None) -> ApiError:
        """The API error of a library error (always a 422: the input was bad)."""
        if isinstance(exc, UnknownPlaceError):
            ids = [s.split(" ", 1)[0] for s in exc.suggestions]
            return cls(422, "unknown_place", str(exc), field=field, suggestions=ids)
        if isinstance(exc, NoRouteError):
            return cls(422, "no_route", str(exc), field=field)
        if isinstance(exc, ScenarioError):
            return cls(422, "invalid_scenario", str(exc), field=field)
        return cls(422, "invalid", str(exc), field=field)


def error_body(
    code: str, message: str, *, field: str | None = None, suggestions: list[str] | None = None
) -> dict[str, Any]:
    """The JSON body of an error."""
    inner: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        inner["field"] = field
    if suggestions is not None:
        inner["suggestions"] = suggestions
    return {"error": inner}


def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(
        error_body(exc.code, exc.message, field=exc.field, suggestions=exc.suggestions),
        status_code=exc.status,
        headers=exc.headers,
    )


def _library_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CaspianError)
    return _api_error(request, ApiError.from_library(exc))


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    first_field = None
    for err in exc.errors()[:5]:
        where = _location(tuple(err.get("loc", ())))
        text = str(err.get("msg", "invalid value"))
        if err.get("type") == "json_invalid":
            where = "body"
            text = f"not valid JSON ({err.get('ctx', {}).get('error', 'cannot parse')})"
        first_field = first_field or where
        if err.get("type") == "extra_forbidden":
            text = "unknown field (see /api/v1/openapi.json for the valid ones)"
        problems.append(f"{where}: {text}")
    message = "; ".join(problems) or "invalid request"
    return JSONResponse(error_body("invalid", message, field=first_field), status_code=422)


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "error")
    message = str(exc.detail) if exc.detail else code.replace("_", " ")
    return JSONResponse(
        error_body(code, message),
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return JSONResponse(
        error_body("internal", f"internal error ({type(exc).__name__}); see the server log"),
        status_code=500,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the JSON error handlers on ``app``."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(CaspianError, _library_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
