"""The web app's Gradio API, called through gradio_client against the real running app; and
how the app starts when it cannot."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT
from .web_server import free_port, running_app

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


def test_port_taken_is_a_clear_error(tmp_path: Path, seeded_store: Path) -> None:
    """Defect 9: `python app.py` on a taken port says so in the product's own words: --port, ASSISTANT_PORT."""
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = subprocess.run(
            [sys.executable, str(ROOT / "app.py"), "--port", str(port), "--store", str(seeded_store)],
            cwd=ROOT,
            env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2
    assert f"error: port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "--port" in result.stderr and "ASSISTANT_PORT" in result.stderr
    assert "Traceback" not in result.stderr and "GRADIO_SERVER_PORT" not in result.stderr


def test_login_required_when_auth_is_set(seeded_store: Path, tmp_path: Path) -> None:
    import shutil

    store = tmp_path / "store"
    shutil.copytree(seeded_store, store)
    with running_app(store, tmp_path / "app.log", env={"ASSISTANT_AUTH": "editor:s3cret"}) as url:
        with pytest.raises(Exception):  # noqa: B017 (gradio_client raises a plain exception)
            gradio_client.Client(url, verbose=False).predict("anything", None, api_name="/ask")
        # the page's own calls (Gradio server functions) are behind the same login
        request = urllib.request.Request(
            url + "gradio_api/component_server/",
            data=json.dumps(
                {"data": {"question": "x", "turn": "t1"}, "component_id": 1, "fn_name": "ask", "session_hash": "nobody"}
            ).encode(),
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code in (401, 403)
        client = gradio_client.Client(url, auth=("editor", "s3cret"), verbose=False)
        assert client.predict("How much was the S-400 deal worth?", None, api_name="/ask")["abstained"] is False
