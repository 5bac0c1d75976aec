"""Dispute dialogues that know nothing of Telegram.

Public surface: :class:`conversations.engine.Engine` (``await engine.handle(actor, event)``
returns replies), the event contract in :mod:`conversations.events`, and the ports a
caller must satisfy in :mod:`conversations.ports`. Flows live one per module
(``open_dispute``, ``close_dispute``, ``follow``), each with its Mermaid diagram beside it.

No exception of its own leaves this package: CJ failures (:mod:`cj.errors`) become replies
that keep the draft; anything else is a bug and propagates to the transport.
"""
