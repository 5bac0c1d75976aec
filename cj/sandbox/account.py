"""The sandbox account: daily quotas, ``setting/get``, and ``webhook/set`` with CJ's URL checks.

Documented: unverified accounts get 1,000 calls a day per interface and the cap answers "Too
Many Requests" (Access Frequency Restrictions, "Daily Call Limit"); 1600201 is "Quota has been
used up" (Global Error Codes); ``setting/get`` reports ``quotaLimits`` (``quotaType`` 4 = per
day) and ``qpsLimit`` (2 Settings). ``webhook/set`` takes one HTTPS URL per block and refuses
localhost/127.0.0.1 (1607001), non-HTTPS URLs (1607002), and a URL whose test request did not
get HTTP 200 within 3 s (1607003) (Global Error Codes; 08. Webhook).

Chosen (guesses, docs/sandbox.md): how the cap answers is ``quota_reply``: 1600201, or the limits
page's "Too Many Requests" (HTTP 429, 1600200, its message naming the daily limit), or 16900500
"Insufficient API points. Used today: N, Remaining: 0" (HTTP 200, as public client code shows);
quota days start at midnight in Beijing (16:00 UTC); the set-up test request is unsigned, has no
``type`` and is sent to each distinct enabled URL; ``setting/get`` also reports the current
webhook settings under ``callback`` (undocumented).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from cj.sandbox import errors as E
from cj.sandbox.clock import SandboxClock
from cj.sandbox.config import DEFAULT_DAILY_QUOTA, SandboxConfig
from cj.sandbox.errors import SandboxError
from cj.sandbox.fixtures import AccountFixture
from cj.sandbox.requests import WebhookSetBody
from cj.sandbox.webhook_sender import SandboxWebhooks

BLOCKS = ("product", "stock", "order", "logistics")
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
QUOTA_DAY_OFFSET = timedelta(hours=8)  # quota days run on Beijing time
QUOTA_PATHS = (
    "shopping/order/list",
    "shopping/order/getOrderDetail",
    "logistic/trackInfo",
    "disputes/getDisputeList",
    "disputes/create",
)


class AccountDesk:
    def __init__(self, config: SandboxConfig, clock: SandboxClock, account: AccountFixture) -> None:
        self.config = config
        self.clock = clock
        self.account = account
        self.webhooks = SandboxWebhooks(account.openId)
        self.reset()

    def reset(self) -> None:
        self.quota_used: Counter[tuple[str, str]] = Counter()
        self.quota_exhausted = False  # admin: every interface's daily quota used up now
        self.webhooks.urls.clear()

    # --- quota ------------------------------------------------------------------------------

    def spend_quota(self, path: str) -> None:
        """Count a call against the daily per-interface quota; refuse it once the quota is used up."""
        day = (self.clock.now() + QUOTA_DAY_OFFSET).strftime("%Y-%m-%d")
        key = (day, path)
        limit = self.config.daily_quota
        if self.quota_exhausted:
            raise self._quota_refusal(path, limit or DEFAULT_DAILY_QUOTA, limit or DEFAULT_DAILY_QUOTA)
        if limit is not None and self.quota_used[key] >= limit:
            raise self._quota_refusal(path, limit, self.quota_used[key])
        self.quota_used[key] += 1

    def _quota_refusal(self, path: str, limit: int, used: int) -> SandboxError:
        style = self.config.quota_reply
        if style == "too_many_requests":
            return SandboxError(
                E.RATE_LIMITED,
                f"Too Many Requests: the daily call limit of {limit} calls/day for {path} is reached",
                http_status=429,
                bare=True,
            )
        if style == "api_points":
            return SandboxError(
                E.API_POINTS, f"Insufficient API points. Used today: {used}, Remaining: 0", bare=True
            )
        return SandboxError(E.QUOTA_USED_UP, "Quota has been used up")

    # --- settings ---------------------------------------------------------------------------

    def settings(self) -> dict[str, Any]:
        quota = self.config.daily_quota or DEFAULT_DAILY_QUOTA
        qps = self.config.qps
        return {
            "openId": self.account.openId,
            "openName": self.account.openName,
            "openEmail": self.account.openEmail,
            "setting": {
                "quotaLimits": [
                    {"quotaUrl": "/api2.0/v1/" + path, "quotaLimit": quota, "quotaType": 4}
                    for path in QUOTA_PATHS
                ],
                "qpsLimit": int(qps) if float(qps).is_integer() else qps,
            },
            "callback": self._callback(),
            "root": "GENERAL",
            "isSandbox": 1,
        }

    def _callback(self) -> dict[str, Any]:
        urls = self.webhooks.urls
        callback: dict[str, Any] = {}
        for block in BLOCKS:
            callback[f"{block}Type"] = "ENABLE" if block in urls else None
            callback[f"{block}CallbackUrls"] = [urls[block]] if block in urls else []
        return callback

    # --- webhook/set ------------------------------------------------------------------------

    def check_webhook_urls(self, body: WebhookSetBody) -> list[str]:
        """The distinct URLs to probe, after CJ's static checks (1607001, 1607002)."""
        urls: list[str] = []
        for name in BLOCKS:
            block = getattr(body, name)
            if not block.enabled:
                continue
            if not block.callbackUrls:
                raise E.param_error(f"{name}.callbackUrls must hold one URL")
            url = block.callbackUrls[0].strip()
            parts = urlsplit(url)
            if parts.scheme != "https" and not (self.config.webhook_http_ok and parts.scheme == "http"):
                raise SandboxError(
                    E.WEBHOOK_NOT_HTTPS, "Webhook url error, Please ensure URL starts with https://"
                )
            host = (parts.hostname or "").lower()
            if not host or (host in LOOPBACK_HOSTS and not self.config.webhook_loopback_ok):
                raise SandboxError(
                    E.WEBHOOK_LOCALHOST, "Please do not use domain names such as localhost, 127.0.0.1"
                )
            if url not in urls:
                urls.append(url)
        return urls

    async def probe(self, urls: list[str]) -> None:
        """CJ's set-up test request to each URL; anything but HTTP 200 within 3 s is 1607003."""
        for url in urls:
            delivery = await self.webhooks.probe(url)
            if delivery.statuses[-1:] != [200]:
                raise SandboxError(E.WEBHOOK_NOT_200, "Webhook url error, Http Status must be 200")

    def set_webhooks(self, body: WebhookSetBody) -> bool:
        for name in BLOCKS:
            block = getattr(body, name)
            if block.enabled:
                self.webhooks.urls[name] = block.callbackUrls[0].strip()
            else:
                self.webhooks.urls.pop(name, None)
        return True
