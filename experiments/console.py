"""The ``adoptsim`` console script: Ctrl-C while the command line is still loading (numpy,
numba and pandas take a second or more to import) exits 130 quietly, like Ctrl-C later on,
instead of printing a traceback from the middle of an import."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from .cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was written\n")
        sys.exit(130)
    cli_main()
