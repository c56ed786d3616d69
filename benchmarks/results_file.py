"""Each benchmark writes its own section of benchmarks/results/latest.md and keeps the others."""

import re
from pathlib import Path

LATEST = Path(__file__).resolve().parent / "results" / "latest.md"


def write_section(perf_id: str, title: str, text: str) -> None:
    """Replace (or append) the section ``## <perf_id> — <title>`` with ``text``."""
    LATEST.parent.mkdir(parents=True, exist_ok=True)
    existing = LATEST.read_text() if LATEST.exists() else "# Benchmark results\n"
    section = f"## {perf_id} — {title}\n\n{text.strip()}\n\n"
    pattern = re.compile(rf"^## {re.escape(perf_id)}\b.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: section, existing)
    else:
        updated = existing.rstrip() + "\n\n" + section
    LATEST.write_text(updated.rstrip() + "\n")
