"""The ``businessDisputeId`` of a draft: CJ's idempotency key for ``disputes/create``.

CJ's docs ("07. Dispute", create) mark ``businessDisputeId`` as the customer's unique value
(唯一值, at most 100 characters). Alex derives it from the order and the draft, so a retried
or replayed create of the same draft sends the same id. A module of its own so that callers
(the conversations) need not import the client.
"""

from __future__ import annotations

import hashlib

BUSINESS_ID_PREFIX = "AX"


def business_dispute_id(order_id: str, draft_key: str) -> str:
    """The same inputs give the same id (``AX`` + 30 hex digits)."""
    digest = hashlib.sha256(f"{order_id.strip()}\n{draft_key}".encode()).hexdigest()
    return f"{BUSINESS_ID_PREFIX}{digest[:30]}"
