"""The strategist dashboard: a multi-page Solara app over the experiments layer.

``adoptsim dashboard`` (or ``python -m dashboard``) serves it on 127.0.0.1:8765. Pages live in
:mod:`dashboard.pages` (one ``Page`` component each), the panels they are made of in
:mod:`dashboard.panels` (one file per panel), the session's state in :mod:`dashboard.state` and
the background runs in :mod:`dashboard.runs`. Nothing here computes an outcome: the numbers and
the facts behind the words come from :mod:`experiments`.

Importing this package imports nothing heavy: worker processes re-import it.
"""
