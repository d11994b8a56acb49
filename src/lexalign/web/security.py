"""What keeps the workbench a local tool: CSRF tokens, origin checks, size limits, strict headers.

CSRF (double-submit cookie, as datasette's asgi-csrf): each browser gets a random token in a
``SameSite=Strict`` cookie; the pages put the same token in every form and in the
``X-CSRF-Token`` header of their requests, and a POST is accepted only when both agree.  Another
site can neither read the cookie nor guess the token.

The JSON API is meant for scripts as well as for the pages, so the rule there is about where a
request comes from.  Browsers send an ``Origin`` header with every POST; a POST whose Origin is
not this server is refused outright, and one from this server's own pages must carry the token.
A request without an Origin does not come from a web page (curl, httpx, another program) and needs
no token.  ``POST /api/reviews`` additionally insists on ``Content-Type: application/json``, which
a cross-site HTML form cannot send.  ``POST /api/check`` takes multipart uploads, which a cross-site
form *can* send; the Origin rule is what refuses those.
"""
from __future__ import annotations

import hmac
import json
import secrets
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "lexalign_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"

#: pages load nothing from elsewhere and run only the package's own script
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


#: the names of this machine's loopback interface, always answered
LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1"]
#: listening addresses that name no host (every interface)
ANY_ADDRESS = {"0.0.0.0", "::", ""}


def allowed_host_names(host: str, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The host names a request may be addressed to: loopback, the ``--host`` address when it names
    one, and every ``--allowed-host`` (``*.example.org`` matches its sub-domains).

    Never "anything": a page on another site that rebinds its DNS name to this server sends its
    own name in ``Host``, and only a list of names tells that request from a real one.
    """
    names = list(LOOPBACK_NAMES)
    for name in [host, *extra]:
        name = normal_host(name)
        if name and name not in ANY_ADDRESS and name not in names:
            names.append(name)
    return names


def normal_host(value: str) -> str:
    """``Host``-header or address spelling to compare: lower case, no port, no brackets, no final dot."""
    value = (value or "").strip().lower()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def host_allowed(value: str, allowed: list[str]) -> bool:
    host = normal_host(value)
    for name in allowed:
        if name.startswith("*.") and (host.endswith(name[1:]) and len(host) > len(name) - 1):
            return True
        if host == name:
            return True
    return False


class HostCheck:
    """Answer 400 to a request whose ``Host`` is not one of the allowed names (DNS rebinding)."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if host_allowed(host, self.allowed):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        shown = normal_host(host)[:80] or "(none)"
        message = (f"requests addressed to {shown} are refused: this server answers {', '.join(self.allowed)}; "
                   f"start it with --allowed-host {shown} to serve that name")
        body = json.dumps({"error": message}).encode()
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class HeadAsGet:
    """Answer ``HEAD`` as ``GET`` without the body (FastAPI's routes answer GET only: HEAD / was 405)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(msg: Message) -> None:
            if msg["type"] == "http.response.body":
                msg = {**msg, "body": b""}
            await send(msg)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


class Refused(Exception):
    """A request refused with an HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def csrf_token(request: Request) -> str:
    """This browser's token (from its cookie), or a new one the response must set."""
    token = request.cookies.get(CSRF_COOKIE, "")
    if len(token) == 43 and token.replace("-", "").replace("_", "").isalnum():
        return token
    return secrets.token_urlsafe(32)


def set_csrf_cookie(response, token: str) -> None:
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', '')}"


def check_post(request: Request, form_token: str | None = None, page_only: bool = False) -> None:
    """Raise :class:`Refused` unless this POST comes from our own pages with their token, or (for
    the JSON API, ``page_only=False``) from a program that is not a web page at all."""
    origin = request.headers.get("origin")
    allowed = getattr(request.app.state, "allowed_hosts", None) if "app" in request.scope else None
    if origin is not None and (origin != own_origin(request)
                               or (allowed and not host_allowed(urlsplit(origin).netloc, allowed))):
        raise Refused(403, f"requests from {origin[:100]} are refused: this server answers only its own pages "
                           "and local programs")
    if origin is None and not page_only:
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER) or form_token or ""
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        raise Refused(403, "the form's security token is missing or out of date: reload the page and try again")


class BodyLimit:
    """Answer 413 to any request body above ``limit`` bytes, before the application reads it all."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        message = f"the upload is larger than this server's limit of {self.limit / 1e6:.0f} MB in all"
        if length is not None and length.isdigit() and int(length) > self.limit:
            await JSONResponse({"error": message}, status_code=413)(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    # raised inside the route that reads the body, so its error handler answers
                    raise HTTPException(413, message)
            return msg

        await self.app(scope, counting_receive, send)


class SecurityHeaders:
    """Strict headers on every response: our pages run only our script and are never framed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers", []))
                headers += [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY")]
                msg = {**msg, "headers": headers}
            await send(msg)

        await self.app(scope, receive, send_with_headers)
