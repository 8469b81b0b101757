"""`assistant ask --engine openai` against a real small model (SmolLM2-135M) on loopback: the draft
streams as it is written, then the checked answer, whose every citation slices out its quote."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

from assistant import Assistant
from assistant.interfaces.render import DRAFT_LABEL, checker_lines, export_markdown, export_text, plain_text
from assistant.interfaces.slack.bot import answer_from_dict
from assistant.models import Answer

pytest_plugins = ["tests.llm_server"]  # the session fixture llm_server: a real SmolLM2 on loopback

QUESTION = "What did Çavuşoğlu say about Patriots?"
SEPARATOR = "--- checked answer ---"


def _env(llm_server: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "ASSISTANT_ENGINE": "openai"}
    env.pop("ASSISTANT_STORE_DIR", None)
    # small budgets: a 135M model on two shared cores; the test proves the path, not the prose
    env |= {
        "ASSISTANT_LLM_BASE_URL": llm_server,
        "ASSISTANT_LLM_MODEL": "smollm2",
        "ASSISTANT_LLM_CONTEXT_TOKENS": "400",
        "ASSISTANT_LLM_MAX_TOKENS": "40",
        "ASSISTANT_LLM_TIMEOUT": "300",
    }
    return env


def _run(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("assistant", path=os.path.dirname(sys.executable)) or "assistant"
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


def _cited(store: Path, text: str) -> list[tuple[str, int, int]]:
    """Each "(doc ID, chars A-B)" the plain-text answer cites, checked against the text of record."""
    found = [(d, int(a), int(b)) for d, a, b in re.findall(r"\(doc (\w+), chars (\d+)-(\d+)\)", text)]
    with Assistant(store, create=False) as a:
        for doc_id, start, end in found:
            quote = a.document_text(doc_id)[start:end]
            assert quote.strip() and quote.strip()[:40] in text, (doc_id, start, end)
    return found


def test_ask_streams_the_draft_then_prints_the_checked_answer(seeded_store: Path, llm_server: str, tmp_path) -> None:
    env = _env(llm_server)
    out = _run("ask", QUESTION, "--store", str(seeded_store), "--show-draft", cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(DRAFT_LABEL + "\n"), out.stdout[:200]
    draft, final = out.stdout[len(DRAFT_LABEL) + 1 :].split("\n" + SEPARATOR + "\n", 1)
    assert draft.strip(), "the model's words were printed before the checked answer"
    assert DRAFT_LABEL not in final
    assert _cited(seeded_store, final), "the checked answer cites its sources"
    # generated and checked, or the extractive fallback: either way the reader is told
    assert "every sentence checked against its source" in final or "so this is the extractive answer" in final

    piped = _run("ask", QUESTION, "--store", str(seeded_store), "--json", cwd=tmp_path, env=env)
    assert piped.returncode == 0, piped.stderr
    answer = json.loads(piped.stdout)  # only the final answer: no draft in the JSON output
    assert answer["generated"] is not None and answer["checks"]
    with Assistant(seeded_store, create=False) as a:
        for c in answer["citations"]:
            assert a.document_text(c["doc_id"])[c["start"] : c["end"]] == c["quote"]
    for check in answer["checks"]:
        assert set(check) >= {"sentence", "supported", "reasons"}
        if not check["supported"]:
            assert check["reasons"], "a removed sentence says why"
    _assert_checker_shown(answer_from_dict(answer))


def test_on_a_terminal_the_draft_is_shown_dim_then_cleared(seeded_store: Path, llm_server: str, tmp_path) -> None:
    exe = shutil.which("assistant", path=os.path.dirname(sys.executable)) or "assistant"
    env = _env(llm_server) | {"TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    errors = (tmp_path / "stderr").open("w")
    parent, child = pty.openpty()  # a real terminal: rich's Live shows the draft, then clears it
    proc = subprocess.Popen(
        [exe, "ask", QUESTION, "--store", str(seeded_store)], stdin=child, stdout=child, stderr=errors, env=env
    )
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # EIO: the command has exited and closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(parent)
    errors.close()
    assert proc.wait(timeout=600) == 0, (tmp_path / "stderr").read_text()
    text = out.decode("utf-8", "replace")
    drafted = text.rfind(DRAFT_LABEL)
    assert drafted != -1, text[:300]
    assert "\x1b[2" in text[:drafted], "the draft is dim"
    final = text[drafted:]
    assert "\x1b[2K" in final, "the draft is erased before the checked answer is printed"
    clean = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", final.split("\x1b[2K")[-1]).replace("\r\n", "\n")
    assert DRAFT_LABEL not in clean and _cited(seeded_store, clean)


def test_an_extractive_answer_reads_as_it_always_did(seeded: Assistant) -> None:
    answer = seeded.ask(QUESTION)
    assert checker_lines(answer) == []
    for shown in (plain_text(answer), export_text(answer), export_markdown(answer)):
        assert "checked against" not in shown and "Removed by the checker" not in shown


def _assert_checker_shown(answer: Answer) -> None:
    """The label, the notice and every removed sentence with its reasons, in every text form."""
    lines = "\n".join(checker_lines(answer))
    assert answer.notice is None or answer.notice in lines
    for check in answer.removed:
        assert check["sentence"].strip() in lines and all(r in lines for r in check["reasons"])
    if answer.engine == "openai":
        assert "Generated by a language model" in lines
    for shown in (plain_text(answer), export_text(answer), export_markdown(answer)):
        flat = " ".join(re.sub(r"\\(.)", r"\1", shown).split())  # Markdown's escapes undone, lines joined
        for check in answer.removed:
            assert " ".join(check["sentence"].split()) in flat
        if answer.notice:
            assert " ".join(answer.notice.split()) in flat
