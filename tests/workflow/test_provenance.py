"""Provenance in the real run's report (item 7 of issue 15): the unregistered raw file named, no
absolute path, the code identified by its digest without git."""

import hashlib
import re

import pandas as pd
from conftest import SHARED_DATA

from upgrade_repro.provenance import code_files, project_path


def test_real_report_names_the_unregistered_file_and_holds_no_absolute_path(real_run):
    """The session's real run reads ../shared/data by an absolute path, outside the registry's
    rows (they are relative to the checkout, not to this copy): an unregistered file."""
    wf = real_run
    status = pd.read_csv(wf / "results/checks/registry.csv", dtype=str, keep_default_na=False)
    raw = SHARED_DATA / "eps/eps_long_2008_2021.csv"  # as real.yaml names it (not resolved: ../shared may be a link)
    relative = project_path(raw, wf)
    assert status[["file", "status"]].values.tolist() == [[relative, "unregistered"]]
    assert status["sha256"].item() == hashlib.sha256(raw.read_bytes()).hexdigest()
    for name in ("report.md", "report.html"):
        text = (wf / "results/report" / name).read_text(encoding="utf-8")
        # no absolute path (the relative ../../work/shared/... holds the absolute one's letters)
        assert not re.search(r"(?<!\.\.)" + re.escape(str(SHARED_DATA)), text) and str(wf) not in text
    md = (wf / "results/report/report.md").read_text(encoding="utf-8")
    data = md.split("\n## ", 2)[2]  # the data section
    data = data.split("\n## ", 1)[0]
    escaped = relative.replace("_", "\\_")
    assert f"- {escaped}：未登记（SHA-256 {status['sha256'].item()}）" in data
    # the copy is no git repository: the code is identified by its digest, recomputed here
    listing = "".join(f"{f}  {hashlib.sha256((wf / f).read_bytes()).hexdigest()}\n" for f in code_files(wf))
    found = re.search(r"计算的 SHA-256 为 ([0-9a-f]{64})", md)
    assert found and found.group(1) == hashlib.sha256(listing.encode()).hexdigest()
