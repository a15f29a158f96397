"""The tier is where a test lives (tests/conftest.py): every test under tests/workflow/ gets the
`workflow` marker from its folder before `-m` selects, a test in tests/fast/ marked `workflow` stops
the collection, and a test that starts Snakemake without the marker fails before Snakemake starts."""

from pathlib import Path

import conftest
import pytest
from conftest import TESTS


class Item:
    """What pytest_collection_modifyitems and the guard read of a collected test."""

    def __init__(self, relative: str, marked: bool = False):
        self.path = TESTS / relative
        self.nodeid = f"tests/{relative}::test_x"
        self.markers = ["workflow"] if marked else []

    def add_marker(self, mark):
        self.markers.append(mark.name)

    def get_closest_marker(self, name):
        return name if name in self.markers else None


def test_the_folder_gives_the_marker():
    items = [Item("fast/test_a.py"), Item("workflow/test_b.py"), Item("test_deposit_x.py", marked=True)]
    conftest.pytest_collection_modifyitems(None, items)
    assert [item.markers for item in items] == [[], ["workflow"], ["workflow"]]


def test_a_test_marked_workflow_in_fast_stops_the_collection():
    items = [Item("fast/test_a.py"), Item("fast/test_c.py", marked=True)]
    with pytest.raises(pytest.UsageError, match=r"under tests/fast/.*tests/fast/test_c\.py::test_x$"):
        conftest.pytest_collection_modifyitems(None, items)


def test_starting_snakemake_without_the_marker_fails_before_it_starts(tmp_path):
    current = conftest._CURRENT_TEST[0]
    try:
        conftest._CURRENT_TEST[0] = Item("fast/test_a.py")
        with pytest.raises(AssertionError, match=r"test_a\.py::test_x starts Snakemake: move it to tests/workflow/"):
            conftest.run_snakemake(tmp_path, "--version")
        assert list(tmp_path.iterdir()) == []  # nothing ran there
        conftest._CURRENT_TEST[0] = Item("workflow/test_b.py", marked=True)
        conftest.require_workflow_marker()  # marked: no error
    finally:
        conftest._CURRENT_TEST[0] = current


def test_this_session_selected_by_folder(request):
    """In this very run the marker follows the folder, and `-m "not workflow"` (the fast tier)
    selected no test of tests/workflow/: the marker was there before the selection."""
    folders = {}
    for item in request.session.items:
        relative = Path(item.path).resolve().relative_to(TESTS)
        marked = item.get_closest_marker("workflow") is not None
        folders.setdefault(relative.parts[0], set()).add(marked)
    assert folders.get("workflow", {True}) == {True} and folders["fast"] == {False}
    if request.config.getoption("markexpr") == "not workflow":
        assert "workflow" not in folders
