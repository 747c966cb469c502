"""The results as Markdown: the machine, then one table per database, each figure beside its baseline."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str  # Signalgraph's own figure, with its unit
    baseline: str  # the baseline's, measured in the same run
    ratio: float
    target: str  # "≥ 0.70" or "≤ 1.10"
    note: str = ""

    @property
    def met(self) -> bool:
        bound = float(self.target.split()[1])
        return self.ratio >= bound if self.target.startswith("≥") else self.ratio <= bound


@dataclass(frozen=True)
class Section:
    database: str
    rows: list[Row]
    notes: list[str]


def _first_line(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "unknown"


def machine() -> list[str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; commit {_first_line(['git', 'rev-parse', '--short', 'HEAD'])}",
        (
            f"- CPU: {cpu}, {os.cpu_count()} cores; memory {memory_kib / 1024 / 1024:.1f} GiB; "
            f"{platform.system()} {platform.release()}"
        ),
        f"- load average when the run started (1, 5, 15 min): {load} — other processes share these cores",
        f"- Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; {_first_line(['wrk', '-v'])}",
    ]


def markdown(machine_lines: list[str], sections: list[Section], settings: str) -> str:
    lines = ["# Signalgraph against hand-written baselines", "", *machine_lines, f"- {settings}", ""]
    for section in sections:
        if not section.rows:
            lines += [f"## {section.database}", "", *[f"- {note}" for note in section.notes], ""]
            continue
        lines += [
            f"## {section.database}",
            "",
            "| figure | Signalgraph | baseline in the same run | ratio | target | |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for row in section.rows:
            mark = "met" if row.met else "**missed**"
            lines.append(
                f"| {row.figure} | {row.measured} | {row.baseline} | {row.ratio:.2f} | {row.target} | {mark} |"
            )
        lines.append("")
        lines += [f"- {note}" for note in section.notes]
        lines.append("")
    missed = [(s.database, r.figure) for s in sections for r in s.rows if not r.met]
    if any(not s.rows for s in sections):
        lines.append(f"**The run broke on a database; {len(missed)} of the targets measured missed.**")
    else:
        lines.append(f"**{len(missed)} of {sum(len(s.rows) for s in sections)} targets missed.**" if missed
                     else "**Every target met.**")
    return "\n".join(lines) + "\n"
