"""Headless Chromium for report tests: the DOM after the page's scripts ran, and screenshots."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=5000"]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if path is None:
        if os.environ.get("ROBOINSTRUCT_SKIP_BROWSER_TESTS") == "1":
            pytest.skip("ROBOINSTRUCT_SKIP_BROWSER_TESTS=1 and no Chromium")
        pytest.fail("Chromium is not installed (CI installs Debian's `chromium`: apt-get install chromium)")
    return path


def _run(url: str, *extra: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *extra, url],
                              capture_output=True, text=True, timeout=120)


def dump_dom(url: str) -> str:
    p = _run(url, "--dump-dom")
    assert p.returncode == 0, p.stderr[-2000:]
    return p.stdout


def screenshot(url: str, png: str, size: str = "1200,1600") -> str:
    p = _run(url, f"--screenshot={png}", f"--window-size={size}")
    assert p.returncode == 0 and os.path.getsize(png) > 0, p.stderr[-2000:]
    return png


# Injected into a copy of a page (tests only): after the page's own scripts drew it, every table,
# header, cell and code block is measured; anything wider than the window or than its own box
# (content that would be cut off or spill over a neighbour) is reported.
GEOMETRY_PROBE = r"""<script>
window.addEventListener('load', () => {
  const W = document.documentElement.clientWidth, out = {width: W, problems: [], headers: {}};
  document.querySelectorAll('table').forEach((t, i) => {
    let title = (t.closest('.dt') || t).previousElementSibling;
    while (title && title.tagName !== 'H2') title = title.previousElementSibling;
    const name = (title && title.textContent || 'table ' + i).slice(0, 60);
    const r = t.getBoundingClientRect();
    if (r.right > W + 1) out.problems.push(name + ': table right edge ' + Math.round(r.right) + ' > ' + W);
    t.querySelectorAll('th').forEach(h => {
      const b = h.getBoundingClientRect(); out.headers[name + '/' + h.textContent] = [Math.round(b.left), Math.round(b.right)];
      if (b.right > W + 1 || b.width < 20) out.problems.push(name + ': column ' + h.textContent + ' at ' + Math.round(b.left) + '-' + Math.round(b.right));
    });
    t.querySelectorAll('td, th, td pre').forEach(c => {
      if (c.scrollWidth > c.clientWidth + 1) out.problems.push(name + ': cell content ' + c.scrollWidth + ' px in a ' + c.clientWidth + ' px box: ' + c.textContent.slice(0, 40));
    });
  });
  const p = document.createElement('pre'); p.id = 'geometry'; p.textContent = JSON.stringify(out);
  document.body.appendChild(p);
});
</script>"""


def layout(html_path: str, width: int = 1280, height: int = 1000) -> dict:
    """The page's geometry at a window width: {"width", "problems": [...], "headers": {...}}."""
    import json
    import re
    from pathlib import Path

    src = Path(html_path)
    probe = src.with_name(src.stem + ".geometry.html")
    probe.write_text(src.read_text().replace("</body>", GEOMETRY_PROBE + "</body>"))
    p = _run(probe.as_uri(), "--dump-dom", f"--window-size={width},{height}")
    assert p.returncode == 0, p.stderr[-2000:]
    m = re.search(r'<pre id="geometry">(.*?)</pre>', p.stdout, re.S)
    assert m, "the geometry probe did not run"
    import html as _html

    return json.loads(_html.unescape(m.group(1)))
