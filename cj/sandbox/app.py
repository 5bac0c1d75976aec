"""The HTTP face of the sandbox: CJ's paths under ``/api2.0/v1/``, its envelopes, and ``/_sandbox`` admin.

Per call: count it, maybe inject a fault, check the token and the QPS limit, validate the
input with the sandbox's own models, run the domain method, wrap the result. Every
failure, including a bug in the sandbox, leaves as a CJ envelope, never as HTML or a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from cj.sandbox import errors as E
from cj.sandbox import requests as R
from cj.sandbox.config import FaultRates
from cj.sandbox.errors import SandboxError, param_error
from cj.sandbox.faults import AFTER_WRITE, FaultSpec
from cj.sandbox.runtime import Sandbox
from cj.sandbox.state import SandboxState
from cj.sandbox.wire import dumps

log = logging.getLogger("cj.sandbox")

API_ROOT = "/api2.0/v1"
TOKEN_HEADER = "CJ-Access-Token"
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
GARBLED_200 = "<html><body><h1>Welcome</h1><p>Something went wrong, please retry.</p></body></html>"
NGINX_503 = (
    "<html><head><title>{status} Service Temporarily Unavailable</title></head><body><center>"
    "<h1>{status} Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>"
)


@dataclass(frozen=True)
class Call:
    query: Any
    body: Any
    token: str | None


@dataclass(frozen=True)
class Endpoint:
    method: str
    run: Callable[[SandboxState, Call], Any]
    auth: bool = True
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    param_code: int = E.PARAM_ERROR  # 1600100 in the dispute examples; 1600300 on the shopping pages
    # Async work before ``run``, outside the sandbox lock (webhook/set's probe of the URL).
    before: Callable[[SandboxState, Call], Awaitable[None]] | None = None


async def _probe_webhooks(state: SandboxState, call: Call) -> None:
    """CJ's checks of webhook/set's URLs (1607001-1607003): static ones, then the test request."""
    await state.account.probe(state.account.check_webhook_urls(call.body))


SHOPPING = E.NOT_FOUND  # 1600300

ENDPOINTS: dict[str, Endpoint] = {
    "authentication/getAccessToken": Endpoint(
        "POST", lambda s, c: s.auth.get_access_token(c.body.apiKey), auth=False, body=R.GetAccessTokenBody
    ),
    "authentication/refreshAccessToken": Endpoint(
        "POST",
        lambda s, c: s.auth.refresh_access_token(c.body.refreshToken),
        auth=False,
        body=R.RefreshTokenBody,
    ),
    "authentication/logout": Endpoint("POST", lambda s, c: s.auth.logout(c.token or "")),
    "disputes/disputeProducts": Endpoint(
        "GET", lambda s, c: s.disputes.products(c.query.orderId), query=R.OrderIdQuery
    ),
    "disputes/disputeConfirmInfo": Endpoint(
        "POST", lambda s, c: s.disputes.confirm_info(c.body), body=R.ConfirmBody
    ),
    "disputes/create": Endpoint("POST", lambda s, c: s.disputes.create(c.body), body=R.CreateBody),
    "disputes/cancel": Endpoint("POST", lambda s, c: s.disputes.cancel(c.body), body=R.CancelBody),
    "disputes/getDisputeList": Endpoint(
        "GET", lambda s, c: s.disputes.list(c.query), query=R.DisputeListQuery
    ),
    "disputes/getDisputeDetail": Endpoint(
        "GET", lambda s, c: s.disputes.detail(c.query.disputeId), query=R.DisputeDetailQuery
    ),
    "shopping/order/list": Endpoint(
        "GET", lambda s, c: s.orders.list(c.query), query=R.OrderListQuery, param_code=SHOPPING
    ),
    "shopping/order/getOrderDetail": Endpoint(
        "GET", lambda s, c: s.orders.detail(c.query.orderId), query=R.OrderIdQuery, param_code=SHOPPING
    ),
    "logistic/trackInfo": Endpoint(
        "GET", lambda s, c: s.orders.track_info(c.query.trackNumber), query=R.TrackInfoQuery
    ),
    "setting/get": Endpoint("GET", lambda s, c: s.account.settings()),
    "webhook/set": Endpoint(
        "POST", lambda s, c: s.account.set_webhooks(c.body), body=R.WebhookSetBody, before=_probe_webhooks
    ),
}


# --- envelopes ----------------------------------------------------------------------------


def success(data: Any, request_id: str) -> Response:
    payload = {
        "code": 200,
        "result": True,
        "message": "Success",
        "data": data,
        "requestId": request_id,
        "success": True,
    }
    return Response(dumps(payload), media_type="application/json")


def failure(
    code: int,
    message: str,
    request_id: str,
    *,
    http_status: int = 200,
    bare: bool = False,
    headers: dict[str, str] | None = None,
) -> Response:
    """CJ's error envelope; ``bare`` drops ``result`` and ``data`` (rate limits, API points)."""
    payload: dict[str, Any] = (
        {"code": code, "message": message}
        if bare
        else {"code": code, "result": False, "message": message, "data": None}
    )
    payload["requestId"] = request_id
    return Response(dumps(payload), status_code=http_status, media_type="application/json", headers=headers)


class DroppedResponse(Response):
    """Start a reply and stop: uvicorn closes the connection, the client gets no answer."""

    def __init__(self) -> None:
        super().__init__(status_code=200)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"128")],
            }
        )


# --- the API ------------------------------------------------------------------------------


class Api:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def serve(self, request: Request) -> Response:
        path = request.path_params["path"].strip("/")
        request_id = uuid.uuid4().hex
        with self.sandbox.lock:
            self.sandbox.state.calls[path] += 1
        fault = self.sandbox.faults.pick(path)
        try:
            # CJ has the whole request before it stalls: a client killed during a held `latency`
            # still gets its write done, as a real server would (the body is cached for _body).
            await request.body()
        except ClientDisconnect:
            return DroppedResponse()
        try:
            early = await self._fault_before(fault, request_id)
            if early is not None:
                return early
            response = await self._handle(request, path, request_id)
        except SandboxError as exc:
            response = failure(exc.code, exc.message, request_id, http_status=exc.http_status, bare=exc.bare)
        except Exception:
            log.exception("sandbox bug while serving %s %s", request.method, path)
            response = failure(E.SYSTEM_BUSY, "System busy: internal sandbox error", request_id)
        if fault is not None and fault.fault in AFTER_WRITE:
            log.info("fault %s on %s", fault.fault, path)
            if fault.fault == "garbled_after_write":
                return HTMLResponse(GARBLED_200, status_code=200)
            if fault.fault == "latency_after_write":
                default = self.sandbox.faults.rates.latency_seconds
                await asyncio.sleep(fault.seconds if fault.seconds is not None else default)
                return response
            return DroppedResponse()
        return response

    async def _fault_before(self, fault: FaultSpec | None, request_id: str) -> Response | None:
        if fault is None or fault.fault in AFTER_WRITE:
            return None
        log.info("fault %s", fault.fault)
        if fault.fault == "latency":
            default = self.sandbox.faults.rates.latency_seconds
            await asyncio.sleep(fault.seconds if fault.seconds is not None else default)
            return None
        if fault.fault == "http_5xx":
            return HTMLResponse(NGINX_503.format(status=fault.status), status_code=fault.status)
        if fault.fault == "rate_limited":
            raise SandboxError(E.RATE_LIMITED, "Too Many Requests, QPS limit exceeded", bare=True)
        if fault.fault == "http_429":
            headers = {"Retry-After": fault.retry_after if fault.retry_after is not None else "1"}
            return failure(
                E.RATE_LIMITED, "Too Many Requests", request_id, http_status=429, bare=True, headers=headers
            )
        if fault.fault == "busy":
            raise SandboxError(E.SYSTEM_BUSY, "System busy, please contact CJ IT")
        return DroppedResponse()  # drop_before_write

    async def _handle(self, request: Request, path: str, request_id: str) -> Response:
        endpoint = ENDPOINTS.get(path)
        if endpoint is None:
            message = f"Interface not found: {path}"
            return failure(E.INTERFACE_NOT_FOUND, message, request_id, http_status=404)
        if request.method != endpoint.method:
            raise SandboxError(E.METHOD_NOT_SUPPORTED, f"Request method '{request.method}' not supported")
        token = request.headers.get(TOKEN_HEADER)
        sandbox = self.sandbox
        if endpoint.auth:
            with sandbox.lock:
                sandbox.state.tick()
                account = sandbox.state.auth.authenticate(token)
                if not sandbox.limiter.allow(account):
                    raise SandboxError(
                        E.RATE_LIMITED,
                        f"Too Many Requests, QPS limit is {sandbox.config.qps:g} time/1second",
                        bare=True,
                    )
        query = self._query(request, endpoint.query, endpoint.param_code)
        body = await self._body(request, endpoint.body, endpoint.param_code)
        call = Call(query=query, body=body, token=token)
        if endpoint.auth:
            with sandbox.lock:
                sandbox.state.account.spend_quota(path)
        if endpoint.before is not None:
            await endpoint.before(sandbox.state, call)
        with sandbox.lock:
            sandbox.state.tick()
            data = endpoint.run(sandbox.state, call)
        log.debug("%s %s -> 200", request.method, path)
        return success(data, request_id)

    @staticmethod
    def _query(request: Request, model: type[BaseModel] | None, code: int) -> Any:
        if model is None:
            return None
        params = request.query_params
        raw: dict[str, Any] = {}
        for name in model.model_fields:
            if name in R.LIST_QUERY_FIELDS:
                values = [v for v in params.getlist(name) if v != ""]
                if values:
                    raw[name] = values
            elif params.get(name, "") != "":
                raw[name] = params.get(name)
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            raise param_error(R.describe(exc), code) from None

    @staticmethod
    async def _body(request: Request, model: type[BaseModel] | None, code: int) -> Any:
        if model is None:
            return None
        raw = await request.body()
        if not raw.strip():
            raise SandboxError(E.BODY_MISSING, "Required request body is missing")
        try:
            parsed = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise SandboxError(E.NOT_JSON, "The request parameter is not in a correct JSON format") from None
        if not isinstance(parsed, dict):
            raise SandboxError(E.NOT_JSON, "The request parameter is not in a correct JSON format")
        try:
            return model.model_validate(parsed)
        except ValidationError as exc:
            raise param_error(R.describe(exc), code) from None


# --- admin (tests and demos only) ---------------------------------------------------------


class FaultsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    queue: list[FaultSpec] = Field(default_factory=list)
    rates: FaultRates | None = None
    clear: bool = False


class WebsiteDisputeBody(BaseModel):
    """``POST /_sandbox/disputes``: what someone does on CJ's website meanwhile."""

    model_config = ConfigDict(extra="forbid")

    orderId: str = Field(min_length=1, max_length=100)
    lines: list[R.ProductLine] = Field(min_length=1)
    reasonId: int | None = None


class AdvanceBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seconds: float = Field(ge=0, le=10 * 365 * 86400)


def admin_routes(sandbox: Sandbox) -> list[Route]:
    async def parse(request: Request, model: type[BaseModel]) -> Any:
        raw = await request.body()
        try:
            return model.model_validate_json(raw or b"{}")
        except ValidationError as exc:
            raise SandboxError(E.PARAM_ERROR, R.describe(exc), http_status=400) from None

    def guarded(action: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            try:
                result = await action(request)
            except SandboxError as exc:
                return JSONResponse({"ok": False, "error": exc.message}, status_code=400)
            return JSONResponse({"ok": True, **(result or {})})

        return endpoint

    async def faults(request: Request) -> dict[str, Any]:
        body: FaultsBody = await parse(request, FaultsBody)
        if body.clear:
            sandbox.clear_faults()
        if body.rates is not None:
            sandbox.set_fault_rates(body.rates)
        sandbox.add_faults(*body.queue)
        return {"pending": len(sandbox.faults.pending())}

    async def clear_faults(request: Request) -> None:
        sandbox.clear_faults()

    async def reset(request: Request) -> None:
        sandbox.reset()

    async def advance(request: Request) -> dict[str, Any]:
        body: AdvanceBody = await parse(request, AdvanceBody)
        sandbox.advance(body.seconds)
        return {"clockOffsetSeconds": sandbox.clock.offset}

    async def expire(request: Request) -> None:
        sandbox.expire_tokens()

    async def revoke(request: Request) -> None:
        sandbox.revoke_key()

    async def state(request: Request) -> dict[str, Any]:
        return sandbox.snapshot()

    async def disputes(request: Request) -> dict[str, Any]:
        return {"disputes": sandbox.disputes()}

    async def website_dispute(request: Request) -> dict[str, Any]:
        body: WebsiteDisputeBody = await parse(request, WebsiteDisputeBody)
        lines = [line.model_dump() for line in body.lines]
        return {"dispute": sandbox.open_website_dispute(body.orderId, lines, body.reasonId)}

    async def emit_webhooks(request: Request) -> dict[str, Any]:
        """LOGISTIC 13 / 14 for the fixtures' lost and returned parcels, once each (webhook_sender)."""
        hooks = sandbox.state.account.webhooks
        sent = await hooks.emit_tracking_troubles(list(sandbox.state.fixtures.orders))
        return {"sent": [{"messageId": d.message_id, "statuses": d.statuses} for d in sent]}

    return [
        Route("/_sandbox/faults", guarded(faults), methods=["POST"]),
        Route("/_sandbox/faults", guarded(clear_faults), methods=["DELETE"]),
        Route("/_sandbox/reset", guarded(reset), methods=["POST"]),
        Route("/_sandbox/clock/advance", guarded(advance), methods=["POST"]),
        Route("/_sandbox/tokens/expire", guarded(expire), methods=["POST"]),
        Route("/_sandbox/revoke-key", guarded(revoke), methods=["POST"]),
        Route("/_sandbox/state", guarded(state), methods=["GET"]),
        Route("/_sandbox/disputes", guarded(disputes), methods=["GET"]),
        Route("/_sandbox/disputes", guarded(website_dispute), methods=["POST"]),
        Route("/_sandbox/webhooks/emit", guarded(emit_webhooks), methods=["POST"]),
    ]


def build_app(sandbox: Sandbox) -> Starlette:
    async def not_found(request: Request) -> Response:
        return failure(
            E.INTERFACE_NOT_FOUND,
            f"Interface not found: {request.url.path}",
            uuid.uuid4().hex,
            http_status=404,
        )

    routes = [Route(API_ROOT + "/{path:path}", Api(sandbox).serve, methods=ALL_METHODS)]
    if sandbox.config.admin:
        routes += admin_routes(sandbox)
    routes.append(Route("/{path:path}", not_found, methods=ALL_METHODS))
    return Starlette(routes=routes)
