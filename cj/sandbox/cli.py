"""``alex sandbox``: serve the CJ API sandbox until Ctrl-C.

Prints exactly one line on stdout when ready, ``listening on http://HOST:PORT/api2.0/v1``,
so scripts can wait for it (``--port 0`` picks a free port and prints the real one).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from pydantic import ValidationError

from cj.sandbox.config import (
    DEFAULT_DISPUTE_PAGE_MAX,
    DEFAULT_FIXTURES,
    DEFAULT_LATENCY_SECONDS,
    DEFAULT_LOGIN_INTERVAL,
    DEFAULT_QPS,
    DEFAULT_REFRESHES_PER_MINUTE,
    DEFAULT_RESOLVE_AFTER,
    FaultRates,
    SandboxConfig,
)
from cj.sandbox.server import SandboxServer, SandboxStartError

DEFAULT_API_KEY = "sandbox-key"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
FAULT_FLAGS = {  # flag -> FaultRates field
    "--fault-latency": "latency",
    "--fault-5xx": "http_5xx",
    "--fault-rate-limit": "rate_limited",
    "--fault-429": "http_429",
    "--fault-busy": "busy",
    "--fault-drop": "drop_after_write",
    "--fault-drop-before": "drop_before_write",
    "--fault-garbled": "garbled_after_write",
    "--fault-slow-answer": "latency_after_write",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alex sandbox",
        description="Serve a CJ API 2.0 sandbox (seeded orders, disputes, faults) on loopback.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default 0)")
    parser.add_argument(
        "--api-key", default=DEFAULT_API_KEY, help="the API key getAccessToken accepts (default %(default)s)"
    )
    parser.add_argument(
        "--qps",
        type=float,
        default=DEFAULT_QPS,
        help="calls per second per account before 1600200 (default %(default)s)",
    )
    parser.add_argument(
        "--resolve-after",
        type=float,
        default=DEFAULT_RESOLVE_AFTER,
        metavar="SECONDS",
        help="seconds until CJ decides a new dispute (default %(default)s)",
    )
    parser.add_argument("--admin", action="store_true", help="enable the /_sandbox/ test endpoints")
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES, help="orders fixture file")
    parser.add_argument(
        "--daily-quota",
        type=int,
        default=None,
        metavar="N",
        help="refuse calls after N per interface per day (default: unlimited)",
    )
    parser.add_argument(
        "--quota-reply",
        choices=["quota_code", "too_many_requests", "api_points"],
        default="quota_code",
        help="how a used-up quota answers: 1600201, HTTP 429 Too Many Requests, or 16900500",
    )
    parser.add_argument(
        "--login-interval",
        type=float,
        default=DEFAULT_LOGIN_INTERVAL,
        metavar="SECONDS",
        help="getAccessToken at most once per SECONDS, else HTTP 429 (default %(default)s; older docs: 300)",
    )
    parser.add_argument(
        "--refreshes-per-minute", type=int, default=DEFAULT_REFRESHES_PER_MINUTE, metavar="N",
        help="refreshAccessToken calls allowed per minute (default %(default)s)",
    )
    parser.add_argument(
        "--dispute-page-max", type=int, default=DEFAULT_DISPUTE_PAGE_MAX, metavar="N",
        help="largest getDisputeList page served (default %(default)s)",
    )
    guesses = parser.add_argument_group(
        "what CJ does not document (defaults: the kind readings; --worst-case: the harsh ones)"
    )
    guesses.add_argument(
        "--expired-token-code", type=int, choices=[1600001, 1600100], default=None,
        help="the code an expired access token gets (default 1600001)",
    )
    guesses.add_argument(
        "--open-disputes", choices=["one_per_order", "allow_overlap"], default=None,
        help="whether a second dispute may open while one is open on the order (default one_per_order)",
    )
    guesses.add_argument(
        "--repeated-business-id", choices=["answer_true", "open_another"], default=None,
        help="what a repeated businessDisputeId does (default answer_true)",
    )
    guesses.add_argument(
        "--worst-case", action="store_true",
        help="allow_overlap, open_another and 1600100 unless set above: only the client prevents duplicates",
    )
    faults = parser.add_argument_group("fault injection (random, per call; RATE is 0..1)")
    for flag, name in FAULT_FLAGS.items():
        faults.add_argument(
            flag,
            type=float,
            default=0.0,
            metavar="RATE",
            dest=f"fault_{name}",
            help=f"rate of the {name} fault",
        )
    faults.add_argument(
        "--latency-seconds",
        type=float,
        default=DEFAULT_LATENCY_SECONDS,
        help="delay of the latency fault (default %(default)s)",
    )
    faults.add_argument("--fault-seed", type=int, default=0, help="random seed for fault draws")
    parser.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser


def config_from_args(args: argparse.Namespace) -> SandboxConfig:
    rates = FaultRates(
        seed=args.fault_seed,
        latency_seconds=args.latency_seconds,
        **{name: getattr(args, f"fault_{name}") for name in FAULT_FLAGS.values()},
    )
    return SandboxConfig(
        api_key=args.api_key,
        host=args.host,
        port=args.port,
        qps=args.qps,
        resolve_after=args.resolve_after,
        admin=args.admin,
        fixtures_path=args.fixtures,
        daily_quota=args.daily_quota,
        quota_reply=args.quota_reply,
        login_interval=args.login_interval,
        refreshes_per_minute=args.refreshes_per_minute,
        dispute_page_max=args.dispute_page_max,
        faults=rates,
        **guesses(args),
    )


WORST_CASE: dict[str, object] = {
    "expired_token_code": 1600100, "open_disputes": "allow_overlap", "repeated_business_id": "open_another",
}
"""The harsh reading of each behaviour CJ does not document (``--worst-case``); the kind ones are
:class:`SandboxConfig`'s defaults."""


def guesses(args: argparse.Namespace) -> dict[str, object]:
    """The undocumented behaviours asked for: each flag given, else the worst case if asked, else
    nothing (the config's default)."""
    chosen = WORST_CASE.copy() if args.worst_case else {}
    chosen.update({name: getattr(args, name) for name in WORST_CASE if getattr(args, name) is not None})
    return chosen


async def _serve(config: SandboxConfig) -> None:
    server = SandboxServer(config)
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(f"listening on {server.root_url}/api2.0/v1", flush=True)
    try:
        await stop.wait()
    finally:
        await server.stop()


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        config = config_from_args(args)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        print(f"alex sandbox: {'.'.join(map(str, first['loc']))}: {first['msg']}", file=sys.stderr)
        return 2
    if config.host not in LOOPBACK_HOSTS:
        print(
            f"alex sandbox: warning: {config.host} is not loopback; the sandbox has no real security"
            + (" and --admin lets anyone reset it" if config.admin else ""),
            file=sys.stderr,
        )
    try:
        asyncio.run(_serve(config))
    except KeyboardInterrupt:
        return 0
    except (SandboxStartError, OSError, ValueError) as exc:
        print(f"alex sandbox: {exc}", file=sys.stderr)
        return 1
    return 0
