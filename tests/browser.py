"""Open an HTML file in a real headless Chromium (Debian's `chromium`) and report what it saw.

No DevTools client is needed: a copy of the page gets a small script that records failed loads
(images, fonts), script errors and console.error/warn calls, then, once the page and its fonts
have loaded, writes a JSON summary into the DOM, which `--dump-dom` prints. Chromium's own console
messages (it logs them to stderr with --enable-logging) are collected too: the report has no script,
so any console message is a problem of the page.
"""

import html as html_lib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser")

PROBE = """<script>
(() => {
  const problems = [];
  window.addEventListener("error", e => problems.push(
    e.target && e.target !== window ? "failed to load " + (e.target.src || e.target.href || e.target.tagName)
                                    : "script error: " + e.message), true);
  for (const level of ["error", "warn"]) {
    const original = console[level];
    console[level] = (...args) => { problems.push("console." + level + ": " + args.join(" ")); original(...args); };
  }
  window.addEventListener("load", () => document.fonts.ready.then(() => {
    const images = [...document.images].map(img => ({
      alt: img.alt, complete: img.complete, width: img.naturalWidth, height: img.naturalHeight}));
    const fonts = [...document.fonts].map(f => ({family: f.family, status: f.status}));
    const out = document.createElement("pre");
    out.id = "browser-probe";
    out.textContent = JSON.stringify({images, fonts, problems, title: document.title});
    document.body.appendChild(out);
  }));
})();
</script>"""


def find_chromium() -> str:
    """Path of chromium; skips the test when absent, except under CI (then fails)."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    message = "chromium is not installed (Debian: apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set: .ci/run installs it)")
    pytest.skip(message)


def open_in_chromium(html_file: Path, workdir: Path) -> dict:
    """Load `html_file` (a copy with the probe, in its own folder so relative links resolve the
    same way) and return {images, fonts, problems, title, console}."""
    html = Path(html_file).read_text(encoding="utf-8")
    # Right after <meta charset>, so that it records errors from the start of parsing.
    probed, n = re.subn(r"(<meta charset=\"utf-8\">)", lambda m: m.group(1) + PROBE, html, count=1)
    assert n == 1, 'no <meta charset="utf-8"> in the page'
    page = Path(html_file).with_name(".probe-" + Path(html_file).name)
    page.write_text(probed, encoding="utf-8")
    try:
        proc = subprocess.run(
            [
                find_chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-extensions",
                f"--user-data-dir={workdir / 'chromium-profile'}",
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=10000",
                "--dump-dom",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        page.unlink()
    found = re.search(r'<pre id="browser-probe">(.*?)</pre>', proc.stdout, re.S)
    assert found, f"the probe did not report (chromium exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    result = json.loads(html_lib.unescape(found.group(1)))
    result["console"] = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return result
