"""``POST /webhooks/cj`` as a Starlette route, for ``bot/webserver.py`` to mount."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from notifier.webhooks import CJ_WEBHOOK_PATH, SIGN_HEADER, WebhookReceiver

__all__ = ["CJ_WEBHOOK_PATH", "cj_webhook_route"]


def cj_webhook_route(receiver: WebhookReceiver, path: str = CJ_WEBHOOK_PATH) -> Route:
    """The raw body is read once and verified before anything parses it; the reply is immediate."""

    async def endpoint(request: Request) -> PlainTextResponse:
        body = await request.body()
        receipt = receiver.receive(body, request.headers.get(SIGN_HEADER))
        return PlainTextResponse(receipt.text, status_code=receipt.status)

    return Route(path, endpoint, methods=["POST"])
