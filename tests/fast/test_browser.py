"""The report's browser checks (tests/browser.py, used by tests/workflow/test_report.py) can fail: a
font fallback, a missing image, a bad font and a console error are each seen. Headless Chromium,
no Snakemake."""

from browser import font_fallbacks, open_in_chromium

from upgrade_repro import report_font


def test_the_font_check_sees_chinese_outside_the_embedded_font(tmp_path):
    """Chinese in a code element whose stack lacks the embedded face is drawn by another font
    (the report's code stack before issue 15); with the face in the stack it is not."""
    face = report_font.cjk_font_face("北京上海")
    page = tmp_path / "fallback.html"
    for stack, expected in (
        ('"DejaVu Sans Mono", monospace', ["上海"]),
        ('"DejaVu Sans Mono", "Report CJK", monospace', []),
    ):
        page.write_text(
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{face} body {{ font-family: '
            f'"Report CJK", sans-serif; }} code {{ font-family: {stack}; }}</style></head>'
            "<body><p>北京</p><p>x <code>上海</code></p></body></html>",
            encoding="utf-8",
        )
        assert [f["text"] for f in font_fallbacks(page, tmp_path)] == expected, stack


def test_the_browser_check_sees_broken_pages(tmp_path):
    """The probe can fail: a missing image, a bad font and a console error are all reported."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>@font-face '
        '{ font-family: "X"; src: url(data:font/otf;base64,AAAA) format("opentype"); } '
        'body { font-family: "X"; }</style></head><body><p>北京</p>'
        '<img src="data:image/png;base64,AAAA" alt="bad"><img src="missing.png" alt="gone">'
        '<script>console.error("boom")</script></body></html>',
        encoding="utf-8",
    )
    seen = open_in_chromium(page, tmp_path)
    assert [img["width"] for img in seen["images"]] == [0, 0]
    assert [f["status"] for f in seen["fonts"]] == ["error"]
    assert "console.error: boom" in seen["problems"]
    assert any("missing.png" in p for p in seen["problems"])
    assert any('"boom"' in line for line in seen["console"])
