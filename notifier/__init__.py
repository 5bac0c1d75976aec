"""Status pushes: watch every CJ dispute, tell the opener and the team groups the moment it changes.

Telegram-free. Modules, one job each:

    poller       sweep an account's disputes (paged, background priority), diff, queue messages
    diff         what changed and a fingerprint per change (the outbox dedupe key)
    messages     every push text, with the next step from CJ's help pages
    dispatcher   deliver the outbox within Telegram's limits: at least once, never twice
    digests      daily and weekly group digests (the weekly one with a matplotlib chart)
    webhooks     CJ order/logistics webhooks: verify the signature, queue by messageId
    suggestions  logistics trouble and delayed orders → "open a dispute" suggestions
    service      the long-running whole: sweep at start and on an interval, deliver, housekeeping
    sender       the ``Sender`` protocol (``bot/push_sender.py`` implements it with PTB)
    errors       the exception tree (see :mod:`notifier.errors`)
    clock        injected time, and a fake clock for tests and benchmarks

State lives in SQLite through ``store.disputes_seen``, ``store.outbox`` and ``store.webhook_messages``.
"""
