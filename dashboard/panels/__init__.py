"""The panels pages are made of: one file per panel, each a Solara component that takes its
data as arguments (or reads the session state in :mod:`dashboard.state`) and words numbers
computed in :mod:`experiments`."""
