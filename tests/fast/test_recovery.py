"""Recovery after a crash, the pieces: the change log's comparison base, its snapshot read back, and
the temporary files of killed writes removed when a job starts (the kills themselves:
tests/workflow/test_recovery.py)."""

import os
from types import SimpleNamespace

from upgrade_repro.changes import comparison_base, entry_tables, read_snapshot, snapshot_entry, snapshot_text
from upgrade_repro.files import atomic_path, temp_files, write_text
from upgrade_repro.logs import configure_logging


def entry(mean, config="c1"):
    return snapshot_entry({"table1": f"variable,mean\nupgrade,{mean}\n"}, {"config_sha256": config, "raw": []})


def test_the_base_is_the_last_run_unless_this_run_repeats_it():
    first, second, third = entry(1.0), entry(2.0, config="c2"), entry(3.0)
    base, snap = comparison_base(None, first)
    assert base is None and snap == {"run": first, "base": None}
    base, snap = comparison_base(snap, second)
    assert base == first and snap == {"run": second, "base": first}
    # the same run again (rerun after a kill that came after the snapshot moved): same base,
    # snapshot untouched, so changes.csv is the same as the first time
    again, same = comparison_base(snap, entry(2.0, config="c2"))
    assert again == first and same == snap
    # a different result from the same inputs (say, a code change) is a new run
    base, snap = comparison_base(snap, entry(2.5, config="c2"))
    assert base == second and snap["base"] == second
    base, _ = comparison_base(snap, third)
    assert entry_tables(base, ["table1", "province_means"])["table1"]["mean"].item() == 2.5


def test_snapshot_round_trips_and_the_old_layout_is_read(tmp_path):
    snap = {"run": entry(2.0), "base": entry(1.0)}
    path = tmp_path / "previous" / "snapshot.json"
    write_text(snapshot_text(snap), path)
    assert read_snapshot(path) == snap
    # a tuple in the config is a list once written: still the same run
    current = snapshot_entry(snap["run"]["tables"], {"config_sha256": "c1", "raw": ()})
    assert comparison_base(read_snapshot(path), {**current, "manifest": {**current["manifest"], "raw": []}})[0] == (
        entry(1.0)
    )
    old = tmp_path / "old" / "snapshot.json"
    old.parent.mkdir()
    (old.parent / "table1.csv").write_text("variable,mean\nupgrade,7.0\n", encoding="utf-8")
    (old.parent / "manifest.json").write_text('{"config_sha256": "c0", "raw": []}', encoding="utf-8")
    assert read_snapshot(old) == {
        "run": snapshot_entry({"table1": "variable,mean\nupgrade,7.0\n"}, {"config_sha256": "c0", "raw": []}),
        "base": None,
    }
    assert read_snapshot(tmp_path / "none" / "snapshot.json") is None


def test_a_job_start_removes_its_outputs_stale_temporary_files(tmp_path):
    out = tmp_path / "results" / "figure1_map.svg"
    other = tmp_path / "results" / "figure1_map.svg.png"  # another output: its temp is not ours
    for target in (out, other):  # a write killed before its move leaves its temporary file
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            assert temp_files(target) == [tmp]
            os.link(tmp, tmp.with_name(tmp.name[:-12] + "killed00.tmp"))
    assert [p.name for p in temp_files(out)] == [".figure1_map.svg.killed00.tmp"]
    job = SimpleNamespace(output=[str(out)], log=[str(tmp_path / "job.log")])
    configure_logging(job)  # every script's first call
    assert temp_files(out) == [] and len(temp_files(other)) == 1
    assert "left by an interrupted earlier run" in (tmp_path / "job.log").read_text(encoding="utf-8")
