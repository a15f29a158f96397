"""Rule changes through the workflow: only the changes rule moves the snapshot of the previous run
(a partial run does not), and an update to 2022 is compared with the run before it."""

import pandas as pd
import pytest
from conftest import clone_run, overlay, run_snakemake

from upgrade_repro.changes import entry_tables, read_snapshot


def test_a_partial_run_does_not_move_the_snapshot(demo_run, tmp_path):
    """Before: onsuccess copied the tables after any successful run, so Table 1 alone with another
    config became "the previous run" and the next full run reported its change as unchanged."""
    wf = clone_run(demo_run, tmp_path / "wf")
    before = pd.read_csv(wf / "results/tables/table1.csv").set_index("variable")
    other = overlay(wf, exclude_regions=["西藏", "北京"])
    run_snakemake(wf, "results/tables/table1.csv", *other)
    snapshot = read_snapshot(wf / "results/checks/previous/snapshot.json")
    assert entry_tables(snapshot["run"], ["table1"])["table1"].set_index("variable").equals(before)  # untouched
    run_snakemake(wf, *other)
    after = pd.read_csv(wf / "results/tables/table1.csv").set_index("variable")
    changes = pd.read_csv(wf / "results/checks/changes.csv", dtype=str).set_index(["table", "key", "field"])
    row = changes.loc[("table1", "upgrade", "mean")]
    assert float(row["previous"]) == before.loc["upgrade", "mean"]
    assert float(row["current"]) == after.loc["upgrade", "mean"]
    moved = f"{before.loc['upgrade', 'mean']:.3f}" != f"{after.loc['upgrade', 'mean']:.3f}"
    assert row["status"] == ("changed" if moved else "unchanged") and moved
    assert changes.loc[("inputs", "config", "sha256"), "status"] == "changed"
    assert set(changes["comparison"]) == {"same raw data, different configuration"}
    # the snapshot is now this run, with its inputs; a rerun has nothing to do
    manifest = read_snapshot(wf / "results/checks/previous/snapshot.json")["run"]["manifest"]
    assert manifest["config"]["exclude_regions"] == ["西藏", "北京"] and manifest["synthetic_data"] is True
    assert changes.loc[("province_means", "110000", "mean_upgrade"), ["name", "status"]].tolist() == ["北京", "removed"]
    again = run_snakemake(wf, "-n", *other)
    assert "Nothing to be done" in again.stdout + again.stderr


def test_changes_against_previous_run(real_run, run_2022):
    first = pd.read_csv(real_run / "results/checks/changes.csv")
    assert (first["status"] == "no previous run").all()
    before = pd.read_csv(real_run / "results/tables/table1.csv").set_index("variable")
    workflow_copy = run_2022  # real_run's directory, then the 2022 update
    after = pd.read_csv(workflow_copy / "results/tables/table1.csv").set_index("variable")
    changes = pd.read_csv(workflow_copy / "results/checks/changes.csv")
    row = changes[(changes["table"] == "table1") & (changes["key"] == "upgrade") & (changes["field"] == "mean")].iloc[0]
    # previous/current hold numbers and tier labels alike, so they are read back as text
    assert float(row["previous"]) == pytest.approx(before.loc["upgrade", "mean"], rel=1e-15)
    assert float(row["current"]) == pytest.approx(after.loc["upgrade", "mean"], rel=1e-15)
    assert row["difference"] == pytest.approx(after.loc["upgrade", "mean"] - before.loc["upgrade", "mean"])
    assert row["status"] == "changed"
    # the provincial means moved too; Beijing keeps its tier
    means = changes[(changes["table"] == "province_means") & (changes["key"] == "110000")].set_index("field")
    assert means.loc["tier", "status"] == "unchanged" and means.loc["mean_upgrade", "status"] == "changed"
