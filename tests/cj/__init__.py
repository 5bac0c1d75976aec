"""Tests of the CJ package. ``SandboxApi`` is a tiny raw-HTTP caller for sandbox tests:
it returns CJ envelopes as parsed JSON, with no client-side interpretation."""

from __future__ import annotations

import ssl
from functools import cache
from typing import Any

import httpx

from cj.sandbox import SandboxServer


@cache
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()


def http_client() -> httpx.AsyncClient:
    """An httpx client that reuses one TLS context (building one per client costs ~80 ms)."""
    return httpx.AsyncClient(verify=_tls())


class SandboxApi:
    def __init__(self, server: SandboxServer, http: httpx.AsyncClient) -> None:
        self.server = server
        self.http = http
        self.token: str | None = None

    async def login(self, api_key: str) -> dict[str, Any]:
        reply = await self.post("authentication/getAccessToken", {"apiKey": api_key}, auth=False)
        assert reply["code"] == 200, reply
        self.token = reply["data"]["accessToken"]
        return reply["data"]

    async def refresh(self, refresh_token: str) -> dict[str, Any]:
        body = {"refreshToken": refresh_token}
        return await self.post("authentication/refreshAccessToken", body, auth=False)

    def _headers(self, auth: bool) -> dict[str, str]:
        return {"CJ-Access-Token": self.token} if auth and self.token else {}

    async def raw_get(self, path: str, params: Any = None, auth: bool = True) -> httpx.Response:
        return await self.http.get(self.server.base_url + path, params=params, headers=self._headers(auth))

    async def raw_post(
        self, path: str, body: Any = None, auth: bool = True, content: bytes | None = None
    ) -> httpx.Response:
        url, headers = self.server.base_url + path, self._headers(auth)
        if content is not None:
            return await self.http.post(url, content=content, headers=headers)
        return await self.http.post(url, json=body, headers=headers)

    async def get(self, path: str, params: Any = None, auth: bool = True) -> dict[str, Any]:
        response = await self.raw_get(path, params, auth)
        return response.json()

    async def post(self, path: str, body: Any = None, auth: bool = True) -> dict[str, Any]:
        response = await self.raw_post(path, body, auth)
        return response.json()

    async def admin(self, method: str, path: str, body: Any = None) -> httpx.Response:
        return await self.http.request(method, f"{self.server.root_url}/_sandbox/{path}", json=body)
