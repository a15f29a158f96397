"""Rule figure_revisions (upgrade_repro/figure_revisions.py): one small panel per province of the
revision between two data vintages, each series' points where the revision table has them."""

import pandas as pd

from upgrade_repro.figure_revisions import figure_title, plot_revisions
from upgrade_repro.vintage import REVISION_COLUMNS

FIFTH = "revised after the fifth economic census"


def revision_rows(cells) -> pd.DataFrame:
    """vintage_revisions.csv rows from {(code, year, series): pct}."""
    rows = [
        {"code": c, "region": c, "year": y, "indicator": s, "older": "first published", "newer": FIFTH, "pct": p}
        for (c, y, s), p in cells.items()
    ]
    return pd.DataFrame(rows).reindex(columns=REVISION_COLUMNS)


def test_one_panel_per_province_with_each_series_revision():
    cells = {
        ("110000", 2019, "gdp"): 6.8,
        ("110000", 2020, "gdp"): 6.7,
        ("110000", 2020, "secondary"): 3.4,
        ("410000", 2020, "secondary"): -6.4,
        ("410000", 2021, "secondary"): -7.2,
    }
    fig = plot_revisions(revision_rows(cells), {"110000": "Beijing", "410000": "Henan"}, "en", title=True)
    drawn = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    assert [ax.get_title() for ax in drawn] == ["Beijing", "Henan"]
    # each line is one series: its years and revisions, as in the table
    lines = {(ax.get_title(), line.get_label()): line.get_xydata().tolist() for ax in drawn for line in ax.get_lines()}
    assert lines[("Beijing", "GDP")] == [[2019, 6.8], [2020, 6.7]]
    assert lines[("Henan", "Secondary sector")] == [[2020, -6.4], [2021, -7.2]]
    assert (
        fig.get_suptitle()
        == figure_title(revision_rows(cells), "en")
        == ("Revision of the figures revised after the fifth economic census against the first-published figures (%)")
    )
    assert plot_revisions(revision_rows(cells), {}, "zh", title=False).get_suptitle() == ""


def test_without_a_revision_the_figure_says_so():
    empty = pd.DataFrame(columns=REVISION_COLUMNS)
    fig = plot_revisions(empty, {}, "zh")
    assert [t.get_text() for t in fig.texts] == ["没有两个数据版本都给出的数据"] == [figure_title(empty, "zh")]
