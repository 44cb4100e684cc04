"""Kept for installs made before the console script moved to ``adoptsim_console.py`` (their
``adoptsim`` script imports this one): re-run ``scripts/setup.sh`` to get the new script, which
also exits quietly on Ctrl-C while the command line loads."""

from __future__ import annotations


def main() -> None:
    from .cli import main as cli_main

    cli_main()
