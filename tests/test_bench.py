"""Smoke test of scripts/bench.py: every section runs with tiny counts and has the right shape.

Timings are never asserted (this is not a timed test); only that each section ran, printed its
table and wrote its numbers to the JSON file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "scripts" / "bench.py"


def test_bench_quick_all_sections(tmp_path: Path) -> None:
    """``bench.py all --quick --json`` prints each table and writes every section's numbers."""
    out_json = tmp_path / "bench.json"
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    proc = subprocess.run(
        [sys.executable, str(BENCH), "all", "--quick", "--json", str(out_json)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert text.startswith("machine: ")
    for header in ("engine:", "latency:", "frames:", "overhead (a):", "overhead (b):", "memory:",
                   "input:"):
        assert header in text, f"missing section {header!r}\n{text}"
    assert "median" in text and "p95" in text and "min–max" in text

    data = json.loads(out_json.read_text())
    assert data["quick"] is True
    assert {"cpu", "cores", "python"} <= set(data["machine"])

    engine = data["engine"]["results"]
    ours = [r for r in engine if r["peer"] == "potato-sandbox" and r["scenario"] == "lines200"]
    assert len(ours) == 1 and not ours[0]["error"] and ours[0]["seconds"]
    assert all(t > 0 for t in ours[0]["seconds"])
    peers = {r["peer"] for r in engine}
    assert {"importlib.reload", "jurigged"} <= peers
    assert any(p.startswith("IPython") for p in peers)
    for r in engine:  # every row either measured or says why not
        assert r["seconds"] or r["error"]

    lat = data["latency"]
    assert len(lat["latencies"]) + lat["missed"] == lat["saves"]
    frames = data["frames"]
    assert frames["frame_seconds"] and frames["over_budget"] >= 0
    over = data["overhead"]
    assert over["ratio"] > 0 and len(over["call"][0]["seconds"]["patched"]) >= 1
    assert len(over["host"]["outside"]) == over["host"]["frames"]
    mem = data["memory"]
    assert mem["rss_end"] > 0 and mem["old_code_objects"] == mem["reloads"]
    host_mem = mem["host"]  # Host.reload, valid and broken saves alternating
    assert host_mem["rss_end"] > 0 and 0 < host_mem["events_kept"] <= 500  # a bounded window
    assert "memory (host):" in text
    flat = data["engine"]["flatness"]
    assert set(flat["calls_per_reload"]) == {"1", "10", "100"}  # JSON keys are strings
    assert "skipped (--quick)" in text  # instructions and wall time take minutes


def test_cachegrind_workload_reloads_and_refuses_a_count_it_cannot_prepare() -> None:
    """``bench_flat.py loop`` really reloads (it fails loudly otherwise) and checks its count."""
    script = REPO / "scripts" / "bench_flat.py"
    ok = subprocess.run([sys.executable, str(script), "loop", "10", "3"], capture_output=True,
                        text=True, cwd=REPO, timeout=60, check=False)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([sys.executable, str(script), "loop", "1", "201"], capture_output=True,
                         text=True, cwd=REPO, timeout=60, check=False)
    assert bad.returncode != 0 and "reloads must be 0 to 200" in bad.stderr


def test_loop_benchmark_runs() -> None:
    """``bench_loop.py`` (what the looper adds to a reload) runs and prints its rows."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "bench_loop.py"), "3"],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    for row in ("carry_edits", "looper", "reload"):
        assert f"  {row} " in proc.stdout and "median" in proc.stdout
