"""Generative answers (#14) on the seed store: the context packer, the prompts, the sentence checker,
the fallback when the model can't answer, and real generation by a real small model (SmolLM2-135M)
both behind an OpenAI-compatible loopback server and run in-process from its GGUF file.

Whatever the model writes, the final answer may only cite passages it was given, and every quoted
string must be word for word in its cited source."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answering import context, prompts
from assistant.answering.nli import NLIModel
from assistant.answering.verify import Verifier, split_sentences
from assistant.errors import ConfigError
from assistant.models import Answer, Draft
from assistant.text.terms import fold
from assistant.text.tokens import count_tokens
from tests.conftest import ROOT, SEEDS, check_citations
from tests.nli_model import build_nli_model

pytest_plugins = ["tests.llm_server"]  # the session fixture llm_server: a real SmolLM2 on loopback

QUESTION = "What did Çavuşoğlu say about Patriots?"
# small budgets: the models are 135M on two shared cores; the test proves the path, not the prose
SMALL = {"llm_context_tokens": 500, "llm_max_tokens": 60, "llm_timeout": 300.0, "llm_threads": 1}


@pytest.fixture(scope="module")
def retrieval(seeded: Assistant):
    return seeded.retrieve(QUESTION, 8)


# --- the context packer --------------------------------------------------------------------------


@pytest.mark.parametrize("budget", [150, 400, 1200])
def test_packed_sources_keep_the_budget_and_the_order_and_quote_exactly(seeded: Assistant, retrieval, budget) -> None:
    sources = context.pack_sources(retrieval, seeded.index, budget)
    assert sources, "at least one source fits"
    assert count_tokens(context.format_sources(sources)) <= budget
    assert [s.n for s in sources] == list(range(1, len(sources) + 1))
    chunks = retrieval.chunks
    ranks = [
        next(i for i, c in enumerate(chunks) if c.doc_id == s.doc_id and c.start <= s.start < c.end) for s in sources
    ]
    assert ranks == sorted(ranks), "sources keep the retrieval's order"
    for s in sources:
        assert seeded.document_text(s.doc_id)[s.start : s.end] == s.text
        assert s.tokens == count_tokens(s.entry())
        assert s.title in s.header() and (s.outlet or "outlet unknown") in s.header()


def test_a_chunk_too_long_for_the_room_left_is_cut_at_a_sentence_end(seeded: Assistant, retrieval) -> None:
    whole = context.pack_sources(retrieval, seeded.index, 5000)[0]
    cut = context.pack_sources(retrieval, seeded.index, whole.tokens - 5)[0]
    assert cut.doc_id == whole.doc_id and cut.start == whole.start and cut.end < whole.end
    assert cut.text.rstrip()[-1] in ".!?”\"'’", cut.text[-40:]


def test_a_syndicated_copy_is_given_to_the_model_once(fresh_copy: Path, tmp_path: Path) -> None:
    original = (SEEDS / "000_497468fe3386531b.txt").read_text(encoding="utf-8")
    reprint = tmp_path / "reprint.txt"  # the same wire story, another outlet's footer
    reprint.write_text(original.replace("Duvar English", "Wire Desk") + "\nDistributed by Wire Desk.\n", "utf-8")
    with Assistant(fresh_copy) as a:
        assert a.ingest([reprint]).added == 1
        retrieval = a.retrieve("Stoltenberg concerned S-400 risk ally aircraft sanctions", 8)
        docs = {c.doc_id for c in retrieval.chunks}
        grouped = {d for d in docs if set(a.index.copies(d)) & docs}
        assert len(grouped) == 2, "both copies are retrieved"
        sources = context.pack_sources(retrieval, a.index, 5000)
    in_copies = [s for s in sources if s.doc_id in grouped]
    assert in_copies and len({(s.text) for s in in_copies}) == len(in_copies)
    assert len(in_copies) < len([c for c in retrieval.chunks if c.doc_id in grouped])


# --- prompts -------------------------------------------------------------------------------------


def test_every_prompt_is_a_text_file_in_prompts_with_its_placeholders() -> None:
    for name, fields in prompts.PLACEHOLDERS.items():
        text = (ROOT / "prompts" / f"{name}.txt").read_text(encoding="utf-8")
        assert prompts.load(name) == text.strip() + "\n"
        for field in fields:
            assert "{" + field + "}" in text


def test_a_users_prompt_replaces_the_bundled_one_and_a_broken_one_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_PROMPTS_DIR", str(tmp_path))
    (tmp_path / "refuse.txt").write_text("Say only: Nothing in these articles.\n", encoding="utf-8")
    assert prompts.load("refuse") == "Say only: Nothing in these articles.\n"
    assert "{question}" in prompts.load("answer")  # not overridden: the bundled one
    (tmp_path / "answer.txt").write_text("Answer {question} from {sorces}", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"answer.txt.*missing \['max_sentences', 'refusal_rule', 'sources'\]"):
        prompts.load("answer")
    monkeypatch.setenv("ASSISTANT_PROMPTS_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(ConfigError, match="not a folder"):
        prompts.load("answer")


def test_prompts_are_found_when_the_package_is_installed_from_a_wheel(tmp_path) -> None:
    source = tmp_path / "src"  # a copy, so the build leaves nothing in the checkout
    for part in ("assistant", "prompts"):
        shutil.copytree(ROOT / part, source / part, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / part, source / part)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), "."],
        cwd=source,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {f"assistant/prompts/{n}.txt" for n in prompts.PLACEHOLDERS} <= set(names)
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = "from assistant.answering import prompts; print(prompts.load('answer')[:40])"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(target)}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == prompts.load("answer")[:40].strip()


# --- the checker ---------------------------------------------------------------------------------

SOURCES = {
    1: "Turkey's purchase of the S-400 missile defense system from Russia poses a risk to NATO and can lead to "
    "U.S. sanctions, NATO Secretary-General Jens Stoltenberg said on Oct. 5.",
    2: '"Since we could not get the Patriot or any other air defense systems from our allies, we had to buy '
    'S-400," Turkish Foreign Minister Mevlüt Çavuşoğlu said.',
}


@pytest.fixture(scope="module")
def verifier(seeded: Assistant) -> Verifier:
    return Verifier(seeded.model.vector)


@pytest.mark.parametrize(
    "sentence, supported, reason",
    [
        ("Stoltenberg said the S-400 purchase poses a risk to NATO and can lead to U.S. sanctions [1].", True, ""),
        ('Cavusoglu said "we had to buy S-400" [2].', True, ""),
        ('Çavuşoğlu said "we wanted to buy S-400" [2].', False, "word for word"),
        ("Stoltenberg said the purchase poses a risk to NATO [3].", False, "not provided"),
        ("Stoltenberg said the purchase poses a risk to NATO.", False, "cites no source"),
        ("Stoltenberg said on Oct. 7 that the purchase poses a risk to NATO [1].", False, "figure 7"),
        ("Stoltenberg said the purchase has already led to U.S. sanctions [1].", False, "possible"),
        ("Erdogan said the purchase poses a risk to NATO [1].", False, "erdogan"),
        ('Stoltenberg said "we had to buy S-400" [2].', False, "Cavusoglu"),
        ("Turkey said it had to buy the S-400 because allies would not sell it Patriots [1].", False, ""),
    ],
)
def test_the_checker_keeps_supported_sentences_and_says_why_it_removes_the_others(
    verifier: Verifier, sentence: str, supported: bool, reason: str
) -> None:
    check = verifier.check(sentence, SOURCES)
    assert check.supported is supported, check.reasons
    if not supported:
        assert check.reasons and reason.casefold() in " ".join(check.reasons).casefold(), check.reasons


# --- an NLI model as the stronger check (a real ONNX file; see tests/nli_model.py) ---------------------


@pytest.fixture(scope="module")
def nli_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_nli_model(tmp_path_factory.mktemp("nli"))


def test_an_nli_model_folder_is_read_by_its_own_labels(nli_folder: Path, tmp_path: Path) -> None:
    premise = SOURCES[1]
    pairs = [(premise, "Stoltenberg said the purchase poses a risk."), (premise, "Greece bought tanks.")]
    entailed, not_entailed = NLIModel(nli_folder).entailment_probabilities(pairs)
    assert entailed > 0.5 > not_entailed
    # the same outputs read with the labels in another order: config.json decides which is entailment
    relabelled = build_nli_model(tmp_path / "relabelled", {"0": "entailment", "1": "neutral", "2": "contradiction"})
    assert NLIModel(relabelled).entailment_probabilities(pairs[:1])[0] < 0.5


@pytest.mark.parametrize(
    "files, says",
    [
        (None, "no folder"),
        ({"config.json": '{"id2label": {"0": "entailment"}}'}, "no model.onnx, tokenizer.json"),
        ({"model.onnx": "", "tokenizer.json": "{}", "config.json": '{"id2label": {"0": "POSITIVE"}}'}, "entailment"),
        ({"model.onnx": "x", "tokenizer.json": "{}", "config.json": '{"id2label": {"0": "entailment"}}'}, "load"),
    ],
)
def test_a_wrong_nli_model_folder_is_a_config_error_naming_the_setting(tmp_path: Path, files, says: str) -> None:
    folder = tmp_path / "nli"
    if files is not None:
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text)
    with pytest.raises(ConfigError, match="ASSISTANT_NLI_MODEL") as raised:
        NLIModel(folder).load()
    assert says in str(raised.value)


def test_with_an_nli_model_entailment_replaces_the_soft_tests_and_the_hard_rules_stay(
    seeded: Assistant, verifier: Verifier, nli_folder: Path
) -> None:
    checker = Verifier(seeded.model.vector, entail=NLIModel(nli_folder).entailment_probabilities)
    kept = checker.check("Stoltenberg said the S-400 purchase can lead to U.S. sanctions [1].", SOURCES)
    assert kept.supported and kept.entailment is not None and kept.entailment > 0.5
    # the rules remove this (the source gives sanctions as possible); this model entails it, and decides
    hedged = "Stoltenberg said the purchase of the S-400 poses a risk to NATO and U.S. sanctions [1]."
    assert "possible" in " ".join(verifier.check(hedged, SOURCES).reasons)
    assert checker.check(hedged, SOURCES).supported
    # the rules keep this (words added, the meaning close); the model does not entail it
    added = "Stoltenberg said on Oct. 5 the purchase poses a risk to NATO and can lead to sanctions against Turkey [1]."
    assert verifier.check(added, SOURCES).supported
    removed = checker.check(added, SOURCES)
    assert not removed.supported and "NLI entailment" in " ".join(removed.reasons)
    # quoted words must still be verbatim, whatever the model says
    misquoted = checker.check('Çavuşoğlu said "we had to buy the Patriot" [2].', SOURCES)
    assert misquoted.entailment is not None and misquoted.entailment > 0.5
    assert not misquoted.supported and "word for word" in " ".join(misquoted.reasons)


def test_markers_written_after_the_full_stop_belong_to_the_sentence_before() -> None:
    assert split_sentences("He said yes. [1] Then no [2]. “Done.” [1][3] End") == [
        "He said yes. [1]",
        "Then no [2].",
        "“Done.” [1][3]",
        "End",
    ]


# --- falling back ----------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _events(assistant: Assistant, question: str = QUESTION, **kw) -> tuple[list[Draft], Answer]:
    events = list(assistant.ask_stream(question, **kw))
    assert isinstance(events[-1], Answer) and all(isinstance(e, Draft) for e in events[:-1])
    return events[:-1], events[-1]


def test_an_unreachable_model_gives_the_extractive_answer_and_says_so(seeded_store: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    with Assistant(seeded_store, engine="openai", llm_base_url=url, llm_model="m", llm_timeout=5) as a:
        drafts, answer = _events(a)
    assert not drafts
    assert not answer.abstained and answer.citations and "Patriot" in answer.text
    assert answer.notice and "could not answer" in answer.notice and "extractive" in answer.notice
    assert "unreachable" in answer.notice or "connect" in answer.notice.casefold()
    check_citations(a, answer)


def test_a_model_that_never_answers_times_out_into_the_extractive_answer(seeded_store, silent_endpoint) -> None:
    with Assistant(seeded_store, engine="openai", llm_base_url=silent_endpoint, llm_model="m", llm_timeout=2) as a:
        answer = a.ask(QUESTION)
    assert answer.notice and "timed out" in answer.notice
    assert answer.citations and not answer.abstained


def test_an_openai_engine_without_an_endpoint_is_a_config_error(seeded_store) -> None:
    with Assistant(seeded_store, engine="openai") as a, pytest.raises(ConfigError, match="ASSISTANT_LLM_BASE_URL"):
        a.ask(QUESTION)


# --- real generation -----------------------------------------------------------------------------


def _assert_trustworthy(assistant: Assistant, answer: Answer, engine: str) -> None:
    """Whatever the model wrote: citations only to given passages, quotes verbatim, or the fallback."""
    check_citations(assistant, answer)
    if answer.engine == engine:
        assert answer.generated is not None and answer.checks
        assert all(c["supported"] for c in answer.checks if c["sentence"] in answer.text)
        markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
        assert markers == {c.n for c in answer.citations}
        for sentence in split_sentences(answer.text):
            cited = [c for c in answer.citations if f"[{c.n}]" in sentence]
            for quoted in re.findall(r"[\"“]([^\"“”]{2,}?)[\"”]", sentence):
                assert any(" ".join(fold(quoted).split()) in " ".join(fold(c.quote).split()) for c in cited)
    else:  # nothing survived the checks, or the model declined: the extractive answer, said so
        assert answer.notice and "extractive" in answer.notice


def test_the_openai_engine_answers_from_a_real_model_server(seeded_store: Path, llm_server: str) -> None:
    with Assistant(seeded_store, engine="openai", llm_base_url=llm_server, llm_model="smollm2", **SMALL) as a:
        drafts, answer = _events(a)
    assert drafts, "the model's words streamed before the answer"
    assert answer.generated == "".join(d.text for d in drafts).strip()
    _assert_trustworthy(a, answer, "openai")
    assert answer.timings_ms["first_token"] <= answer.timings_ms["generate"]


def test_an_engine_with_an_nli_model_checks_a_real_models_answer_by_entailment(
    seeded_store: Path, llm_server: str, nli_folder: Path
) -> None:
    settings = {"llm_base_url": llm_server, "llm_model": "smollm2", "nli_model": str(nli_folder), **SMALL}
    with Assistant(seeded_store, engine="openai", **settings) as a:
        a.warm_up()
        assert a.engine.nli is not None and a.engine.nli._session is not None  # loaded at start, not at first use
        drafts, answer = _events(a, "What did Stoltenberg say about the S-400?")
    assert drafts
    _assert_trustworthy(a, answer, "openai")
    for check in answer.checks:  # every sentence that reached the soft tests was judged by entailment
        if check["cited"]:
            assert check["entailment"] is not None and check["meaning"] == 1.0
    # a wrong folder stops a server at start (warm-up makes the engine), not at a user's question
    with Assistant(seeded_store, engine="openai", **{**settings, "nli_model": str(seeded_store / "nope")}) as a:
        with pytest.raises(ConfigError, match="ASSISTANT_NLI_MODEL"):
            a.warm_up()


def test_the_local_engine_answers_in_process_from_the_gguf_file(seeded_store: Path) -> None:
    with Assistant(seeded_store, engine="local", llm_gguf="smollm2", **SMALL) as a:
        drafts, answer = _events(a, "What did Stoltenberg say about the S-400?")
    assert drafts
    _assert_trustworthy(a, answer, "local")


# --- follow-ups ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rewrite, ok",
    [
        ("What did Çavuşoğlu say about sanctions?", True),
        ("What did Erdogan say about sanctions?", False),  # a name nobody used: a guess
        ("Turkey bought the S-400 because it could not get Patriots.", False),  # an answer, not the question
        ("", False),
    ],
)
def test_a_models_rewrite_of_a_follow_up_is_used_only_when_it_is_one(rewrite: str, ok: bool) -> None:
    from assistant.answering.generative import acceptable_rewrite

    conversation = "user: what did Çavuşoğlu say about Patriots?\nassistant: Mevlüt Çavuşoğlu said …"
    assert acceptable_rewrite("and what did he say about sanctions?", conversation, rewrite) is ok


def test_a_follow_up_is_condensed_by_the_real_model_or_else_by_the_rules(seeded_store: Path, llm_server: str) -> None:
    history = [
        {"role": "user", "content": "what did Çavuşoğlu say about Patriots?"},
        {"role": "assistant", "content": "Mevlüt Çavuşoğlu said Turkey could not get the Patriots [1]."},
    ]
    with Assistant(seeded_store, engine="openai", llm_base_url=llm_server, llm_model="smollm2", **SMALL) as a:
        answer = a.ask("and what did he say about NATO?", history=history)
    assert "Çavuşoğlu" in answer.standalone_question and "NATO" in answer.standalone_question
    check_citations(a, answer)


def test_warming_up_a_server_never_asks_the_model(seeded_store: Path) -> None:
    """A server's start-up warm-up readies the fallback but spends no model answer."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
        with Assistant(seeded_store, engine="openai", llm_base_url=url, llm_model="m") as a:
            a.warm_up()
        listener.settimeout(0.3)
        with pytest.raises(TimeoutError):
            listener.accept()
