"""The web app's Gradio API, called through gradio_client against the real running app."""

from __future__ import annotations

from pathlib import Path

import pytest

from .web_server import running_app

gradio_client = pytest.importorskip("gradio_client")


@pytest.fixture(scope="module")
def app_url(seeded_store: Path, tmp_path_factory: pytest.TempPathFactory):
    import shutil

    store = tmp_path_factory.mktemp("web-api") / "store"
    shutil.copytree(seeded_store, store)
    with running_app(store, store.parent / "app.log") as url:
        yield url


def test_ask_endpoint_returns_answer_and_sources_as_data(app_url: str) -> None:
    client = gradio_client.Client(app_url, verbose=False)
    data = client.predict("what did Çavuşoğlu say about Patriots?", None, api_name="/ask")
    assert data["abstained"] is False
    assert "Since we could not get the Patriot" in data["citations"][0]["quote"]
    assert data["citations"][0]["title"] == "NATO says Turkey's purchase of S-400 poses a risk to alliance"

    follow = client.predict(
        "and what did he say about sanctions?",
        [{"role": "user", "content": "what did Çavuşoğlu say about Patriots?"}],
        api_name="/ask",
    )
    assert "I will impose sanctions if you buy" in follow["citations"][0]["quote"]

    none = client.predict("Who won the 2018 World Cup?", None, api_name="/ask")
    assert none["abstained"] is True and none["citations"] == []


def test_chat_endpoint_streams_chat_sources_and_data(app_url: str) -> None:
    client = gradio_client.Client(app_url, verbose=False)
    # the conversation state is the page's own; the API takes the question and the chat so far
    chat, sources, data, textbox = client.predict("How much was the S-400 deal worth?", [], api_name="/chat")
    assert chat[-1]["role"] == "assistant" and "$2.5 billion" in str(chat[-1]["content"])
    assert "<mark>" in sources and "$2.5 billion" in sources
    assert data["citations"][0]["quote"] in sources.replace("&#x27;", "'")
    assert textbox == ""


def test_login_required_when_auth_is_set(seeded_store: Path, tmp_path: Path) -> None:
    import shutil

    store = tmp_path / "store"
    shutil.copytree(seeded_store, store)
    with running_app(store, tmp_path / "app.log", env={"ASSISTANT_AUTH": "editor:s3cret"}) as url:
        with pytest.raises(Exception):  # noqa: B017 (gradio_client raises a plain exception)
            gradio_client.Client(url, verbose=False).predict("anything", None, api_name="/ask")
        client = gradio_client.Client(url, auth=("editor", "s3cret"), verbose=False)
        assert client.predict("How much was the S-400 deal worth?", None, api_name="/ask")["abstained"] is False
