"""The chat web page (Gradio): a thin layer over ``Assistant``.

Answers stream into the chat with ``[n]`` markers linked to a sources panel, where each
quote is highlighted inside its paragraph. A second tab adds articles (upload, progress,
per-file results) and lists or removes what is indexed. Thumbs up/down go to
``feedback.jsonl`` beside the store. Nothing here calls the internet: no analytics, no
web fonts, no server-side rendering through a CDN.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any

import gradio as gr

from ..api import Assistant
from ..config import Settings
from ..errors import AssistantError
from ..ingest.loading import SUPPORTED_SUFFIXES
from ..models import IngestReport
from .render import linked_markdown, sources_html, unlink_markers
from .service import FeedbackLog, ingest_uploads, open_for_serving

log = logging.getLogger(__name__)

EXAMPLES = [
    "What did Çavuşoğlu say about Patriots?",
    "and what did he say about sanctions?",
    "What did Stoltenberg say about interoperability?",
    "How much was the S-400 deal worth?",
    "What did Hutchison say about the Russian missile system?",
]
EMPTY_SOURCES = "<div class='no-sources'>Sources for the latest answer appear here.</div>"

CSS = """
.sources { display: flex; flex-direction: column; gap: 12px; }
.source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px; }
.source-head { font-weight: 600; }
.source-badge { display: inline-block; min-width: 2em; color: var(--color-accent); }
.source-meta { font-size: 0.85em; opacity: 0.75; margin: 2px 0 6px; word-break: break-all; }
.source-context { margin: 0; line-height: 1.5; }
.source-context mark { background: #ffe58a; color: #111; padding: 0 2px; border-radius: 2px; }
.source-near { opacity: 0.6; font-size: 0.92em; }
.no-sources { opacity: 0.75; font-style: italic; }
"""


class WebApp:
    """The page's handlers, each one call into ``Assistant``; kept apart from layout for tests."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.feedback_log = FeedbackLog(assistant.settings.store.dir)

    # --- chat -----------------------------------------------------------------------------
    def chat(self, message: str, chat_history: list[dict[str, Any]], answers: dict[int, dict[str, Any]]):
        """Stream the answer into the chat; also yield the sources panel and the answer as data."""
        message = (message or "").strip()
        chat_history = list(chat_history or [])
        if not message:
            yield chat_history, gr.skip(), gr.skip(), answers, ""
            return
        history = [{"role": m["role"], "content": _message_text(m.get("content"))} for m in chat_history]
        try:
            answer = self.assistant.ask(message, history=history)
        except AssistantError as exc:
            chat_history += [{"role": "user", "content": message}, {"role": "assistant", "content": f"⚠️ {exc}"}]
            yield chat_history, EMPTY_SOURCES, {"error": str(exc)}, answers, ""
            return
        data = answer.to_dict()
        sources = sources_html(answer, self.assistant.document_text)
        chat_history = [*chat_history, {"role": "user", "content": message}, {"role": "assistant", "content": ""}]
        answers = {**answers, len(chat_history) - 1: data}
        final = linked_markdown(answer)
        for partial in _stream_pieces(final):
            chat_history[-1] = {"role": "assistant", "content": partial}
            yield chat_history, sources, data, answers, ""
            time.sleep(0.02)

    def ask_api(self, question: str, history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The answer with its citations as data: for gradio_client and other programs."""
        return self.assistant.ask(question, history=history or None).to_dict()

    def clear(self):
        return [], EMPTY_SOURCES, None, {}, ""

    def feedback(self, like: gr.LikeData, answers: dict[int, dict[str, Any]]) -> str:
        """Store a thumbs up/down with the question, answer and citations, for later review."""
        index = like.index[0] if isinstance(like.index, (list, tuple)) else like.index
        answer = answers.get(index) or answers.get(str(index))
        if answer is None:
            return "Feedback applies to answers only."
        rating = "up" if like.liked is True or like.liked == "like" else "down"
        record = self.feedback_log.record(rating, answer)
        return f"Thanks — feedback saved ({record['rating']})."

    # --- articles -------------------------------------------------------------------------
    def upload(self, files: list[str] | None, progress: gr.Progress = gr.Progress()):  # noqa: B008 (Gradio's API)
        """Copy uploads beside the store, ingest them, and report per file."""
        if not files:
            return gr.skip(), "Choose one or more files first.", *self.documents_view()
        paths = [f if isinstance(f, str) else f.name for f in files]
        progress((0, len(paths)), desc="Ingesting", unit="files")

        def on_progress(p) -> None:  # by chunks embedded: one large file is most of the work
            desc = f"Ingesting {p.current} ({p.files_done}/{p.files_total} files)"
            if p.chunks_total:
                progress((p.chunks_done, p.chunks_total), desc=desc, unit="chunks")
            else:
                progress((p.files_done, p.files_total), desc=desc, unit="files")

        report = ingest_uploads(self.assistant, paths, on_progress)
        return _report_rows(report), report.summary(), *self.documents_view()

    def documents_view(self):
        docs = self.assistant.docs()
        rows = [[d.doc_id, d.title, d.outlet or "", d.chunks, d.source, d.added_at] for d in docs]
        choices = [(f"{d.title[:70]} ({d.doc_id})", d.doc_id) for d in docs]
        summary = f"**{len(docs)} articles indexed**, {sum(d.chunks for d in docs)} chunks."
        return rows, gr.update(choices=choices, value=None), summary

    def remove(self, doc_id: str | None):
        if not doc_id:
            return "Choose an article to remove.", *self.documents_view()
        try:
            info = self.assistant.remove(doc_id)
        except AssistantError as exc:
            return f"⚠️ {exc}", *self.documents_view()
        return f"Removed “{info.title}” ({info.chunks} chunks).", *self.documents_view()


def build(assistant: Assistant) -> gr.Blocks:
    """Lay out the page and wire it to ``WebApp`` handlers."""
    app = WebApp(assistant)
    with gr.Blocks(title="News assistant", analytics_enabled=False) as demo:
        answers = gr.State({})
        gr.Markdown(
            "# News assistant\nAsk about the indexed articles. Every answer quotes its sources; "
            "when the articles don't hold the answer, it says so."
        )
        with gr.Tab("Ask"):
            with gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(
                        label="Conversation",
                        elem_id="chat",
                        height=520,
                        buttons=["copy"],
                        placeholder="Ask a question about the articles, e.g. “What did Çavuşoğlu say about Patriots?”",
                    )
                    with gr.Row():
                        question = gr.Textbox(
                            placeholder="Ask about the articles…",
                            show_label=False,
                            elem_id="question",
                            scale=5,
                            autofocus=True,
                        )
                        send = gr.Button("Ask", variant="primary", elem_id="ask", scale=1)
                    with gr.Row():
                        clear = gr.Button("Clear conversation", elem_id="clear", size="sm")
                        feedback_note = gr.Markdown(elem_id="feedback-note")
                    gr.Examples(EXAMPLES, inputs=question, label="Try asking")
                with gr.Column(scale=2):
                    gr.Markdown("### Sources")
                    sources = gr.HTML(EMPTY_SOURCES, elem_id="sources")
                    with gr.Accordion("Answer as data (JSON)", open=False):
                        answer_json = gr.JSON(elem_id="answer-json")
            chat_io = {
                "inputs": [question, chatbot, answers],
                "outputs": [chatbot, sources, answer_json, answers, question],
            }
            send.click(app.chat, **chat_io, api_name="chat")
            question.submit(app.chat, **chat_io, api_visibility="private")
            clear.click(app.clear, outputs=[chatbot, sources, answer_json, answers, question], api_visibility="private")
            chatbot.like(app.feedback, inputs=[answers], outputs=[feedback_note], api_visibility="private")

        with gr.Tab("Articles") as articles_tab:
            doc_summary = gr.Markdown(elem_id="doc-summary")
            with gr.Row():
                with gr.Column():
                    files = gr.File(
                        label="Add articles (.txt .md .html .json .jsonl)",
                        file_count="multiple",
                        file_types=sorted(SUPPORTED_SUFFIXES),
                        type="filepath",
                        elem_id="upload",
                    )
                    add = gr.Button("Add to the index", variant="primary", elem_id="add")
                    upload_summary = gr.Markdown(elem_id="upload-summary")
                    upload_table = gr.Dataframe(
                        headers=["file", "status", "title", "chunks", "details"],
                        label="Result per file",
                        interactive=False,
                        elem_id="upload-results",
                    )
                with gr.Column():
                    remove_choice = gr.Dropdown(label="Remove an article", choices=[], elem_id="remove-choice")
                    remove = gr.Button("Remove", variant="stop", elem_id="remove")
                    remove_note = gr.Markdown()
            doc_table = gr.Dataframe(
                headers=["doc id", "title", "outlet", "chunks", "file", "added"],
                label="Indexed articles",
                interactive=False,
                elem_id="doc-table",
            )
            docs_out = [doc_table, remove_choice, doc_summary]
            add.click(app.upload, inputs=[files], outputs=[upload_table, upload_summary, *docs_out], api_name="upload")
            remove.click(app.remove, inputs=[remove_choice], outputs=[remove_note, *docs_out], api_name="remove")
            articles_tab.select(app.documents_view, outputs=docs_out, api_visibility="private")
        demo.load(app.documents_view, outputs=docs_out, api_visibility="private")
        gr.api(app.ask_api, api_name="ask")
    return demo


def _stream_pieces(text: str, words_per_step: int = 6):
    """Growing prefixes of ``text``, a few words at a time (the answer "types" itself in)."""
    parts = re.split(r"(\s+)", text)
    step = words_per_step * 2
    for i in range(step, len(parts), step):
        yield "".join(parts[:i])
    yield text


def _message_text(content: Any) -> str:
    """A chat message's text, whether Gradio gives it as a string or a list of parts."""
    if isinstance(content, str):
        text = content
    elif isinstance(content, list):
        text = " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in content)
    elif isinstance(content, dict):
        text = str(content.get("text", ""))
    else:
        text = ""
    return unlink_markers(text)


def _report_rows(report: IngestReport) -> list[list[Any]]:
    rows = []
    for item in report.items:
        details = item.reason or "; ".join(item.warnings)
        rows.append([Path(item.source).name, item.status, item.title or "", item.chunks, details])
    for name in report.skipped:
        rows.append([Path(name).name, "skipped", "", 0, report.skipped_reasons.get(name, "not an article")])
    return rows


def serve(settings: Settings, *, open_browser: bool = False) -> None:
    """Open the store (with the sample articles if it is empty) and serve the page."""
    assistant = open_for_serving(settings)
    demo = build(assistant)
    demo.queue(default_concurrency_limit=4)
    demo.launch(
        server_name=settings.web.host,
        server_port=settings.web.port,
        auth=settings.web.auth_pairs() or None,
        auth_message="This news assistant requires a login." if settings.web.auth else None,
        inbrowser=open_browser,
        share=False,
        ssr_mode=False,
        theme=_theme(),
        css=CSS,
        footer_links=["api"],
    )


def _theme() -> gr.themes.Base:
    # System fonts only: the default theme would fetch web fonts from the internet.
    return gr.themes.Soft(
        font=["system-ui", "-apple-system", "Segoe UI", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "monospace"],
    )
