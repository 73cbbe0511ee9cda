"""Statistics and plain-text tables for scripts/bench.py: median, p95, min–max, verdicts."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

__all__ = ["QUICK", "fmt_ms", "stat_cells", "summary", "table", "verdict"]


def summary(samples: Sequence[float]) -> dict[str, float]:
    """Median, p95 (nearest rank), min, max and count of ``samples``."""
    if not samples:
        return {"n": 0}
    s = sorted(samples)
    rank = max(0, min(len(s) - 1, -(-95 * len(s) // 100) - 1))
    return {
        "n": len(s),
        "median": statistics.median(s),
        "p95": s[rank],
        "min": s[0],
        "max": s[-1],
    }


def fmt_ms(seconds: float | None, digits: int = 2) -> str:
    """Seconds as milliseconds with ``digits`` decimals ("–" for no value)."""
    return "–" if seconds is None else f"{seconds * 1e3:.{digits}f}"


def stat_cells(samples: Sequence[float], digits: int = 2) -> list[str]:
    """Table cells: median, p95, min–max (ms), n."""
    s = summary(samples)
    if not s["n"]:
        return ["–", "–", "–", "0"]
    return [
        fmt_ms(s["median"], digits),
        fmt_ms(s["p95"], digits),
        f"{fmt_ms(s['min'], digits)}–{fmt_ms(s['max'], digits)}",
        str(int(s["n"])),
    ]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table: first column left-aligned, the rest right-aligned."""
    cols = [headers, *rows]
    widths = [max(len(r[i]) if i < len(r) else 0 for r in cols) for i in range(len(headers))]

    def line(r: Sequence[str]) -> str:
        cells = [
            (c.ljust(w) if i == 0 or (i == 1 and not _numeric(c)) else c.rjust(w))
            for i, (c, w) in enumerate(zip(r, widths, strict=False))
        ]
        return "  ".join(cells).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def _numeric(cell: str) -> bool:
    return cell[:1].isdigit() or cell[:1] in "–-"


QUICK = False  # set by bench.main(): tiny counts are a smoke test, never a verdict


def verdict(ok: bool | None) -> str:
    """MET / MISSED for a target check ("n/a" without a number or with --quick)."""
    if QUICK:
        return "n/a (--quick)"
    return "n/a" if ok is None else ("MET" if ok else "MISSED")
