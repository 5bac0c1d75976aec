"""The Telegram adapter: the only package that imports ``telegram``.

Updates become :class:`conversations.events.Event` values for the engine (or questions for
the FAQ matcher); the replies come back as HTML messages with inline keyboards. Modules, one
concern each: ``application`` wires, ``handlers`` / ``callbacks`` / ``inline`` / ``media`` /
``groups`` handle one kind of update, ``mapping`` and ``render`` translate, ``processing``
keeps each chat's updates in order, ``webserver`` serves webhooks and evidence files,
``errors`` holds the exception tree and the global error handler, ``run`` is ``alex run``.
"""
