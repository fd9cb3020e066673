"""Run every benchmarks/run_*.py script and collect their markdown tables in RESULTS.md.

Each script measures side by side in one process and prints a markdown section; absolute
times on shared machines are noisy, so the tables lead with ratios.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    sections = []
    failed = []
    for script in sorted(HERE.glob("run_*.py")):
        if script.name == "run_all.py":
            continue
        print(f"== {script.name}", file=sys.stderr, flush=True)
        result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                                env=dict(os.environ, PYTHONUNBUFFERED="1"))
        if result.returncode != 0:
            failed.append(script.name)
            sections.append(f"### {script.name}\n\nfailed:\n\n```\n{result.stderr[-2000:]}\n```\n")
        else:
            sections.append(result.stdout.strip() + "\n")
        print(result.stdout, flush=True)
    header = (f"# Benchmark results\n\n{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
              f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    (HERE / "RESULTS.md").write_text(header + "\n" + "\n".join(sections), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
