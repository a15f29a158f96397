"""upgrade_repro/files.py: figures written byte-identically."""

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from upgrade_repro.files import numbered_clip_ids, save_figure  # noqa: E402


def _svg(nudge: bool) -> str:
    """Three panels saved to SVG with matplotlib's own clip ids; with `nudge`, each panel's left
    edge one last bit further right (as the constrained layout's solver leaves from run to run):
    the same drawing at the SVG's six decimals under other ids."""
    import io

    import numpy as np

    fig = plt.figure(figsize=(6, 2))
    for i in range(3):
        left = 0.05 + 0.32 * i
        ax = fig.add_axes([np.nextafter(left, 1) if nudge else left, 0.1, 0.28, 0.8])
        ax.plot([0, 1, 2], [i, i + 1, i * 2])
        ax.grid(True)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "fixed"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


def test_clip_ids_numbered_in_order_of_definition():
    a, b = _svg(False), _svg(True)
    assert a != b  # matplotlib's ids differ
    defined = re.findall(r'<clipPath id="(p[0-9a-f]{10})"', a)
    assert len(defined) == 3
    numbered = numbered_clip_ids(a)
    assert numbered == numbered_clip_ids(b)
    # the same geometry, every reference to a defined clip path, none of the old ids left
    assert re.findall(r'<clipPath id="([^"]+)"', numbered) == ["clip1", "clip2", "clip3"]
    assert set(re.findall(r"url\(#([^)]+)\)", numbered)) == {"clip1", "clip2", "clip3"}
    assert not any(old in numbered for old in defined)
    assert re.sub(r"clip\d|p[0-9a-f]{10}", "", numbered) == re.sub(r"clip\d|p[0-9a-f]{10}", "", a)


def test_saved_svg_carries_numbered_clip_ids(tmp_path):
    fig, ax = plt.subplots(layout="constrained")
    ax.plot([0, 1], [0, 1])
    save_figure(fig, tmp_path / "f.svg", dpi=100)
    plt.close(fig)
    text = (tmp_path / "f.svg").read_text(encoding="utf-8")
    assert '<clipPath id="clip1">' in text and "url(#clip1)" in text
    assert not re.search(r'id="p[0-9a-f]{10}"', text)
