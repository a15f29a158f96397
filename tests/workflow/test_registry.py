"""Rule registry through the workflow: a registered file that changed stops the run at start-up unless the check is off."""

from conftest import failed, jobs_to_run, overlay


def test_registry_mismatch_stops_the_run_unless_turned_off(demo_copy):
    raw = demo_copy / "data/raw/demo/eps_demo.csv"
    raw.write_bytes(raw.read_bytes().replace(b"\r\n", b"\n"))
    out = failed(demo_copy)
    assert "data/raw/demo/eps_demo.csv" in out and "changed since they were registered" in out
    assert not (demo_copy / "results").exists()
    # the check runs at start-up: a dry run shows that turning it off lets the run start
    assert "ingest" in jobs_to_run(demo_copy, *overlay(demo_copy, registry={"check": False}))
