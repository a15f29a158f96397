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
import time
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


# Flags of every headless Chromium the tests start: no network, no profile sync, no extensions.
HEADLESS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
]


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
                *HEADLESS,
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


# ------------------------------------------------------------------ fonts, through DevTools
# Characters that need a CJK font: CJK ideographs, CJK punctuation, full-width forms.
CJK_CHARS = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


class DevToolsPipe:
    """Chromium's DevTools protocol over --remote-debugging-pipe (fd 3: commands in, fd 4:
    replies out, messages NUL-terminated JSON): no websocket client needed."""

    def __init__(self, workdir: Path):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # The child's fds 3 and 4 are dup'ed from these in preexec (pass_fds keeps numbers).
        self._proc = subprocess.Popen(
            [
                find_chromium(),
                *HEADLESS,
                f"--user-data-dir={workdir / 'chromium-devtools-profile'}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=lambda: (os.dup2(to_chrome_r, 3), os.dup2(from_chrome_w, 4)),
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._id = 0

    def send(self, method: str, session: str | None = None, **params) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._from_chrome, 1 << 16)
                assert chunk, "chromium closed the DevTools pipe"
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._id:
                assert "error" not in reply, f"{method}: {reply['error']}"
                return reply["result"]

    def close(self) -> None:
        self._proc.kill()
        self._proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


def _text_elements(node: dict, out: list) -> None:
    """(element nodeId, its own text) for every element with text children, depth first."""
    text = "".join(c.get("nodeValue", "") for c in node.get("children", []) if c.get("nodeType") == 3)
    if node.get("nodeType") == 1 and text.strip():
        out.append((node["nodeId"], node.get("localName", ""), text))
    for child in node.get("children", []):
        if node.get("localName") not in ("head", "style", "script"):
            _text_elements(child, out)


def font_fallbacks(html_file: Path, workdir: Path) -> list[dict]:
    """Every element whose own Chinese text Chromium draws, at least in part, with a font other
    than the page's embedded (@font-face) font: a system font, or none (empty boxes), as
    {element, text, fonts}. Chromium says which fonts drew a node's text and how many glyphs each
    (CSS.getPlatformFontsForNode, which names a font by its own name, not the CSS family); the
    embedded fonts must draw at least one glyph per Chinese character of the text."""
    devtools = DevToolsPipe(workdir)
    try:
        target = devtools.send("Target.createTarget", url=Path(html_file).resolve().as_uri())["targetId"]
        session = devtools.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Runtime", "DOM", "CSS"):
            devtools.send(f"{domain}.enable", session)
        # The new tab holds about:blank (complete at once) until the page replaces it.
        ready = (
            "location.protocol === 'file:' && document.readyState === 'complete' && document.fonts.status === 'loaded'"
        )
        for _ in range(600):
            if devtools.send("Runtime.evaluate", session, expression=ready)["result"].get("value"):
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the page and its fonts did not finish loading")
        root = devtools.send("DOM.getDocument", session, depth=-1, pierce=True)["root"]
        elements = []
        _text_elements(root, elements)
        # The fonts may be loaded before the text they reach is laid out again (seen on a loaded
        # machine): an element is a fallback only if it stays one after a forced layout and a few
        # looks a moment apart. A face missing from a font stack stays missing.
        fallbacks = []
        for attempt in range(8):
            devtools.send("Runtime.evaluate", session, expression="document.body.offsetHeight")
            fallbacks = []
            for node_id, name, text in elements:
                n_cjk = len(CJK_CHARS.findall(text))
                if not n_cjk:
                    continue
                fonts = devtools.send("CSS.getPlatformFontsForNode", session, nodeId=node_id)["fonts"]
                embedded = sum(f["glyphCount"] for f in fonts if f["isCustomFont"])
                if embedded < n_cjk:
                    fallbacks.append({"element": name, "text": text.strip()[:60], "fonts": fonts})
            if not fallbacks:
                break
            time.sleep(0.25)
        return fallbacks
    finally:
        devtools.close()
