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
import secrets

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
    if origin is not None and origin != own_origin(request):
        raise Refused(403, f"requests from {origin} are refused: this server answers only its own pages and local programs")
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
