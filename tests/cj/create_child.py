"""A separate process that opens one dispute: ``python -m tests.cj.create_child SPEC_JSON``.

The kill and two-process tests start it, SIGKILL it while its request is in flight at the
sandbox, or run two at once on one database. It prints the created dispute as one JSON line,
or ``{"error": ClassName, "message": ...}``.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from cj.client import CJClient
from cj.errors import CJError
from cj.ratelimit import RateLimiter
from store import open_store


async def main(spec: dict[str, Any]) -> dict[str, Any]:
    store = open_store(spec["db"])
    try:
        async with CJClient(
            spec["api_key"],
            base_url=spec["base_url"],
            store=store,
            limiter=RateLimiter(1000),
            timeout=float(spec.get("timeout", 15.0)),
        ) as client:
            try:
                created = await client.create_dispute(spec["request"], actor="child")
            except CJError as exc:
                return {"error": type(exc).__name__, "message": str(exc)}
            return {"id": created.id}
    finally:
        store.close()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(json.loads(sys.argv[1])))), flush=True)
