"""Result files are written whole, with an ordinary file's permissions."""

from __future__ import annotations

import os
import stat

from experiments.report import write_atomic


def test_write_atomic_leaves_the_whole_file_with_ordinary_permissions(tmp_path):
    target = tmp_path / "out" / "summary.csv"
    write_atomic(target, "a,b\n1,2\n")
    write_atomic(target, "a,b\n3,4\n")  # replaces, never appends
    assert target.read_text() == "a,b\n3,4\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in target.parent.iterdir()) == ["summary.csv"]  # no temp files
