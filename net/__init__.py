"""Networked play: a host around one local Session, and seats that join it over WebSockets.

``wire`` is the message format (docs/protocol.md), ``seats`` the join codes and what each seat
may see, ``host`` the server, ``remote`` the ``SessionLike`` a joined console runs on, and
``bot`` the headless seat. Nothing here imports Textual; the screens stay in ``tui/``.
"""
