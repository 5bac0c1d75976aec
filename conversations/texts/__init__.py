"""Every sentence the dialogues show, one module per part, as ``N_``-marked constants.

Code never writes a user-visible sentence inline: it names a constant here and renders it
through the chat's :class:`i18n.Translator` (``ctx.tr``) when the reply is built, filling the
named ``{placeholders}`` after translation; counts use ``Nn_`` pairs ("1 file" / "2 files").
Policy wording (figures with their sources) lives in :mod:`conversations.policy` instead.

``common`` (engine, help, welcome, shared step texts, FAQ replies), ``open`` (the open flow),
``close`` (the close flow), ``follow`` (``/disputes``, ``/status`` and dispute details).
"""
