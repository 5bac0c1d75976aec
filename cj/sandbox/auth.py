"""The sandbox account's API key and tokens, throttled as CJ throttles them.

Documented (CJ API Docs: 1 Authentication, Access Frequency Restrictions, Global Error Codes):
access tokens live 15 days and refresh tokens 180; ``getAccessToken`` "can only be called once
every 5 minutes" and ``refreshAccessToken`` 5 times per minute; logout ends both tokens; a
wrong key is 1600005, a bad token 1600001, an empty one 1600002, a bad refresh token 1600003.

Chosen where CJ's copies disagree or say nothing (guesses, listed in docs/sandbox.md): a login
inside the throttle window answers HTTP 429 with 1600200 and no ``result``/``data`` (as public
clients report); the window is ``login_interval`` (1 s by default, the newer reading; 300 for the
older one). Within a pair's life, login and refresh both return the same pair (newer docs: the
same tokens for 24 h; public clients see refresh return the cached pair); an expired, logged-out
or revoked pair is replaced by a new one.
"""

from __future__ import annotations

import secrets
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cj.sandbox import errors as E
from cj.sandbox.clock import SandboxClock
from cj.sandbox.config import SandboxConfig
from cj.sandbox.errors import SandboxError
from cj.sandbox.wire import iso_date

REFRESH_WINDOW_SECONDS = 60.0


@dataclass
class TokenPair:
    access: str
    refresh: str
    created: datetime
    access_expires: datetime
    refresh_expires: datetime
    access_alive: bool = True
    refresh_alive: bool = True


def _same(a: str, b: str) -> bool:
    return secrets.compare_digest(a.encode(), b.encode())


class AuthDesk:
    def __init__(self, config: SandboxConfig, clock: SandboxClock, open_id: int) -> None:
        self.config = config
        self.clock = clock
        self.open_id = open_id
        self.reset()

    def reset(self) -> None:
        self.key_revoked = False
        self.tokens: list[TokenPair] = []
        self._last_login = float("-inf")
        self._refreshes: deque[float] = deque()

    # --- endpoints --------------------------------------------------------------------------

    def get_access_token(self, api_key: str) -> dict[str, Any]:
        if self.key_revoked:
            raise SandboxError(E.INVALID_TOKEN, "Invalid API key: it was revoked or regenerated")
        if not _same(api_key, self.config.api_key):
            raise SandboxError(E.API_KEY_WRONG, "APIkey is wrong, please check and try again")
        mono = self.clock.monotonic()
        if mono - self._last_login < self.config.login_interval:
            raise SandboxError(E.RATE_LIMITED, "Too Many Requests", http_status=429, bare=True)
        self._last_login = mono
        now = self.clock.now()
        live = self._live_pair(now)
        return self._data(live or self._issue(now))

    def refresh_access_token(self, refresh_token: str) -> dict[str, Any]:
        mono = self.clock.monotonic()
        while self._refreshes and self._refreshes[0] <= mono - REFRESH_WINDOW_SECONDS:
            self._refreshes.popleft()
        if len(self._refreshes) >= self.config.refreshes_per_minute:
            raise SandboxError(E.RATE_LIMITED, "Too Many Requests", http_status=429, bare=True)
        self._refreshes.append(mono)
        now = self.clock.now()
        pair = self._find(lambda p: _same(p.refresh, refresh_token))
        if pair is None or self.key_revoked or not pair.refresh_alive or pair.refresh_expires <= now:
            raise SandboxError(E.INVALID_REFRESH_TOKEN, "Invalid Refresh token")
        if pair.access_alive and pair.access_expires > now:
            return self._data(pair)  # the cached pair comes back while it lives
        pair.access_alive = False
        return self._data(self._issue(now))

    def authenticate(self, access_token: str | None) -> str:
        """The account (openId) behind a ``CJ-Access-Token`` header, or CJ's auth error."""
        if not access_token or not access_token.strip():
            raise SandboxError(E.TOKEN_EMPTY, "access token cannot be empty")
        pair = self._find(lambda p: _same(p.access, access_token.strip()))
        if pair is None or self.key_revoked or not pair.access_alive:
            raise SandboxError(E.INVALID_TOKEN, "Invalid API key or access token")
        if pair.access_expires <= self.clock.now():
            raise SandboxError(self.config.expired_token_code, "Invalid API key or access token (expired)")
        return str(self.open_id)

    def logout(self, access_token: str) -> bool:
        pair = self._find(lambda p: p.access == access_token.strip())
        if pair is not None:
            pair.access_alive = pair.refresh_alive = False
        return True

    # --- admin ------------------------------------------------------------------------------

    def expire_tokens(self) -> None:
        """Every access token expires now (refresh tokens stay valid)."""
        now = self.clock.now()
        for pair in self.tokens:
            pair.access_expires = min(pair.access_expires, now)

    def revoke_key(self) -> None:
        """The seller regenerated the key: it and every token stop working."""
        self.key_revoked = True
        for pair in self.tokens:
            pair.access_alive = pair.refresh_alive = False

    def live_access_tokens(self) -> int:
        now = self.clock.now()
        return sum(1 for p in self.tokens if p.access_alive and p.access_expires > now)

    # --- internals --------------------------------------------------------------------------

    def _live_pair(self, now: datetime) -> TokenPair | None:
        for pair in reversed(self.tokens):
            if pair.access_alive and pair.access_expires > now:
                return pair
        return None

    def _issue(self, now: datetime) -> TokenPair:
        pair = TokenPair(
            access="API@CJ" + secrets.token_urlsafe(96),
            refresh="API@CJ" + secrets.token_urlsafe(96),
            created=now,
            access_expires=now + self.config.access_token_ttl,
            refresh_expires=now + self.config.refresh_token_ttl,
        )
        self.tokens.append(pair)
        return pair

    def _find(self, predicate: Any) -> TokenPair | None:
        return next((p for p in reversed(self.tokens) if predicate(p)), None)

    def _data(self, pair: TokenPair) -> dict[str, Any]:
        return {
            "openId": self.open_id,
            "accessToken": pair.access,
            "accessTokenExpiryDate": iso_date(pair.access_expires),
            "refreshToken": pair.refresh,
            "refreshTokenExpiryDate": iso_date(pair.refresh_expires),
            "createDate": iso_date(pair.created),
        }
