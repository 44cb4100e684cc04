"""The ``adoptsim`` console script. It lives outside the packages so that nothing heavy is
imported before it runs: Ctrl-C while the command line is still loading (``experiments``
imports numpy, numba, pandas and Mesa, a second or more, far longer on a busy machine) exits
130 quietly, like Ctrl-C later on, instead of printing a traceback from the middle of an
import."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from experiments.cli import main as cli_main  # the CLI itself (experiments/cli.py)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was written\n")
        sys.exit(130)
    cli_main()
