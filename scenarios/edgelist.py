"""Read a research network from an edge-list file (``classic.network = "edge-list"``).

One tie per line: ``source target`` as non-negative integer node ids, separated by spaces, tabs
or a comma; further columns (a weight, a timestamp) are ignored; blank lines and ``#`` comments
are skipped. Node ids are used as indices, so the population is ``max id + 1`` (an id that
never appears is an isolated person). Self-ties are dropped and repeated ties merged. Every
error names the file, the line and the column, and never quotes the file's content: a scenario
can name any file, and a message must not print a line of it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from simulation import OrganizationError
from simulation.classic import Network, from_edges

__all__ = ["MAX_NODES", "read_edge_list"]

MAX_NODES = 50_000_000  # the largest organization a scenario allows
_SPLIT = re.compile(r"[,\s]+")


def _node_id(text: str, where: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise OrganizationError(
            f"{where}: not a node id; ids must be non-negative integers "
            "(renumber the nodes 0..N-1)"
        )
    value = int(text)
    if value >= MAX_NODES:
        raise OrganizationError(f"{where}: node id {value} exceeds the maximum {MAX_NODES - 1}")
    return value


def _parse(path: Path, lines: list[str]) -> tuple[list[int], list[int]]:
    src: list[int] = []
    dst: list[int] = []
    for row, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        cols = [c for c in _SPLIT.split(text) if c]
        if len(cols) < 2:
            raise OrganizationError(
                f"{path}: line {row}: expected two columns 'source target', found {len(cols)}"
            )
        src.append(_node_id(cols[0], f"{path}: line {row}, column 1 (source)"))
        dst.append(_node_id(cols[1], f"{path}: line {row}, column 2 (target)"))
    return src, dst


def read_edge_list(path: str | Path) -> Network:
    """The network in an edge-list file (see the module docstring for the format)."""
    path = Path(path)
    if path.exists() and not path.is_file():  # a folder, a FIFO or a device (/dev/zero)
        raise OrganizationError(f"{path}: the edge list must be a regular file")
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise OrganizationError(f"{path}: edge-list file not found") from None
    except UnicodeDecodeError as e:
        raise OrganizationError(
            f"{path}: the edge list is not UTF-8 text (byte {e.start})"
        ) from None
    except OSError as e:
        raise OrganizationError(
            f"{path}: cannot read the edge-list file ({e.strerror or e})"
        ) from None
    src, dst = _parse(path, lines)
    if not src:
        raise OrganizationError(f"{path}: the edge list has no ties")
    s, d = np.asarray(src, np.int64), np.asarray(dst, np.int64)
    return from_edges(int(max(s.max(), d.max())) + 1, s, d)
