"""Weigh a built report's page and, optionally, the site published from it.

Usage: python benchmarks/page_weight.py REPORT_DIR [SITE_DIR]

REPORT_DIR is a folder ``edi-report build`` wrote (``report.html`` inside); SITE_DIR one
``edi-report publish`` wrote. Prints the page's size and what makes it up (inline
scripts, plotly.js, base64 images, style blocks), the other published files, and the
site's pages and total. Published pages must stay under 3 MB each.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LIMIT = 3_000_000


def _mb(n: int) -> str:
    return f"{n / 1e6:6.2f} MB"


def weigh_page(path: Path) -> dict[str, int]:
    """Bytes of a page and of its parts (inline scripts, plotly.js, PNG copies, styles)."""
    text = path.read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.DOTALL)
    plotly = [s for s in scripts if "* plotly.js v" in s[:200]]
    pngs = re.findall(r"data:image/png;base64,[A-Za-z0-9+/=]+", text)
    styles = re.findall(r"<style\b[^>]*>.*?</style>", text, re.DOTALL)
    return {
        "page": path.stat().st_size,
        "inline plotly.js": sum(len(s.encode()) for s in plotly),
        "other inline scripts": sum(len(s.encode()) for s in scripts) - sum(
            len(s.encode()) for s in plotly),
        "base64 PNG images": sum(len(p) for p in pngs),
        "PNG images (count)": len(pngs),
        "style blocks": sum(len(s.encode()) for s in styles),
        "style blocks (count)": len(styles),
    }


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__)
        return 2
    report = Path(argv[0])
    weights = weigh_page(report / "report.html")
    print(f"{report / 'report.html'}")
    for name, value in weights.items():
        print(f"  {name:<24}{value if '(count)' in name else _mb(value)}")
    for other in ("report.pdf", *sorted(p.name for p in report.glob("*.xlsx"))):
        if (report / other).exists():
            print(f"  {other:<24}{_mb((report / other).stat().st_size)}")
    tables = list((report / "tables").glob("*.csv"))
    print(f"  {len(tables)} CSV tables{'':<11}{_mb(sum(p.stat().st_size for p in tables))}")
    over = weights["page"] >= LIMIT
    if len(argv) == 2:
        site = Path(argv[1])
        print(f"{site}")
        for page in sorted(site.rglob("*.html")):
            size = page.stat().st_size
            over |= size >= LIMIT
            print(f"  {page.relative_to(site).as_posix():<32}{_mb(size)}")
        total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        assets = sum(p.stat().st_size for p in (site / "assets").glob("*")) \
            if (site / "assets").is_dir() else 0
        print(f"  {'shared assets':<32}{_mb(assets)}")
        print(f"  {'whole site':<32}{_mb(total)}")
    print(f"pages under {LIMIT / 1e6:.0f} MB: {'no' if over else 'yes'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
