"""The README's Python example runs as written, in a folder laid out like a fresh clone."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_readme_python_example_runs_verbatim(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    example = next(b for b in blocks if "from assistant import Assistant" in b)
    shutil.copytree(ROOT / "data" / "articles", tmp_path / "data" / "articles")
    (tmp_path / "example.py").write_text(example, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert out.returncode == 0, out.stderr
    assert "5 added, 0 unchanged, 0 replaced, 0 failed" in out.stdout
    assert "Since we could not get the Patriot" in out.stdout
    assert "what did Çavuşoğlu say about sanctions?" in out.stdout  # the follow-up, made standalone
    assert "Jens Stoltenberg ['NATO Secretary" in out.stdout  # people, spellings merged, with roles
    assert "Jens Stoltenberg — " in out.stdout and "no military solution" in out.stdout  # quotes, typo forgiven
    assert "none of the 5 articles mentions" in out.stdout
