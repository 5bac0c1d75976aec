"""``alex cj ...``: print what CJ (or the sandbox, via ``CJ_BASE_URL``) returns.

Tables for people, ``--json`` for scripts. Tokens are cached in ``ALEX_DB_PATH``, so
running commands in a row does not ask CJ for a new token each time. Any failure is
one line on stderr and exit code 1 (2 for a configuration problem). Times are UTC.

    alex cj orders [--status S] [--page N] [--page-size N] [--json]
    alex cj order ID [--json]
    alex cj disputes [--order ID] [--page N] [--page-size N] [--json]
    alex cj dispute ID [--json]
    alex cj track NUMBER [NUMBER...] [--json]
    alex cj logout
    alex cj webhook set [URL] | alex cj webhook cancel [URL]

This module knows nothing of Alex's settings: ``alex cj`` (``alex/cj_command.py``) reads them
and passes a :class:`CJCliConfig` in.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr

from cj.client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT_SECONDS, CJClient
from cj.errors import CJError, CJUnavailable, CJValidationError
from cj.models import (
    DisputeDetail,
    DisputePage,
    FinallyDeal,
    OrderDetail,
    OrderPage,
    OrderStatus,
    TrackInfo,
)
from store import Store, StoreError, open_store


@dataclass(frozen=True)
class CJCliConfig:
    """What ``alex cj`` needs: the key, where CJ is, the database, and the webhook URL Alex serves."""

    api_key: SecretStr
    db_path: Path | str | None
    base_url: str = DEFAULT_BASE_URL
    qps: float = 1.0
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    webhook_url: str | None = None  # ``webhook set``/``cancel`` without a URL use this one


PROG = "alex cj"
DEFAULT_ORDER_STATUS = OrderStatus.SHIPPED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Print what the CJ API returns (CJ_BASE_URL).")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    orders = sub.add_parser("orders", help="list orders")
    orders.add_argument(
        "--status",
        type=str.upper,
        choices=OrderStatus.ALL,
        default=DEFAULT_ORDER_STATUS,
        help=f"CJ lists one status at a time, CANCELLED if none is sent (here: {DEFAULT_ORDER_STATUS})",
    )
    _paging(orders, default_size=20)

    order = sub.add_parser("order", help="one order in detail")
    order.add_argument("order_id", metavar="ID")
    _json_flag(order)

    disputes = sub.add_parser("disputes", help="list disputes")
    disputes.add_argument("--order", dest="order_id", metavar="ID", help="only this order's disputes")
    _paging(disputes, default_size=10)

    dispute = sub.add_parser("dispute", help="one dispute in detail")
    dispute.add_argument("dispute_id", metavar="ID")
    _json_flag(dispute)

    track = sub.add_parser("track", help="tracking of one or more parcels")
    track.add_argument("numbers", nargs="+", metavar="NUMBER")
    _json_flag(track)

    sub.add_parser("logout", help="end the cached CJ tokens (the next command fetches new ones)")

    webhook = sub.add_parser("webhook", help="CJ's order and logistics webhooks")
    action = webhook.add_subparsers(dest="webhook_action", required=True, metavar="ACTION")
    set_hook = action.add_parser("set", help="send order and logistics updates to URL (public https)")
    set_hook.add_argument("url", metavar="URL", nargs="?", help="default: PUBLIC_BASE_URL + /webhooks/cj")
    cancel_hook = action.add_parser("cancel", help="stop CJ's webhooks registered at URL")
    cancel_hook.add_argument("url", metavar="URL", nargs="?", help="default: the URL CJ reports")
    return parser


def _paging(parser: argparse.ArgumentParser, *, default_size: int) -> None:
    parser.add_argument("--page", type=int, default=1, metavar="N", help="page number (from 1)")
    parser.add_argument("--page-size", type=int, default=default_size, metavar="N", help="rows per page")
    _json_flag(parser)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def main(argv: list[str], config: CJCliConfig) -> int:
    args = build_parser().parse_args(argv)
    try:
        print(asyncio.run(run(args, config)))
    except CJUnavailable as exc:
        print(f"{PROG}: {exc} (CJ_BASE_URL is {config.base_url})", file=sys.stderr)
        return 1
    except (CJError, StoreError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    return 0


async def run(args: argparse.Namespace, config: CJCliConfig) -> str:
    """Run one command and return what to print."""
    store = open_store(config.db_path)
    try:
        async with make_client(config, store) as client:
            handler = HANDLERS[args.command]
            return await handler(client, args, config)
    finally:
        store.close()


def client_for(config: CJCliConfig, store: Store, **kwargs: Any) -> CJClient:
    return CJClient(
        config.api_key,
        base_url=config.base_url,
        qps=config.qps,
        timeout=config.timeout_seconds,
        store=store,
        **kwargs,
    )


def make_client(config: CJCliConfig, store: Store) -> CJClient:
    """The client one command uses (a seam: tests swap in a retry policy that does not wait)."""
    return client_for(config, store)


async def _orders(client: CJClient, args: argparse.Namespace, config: CJCliConfig) -> str:
    page = await client.list_orders(status=args.status, page_num=args.page, page_size=args.page_size)
    return _json(page) if args.json else render_orders(page, args.status)


async def _order(client: CJClient, args: argparse.Namespace, config: CJCliConfig) -> str:
    detail = await client.order_detail(args.order_id)
    return _json(detail) if args.json else render_order(detail)


async def _disputes(client: CJClient, args: argparse.Namespace, config: CJCliConfig) -> str:
    page = await client.list_disputes(order_id=args.order_id, page_num=args.page, page_size=args.page_size)
    return _json(page) if args.json else render_disputes(page)


async def _dispute(client: CJClient, args: argparse.Namespace, config: CJCliConfig) -> str:
    detail = await client.dispute_detail(args.dispute_id)
    return _json(detail) if args.json else render_dispute(detail)


async def _track(client: CJClient, args: argparse.Namespace, config: CJCliConfig) -> str:
    tracks = await client.track_info(args.numbers)
    if args.json:
        return json.dumps(
            [t.model_dump(mode="json", by_alias=True) for t in tracks], indent=2, ensure_ascii=False
        )
    return render_tracks(tracks)


async def _logout(client: CJClient, args: argparse.Namespace, config: CJCliConfig) -> str:
    done = await client.logout(actor="cli")
    return "logged out: CJ ended the cached tokens" if done else "no cached tokens: nothing to log out"


async def _webhook(client: CJClient, args: argparse.Namespace, config: CJCliConfig) -> str:
    url = args.url or config.webhook_url
    if args.webhook_action == "set":
        if not url:
            raise CJValidationError("give the URL (or set PUBLIC_BASE_URL): alex cj webhook set https://...")
        await client.webhook_set(url, actor="cli")
        return f"CJ will send order and logistics updates to {url}"
    await client.webhook_set(None, actor="cli", current_url=args.url)
    return "CJ's webhooks are off"


HANDLERS: dict[str, Callable[[CJClient, argparse.Namespace, CJCliConfig], Awaitable[str]]] = {
    "orders": _orders,
    "order": _order,
    "disputes": _disputes,
    "dispute": _dispute,
    "track": _track,
    "logout": _logout,
    "webhook": _webhook,
}


# --- rendering ------------------------------------------------------------------


def _json(model: BaseModel) -> str:
    return json.dumps(model.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"${value:,.2f}"


def _date(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _deal(value: FinallyDeal | None, status: str | None = None) -> str:
    if value is not None:
        return value.label
    return "none (cancelled)" if "cancel" in (status or "").lower() else "undecided"


def _footer(page_num: int, page_size: int, total: int, shown: int) -> str:
    pages = max(1, -(-total // page_size)) if page_size else 1
    return f"page {page_num} of {pages}, {shown} shown, {total} in all"


def render_orders(page: OrderPage, status: str | None = None) -> str:
    which = f"status {status}, " if status else ""
    if not page.items:
        return f"no orders ({which}{_footer(page.pageNum, page.pageSize, page.total, 0)})"
    rows = [
        [
            o.orderId,
            o.orderNum or "",
            o.orderStatus or "",
            _money(o.orderAmount),
            o.trackNumber or "",
            _date(o.createDate),
        ]
        for o in page.items
    ]
    body = table(["ORDER ID", "ORDER NUMBER", "STATUS", "AMOUNT", "TRACKING", "CREATED (UTC)"], rows)
    return body + "\n" + which + _footer(page.pageNum, page.pageSize, page.total, len(page.items))


def render_disputes(page: DisputePage) -> str:
    if not page.items:
        return f"no disputes ({_footer(page.pageNum, page.pageSize, page.total, 0)})"
    rows = [
        [
            d.id,
            d.status or "",
            d.disputeReason or "",
            _deal(d.finallyDeal, d.status),
            _money(d.money),
            _date(d.createDate),
        ]
        for d in page.items
    ]
    body = table(["DISPUTE ID", "STATUS", "REASON", "DECISION", "REFUND", "CREATED (UTC)"], rows)
    return body + "\n" + _footer(page.pageNum, page.pageSize, page.total, len(page.items))


def _pairs(pairs: Sequence[tuple[str, str]]) -> list[str]:
    width = max(len(k) for k, _ in pairs)
    return [f"{k.ljust(width)}  {v}" for k, v in pairs if v != ""]


def render_dispute(d: DisputeDetail) -> str:
    lines = _pairs(
        [
            ("dispute", d.id),
            ("status", d.status or ""),
            ("reason", d.disputeReason or ""),
            ("decision", _deal(d.finallyDeal, d.status)),
            ("refund", _money(d.refundAmount if d.refundAmount is not None else d.money)),
            ("reissue amount", _money(d.replacementAmount) if d.replacementAmount else ""),
            ("reissue order", d.resendOrderCode or ""),
            ("created (UTC)", _date(d.createDate)),
        ]
    )
    if d.refundDetails:
        lines += [
            "",
            table(
                ["REFUND PART", "AMOUNT"],
                [[r.typeName or r.type or "", _money(r.amount)] for r in d.refundDetails],
            ),
        ]
    if d.productList:
        rows = [
            [p.productName or "", p.productCode or "", _money(p.price), p.supplierName or ""]
            for p in d.productList
        ]
        lines += ["", table(["PRODUCT", "CODE", "PRICE", "SUPPLIER"], rows)]
    return "\n".join(lines)


def render_order(o: OrderDetail) -> str:
    lines = _pairs(
        [
            ("order", o.orderId),
            ("order number", o.shop_order_number or ""),
            ("CJ order", o.cjOrderId or ""),
            ("status", o.orderStatus or ""),
            ("amount", _money(o.orderAmount)),
            ("products", _money(o.productAmount)),
            ("postage", _money(o.postageAmount)),
            ("tracking", " ".join(x for x in (o.trackNumber, o.logisticName and f"({o.logisticName})") if x)),
            ("ship to", o.shippingCountryCode or ""),
            ("dispute", o.disputeId or ""),
            ("created (UTC)", _date(o.createDate)),
            ("paid (UTC)", _date(o.paymentDate)),
            ("left warehouse", _date(o.outWarehouseTime)),
            ("complete", "" if o.isComplete is None else ("yes" if o.isComplete else "no")),
        ]
    )
    if o.productList:
        rows = [
            [p.lineItemId or "", p.productName or "", p.vid or "", str(p.quantity), _money(p.sellPrice)]
            for p in o.productList
        ]
        lines += ["", table(["LINE ITEM", "PRODUCT", "VARIANT", "QTY", "PRICE"], rows)]
    return "\n".join(lines)


def render_tracks(tracks: Sequence[TrackInfo]) -> str:
    if not tracks:
        return "no tracking information"
    rows = [
        [
            t.trackingNumber,
            t.logisticName or "",
            t.trackingStatus or "",
            t.lastMileCarrier or "",
            _date(t.deliveryTime),
        ]
        for t in tracks
    ]
    return table(["TRACKING NUMBER", "CARRIER", "STATUS", "LAST MILE", "DELIVERED (UTC)"], rows)
