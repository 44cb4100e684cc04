"""Where to draw each person of an organization: computed once per organization, cached.

No force-directed ("spring") layout: it costs seconds at a thousand people and moves everyone on
every redraw. Instead the layout follows the organization's structure, in O(n):

- each department is a rectangle of a squarified treemap (Bruls, Huizing and van Wijk 2000),
  its area proportional to its head count, so departments are visibly grouped;
- inside it, each team (a manager's direct reports in that department) is a small cluster: the
  manager at its centre, the reports around (a ring, or a sunflower spiral for large teams);
- clusters are laid out in the order of a depth-first walk of the hierarchy, row by row
  alternating direction, so sub-teams sit next to their parent team.

:func:`network_layout` caches by the organization's content (its hierarchy and departments), so
the same organization (every plan of a comparison meets the same replicate organizations, and an
imported org chart is one organization) is laid out once.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulation import Organization

__all__ = ["Box", "NetworkLayout", "department_boxes", "fingerprint", "network_layout"]

_GAP = 0.012  # space between department rectangles (share of the drawing's width)
_CACHE_SIZE = 16
_cache: OrderedDict[str, NetworkLayout] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class Box:
    """A department's rectangle in the unit-wide drawing."""

    name: str
    size: int
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)


@dataclass(frozen=True)
class NetworkLayout:
    """Positions (n, 2) of every person, and each department's rectangle."""

    xy: np.ndarray
    boxes: tuple[Box, ...]
    key: str


def _worst(row: list[float], side: float) -> float:
    s = sum(row)
    return max(max(side * side * r / (s * s), s * s / (side * side * r)) for r in row)


def _squarify(areas: list[float], x: float, y: float, w: float, h: float) -> list[tuple]:
    """Rectangles (x, y, w, h) for areas sorted largest first, filling the rectangle."""
    rects = []
    while areas:
        side = min(w, h)
        row, i = [areas[0]], 1
        while i < len(areas) and _worst([*row, areas[i]], side) <= _worst(row, side):
            row.append(areas[i])
            i += 1
        s = sum(row)
        if w >= h:  # the row becomes a column on the left
            cw, yy = s / h, y
            for a in row:
                rects.append((x, yy, cw, a / cw))
                yy += a / cw
            x, w = x + cw, w - cw
        else:
            rh, xx = s / w, x
            for a in row:
                rects.append((xx, y, a / rh, rh))
                xx += a / rh
            y, h = y + rh, h - rh
        areas = areas[i:]
    return rects


def department_boxes(
    sizes: Sequence[int], names: Sequence[str], aspect: float = 0.62
) -> tuple[Box, ...]:
    """A treemap of departments in a 1 x ``aspect`` drawing, in the order of ``names``."""
    sizes = np.maximum(np.asarray(sizes, float), 0.0)
    order = [i for i in np.argsort(-sizes, kind="stable") if sizes[i] > 0]
    total = sizes.sum()
    boxes: dict[int, Box] = {}
    if total > 0:
        areas = [sizes[i] / total * aspect for i in order]
        for i, (x, y, w, h) in zip(order, _squarify(areas, 0.0, 0.0, 1.0, aspect), strict=True):
            g = min(_GAP, w / 4, h / 4) / 2
            boxes[i] = Box(names[i], int(sizes[i]), x + g, y + g, x + w - g, y + h - g)
    return tuple(boxes.get(i, Box(names[i], 0, 0.0, 0.0, 0.0, 0.0)) for i in range(len(names)))


def fingerprint(org: Organization) -> str:
    """A key for the organization's structure (hierarchy, departments, positions)."""
    h = hashlib.blake2b(digest_size=16)
    for a in (org.manager, org.department, org.position):
        h.update(np.ascontiguousarray(a).tobytes())
    h.update("\x1f".join(org.department_names).encode())
    return h.hexdigest()


def _preorder(manager: np.ndarray) -> np.ndarray:
    """Rank of each person in a depth-first walk of the hierarchy (children by index)."""
    n = manager.shape[0]
    order = np.argsort(manager, kind="stable")
    starts = np.searchsorted(manager[order], np.arange(-1, n + 1))
    rank = np.zeros(n, np.int64)
    stack = list(order[starts[0] : starts[1]][::-1])  # the top(s)
    k = 0
    while stack:
        p = stack.pop()
        rank[p] = k
        k += 1
        stack.extend(order[starts[p + 1] : starts[p + 2]][::-1])
    return rank


def _clusters(org: Organization) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cluster of each person (a team within a department), whether they are its centre, and
    each cluster's department, ordered by department and then by the hierarchy walk."""
    manager, dept = org.manager.astype(np.int64), org.department.astype(np.int64)
    n = manager.shape[0]
    has_reports = np.bincount(manager[manager >= 0], minlength=n) > 0
    head = has_reports | (manager < 0)
    lead = np.where(head, np.arange(n), manager)  # whose team a person is drawn in
    rank = _preorder(manager)
    key = dept * (n + 1) + rank[lead]
    uniq, cluster = np.unique(key, return_inverse=True)
    return cluster, head, uniq // (n + 1)


def _spots(m: int) -> np.ndarray:
    """Offsets (m, 2) of a team's reports around their manager, within a unit cell."""
    j = np.arange(m)
    if m <= 10:
        angle = 2 * np.pi * j / max(m, 1) + np.pi / 2
        radius = np.full(m, 0.36)
    else:  # a sunflower spiral: evenly spread however large the team
        angle = j * np.pi * (3 - math.sqrt(5))
        radius = 0.14 + 0.3 * np.sqrt((j + 0.5) / m)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _place(org: Organization, boxes: tuple[Box, ...]) -> np.ndarray:
    cluster, head, cluster_dept = _clusters(org)
    n = cluster.shape[0]
    xy = np.zeros((n, 2))
    members = np.argsort(cluster, kind="stable")
    bounds = np.searchsorted(cluster[members], np.arange(cluster_dept.shape[0] + 1))
    for d, box in enumerate(boxes):
        ids = np.flatnonzero(cluster_dept == d)
        if not ids.size:
            continue
        w, h = box.x1 - box.x0, box.y1 - box.y0
        cols = max(1, math.ceil(math.sqrt(ids.size * w / max(h, 1e-9))))
        rows = math.ceil(ids.size / cols)
        cell = min(w / cols, h / rows)
        for k, c in enumerate(ids):
            r, q = divmod(k, cols)
            q = q if r % 2 == 0 else cols - 1 - q  # alternate: neighbours stay close
            cx = box.x0 + (q + 0.5) * w / cols
            cy = box.y1 - (r + 0.5) * h / rows
            people = members[bounds[c] : bounds[c + 1]]
            centre = people[head[people] & (cluster[people] == c)]
            others = np.setdiff1d(people, centre[:1], assume_unique=True)
            xy[centre[:1]] = (cx, cy)
            xy[others] = np.array([cx, cy]) + _spots(others.size) * cell
    return xy


def network_layout(org: Organization, aspect: float = 0.62) -> NetworkLayout:
    """Positions of everyone in ``org`` (cached per organization: see the module docstring)."""
    key = f"{fingerprint(org)}:{aspect}"
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    sizes = np.bincount(org.department, minlength=org.n_departments)
    boxes = department_boxes(sizes, org.department_names, aspect)
    layout = NetworkLayout(_place(org, boxes), boxes, key)
    with _lock:
        _cache[key] = layout
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return layout
