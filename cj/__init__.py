"""The CJdropshipping API: a typed async client and a loopback sandbox that speaks the same protocol.

``cj`` knows nothing of Telegram. Public surface: :mod:`cj.models`, the error tree
in :mod:`cj.errors`, :class:`cj.client.CJClient`, and :mod:`cj.sandbox`.
"""
