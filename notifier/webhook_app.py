"""``POST /webhooks/cj`` as a Starlette route, for ``bot/webserver.py`` to mount."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from notifier.webhooks import CJ_WEBHOOK_PATH, SIGN_HEADER, WebhookReceiver

__all__ = ["CJ_WEBHOOK_PATH", "cj_webhook_route"]


def cj_webhook_route(receiver: WebhookReceiver, path: str = CJ_WEBHOOK_PATH) -> Route:
    """The raw body is read once and verified before anything parses it; the reply is immediate."""

    async def endpoint(request: Request) -> Response:
        body = await request.body()
        receipt = receiver.receive(body, request.headers.get(SIGN_HEADER))
        return Response(receipt.body, status_code=receipt.status, media_type=receipt.media_type)

    return Route(path, endpoint, methods=["POST"])
