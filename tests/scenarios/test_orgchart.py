"""Org-chart import: structure, positions, tenure, ties, and one test per kind of bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios.orgchart import load_org_chart
from simulation.config import OrganizationConfig
from simulation.errors import OrganizationError
from simulation.generator import generate_organization
from simulation.organization import IC, LEADER_POS, MANAGER_POS, WEIGHT_SCALE, depth_of
from simulation.states import ROLE_EMPLOYEE, ROLE_LEADER, ROLE_MANAGER, ROLE_VETERAN

CFG = OrganizationConfig()

# 12 people in 2 departments. Index (= row order), id, manager id, department.
PEOPLE = [
    ("CEO", "", "Sales"),  # 0  top leader
    ("S1", "CEO", "Sales"),  # 1  executive team (reports to the top, has reports)
    ("E1", "CEO", "Engineering"),  # 2  executive team
    ("S2", "S1", "Sales"),  # 3  middle manager
    ("S3", "S2", "Sales"),  # 4
    ("S4", "S2", "Sales"),  # 5
    ("S5", "S1", "Sales"),  # 6
    ("E2", "E1", "Engineering"),  # 7  middle manager
    ("E3", "E2", "Engineering"),  # 8
    ("E4", "E2", "Engineering"),  # 9
    ("E5", "E1", "Engineering"),  # 10
    ("A1", "CEO", "Sales"),  # 11 reports to the top but has no reports: IC
]
MANAGER = [-1, 0, 0, 1, 3, 3, 1, 2, 7, 7, 2, 0]
POSITION = [
    LEADER_POS,
    LEADER_POS,
    LEADER_POS,
    MANAGER_POS,
    IC,
    IC,
    IC,
    MANAGER_POS,
    IC,
    IC,
    IC,
    IC,
]
INDEX = {pid: i for i, (pid, _, _) in enumerate(PEOPLE)}


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _org_lines(people=PEOPLE) -> list[str]:
    return ["employee_id,manager_id,department"] + [",".join(row) for row in people]


def _org(tmp_path: Path, people=PEOPLE) -> Path:
    return _write(tmp_path, "org.csv", _org_lines(people))


def _load(org, ties=None, cfg=CFG, seed=0):
    return load_org_chart(org, ties, cfg, np.random.default_rng(seed))


def _error(org, ties=None) -> str:
    with pytest.raises(OrganizationError) as info:
        _load(org, ties)
    return str(info.value)


def _assert_names(msg: str, path: Path, row: int, column: str, value: str | None = None):
    assert str(path) in msg
    assert f"row {row}" in msg
    assert repr(column) in msg
    if value is not None:
        assert repr(value) in msg


# -- valid org charts ---------------------------------------------------------------------------


def test_minimal_columns_give_hierarchy_departments_and_positions(tmp_path):
    org = _load(_org(tmp_path))
    assert org.n == 12
    assert org.manager.dtype == np.int32 and org.manager.tolist() == MANAGER
    assert org.department_names == ("Sales", "Engineering")
    assert org.department.dtype == np.int32
    assert org.department.tolist() == [0 if p[2] == "Sales" else 1 for p in PEOPLE]
    assert org.position.dtype == np.int8 and org.position.tolist() == POSITION
    assert org.role_override is None
    assert list(org.employee_ids) == [p[0] for p in PEOPLE]
    assert (depth_of(org.manager) >= 0).all()
    assert org.top() == 0


def test_missing_tenure_is_drawn_like_the_generator(tmp_path):
    cfg = OrganizationConfig(tenure_mean_years=7.0, tenure_shape=2.0)
    org = _load(_org(tmp_path), cfg=cfg, seed=3)
    expected = np.random.default_rng(3).gamma(2.0, 3.5, 12)
    expected[np.array(POSITION) != IC] += 3.0
    assert org.tenure_years.dtype == np.float64
    np.testing.assert_allclose(org.tenure_years, expected)


def test_role_and_tenure_columns_in_any_order(tmp_path):
    roles = {"S2": "employee", "A1": "middle_manager", "E4": "veteran", "E5": "leader"}
    tenure = {"CEO": "12", "S3": "0", "E3": "4.5", "E4": " 80 "}
    lines = [" department , role,employee_id , tenure_years,manager_id"] + [
        f"{dept},{roles.get(pid, '')},{pid},{tenure.get(pid, '')},{boss}"
        for pid, boss, dept in PEOPLE
    ]
    cfg = OrganizationConfig()
    org = _load(_write(tmp_path, "org.csv", lines), cfg=cfg, seed=5)
    assert org.manager.tolist() == MANAGER
    position = list(POSITION)
    position[INDEX["S2"]], position[INDEX["A1"]] = IC, MANAGER_POS
    position[INDEX["E4"]], position[INDEX["E5"]] = IC, LEADER_POS
    assert org.position.tolist() == position
    override = [-1] * 12
    override[INDEX["S2"]], override[INDEX["A1"]] = ROLE_EMPLOYEE, ROLE_MANAGER
    override[INDEX["E4"]], override[INDEX["E5"]] = ROLE_VETERAN, ROLE_LEADER
    assert org.role_override.dtype == np.int8 and org.role_override.tolist() == override
    for pid, years in tenure.items():
        assert org.tenure_years[INDEX[pid]] == float(years)
    missing = np.array([p[0] not in tenure for p in PEOPLE])
    drawn = np.random.default_rng(5).gamma(
        cfg.tenure_shape, cfg.tenure_mean_years / cfg.tenure_shape, int(missing.sum())
    )
    drawn[np.array(position)[missing] != IC] += 3.0
    np.testing.assert_allclose(org.tenure_years[missing], drawn)


def test_without_ties_file_everyone_has_ties(tmp_path):
    org = _load(_org(tmp_path))
    assert (org.degree >= 1).all()
    for i in range(org.n):  # team ties to one's manager are always there
        if MANAGER[i] >= 0:
            assert MANAGER[i] in org.neighbours(i)


def _team_pairs() -> dict[tuple[int, int], int]:
    """Team ties: each manager with their direct reports is a clique."""
    pairs: dict[tuple[int, int], int] = {}
    for m in range(12):
        group = [m] + [i for i in range(12) if MANAGER[i] == m]
        for a in group:
            for b in group:
                if a < b:
                    pairs[(a, b)] = 0
    return pairs


def test_ties_file_adds_exactly_the_given_ties_plus_team_ties(tmp_path):
    ties = _write(
        tmp_path,
        "ties.csv",
        [
            "source,target,weight",
            "S5,E5,0.5",  # across departments
            "S3,S4,2",  # already teammates: weights add up
            "E3,A1,",  # empty weight means 1.0
        ],
    )
    org = _load(_org(tmp_path), ties, cfg=OrganizationConfig(weight_team=1.5))
    expected = {pair: 150 for pair in _team_pairs()}
    assert len(expected) == 18
    expected[(INDEX["S5"], INDEX["E5"])] = 50
    expected[(INDEX["S3"], INDEX["S4"])] += 200
    expected[(INDEX["A1"], INDEX["E3"])] = 100
    assert org.n_ties == 20
    for i in range(12):
        row = {b if a == i else a: w for (a, b), w in expected.items() if i in (a, b)}
        got = dict(
            zip(
                org.neighbours(i).tolist(),
                org.weight[org.indptr[i] : org.indptr[i + 1]].tolist(),
                strict=True,
            )
        )
        assert got == row, PEOPLE[i][0]
    s5 = INDEX["S5"]
    assert org.neighbours(s5).tolist() == [INDEX["S1"], INDEX["S2"], INDEX["E5"]]


def test_ties_file_without_weight_column_uses_one(tmp_path):
    ties = _write(tmp_path, "ties.csv", ["target,source", "E5,S5"])
    org = _load(_org(tmp_path), ties)
    s5, e5 = INDEX["S5"], INDEX["E5"]
    k = org.neighbours(s5).tolist().index(e5)
    assert org.weight[org.indptr[s5] + k] == WEIGHT_SCALE
    assert org.n_ties == 19


def test_blank_lines_are_skipped(tmp_path):
    lines = _org_lines()
    lines.insert(3, "")
    lines.append(" , , ")
    org = _load(_write(tmp_path, "org.csv", lines))
    assert org.manager.tolist() == MANAGER


def test_generated_organization_round_trips(tmp_path):
    gen = generate_organization(
        OrganizationConfig(employees=5000, departments=6), np.random.default_rng(11)
    )
    ids = np.array([f"E{i + 1:05d}" for i in range(gen.n)])
    boss = np.where(gen.manager >= 0, ids[np.maximum(gen.manager, 0)], "")
    path = tmp_path / "big.csv"
    pd.DataFrame(
        {
            "employee_id": ids,
            "manager_id": boss,
            "department": np.array(gen.department_names)[gen.department],
        }
    ).to_csv(path, index=False)
    org = _load(path)
    np.testing.assert_array_equal(org.manager, gen.manager)
    np.testing.assert_array_equal(org.department, gen.department)
    assert org.department_names == gen.department_names
    np.testing.assert_array_equal(org.position, gen.position)
    assert (depth_of(org.manager) >= 0).all()


# -- bad files ----------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    msg = _error(str(path))
    assert str(path) in msg and "not found" in msg


def test_empty_file(tmp_path):
    path = tmp_path / "org.csv"
    path.write_bytes(b"")
    msg = _error(path)
    assert str(path) in msg and "empty" in msg


def test_binary_file_is_not_csv(tmp_path):
    path = tmp_path / "org.xlsx"
    path.write_bytes(b"PK\x03\x04\xff\xfe\x00\x81\x9f" * 50)
    msg = _error(path)
    assert str(path) in msg and "UTF-8" in msg


def test_row_with_too_many_fields(tmp_path):
    lines = _org_lines()
    lines[4] += ",extra"
    path = _write(tmp_path, "org.csv", lines)
    msg = _error(path)
    assert str(path) in msg and "not a valid CSV" in msg


def test_fewer_than_two_employees(tmp_path):
    path = _write(tmp_path, "org.csv", ["employee_id,manager_id,department", "CEO,,Sales"])
    msg = _error(path)
    assert str(path) in msg and "at least 2" in msg


def test_missing_required_column(tmp_path):
    path = _write(tmp_path, "org.csv", ["employee_id,Department,role", "A,Sales,", "B,Sales,"])
    msg = _error(path)
    _assert_names(msg, path, 1, "manager_id")
    assert "'department'" in msg and "columns found: 'employee_id', 'Department', 'role'" in msg


def test_unknown_column(tmp_path):
    lines = _org_lines()
    lines = [f"{line},x" for line in lines]
    lines[0] = lines[0][:-1] + "salary"
    path = _write(tmp_path, "org.csv", lines)
    msg = _error(path)
    _assert_names(msg, path, 1, "salary")
    assert "Allowed columns: 'employee_id', 'manager_id', 'department', 'role', " in msg


def test_duplicate_column(tmp_path):
    path = _write(
        tmp_path, "org.csv", ["employee_id,manager_id,department,department", "A,,S,S", "B,A,S,S"]
    )
    _assert_names(_error(path), path, 1, "department")


# -- bad rows -----------------------------------------------------------------------------------


def _with(tmp_path: Path, index: int, row: tuple[str, str, str]) -> Path:
    people = list(PEOPLE)
    people[index] = row
    return _org(tmp_path, people)


def test_empty_employee_id(tmp_path):
    path = _with(tmp_path, 5, ("", "S2", "Sales"))
    msg = _error(path)
    _assert_names(msg, path, 7, "employee_id")
    assert "employee_id is empty" in msg


def test_duplicate_employee_id_names_both_rows(tmp_path):
    path = _with(tmp_path, 9, ("E3", "E2", "Engineering"))
    msg = _error(path)
    _assert_names(msg, path, 11, "employee_id", "E3")
    assert "also on row 10" in msg


def test_empty_department(tmp_path):
    path = _with(tmp_path, 4, ("S3", "S2", ""))
    msg = _error(path)
    _assert_names(msg, path, 6, "department")
    assert "department is empty" in msg


def test_unknown_manager_counts_further_rows(tmp_path):
    people = list(PEOPLE)
    people[6] = ("S5", "X9", "Sales")
    people[10] = ("E5", "X8", "Engineering")
    path = _org(tmp_path, people)
    msg = _error(path)
    _assert_names(msg, path, 8, "manager_id", "X9")
    assert "unknown manager" in msg
    assert "1 more row(s)" in msg and "next at row 12" in msg


def test_row_numbers_are_physical_lines(tmp_path):
    people = [(pid, boss, f'"{dept}\nteam"' if pid == "S2" else dept) for pid, boss, dept in PEOPLE]
    lines = _org_lines(people)
    lines.insert(2, "")  # a blank line after CEO: the file line numbers shift by one
    lines[-1] = "A1,NOBODY,Sales"
    path = _write(tmp_path, "org.csv", lines)
    # A1 is data row 12 = line 13, +1 blank line, +1 line inside S2's quoted department
    _assert_names(_error(path), path, 15, "manager_id", "NOBODY")


def test_no_top_leader(tmp_path):
    path = _with(tmp_path, 0, ("CEO", "S1", "Sales"))
    msg = _error(path)
    assert str(path) in msg and "rows 2-13, column 'manager_id'" in msg
    assert "no top leader" in msg


def test_several_top_leaders_are_listed(tmp_path):
    people = list(PEOPLE)
    people[4] = ("S3", "", "Sales")
    people[9] = ("E4", "", "Engineering")
    path = _org(tmp_path, people)
    msg = _error(path)
    _assert_names(msg, path, 2, "manager_id")
    assert "3 rows have an empty manager_id" in msg
    assert "'CEO' (row 2), 'S3' (row 6), 'E4' (row 11)" in msg


def test_own_manager(tmp_path):
    path = _with(tmp_path, 8, ("E3", "E3", "Engineering"))
    msg = _error(path)
    _assert_names(msg, path, 10, "manager_id", "E3")
    assert "own manager" in msg


def test_management_cycle(tmp_path):
    people = list(PEOPLE)
    people[7] = ("E2", "E4", "Engineering")  # E2 -> E4 -> E2 (E4 reports to E2)
    people[9] = ("E4", "E3", "Engineering")  # E2 -> E4 -> E3 -> E2
    path = _org(tmp_path, people)
    msg = _error(path)
    _assert_names(msg, path, 9, "manager_id")
    assert "cycle" in msg
    assert "'E2' (row 9) -> 'E4' (row 11) -> 'E3' (row 10) -> 'E2'" in msg


@pytest.mark.parametrize("value", ["abc", "-1", "81", "nan"])
def test_bad_tenure(tmp_path, value):
    lines = ["employee_id,manager_id,department,tenure_years"]
    lines += [f"{pid},{boss},{dept},{value if pid == 'S4' else '3'}" for pid, boss, dept in PEOPLE]
    path = _write(tmp_path, "org.csv", lines)
    msg = _error(path)
    _assert_names(msg, path, 7, "tenure_years", value)
    assert "from 0 to 80" in msg


def test_bad_role(tmp_path):
    lines = ["employee_id,manager_id,department,role"]
    lines += [f"{pid},{boss},{dept},{'Boss' if pid == 'E1' else ''}" for pid, boss, dept in PEOPLE]
    path = _write(tmp_path, "org.csv", lines)
    msg = _error(path)
    _assert_names(msg, path, 4, "role", "Boss")
    assert "'employee', 'middle_manager', 'veteran', 'leader'" in msg


def test_several_kinds_of_problem_are_reported_together(tmp_path):
    people = list(PEOPLE)
    people[3] = ("S2", "S1", "")
    people[5] = ("S4", "GHOST", "Sales")
    msg = _error(_org(tmp_path, people))
    assert "row 5, column 'department'" in msg and "row 7, column 'manager_id'" in msg


# -- bad tie lists ------------------------------------------------------------------------------


def test_ties_missing_column(tmp_path):
    ties = _write(tmp_path, "ties.csv", ["source,weight", "S1,1"])
    msg = _error(_org(tmp_path), ties)
    _assert_names(msg, ties, 1, "target")
    assert "missing required column" in msg and "columns found: 'source', 'weight'" in msg


def test_ties_unknown_column(tmp_path):
    ties = _write(tmp_path, "ties.csv", ["source,target,kind", "S1,E1,friend"])
    msg = _error(_org(tmp_path), ties)
    _assert_names(msg, ties, 1, "kind")
    assert "'source', 'target', 'weight'" in msg


@pytest.mark.parametrize("column", ["source", "target"])
def test_ties_unknown_id(tmp_path, column):
    row = "NOBODY,S1" if column == "source" else "S1,NOBODY"
    ties = _write(tmp_path, "ties.csv", ["source,target", "S1,E1", row])
    org = _org(tmp_path)
    msg = _error(org, ties)
    _assert_names(msg, ties, 3, column, "NOBODY")
    assert f"not an employee_id in {org}" in msg


def test_ties_empty_id(tmp_path):
    ties = _write(tmp_path, "ties.csv", ["source,target", "S1,E1", "S3,"])
    msg = _error(_org(tmp_path), ties)
    _assert_names(msg, ties, 3, "target")
    assert "target is empty" in msg


@pytest.mark.parametrize("value", ["0", "-2", "abc", "inf", "0.001", "5000"])
def test_ties_bad_weight(tmp_path, value):
    ties = _write(tmp_path, "ties.csv", ["source,target,weight", "S1,E1,1", f"S3,E3,{value}"])
    msg = _error(_org(tmp_path), ties)
    _assert_names(msg, ties, 3, "weight", value)
    assert "bad tie weight" in msg


def test_ties_to_oneself(tmp_path):
    ties = _write(tmp_path, "ties.csv", ["source,target", "S1,E1", "E3,E3", "S3,S3"])
    msg = _error(_org(tmp_path), ties)
    _assert_names(msg, ties, 3, "target", "E3")
    assert "themselves" in msg and "1 more row(s)" in msg


def test_ties_file_missing(tmp_path):
    ties = tmp_path / "ties.csv"
    msg = _error(_org(tmp_path), ties)
    assert str(ties) in msg and "not found" in msg


def test_repeated_tie_in_either_direction_counts_once_with_largest_weight(tmp_path):
    ties = _write(tmp_path, "ties.csv", ["source,target,weight", "S5,E5,0.5", "E5,S5,2",
                                         "S5,E5,1"])
    org = _load(_org(tmp_path), ties)
    s5, e5 = INDEX["S5"], INDEX["E5"]
    assert org.neighbours(s5).tolist().count(e5) == 1
    assert org.neighbours(e5).tolist().count(s5) == 1
    k = org.neighbours(s5).tolist().index(e5)
    assert org.weight[org.indptr[s5] + k] == 2 * WEIGHT_SCALE
    assert org.n_ties == 19


_RAW_CASES = {
    "plain": "employee_id,manager_id,department\nA,,Sales\nB,A,Sales\n",
    "crlf and byte-order mark": "\ufeffemployee_id,manager_id,department\r\nA,,Sales\r\n"
    "B,A, Claims \r\n",
    "quoted commas and newlines": 'employee_id,manager_id,department\n"A, Jr",,"Sales, EU"\n'
    'B,"A, Jr","multi\nline"\n',
    "unicode": "employee_id,manager_id,department\nÅsa,,Ventes\nZoë,Åsa,Ventes\n",
    "no final newline": "employee_id,manager_id,department\nA,,Sales\nB,A,Sales",
    "spaces": "employee_id , manager_id,department\n  A ,,Sales\n",
    "tab": "employee_id,manager_id,department\nA\t,,Sales\n",
    "no-break space": "employee_id,manager_id,department\nA\u00a0,,Sales\n",
    "blank line": "employee_id,manager_id,department\nA,,Sales\n\nB,A,Sales\n",
    "short row": "employee_id,manager_id,department\nA,,Sales\nB,A\n",
}


@pytest.mark.parametrize("name", list(_RAW_CASES))
def test_fast_csv_reader_reads_exactly_what_the_careful_reader_reads(tmp_path, name):
    """Large files are read with pyarrow; files it cannot read exactly as pandas does (blank
    lines, short rows) go to pandas, so both give the same records and line numbers."""
    from scenarios.orgchart import _read_fast, _read_raw

    path = tmp_path / "org.csv"
    path.write_bytes(_RAW_CASES[name].encode("utf-8"))
    careful = pd.read_csv(path, dtype=str, keep_default_na=False, header=None,
                          skip_blank_lines=False, encoding="utf-8-sig").fillna("")
    fast = _read_fast(path)
    if name in ("blank line", "short row"):
        assert fast is None
    else:
        assert fast is not None
        assert fast[0].equals(careful) and list(fast[0].dtypes) == list(careful.dtypes)
    raw, bare = _read_raw(path)
    assert raw.equals(careful)
    # values are left unstripped only where stripping would change nothing
    assert bare == (name in ("plain", "no final newline"))
    if bare:
        assert all((raw[c] == raw[c].str.strip()).all() for c in raw.columns)
