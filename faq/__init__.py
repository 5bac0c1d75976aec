"""Policy answers for CJ sellers: the knowledge base (``data/faq.json``), a rapidfuzz matcher that
knows when it does not know, and the ``alex faq`` command.

Public surface: :func:`faq.matcher.load_matcher` -> :class:`faq.matcher.Matcher` (``answer``,
``search``, ``entry``), :class:`faq.kb.Entry`, :func:`faq.present.format_entry` (the one text of
an answer, with its sources as a seller reads them), the errors in :mod:`faq.errors`. Nothing here
imports ``telegram`` or pydantic, so ``alex faq`` starts fast. See ``docs/faq.md``.
"""
