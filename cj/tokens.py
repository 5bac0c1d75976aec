"""CJ access tokens: fetched rarely, persisted, refreshed before they expire, never fetched twice at once.

CJ throttles ``getAccessToken`` ("Once every 5 minutes": CJ API Docs, Access Frequency
Restrictions and 1 Authentication §1.1) and ``refreshAccessToken`` (5 times per minute), so a
token outlives the process: it is kept in the store under :func:`account_id` (a hash of base
URL and key, never the key). Lifetimes default to 15 and 180 days (1 Authentication).

- :meth:`TokenManager.token` returns a usable access token: the cached one, a
  refreshed one when less than ``refresh_margin`` is left (or a tenth of its
  lifetime, for short-lived tokens), or a new one. Refresh failing with an auth
  error falls back to ``getAccessToken`` once.
- :meth:`TokenManager.replace` is for a call whose token CJ refused: refresh
  once (or fetch anew), unless another caller already did.
- A per-account asyncio lock (per event loop) makes 100 concurrent first calls
  cost exactly one ``getAccessToken``; the store is re-read under the lock, so
  clients sharing a store file share tokens too.
- A refused API key raises one :class:`CJAuthError` with an operator-facing
  message, and further calls fail fast for ``key_refused_cooldown`` seconds
  instead of hammering CJ.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from datetime import timedelta

from cj.errors import CJAuthError
from cj.models import AccessToken
from store import Store
from store.tokens import TokenRecord, delete_token, load_token, save_token

log = logging.getLogger(__name__)

ACCESS_TOKEN_LIFETIME = timedelta(days=15).total_seconds()
REFRESH_TOKEN_LIFETIME = timedelta(days=180).total_seconds()
DEFAULT_REFRESH_MARGIN = timedelta(days=1).total_seconds()
DEFAULT_KEY_REFUSED_COOLDOWN = 300.0

KEY_REFUSED_HINT = (
    "check CJ_API_KEY in .env (CJ dashboard > Authorization > API) and that it was not regenerated or revoked"
)

# (path, body) -> the parsed token pair. The client supplies it (limiter, retries, envelope checks).
AuthCall = Callable[[str, dict[str, str]], Awaitable[AccessToken]]
Clock = Callable[[], float]

_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def account_id(api_key: str, base_url: str) -> str:
    """Who the tokens and the rate limit belong to: a production key and a sandbox key differ by URL too."""
    material = f"alex-cj-account\n{base_url.rstrip('/').lower()}\n{api_key.strip()}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def account_lock(account: str) -> asyncio.Lock:
    """The lock guarding ``account``'s token calls in the running event loop."""
    locks = _LOCKS.setdefault(asyncio.get_running_loop(), {})
    lock = locks.get(account)
    if lock is None:
        lock = locks[account] = asyncio.Lock()
    return lock


class TokenManager:
    def __init__(
        self,
        account: str,
        api_key: str,
        *,
        call: AuthCall,
        store: Store,
        clock: Clock | None = None,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        key_refused_cooldown: float = DEFAULT_KEY_REFUSED_COOLDOWN,
    ) -> None:
        self.account = account
        self._api_key = api_key
        self._call = call
        self._store = store
        self._clock: Clock = clock or time.time
        self._margin = refresh_margin
        self._cooldown = key_refused_cooldown
        self._refused_until = float("-inf")
        self._refused: CJAuthError | None = None
        self._kept: dict[str, float] = {}  # access token -> its expiry, when a refresh handed it back
        self.fetches = 0  # getAccessToken calls made by this manager (operators and tests read it)
        self.refreshes = 0

    def __repr__(self) -> str:
        return f"TokenManager(account={self.account!r})"

    def current(self) -> TokenRecord | None:
        return load_token(self._store, self.account)

    async def token(self) -> str:
        """A usable access token."""
        record = self.current()
        if record is not None and self._fresh(record):
            return record.access_token
        async with account_lock(self.account):
            record = self.current()
            if record is not None and self._fresh(record):
                return record.access_token
            return (await self._renew(record)).access_token

    async def replace(self, refused: str, *, certain: bool = True) -> str:
        """CJ refused ``refused``: a new token, refreshed once or fetched anew (unless another caller did).

        CJ's refresh may hand back the cached pair (newer docs: the same tokens for 24 h). When CJ
        surely refused the token (``certain``, an auth code) and refresh returns it again, a new
        token is asked for instead; when the refusal was ambiguous (1600100), the same token back
        means it was fine.
        """
        async with account_lock(self.account):
            record = self.current()
            if record is not None and record.access_token != refused and self._fresh(record):
                return record.access_token
            renewed = await self._renew(record)
            if certain and renewed.access_token == refused:
                log.info("CJ's refresh returned the refused access token; asking for a new token")
                renewed = await self._get_new()
            return renewed.access_token

    async def refresh(self) -> TokenRecord:
        """Refresh now (operators); falls back to a new token when the refresh token is dead."""
        async with account_lock(self.account):
            return await self._renew(self.current())

    async def fetch(self) -> TokenRecord:
        """The token pair, fetching one only when none is cached or it is due."""
        await self.token()
        record = self.current()
        if record is None:  # forgotten by a concurrent logout: fetch again
            async with account_lock(self.account):
                record = self.current() or await self._get_new()
        return record

    def forget(self) -> None:
        """Drop the cached tokens (after logout, or when CJ refuses even a fresh one)."""
        delete_token(self._store, self.account)

    # --- internals ----------------------------------------------------------

    def _fresh(self, record: TokenRecord) -> bool:
        now = self._clock()
        if record.access_token in self._kept:  # CJ keeps this pair until it expires: use it until then
            return now < self._kept[record.access_token]
        lifetime = max(0.0, record.access_expires_at - record.updated_at)
        return now < record.access_expires_at - min(self._margin, lifetime / 10)

    async def _renew(self, record: TokenRecord | None) -> TokenRecord:
        now = self._clock()
        if record is not None and now < record.refresh_expires_at:
            try:
                return await self._refresh(record)
            except CJAuthError as exc:
                log.info("CJ refused the refresh token (%s); asking for a new token", exc.code)
        return await self._get_new()

    async def _refresh(self, record: TokenRecord) -> TokenRecord:
        pair = await self._call("authentication/refreshAccessToken", {"refreshToken": record.refresh_token})
        self.refreshes += 1
        saved = self._save(pair, fallback_open_id=record.open_id)
        if saved.access_token == record.access_token:  # CJ handed back the cached pair
            self._kept[saved.access_token] = saved.access_expires_at
            log.info("CJ returned the same access token on refresh; it is used until it expires")
        else:
            log.info("CJ access token refreshed")
        return saved

    async def _get_new(self) -> TokenRecord:
        now = self._clock()
        if self._refused is not None and now < self._refused_until:
            raise CJAuthError(
                self._refused.message, code=self._refused.code, request_id=self._refused.request_id
            )
        self.fetches += 1
        try:
            pair = await self._call("authentication/getAccessToken", {"apiKey": self._api_key})
        except CJAuthError as exc:
            self.forget()
            refused = CJAuthError(
                f"CJ refused the API key ({exc.message}): {KEY_REFUSED_HINT}",
                code=exc.code,
                request_id=exc.request_id,
            )
            self._refused, self._refused_until = refused, now + self._cooldown
            # the operator's one message: calls fail fast (no log, no CJ call) until the cooldown ends
            log.error("%s (retrying in %.0f s)", refused.message, self._cooldown)
            raise refused from None
        self._refused = None
        log.info("new CJ access token obtained")
        return self._save(pair)

    def _save(self, pair: AccessToken, *, fallback_open_id: str | None = None) -> TokenRecord:
        now = self._clock()
        access_expires = pair.accessTokenExpiryDate.timestamp() if pair.accessTokenExpiryDate else None
        refresh_expires = pair.refreshTokenExpiryDate.timestamp() if pair.refreshTokenExpiryDate else None
        record = TokenRecord(
            account=self.account,
            access_token=pair.accessToken,
            access_expires_at=access_expires if access_expires is not None else now + ACCESS_TOKEN_LIFETIME,
            refresh_token=pair.refreshToken,
            refresh_expires_at=refresh_expires
            if refresh_expires is not None
            else now + REFRESH_TOKEN_LIFETIME,
            open_id=pair.openId or fallback_open_id,
        )
        return save_token(self._store, record, now=now)
