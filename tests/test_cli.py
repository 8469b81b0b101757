"""The real `assistant` command, run as a user would, against a store on disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, run_python


def _run(*args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
    exe = shutil.which("assistant", path=os.path.dirname(sys.executable)) or "assistant"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("ASSISTANT_STORE_DIR", None)
    return subprocess.run([exe, *args], cwd=cwd, input=input, capture_output=True, text=True, env=env, timeout=300)


def test_cli_round_trip(fresh_copy: Path, tmp_path: Path) -> None:
    store = str(fresh_copy)
    out = _run("ingest", str(ROOT / "data" / "articles"), "--store", store, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "0 added, 5 unchanged, 0 replaced, 0 failed" in out.stdout

    out = _run("ask", "what did Çavuşoğlu say about Patriots?", "--store", store, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "Since we could not get the Patriot" in out.stdout
    assert "[1] NATO says Turkey's purchase of S-400 poses a risk to alliance — Duvar English" in out.stdout
    # a quote that opens with its own quotation mark is shown once-wrapped, others in “…”
    assert '    "Since we could not get the Patriot' in out.stdout and '“"' not in out.stdout
    # a reported statement is cited with its attribution, wrapped in “…” as it has no marks of its own
    assert "    “Çavuşoğlu said that Turkey could not get the Patriots" in out.stdout

    out = _run("ask", "who won the world cup?", "--store", store, "--json", cwd=tmp_path)
    data = json.loads(out.stdout)
    assert data["abstained"] is True and data["citations"] == []

    history = tmp_path / "history.json"
    history.write_text(json.dumps([{"role": "user", "content": "what did Cavusoglu say about Patriots?"}]))
    out = _run(
        "ask",
        "and what did he say about sanctions?",
        "--history",
        str(history),
        "--store",
        store,
        "--json",
        cwd=tmp_path,
    )
    assert "I will impose sanctions if you buy" in json.loads(out.stdout)["citations"][0]["quote"]

    out = _run("docs", "--store", store, "--json", cwd=tmp_path)
    docs = json.loads(out.stdout)
    assert len(docs) == 5

    out = _run("remove", docs[0]["doc_id"], "--store", store, cwd=tmp_path)
    assert out.returncode == 0 and "removed" in out.stdout
    out = _run("remove", "nonexistent", "--store", store, cwd=tmp_path)
    assert out.returncode == 2 and "no indexed document has id 'nonexistent'" in out.stderr


def test_cli_ingest_reports_failures_and_exits_nonzero(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text("Town fair returns\n\nThe town fair returned on Saturday after two years.")
    out = _run("ingest", str(tmp_path), "--store", str(tmp_path / "store"), cwd=tmp_path)
    assert out.returncode == 1
    assert "failed" in out.stderr and "empty file" in out.stderr
    assert "1 added, 0 unchanged, 0 replaced, 1 failed" in out.stdout


def test_cli_chat_follow_up(fresh_copy: Path, tmp_path: Path) -> None:
    script = "what did cavusoglu say about patriots\nand what did he say about sanctions?\n:quit\n"
    out = _run("chat", "--store", str(fresh_copy), cwd=tmp_path, input=script)
    assert out.returncode == 0, out.stderr
    assert "Since we could not get the Patriot" in out.stdout
    assert "understood as: what did cavusoglu say about sanctions?" in out.stdout
    assert "I will impose sanctions if you buy" in out.stdout


def test_cli_bad_config_is_one_clear_line(tmp_path: Path) -> None:
    out = _run("ask", "anything", "--store", str(tmp_path / "s"), "--config", str(tmp_path / "nope.toml"), cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip().startswith("error: config file not found")


def test_cli_eval_seed_set_side_by_side(tmp_path: Path) -> None:
    out = _run("eval", "--no-squad", "--out", str(tmp_path / "eval.json"), cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "answerable_correct" in out.stdout and "stock" in out.stdout
    data = json.loads((tmp_path / "eval.json").read_text())
    ours = data["seed"]["ours"]
    answerable = int(ours["answerable_correct"].split("/")[1])
    assert ours["answerable_correct"] == f"{answerable}/{answerable}", ours["failures"]
    assert data["seed"]["stock"]["questions"] == ours["questions"]
    # the independent who-said set on the seeds: every question graded, in its own half
    seeds = data["whosaid"]["seeds"]
    written = [json.loads(line) for line in (ROOT / "benchmarks/whosaid/questions_seeds.jsonl").open(encoding="utf-8")]
    for split in ("tune", "heldout"):  # both tuned on now; the untouched half is BBC-only (heldout2)
        assert seeds[split]["questions"] == sum(q["split"] == split for q in written)
        assert "failures" in seeds[split]
    assert "Who-said set, seeds" in out.stdout


def test_version_and_docs_answer_without_loading_the_search_stack(fresh_copy: Path, tmp_path: Path) -> None:
    """``--version`` and ``docs`` must stay quick: they import neither Chroma, llama-index nor the model."""
    out = _run("--version", cwd=tmp_path)
    assert out.returncode == 0 and "version" in out.stdout
    code = (
        "import sys\n"
        "from assistant.interfaces.cli import main\n"
        f"sys.argv = ['assistant', 'docs', '--store', {str(fresh_copy)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('chromadb', 'llama_index.core', 'onnxruntime', 'nltk', 'bm25s') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = run_python(code)
    assert "5 article(s), 25 chunks" in out.stdout, out.stderr
    assert "HEAVY []" in out.stdout


def test_logs_are_levelled_json_and_never_hold_a_secret(fresh_copy: Path, tmp_path: Path) -> None:
    env = {**os.environ, "ASSISTANT_AUTH": "alice:correct-horse-battery", "ASSISTANT_LOG_JSON": "1"}
    code = (
        "import logging, sys; from assistant.logs import configure; configure(sys.argv[1]);"
        "log = logging.getLogger('assistant.test');"
        "log.debug('hidden at info');"
        "log.info('login by alice:correct-horse-battery with token xoxb-1234-5678-abcdef');"
        "log.warning('calling http://bot:pa55word@example.org with api_key=sk-abcdefghijklmnop');"
        "\ntry:\n    raise ValueError('password=hunter22 rejected')\n"
        "except ValueError:\n    log.exception('login failed')"
    )
    done = subprocess.run([sys.executable, "-c", code, "info"], capture_output=True, text=True, env=env, timeout=60)
    records = [json.loads(line) for line in done.stderr.splitlines()]
    assert [r["level"] for r in records] == ["info", "warning", "error"]
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    for secret in ("correct-horse-battery", "xoxb-1234", "pa55word", "sk-abcdefghijklmnop", "hunter22"):
        assert secret not in done.stderr, secret
    assert "[redacted]" in records[0]["message"] and "ValueError" in records[2]["exception"]
    # a wrong level is a clear error
    wrong = subprocess.run(
        [sys.executable, "-c", "from assistant.interfaces.cli import main; main()", "docs"],
        capture_output=True,
        text=True,
        env={**env, "ASSISTANT_LOG_LEVEL": "loud", "ASSISTANT_STORE_DIR": str(fresh_copy)},
        timeout=60,
    )
    assert wrong.returncode == 2 and "log level must be" in wrong.stderr
