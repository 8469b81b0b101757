"""One documented precedence: arguments > ASSISTANT_* environment > config file > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import ConfigError, Settings
from assistant.config import WebSettings


def test_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for key in ("ASSISTANT_TOP_K", "ASSISTANT_PORT", "ASSISTANT_CONFIG", "ASSISTANT_STORE_DIR"):
        monkeypatch.delenv(key, raising=False)
    assert Settings.load().search.top_k == Settings().search.top_k

    (tmp_path / "assistant.toml").write_text("top_k = 5\nport = 9000\nstore_dir = 'from-file'\n")
    s = Settings.load()
    assert (s.search.top_k, s.web.port, s.store.dir) == (5, 9000, "from-file")

    monkeypatch.setenv("ASSISTANT_TOP_K", "6")
    s = Settings.load()
    assert (s.search.top_k, s.web.port) == (6, 9000)

    s = Settings.load({"top_k": 7, "port": None})
    assert (s.search.top_k, s.web.port) == (7, 9000), "None means 'not given' and falls through"


def test_explicit_config_file_and_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "custom.toml"
    cfg.write_text("[assistant]\nchunk_tokens = 120\n")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(cfg))
    assert Settings.load().store.chunk_tokens == 120
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="not found"):
        Settings.load()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"top_k": "many"}, "expects int"),
        ({"chunk_tokens": 999}, "chunk_tokens"),
        ({"colour": "red"}, "unknown"),
        ({"llm_context_tokens": 50}, "llm_context_tokens 0"),
        ({"llm_generation_threads": -1}, "llm_generation_threads"),
    ],
)
def test_bad_values_are_explained(overrides: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.load(overrides)


def test_auth_pairs() -> None:
    assert WebSettings(auth="ann:pw1, bob:pw2").auth_pairs() == [("ann", "pw1"), ("bob", "pw2")]
    with pytest.raises(ConfigError):
        WebSettings(auth="nopassword").auth_pairs()


def test_sectioned_config_file_and_typed_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for key in ("ASSISTANT_TOP_K", "ASSISTANT_CONFIG", "ASSISTANT_ABSTAIN_CONFIDENCE", "ASSISTANT_STORE_DIR"):
        monkeypatch.delenv(key, raising=False)
    (tmp_path / "assistant.toml").write_text(
        "[store]\ndir = 'sectioned'\n[search]\ntop_k = 4\n[answer]\nabstain_confidence = 'model'\n[web]\nport = 8123\n"
    )
    s = Settings.load()
    assert (s.store.dir, s.search.top_k, s.answer.abstain_confidence, s.web.port) == ("sectioned", 4, None, 8123)
    monkeypatch.setenv("ASSISTANT_ABSTAIN_CONFIDENCE", "0.45")  # flat environment names still win over the file
    assert Settings.load().answer.abstain_confidence == 0.45
    with pytest.raises(ConfigError, match="expects float or 'model'"):
        Settings.load({"abstain_confidence": "sometimes"})
    (tmp_path / "assistant.toml").write_text("[search]\ntopk = 4\n")
    with pytest.raises(ConfigError, match=r"unknown setting \[search\] topk"):
        Settings.load()
