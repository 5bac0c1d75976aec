"""Alex: wiring shared by every entry point (settings, CLI, logging, demo).

The domain packages stand on their own: ``cj`` (CJ API client and sandbox),
``faq`` (knowledge base and matcher), ``conversations`` (transport-free dispute
flows), ``store`` (SQLite), ``bot`` (the only package importing ``telegram``).
"""
