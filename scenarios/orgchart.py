"""Read and validate a real org chart (and optionally a list of informal ties) from CSV files.

The org chart has one row per employee and the columns ``employee_id``, ``manager_id``
(empty for the single top leader) and ``department``, optionally ``role`` (``employee``,
``middle_manager``, ``veteran`` or ``leader``) and ``tenure_years``. The tie list has the columns
``source`` and ``target`` (employee ids) and optionally ``weight`` (relative tie strength,
1.0 = a teammate tie). Without a tie list, informal ties are generated as for a synthetic
organization; with one, team ties from the hierarchy are always added so nobody is isolated.

:func:`read_org_chart` only reads and validates the files into an :class:`~simulation.OrgChart`;
the model layer makes the organization of it (:meth:`simulation.Organization.from_chart`:
positions, tenures not given, ties), which :func:`load_org_chart` does in one call.
Every check is vectorised (a million-employee org chart loads in about a second, with a list of
6.5 million ties in about two; plain files are read with pyarrow, files with blank lines or short
rows with pandas; ids are looked up in a numba hash table, :mod:`scenarios.ids`).
Every error names the file, the row (the physical line number, the header being row 1), the
column and the value, and says how to fix it; each kind of problem is reported once, with the
number of further rows that have it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from simulation import (
    ROLE_CODES,
    WEIGHT_SCALE,
    Organization,
    OrganizationConfig,
    OrganizationError,
    OrgChart,
    depth_of,
)

from .ids import IdTable

__all__ = ["load_org_chart", "read_org_chart"]

ORG_REQUIRED = ("employee_id", "manager_id", "department")
ORG_OPTIONAL = ("role", "tenure_years")
TIES_REQUIRED = ("source", "target")
TIES_OPTIONAL = ("weight",)
MAX_TENURE_YEARS = 80.0
MAX_TIE_WEIGHT = 1000.0  # keeps integer influence sums far from int32 overflow
_SHOWN = 5  # ids listed in a message about several rows
_FIX_MANAGER = (
    "Use the employee_id of the person's manager; leave manager_id empty only for the top leader."
)


@dataclass(frozen=True)
class _Table:
    """A CSV file's non-blank data rows as stripped strings, with their physical line numbers."""

    path: str
    raw: pd.DataFrame  # every record as read; record 0 is the header
    records: np.ndarray  # record number in ``raw`` of each kept data row
    cols: dict[str, pd.Series]  # column name -> stripped values (RangeIndex over kept rows)

    @property
    def n(self) -> int:
        return int(self.records.shape[0])

    @cached_property
    def _newlines_before(self) -> np.ndarray:
        """Line breaks inside quoted fields of the records before each record."""
        inside = sum(self.raw[c].str.count("\n").to_numpy(np.int64) for c in self.raw.columns)
        return np.concatenate([[0], np.cumsum(inside)])

    def line(self, row: int) -> int:
        """Physical line number (the header is line 1) of kept data row ``row``."""
        rec = int(self.records[row])
        return rec + 1 + int(self._newlines_before[rec])

    def at(self, row: int, column: str) -> str:
        return f"{self.path}, row {self.line(row)}, column {column!r}"


def load_org_chart(
    org_csv: str | Path,
    ties_csv: str | Path | None,
    cfg: OrganizationConfig,
    rng: np.random.Generator,
) -> Organization:
    """Read and validate an org chart (and tie list) into an :class:`Organization`:
    :func:`read_org_chart`, then :meth:`Organization.from_chart` (missing tenures drawn as in
    the generator; without ``ties_csv`` informal ties generated from ``cfg``)."""
    return Organization.from_chart(read_org_chart(org_csv, ties_csv), cfg, rng)


def read_org_chart(org_csv: str | Path, ties_csv: str | Path | None = None) -> OrgChart:
    """Read and validate an org chart (and tie list). Index order is the row order of
    ``org_csv``. Raises :class:`OrganizationError` naming file, row, column and value for any
    invalid input."""
    people = _read_table(org_csv, ORG_REQUIRED, ORG_OPTIONAL)
    if people.n < 2:
        raise OrganizationError(
            f"{people.path}: the org chart has {people.n} employee row(s); at least 2 are needed. "
            "Add one row per employee below the header."
        )
    ids = IdTable(people.cols["employee_id"])  # a hash table of the ids, for every lookup
    manager, problems = _hierarchy(people, ids)
    roles, role_problems = _roles(people)
    given_tenure, tenure_problems = _given_tenure(people)
    _raise_if(problems + role_problems + tenure_problems)
    _check_reaches_top(people, manager)
    department, names = pd.factorize(people.cols["department"])
    ties = None if ties_csv is None else _ties_from_file(ties_csv, people, ids)
    return OrgChart(
        manager=manager,
        department=department.astype(np.int32),
        department_names=tuple(str(d) for d in names),
        employee_ids=people.cols["employee_id"].to_numpy(object),
        roles=roles,
        tenure_years=given_tenure,
        ties=ties,
    )


_READ_ERRORS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (FileNotFoundError, "file not found. Check the path (relative paths start from {cwd})."),
    (IsADirectoryError, "is a directory, not a CSV file."),
    (PermissionError, "cannot be read (permission denied)."),
    (UnicodeDecodeError, "is not a UTF-8 text CSV file; save a spreadsheet as 'CSV UTF-8'."),
    (
        pd.errors.EmptyDataError,
        "is empty or starts with a blank line; the first line must be "
        "the header row with the column names.",
    ),
    (
        (OSError, ValueError),
        "is not a valid CSV file ({exc}). Check the quoting and that no row "
        "has more fields than the header.",
    ),
)


def _read_fast(path: str | Path) -> tuple[pd.DataFrame, bool] | None:
    """Every record of a plain CSV file as strings, read with pyarrow's multi-threaded reader
    (several times faster than pandas' on million-row files), and whether no value can have
    surrounding whitespace (see :func:`_bare`); ``None`` when the file needs the careful
    reader: blank lines (kept as records for line numbers), a header that spans lines, ragged
    rows, bad UTF-8 or any other parse problem (which that reader then reports)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # the UTF-8 byte-order mark ('utf-8-sig')
    if not data or data.isspace() or data[:1] in (b"\n", b"\r") or b"\n\n" in data \
            or b"\n\r\n" in data:
        return None  # blank lines
    first = data[: data.find(b"\n")] if b"\n" in data[:65536] else data[:65536]
    first = first.rstrip(b"\r")
    try:
        header = next(csv.reader(io.StringIO(first.decode("utf-8"))))
    except (UnicodeDecodeError, StopIteration, csv.Error):
        return None
    if first.count(b'"') % 2:  # a quoted header field spans lines
        return None
    names = [f"f{i}" for i in range(len(header))]
    try:
        table = pcsv.read_csv(
            pa.BufferReader(data),
            read_options=pcsv.ReadOptions(column_names=names),
            parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(
                column_types={c: pa.large_string() for c in names},  # pandas: no copy
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
        return None
    raw = table.to_pandas()
    raw.columns = range(len(names))
    return raw, _bare(data)


# Python's str.strip() removes these ASCII characters (str.isspace); the line breaks \n and \r
# are not here because outside quotes they only end records
_INNER_SPACE = (b" ", b"\t", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f")


def _bare(data: bytes) -> bool:
    """True if no field of this CSV text can start or end with whitespace, so stripping
    would change nothing: ASCII only (no Unicode spaces), no quotes (no line breaks inside
    values) and none of the other whitespace characters anywhere (fast byte scans)."""
    return data.isascii() and b'"' not in data and not any(c in data for c in _INNER_SPACE)


def _read_raw(path: str | Path) -> tuple[pd.DataFrame, bool]:
    """The file's records as strings, and whether its values need no stripping."""
    fast = _read_fast(path)
    if fast is not None:
        return fast
    try:
        raw = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            header=None,
            skip_blank_lines=False,
            encoding="utf-8-sig",
        )
    except (OSError, ValueError) as exc:  # pandas' parser errors are ValueErrors
        why = next(msg for kind, msg in _READ_ERRORS if isinstance(exc, kind))
        raise OrganizationError(f"{path}: {why.format(cwd=Path.cwd(), exc=exc)}") from None
    return raw.fillna(""), False


def _read_table(path: str | Path, required: tuple[str, ...], optional: tuple[str, ...]) -> _Table:
    raw, bare = _read_raw(path)
    header = [str(h).strip() for h in raw.iloc[0]]
    _check_header(str(path), header, required, optional)
    body = pd.DataFrame(
        {name: raw[i].iloc[1:] if bare else raw[i].iloc[1:].str.strip()
         for i, name in enumerate(header)}
    )
    blank = (body == "").all(axis=1)
    if blank.any():  # rows of empty fields only (",,"): not employees
        body = body[~blank]
    records = body.index.to_numpy()
    cols = {c: body[c].reset_index(drop=True) for c in header}
    return _Table(str(path), raw, records, cols)


def _check_header(
    path: str, header: list[str], required: tuple[str, ...], optional: tuple[str, ...]
) -> None:
    allowed = required + optional
    found = ", ".join(repr(h) for h in header)
    twice = sorted({h for h in header if header.count(h) > 1})
    missing = [c for c in required if c not in header]
    unknown = [h for h in header if h not in allowed]
    _raise_if(
        [
            f"{path}, row 1 (header): {msg}"
            for bad, msg in (
                (
                    missing,
                    f"missing required column(s) {_names(missing)}; columns found: {found}. Add "
                    "them to the header (names are case-sensitive).",
                ),
                (
                    unknown,
                    f"unknown column(s) {_names(unknown)}. Allowed columns: {_names(allowed)}; "
                    "remove or rename the others.",
                ),
                (twice, f"column(s) {_names(twice)} appear more than once; keep one of each."),
            )
            if bad
        ]
    )


def _names(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(repr(n) for n in names)


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise OrganizationError("\n".join(problems))


def _report(t: _Table, mask: np.ndarray, column: str, what: str, fix: str) -> list[str]:
    """One message for the first row where ``mask`` holds; ``what`` may use ``{value}``."""
    rows = np.flatnonzero(mask)
    if rows.size == 0:
        return []
    first = int(rows[0])
    value = repr(t.cols[column].iat[first])
    msg = f"{t.at(first, column)}: {what.format(value=value)}. {fix}"
    if rows.size > 1:
        msg += (
            f" ({rows.size - 1} more row(s) have the same problem, the next at row "
            f"{t.line(int(rows[1]))}.)"
        )
    return [msg]


def _decode(text: pd.Series, parse: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``parse`` applied once per distinct string (an object array), spread back to rows."""
    codes, uniques = pd.factorize(text)
    return parse(np.asarray(uniques, dtype=object))[codes]


def _numbers(strings: np.ndarray) -> np.ndarray:
    return pd.to_numeric(pd.Series(strings, dtype=object), errors="coerce").to_numpy(np.float64)


def _hierarchy(t: _Table, id_rows: IdTable) -> tuple[np.ndarray, list[str]]:
    """Manager index per row (-1 = none) and the row-level problems of ids and managers."""
    ids, boss = t.cols["employee_id"], t.cols["manager_id"]
    no_id = (ids == "").to_numpy()
    manager = id_rows.rows(boss)  # -1: empty or unknown
    dup = id_rows.duplicate & ~no_id
    has_boss = (boss != "").to_numpy()
    problems = _report(
        t, no_id, "employee_id", "employee_id is empty", "Give every employee a unique id."
    )
    if dup.any():
        r = int(np.flatnonzero(dup)[0])
        orig = int(np.flatnonzero((ids == ids.iat[r]).to_numpy())[0])
        problems += _report(
            t,
            dup,
            "employee_id",
            f"duplicate employee_id {{value}}, also on row {t.line(orig)}",
            "Employee ids must be unique: one row per employee.",
        )
    problems += _report(
        t,
        (t.cols["department"] == "").to_numpy(),
        "department",
        "department is empty",
        "Name the department of every employee.",
    )
    problems += _report(
        t,
        has_boss & (manager < 0),
        "manager_id",
        "unknown manager {value}: no row has this employee_id",
        _FIX_MANAGER,
    )
    problems += _report(
        t,
        manager == np.arange(t.n),
        "manager_id",
        "employee is their own manager (manager_id {value} equals employee_id)",
        _FIX_MANAGER,
    )
    return manager, problems + _top_problems(t, np.flatnonzero(~has_boss))


def _top_problems(t: _Table, tops: np.ndarray) -> list[str]:
    if tops.size == 1:
        return []
    if tops.size == 0:
        return [
            f"{t.path}, rows {t.line(0)}-{t.line(t.n - 1)}, column 'manager_id': no top "
            "leader: every row has a manager_id. Leave manager_id empty on exactly one row, "
            "the top leader's."
        ]
    shown = ", ".join(
        f"{t.cols['employee_id'].iat[r]!r} (row {t.line(int(r))})" for r in tops[:_SHOWN]
    )
    more = f" and {tops.size - _SHOWN} more" if tops.size > _SHOWN else ""
    return [
        f"{t.at(int(tops[0]), 'manager_id')}: {tops.size} rows have an empty manager_id "
        f"(top leaders): {shown}{more}. There must be exactly one top leader; give the "
        "others their manager's employee_id."
    ]


def _check_reaches_top(t: _Table, manager: np.ndarray) -> None:
    """Raise if some people never reach the top leader (a management cycle)."""
    cut_off = depth_of(manager) < 0
    if not cut_off.any():
        return
    seen: dict[int, int] = {}
    i = int(np.flatnonzero(cut_off)[0])
    while i not in seen:  # follow managers up until one repeats: the cycle
        seen[i] = len(seen)
        i = int(manager[i])
    cycle = list(seen)[seen[i] :]
    k = cycle.index(min(cycle))
    cycle = cycle[k:] + cycle[:k]
    ids = t.cols["employee_id"]
    chain = " -> ".join(f"{ids.iat[r]!r} (row {t.line(r)})" for r in cycle[: 2 * _SHOWN])
    if len(cycle) > 2 * _SHOWN:
        chain += f" -> ... ({len(cycle)} people)"
    raise OrganizationError(
        f"{t.at(cycle[0], 'manager_id')}: management cycle: {chain} -> {ids.iat[cycle[0]]!r}. "
        f"{int(cut_off.sum())} people never reach the top leader; change the manager_id of one "
        "of them to someone outside the cycle."
    )


def _roles(t: _Table) -> tuple[np.ndarray | None, list[str]]:
    if "role" not in t.cols:
        return None, []
    codes = _decode(
        t.cols["role"],
        lambda names: np.array([ROLE_CODES.get(r, -2 if r else -1) for r in names], np.int8),
    )  # -2: not a role
    problems = _report(
        t,
        codes == -2,
        "role",
        "unknown role {value}",
        f"Use one of {_names(tuple(ROLE_CODES))}, or leave it empty to derive "
        "the role from the hierarchy.",
    )
    return codes, problems


def _given_tenure(t: _Table) -> tuple[np.ndarray | None, list[str]]:
    if "tenure_years" not in t.cols:
        return None, []
    text = t.cols["tenure_years"]
    value = _decode(text, _numbers)
    ok = (value >= 0) & (value <= MAX_TENURE_YEARS)
    given = (text != "").to_numpy()
    problems = _report(
        t,
        given & ~ok,
        "tenure_years",
        "bad tenure {value}",
        f"Give years as a number from 0 to {MAX_TENURE_YEARS:g} (e.g. 4.5), or "
        "leave it empty to draw one.",
    )
    return np.where(given, value, np.nan), problems


def _ties_from_file(
    path: str | Path, people: _Table, ids: IdTable
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The listed ties: (source rows, target rows, int32 weights). Ties are undirected; the model
    layer counts a pair listed more than once once (:func:`simulation.organization_ties`)."""
    t = _read_table(path, TIES_REQUIRED, TIES_OPTIONAL)
    src, dst = ids.rows(t.cols["source"]), ids.rows(t.cols["target"])
    problems = []
    for col, end in zip(TIES_REQUIRED, (src, dst), strict=True):
        empty = (t.cols[col] == "").to_numpy()
        problems += _report(
            t, empty, col, f"{col} is empty", "Give the employee_id of both people of every tie."
        )
        problems += _report(
            t,
            ~empty & (end < 0),
            col,
            f"unknown employee id {{value}}: not an employee_id in {people.path}",
            f"Use ids from the employee_id column of {people.path}.",
        )
    problems += _report(
        t,
        (src >= 0) & (src == dst),
        "target",
        "tie from a person to themselves ({value})",
        "Remove the row: a tie joins two different people.",
    )
    weight, weight_problems = _tie_weights(t)
    _raise_if(problems + weight_problems)
    return src, dst, weight


def _tie_weights(t: _Table) -> tuple[np.ndarray, list[str]]:
    if "weight" not in t.cols:
        return np.full(t.n, WEIGHT_SCALE, np.int32), []
    text = t.cols["weight"]
    given = (text != "").to_numpy()
    value = np.where(given, _decode(text, _numbers), 1.0)
    ok = np.isfinite(value) & (value > 0) & (value <= MAX_TIE_WEIGHT)
    scaled = np.round(np.where(ok, value, 1.0) * WEIGHT_SCALE)
    ok &= scaled >= 1
    problems = _report(
        t,
        given & ~ok,
        "weight",
        "bad tie weight {value}",
        f"Give a number from {1 / WEIGHT_SCALE:g} to {MAX_TIE_WEIGHT:g} (1.0 = "
        "a teammate tie), or leave it empty for 1.0.",
    )
    return scaled.astype(np.int32), problems
