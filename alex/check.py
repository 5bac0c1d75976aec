"""``alex check``: is this installation ready? Configuration, database, and the CJ key, step by step.

Each step prints ``ok``, ``warn`` or ``FAIL`` with what to do about it. Exit codes:
0 ready (warnings allowed), 1 a check failed, 2 the configuration cannot be read.
The CJ key is tested for real: a token (cached ones are reused, so this is cheap),
then ``setting/get`` for the account's QPS level, compared with ``CJ_QPS``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from alex.settings import CJ_PRODUCTION_BASE_URL, ConfigError, Settings, load_settings
from cj.client import CJClient
from cj.errors import CJAuthError, CJError, CJQuotaExceeded, CJUnavailable
from cj.transport import quota_exhausted_until
from store import Store, StoreError

Say = Callable[[str, str, str], None]


def main(argv: list[str]) -> int:
    argparse.ArgumentParser(prog="alex check", description=__doc__.splitlines()[0]).parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"alex: {exc}", file=sys.stderr)
        return 2
    return asyncio.run(check(settings, _say))


def _say(level: str, what: str, detail: str) -> None:
    print(f"{level:<4}  {what:<18} {detail}", file=sys.stdout if level != "FAIL" else sys.stderr)


async def check(settings: Settings, say: Say) -> int:
    """Run every step; ``say(level, what, detail)`` reports each. Returns the exit code."""
    say("ok", "configuration", "read from the environment and .env")
    try:
        settings.require("cj_api_key")
    except ConfigError as exc:
        say("FAIL", "CJ_API_KEY", f"{exc}; find the key in the CJ dashboard under Authorization > API")
        return 1
    say("ok", "CJ_API_KEY", "set")
    if settings.telegram_bot_token is None:
        say("warn", "TELEGRAM_BOT_TOKEN", "not set: needed by `alex run` (create a bot with @BotFather)")
    if not settings.allowed_user_ids:
        say("warn", "ALLOWED_USER_IDS", "empty: nobody may open or close disputes through the bot")
    from alex.services import build_services

    try:
        services = build_services(settings, faq="skip")  # the same store and CJ client `alex run` uses
    except (StoreError, OSError) as exc:
        say("FAIL", "database", f"{settings.alex_db_path}: {exc}")
        return 1
    async with services:
        say("ok", "database", f"{settings.alex_db_path} (schema version {services.store.schema_version()})")
        return await _check_cj(settings, services.cj, services.store, say)


async def _check_cj(settings: Settings, client: CJClient, store: Store, say: Say) -> int:
    production = settings.cj_base_url == CJ_PRODUCTION_BASE_URL
    where = "CJ production" if production else "not the production URL: a sandbox?"
    say("ok", "CJ_BASE_URL", f"{settings.cj_base_url} ({where})")
    try:
        token = await client.get_access_token()
    except CJAuthError as exc:
        say("FAIL", "CJ API key", str(exc))
        return 1
    except CJUnavailable as exc:
        say("FAIL", "CJ API", f"{exc}: check CJ_BASE_URL and the network, then try again")
        return 1
    except CJError as exc:
        say("FAIL", "CJ API key", f"CJ did not issue a token: {exc}")
        return 1
    expires = token.accessTokenExpiryDate
    until = f"; access token valid until {expires.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if expires else ""
    say("ok", "CJ API key", f"accepted{until} (renewed automatically)")
    try:
        account = await client.account_settings()
    except CJQuotaExceeded as exc:
        say("FAIL", "CJ account", f"{exc}: the daily quota is used up; it resets at midnight (UTC+8)")
        return 1
    except CJError as exc:
        say("FAIL", "CJ account", f"setting/get failed: {exc}")
        return 1
    quota_until = quota_exhausted_until(store)
    if quota_until is not None:  # a call of the bot or notifier ran into it (cj/transport.py)
        until = f"{quota_until:%Y-%m-%d %H:%M} UTC"
        say("FAIL", "CJ quota", f"CJ's API quota for this account is used up until {until}")
        return 1
    name = account.openName or "(no name)"
    say("ok", "CJ account", f"{name}{' (sandbox)' if account.isSandbox else ''}")
    limit = account.qps
    if limit is None:
        say("warn", "CJ QPS", f"CJ did not report a QPS limit; CJ_QPS={settings.cj_qps:g} is used as is")
    elif settings.cj_qps > limit:
        say(
            "warn",
            "CJ QPS",
            f"CJ_QPS={settings.cj_qps:g} is above your account's limit of {limit}/s: set "
            f"CJ_QPS={limit} or CJ will answer 'too many requests' (code 1600200)",
        )
    else:
        say("ok", "CJ QPS", f"account limit {limit} request(s)/s; Alex uses CJ_QPS={settings.cj_qps:g}")
    say("ok", "ready", f"checked at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    return 0
