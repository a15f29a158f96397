"""Rule changes: changes.csv names provinces beside codes, counts a change at the printed precision, and
says how both runs' inputs relate (the snapshot the rule moves: tests/workflow/test_changes.py)."""

import pandas as pd
import pytest
import yaml
from conftest import ROOT

from upgrade_repro.changes import (
    compare_tables,
    compared_config,
    config_digest,
    describe_comparison,
    input_rows,
    is_change,
    run_manifest,
)
from upgrade_repro.provenance import project_path
from upgrade_repro.registry import sha256


def means(values, tiers=("中等", "较强"), names=("天津", "海南")):
    return pd.DataFrame(
        {
            "code": ["120000", "460000"],
            "province": list(names),
            "mean_upgrade": values,
            "tier": list(tiers),
            "rank": [2, 1],
        }
    )


def test_float_noise_is_not_a_change_but_a_move_at_the_printed_precision_is():
    # 1e-7 of noise, also across a rounding boundary at 3 decimals (1.2345 -> 1.2344999)
    assert not is_change(1.2345, 1.2345 + 1e-7, 3)
    assert not is_change(1.2345, 1.2344999, 3)
    assert is_change(1.2345, 1.2356, 3)  # prints 1.234/1.236 (half to even either way)
    assert not is_change(1.2341, 1.2343, 3)  # a real difference, invisible at 3 decimals
    assert is_change(1.2341, 1.2343, 4)
    assert is_change(420, 450, None) and not is_change(420.0, 420, None)
    assert is_change("中等", "较强", None) and not is_change("中等", "中等", None)


def test_compare_tables_names_provinces_and_keeps_the_full_difference():
    before, after = means([1.5, 2.0001]), means([1.5000001, 2.0101], tiers=("中等", "较强"))
    out = compare_tables("province_means", after, before, decimals=3, comparison="same inputs").set_index(
        ["key", "field"]
    )
    assert out.loc[("120000", "mean_upgrade"), "name"] == "天津"
    assert out.loc[("120000", "mean_upgrade"), "status"] == "unchanged"  # noise
    assert out.loc[("120000", "mean_upgrade"), "difference"] == pytest.approx(1e-7)
    assert out.loc[("460000", "mean_upgrade"), "status"] == "changed"
    assert out.loc[("460000", "mean_upgrade"), "difference"] == pytest.approx(0.01)
    assert out.loc[("460000", "mean_upgrade"), "decimals"] == 3
    assert out.loc[("460000", "rank"), "current"] == 1  # an integer stays an integer
    assert set(out["comparison"]) == {"same inputs"}


def test_new_removed_and_first_run():
    before = means([1.5, 2.0])
    after = pd.DataFrame(
        {"code": ["120000"], "province": ["天津"], "mean_upgrade": [1.5], "tier": ["中等"], "rank": [1]}
    )
    out = compare_tables("province_means", after, before, 3).set_index(["key", "field"])
    assert out.loc[("460000", "mean_upgrade"), "status"] == "removed"
    assert out.loc[("460000", "mean_upgrade"), "name"] == "海南"  # named from the previous table
    first = compare_tables("province_means", after, None, 3)
    assert (first["status"] == "no previous run").all()


def test_manifest_records_raw_files_by_project_path_and_digests_the_config(tmp_path):
    raw = tmp_path / "proj" / "data" / "a.csv"
    raw.parent.mkdir(parents=True)
    raw.write_bytes(b"x,y\n1,2\n")
    outside = tmp_path / "shared" / "b.csv"
    outside.parent.mkdir()
    outside.write_bytes(b"z\n")
    config = {"years": {"start": 2008, "end": 2021}, "decimals": 3}
    manifest = run_manifest([str(raw), str(outside)], config, demo=False, root=tmp_path / "proj")
    assert manifest["raw"] == [
        {"file": "data/a.csv", "sha256": sha256(raw)},
        {"file": "../shared/b.csv", "sha256": sha256(outside)},
    ]
    import hashlib

    canonical = '{"decimals":3,"years":{"end":2021,"start":2008}}'
    assert manifest["config_sha256"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert config_digest({"decimals": 3, "years": {"start": 2008, "end": 2021}}) == manifest["config_sha256"]
    assert project_path(raw, tmp_path / "proj") == "data/a.csv"


def manifest(shas, config="c1", demo=False):
    return {
        "raw": [{"file": f"f{i}.csv", "sha256": s} for i, s in enumerate(shas)],
        "config_sha256": config,
        "synthetic_data": demo,
    }


def test_the_comparison_says_when_the_inputs_differ():
    now = manifest(["a"])
    assert describe_comparison(None, now, has_previous_tables=False) == "no previous run"
    assert describe_comparison(None, now, has_previous_tables=True) == "previous inputs unknown (no manifest)"
    assert describe_comparison(manifest(["a"]), now, True) == "same inputs"
    assert describe_comparison(manifest(["a"], config="c0"), now, True) == "same raw data, different configuration"
    assert describe_comparison(manifest(["a", "b"]), now, True) == "different raw data"
    assert describe_comparison(manifest(["d"], demo=True), now, True) == "synthetic data vs real data"
    rows = input_rows(manifest(["a", "b"]), now, "different raw data").set_index("key")
    assert rows.loc["f0.csv", "status"] == "unchanged" and rows.loc["f1.csv", "status"] == "removed"
    assert rows.loc["config", ["previous", "current", "status"]].tolist() == ["c1", "c1", "unchanged"]


def test_a_panel_across_vintages_is_named_in_the_change_log():
    """The choice's note (vintage.choice_note) is a row of its own, on either side; a run of one
    vintage has none, as before."""
    note = "Data vintages spliced, not linked: 2008–2019 first-published figures; seam at 2020."
    spliced = {**manifest(["a", "r"]), "vintage": note}
    rows = input_rows(manifest(["a"]), spliced, "different raw data").set_index("key")
    assert rows.loc["vintage", ["name", "field", "current", "status"]].tolist() == [
        "data vintages",
        "note",
        note,
        "new",
    ]
    assert input_rows(spliced, manifest(["a"]), "different raw data").set_index("key").loc["vintage", "status"] == (
        "removed"
    )
    assert "vintage" not in input_rows(manifest(["a"]), manifest(["a"]), "same inputs")["key"].tolist()
    assert run_manifest([], {}, demo=False, vintage_note=note)["vintage"] == note
    assert "vintage" not in run_manifest([], {}, demo=False)


def test_the_compared_configuration_of_a_run_of_one_vintage_is_as_before():
    """compared_config: a run with the default vintage.policy digests as the configuration did
    before the policy existed (vintage_winner among the analysis keys); another policy or a link
    year is part of it."""
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    keys = ("raw", "exclude_regions", "years", "share_denominator", "decimals", "checks", "unit", "code_table")
    before = {k: config[k] for k in keys} | {"vintage_winner": None}
    before["tiers"] = [{k: t[k] for k in ("label", "lower", "upper")} for t in config["figure"]["tiers"]]
    assert config_digest(compared_config(config)) == config_digest(before)
    config["vintage"] = {"policy": "link", "link_year": 2020, "winner": None}
    assert compared_config(config)["vintage_policy"] == {"policy": "link", "link_year": 2020}
