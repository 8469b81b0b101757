"""The chat web page (Gradio): a thin layer over ``Assistant``.

The *Ask* tab is one Gradio HTML component with its own script (``static/chat.js``): each
answer is kept in the conversation with its own source cards, so a ``[n]`` always opens the
source of the answer it sits in. The script calls the server functions below (``ask``,
``feedback``, ``article``), which return HTML made by ``page.py`` with every piece of article
text escaped. The *People* tab lists who the articles quote; the *Articles* tab adds articles
(upload, progress, per-file results), lists them, and removes one after a confirmation, with an
undo. Thumbs up/down go to ``feedback.jsonl`` beside the store. Nothing here calls the internet:
no analytics, no web fonts, no server-side rendering through a CDN.
"""

from __future__ import annotations

import html
import itertools
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import gradio as gr

from ..api import Assistant
from ..config import Settings
from ..errors import AssistantError, DocumentNotFound
from ..ingest.loading import SUPPORTED_SUFFIXES
from ..models import Answer, Draft, IngestReport, SearchFilter
from .page import answer_html, article_html, cards_html, checker_html, statement_cards_html
from .render import ENGINE_LABELS, date_label, export_markdown, export_text, file_label, published_label
from .service import FeedbackLog, ingest_uploads, open_for_serving, remove_keeping_copy, restore_removed

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
EXAMPLES = [
    "What did Çavuşoğlu say about Patriots?",
    "and what did he say about sanctions?",
    "What did Stoltenberg say about interoperability?",
    "How much was the S-400 deal worth?",
    "What did Hutchison say about the Russian missile system?",
]
MAX_QUESTION_CHARS = 2000
MAX_HISTORY_MESSAGES = 40
_TURN_ID = re.compile(r"^t\d{1,6}$")
POLL_WAIT = 0.5  # seconds a poll waits for new draft text before returning what it has
JOB_TTL = 600.0  # an answer nobody polls for any more is forgotten after this many seconds
STREAM_WORKERS = 4  # answers written at once (as many as the page's queue runs)


@cache
def static_text(name: str) -> str:
    """One of the page's own files (``static/``): its HTML shell, script and style."""
    return (STATIC / name).read_text(encoding="utf-8")


def _payload(args: tuple[Any, ...]) -> dict[str, Any]:
    """The one object the page's script passed: Gradio hands a server function its arguments
    as one list."""
    value: Any = args
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if not isinstance(value, dict):
        raise AssistantError("the page sent a malformed request")
    return value


@dataclass
class _Job:
    """One streamed answer: the draft written so far, then the page's view of the checked answer."""

    draft: str = ""
    reply: dict[str, Any] | None = None  # set once, when the answer (or an error) is ready
    touched: float = field(default_factory=time.monotonic)
    changed: threading.Condition = field(default_factory=threading.Condition)


class WebApp:
    """The page's handlers, each one call into ``Assistant``; kept apart from layout for tests."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.feedback_log = FeedbackLog(assistant.settings.store.dir)
        self._jobs: dict[str, _Job] = {}
        self._jobs_lock = threading.Lock()
        self._job_ids = itertools.count(1)
        self._writers = threading.BoundedSemaphore(STREAM_WORKERS)

    # --- the Ask tab's server functions ---------------------------------------------------
    def start(self) -> dict[str, Any]:
        """What the page shows before the first question: how many articles, which outlets, and
        which engine answers (a generative one streams its draft: ``ask_start``/``ask_poll``)."""
        engine = self.assistant.settings.answer.engine
        return {
            "articles": self.assistant.size(),
            "outlets": self.assistant.outlets(),
            "examples": EXAMPLES,
            "engine": engine,
            "engine_label": ENGINE_LABELS.get(engine, f"Answers by the {engine} engine"),
            "streams": engine != "extractive",
        }

    def ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Answer one question for the page: the answer and its cards as HTML, the texts to
        copy, and the answer as data. An error is returned as ``{"error": ...}`` to show."""
        request = self._request(payload)
        if "error" in request:
            return request
        try:
            filters = page_filters(payload)
            answer = self.assistant.ask(request["question"], history=request["history"], filters=filters)
        except AssistantError as exc:
            return {"error": str(exc)}
        return self.answer_view(answer, request["turn"], filters=filters)

    def _request(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The question, turn and history the page sent, or ``{"error": ...}`` to show."""
        question = str(payload.get("question") or "").strip()
        turn = str(payload.get("turn") or "")
        if not _TURN_ID.match(turn):
            return {"error": "the page sent a malformed request (turn id)"}
        if not question:
            return {"error": "Type a question first."}
        if len(question) > MAX_QUESTION_CHARS:
            return {
                "error": f"That question is {len(question):,} characters long; ask in under {MAX_QUESTION_CHARS:,}."
            }
        return {"question": question, "turn": turn, "history": _history(payload.get("history"))}

    def ask_start(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Start answering in a worker thread and return ``{"job": id}`` at once; the page then
        calls ``ask_poll`` for the draft as the model writes it and, last, the checked answer.
        (Gradio's server functions return once, so the stream is polled.)"""
        request = self._request(payload)
        if "error" in request:
            return request
        try:
            filters = page_filters(payload)
        except AssistantError as exc:
            return {"error": str(exc)}
        job = _Job()
        with self._jobs_lock:
            now = time.monotonic()
            for stale in [k for k, j in self._jobs.items() if now - j.touched > JOB_TTL]:
                del self._jobs[stale]
            job_id = f"j{next(self._job_ids)}"
            self._jobs[job_id] = job
        worker = threading.Thread(
            target=self._write, args=(job, request, filters), name=f"web-answer-{job_id}", daemon=True
        )
        worker.start()
        return {"job": job_id}

    def _write(self, job: _Job, request: dict[str, Any], filters: SearchFilter | None) -> None:
        """The worker: the draft into ``job`` piece by piece, then the page's view of the answer.
        An unexpected failure is logged with its traceback and told to the page, never lost."""
        reply: dict[str, Any]
        try:
            with self._writers:
                for event in self.assistant.ask_stream(request["question"], request["history"], filters=filters):
                    if isinstance(event, Draft):
                        with job.changed:
                            job.draft += event.text
                            job.changed.notify_all()
                    else:
                        reply = self.answer_view(event, request["turn"], filters=filters)
        except AssistantError as exc:
            reply = {"error": str(exc)}
        except Exception as exc:
            log.exception("answering %r for the page failed", request["question"])
            reply = {"error": f"Something went wrong while answering ({type(exc).__name__}); the error is logged."}
        with job.changed:
            job.reply = reply
            job.changed.notify_all()

    def ask_poll(self, payload: dict[str, Any]) -> dict[str, Any]:
        """What a streamed answer has since ``since`` characters of draft: ``draft`` (the new
        text, HTML-escaped: the model's words are never markup), ``length`` (where the next poll
        starts), and once ready ``done`` with ``reply``, what ``ask`` returns. Waits up to
        ``POLL_WAIT`` seconds for something new, so the page is not polling in a tight loop."""
        job_id = str(payload.get("job") or "")
        with self._jobs_lock:
            job = self._jobs.get(job_id)
        if job is None:
            return {"error": "That answer is no longer being written; ask again."}
        try:
            since = max(0, int(payload.get("since") or 0))
        except (TypeError, ValueError):
            return {"error": "the page sent a malformed request (since)"}
        with job.changed:
            job.changed.wait_for(lambda: job.reply is not None or len(job.draft) > since, timeout=POLL_WAIT)
            job.touched = time.monotonic()
            draft, reply = job.draft, job.reply
        out: dict[str, Any] = {"draft": html.escape(draft[since:]), "length": len(draft), "done": reply is not None}
        if reply is not None:
            out["reply"] = reply
            with self._jobs_lock:
                self._jobs.pop(job_id, None)
        return out

    def answer_view(self, answer: Answer, turn: str, *, filters: SearchFilter | None = None) -> dict[str, Any]:
        """An answer as the page shows and copies it."""
        understood = answer.standalone_question if answer.standalone_question != answer.question else None
        return {
            "turn": turn,
            "html": answer_html(answer, turn) + checker_html(answer),
            "cards": cards_html(answer, turn, self.assistant.document_text),
            "understood_as": None if answer.clarify else understood,
            "clarify": answer.clarify,
            "abstained": answer.abstained,
            "filters": describe_filters(filters),
            "text": answer.text,
            "plain": export_text(answer),
            "markdown": export_markdown(answer),
            "sources": len(answer.citations),
            "data": answer.to_dict(),
            "articles": self.assistant.size(),
        }

    def feedback(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Store a thumbs up/down on an answer, or its withdrawal, with the question and citations."""
        rating = payload.get("rating")
        answer = payload.get("answer")
        if not isinstance(answer, dict) or not {"question", "text", "abstained", "citations"} <= answer.keys():
            return {"error": "Feedback applies to answers only."}
        try:
            record = self.feedback_log.record(str(rating), answer)
        except ValueError as exc:
            return {"error": str(exc)}
        if record["rating"] == "withdrawn":
            return {"note": "Rating withdrawn (noted in the feedback file)."}
        return {"note": f"Thanks — feedback saved ({'helpful' if record['rating'] == 'up' else 'not helpful'})."}

    def article(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The whole article a card cites, with the cited span marked, for the reading view."""
        doc_id = str(payload.get("doc_id") or "")
        try:
            info = self.assistant.document(doc_id)
            text = self.assistant.document_text(doc_id)
        except (DocumentNotFound, AssistantError):
            return {"error": "That article is no longer in the index (it was removed or replaced)."}
        start, end = int(payload.get("start") or 0), int(payload.get("end") or 0)
        when = date_label(info.published, info.published_source)
        meta = f"{info.outlet or 'outlet unknown'} · {when} · {file_label(info.source)}"
        return {"title": info.title, "meta": meta, "html": article_html(text, start, end)}

    def ask_api(self, question: str, history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The answer with its citations as data: for gradio_client and other programs."""
        return self.assistant.ask(question, history=history or None).to_dict()

    # --- people ---------------------------------------------------------------------------
    def people_view(self, query: str = ""):
        """Who the articles quote, most quoted first (a name, misspelling or role narrows it)."""
        query = (query or "").strip()
        people = self.assistant.people(query or None)
        choices = [(f"{p.name} ({p.statements} statements)", p.name) for p in people[:200]]
        rows = "".join(
            f"<tr><th scope='row'>{html.escape(p.name)}</th><td>{html.escape(', '.join(p.roles[:2]) or '—')}</td>"
            f"<td class='num'>{p.statements}</td></tr>"
            for p in people[:200]
        )
        note = f"{len(people)} quoted" + (f" matching “{html.escape(query)}”" if query else "")
        table = (
            f"<p class='table-note'>{note}.</p><div class='table-wrap'><table class='people-table'>"
            "<caption class='visually-hidden'>People the articles quote</caption>"
            "<thead><tr><th scope='col'>Name</th><th scope='col'>Roles the articles give</th>"
            f"<th scope='col'>Statements</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )
        return table, gr.update(choices=choices, value=None)

    def person_quotes(self, name: str | None) -> str:
        """One person's statements, each a card with its attribution and source."""
        if not name:
            return ""
        try:
            citations = self.assistant.quotes(name, limit=25)
        except AssistantError as exc:
            return f"<p>⚠️ {html.escape(str(exc))}</p>"
        return statement_cards_html(name, citations, self.assistant.document_text)

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
        return report_table(report), report.summary(), *self.documents_view()

    def documents_view(self):
        docs = self.assistant.docs()
        rows = "".join(
            "<tr>"
            f"<td>{html.escape(d.title)}</td><td>{html.escape(d.outlet or 'unknown')}</td>"
            f"<td>{html.escape(date_label(d.published, d.published_source))}</td>"
            f"<td class='file'>{html.escape(file_label(d.source))}</td><td class='num'>{d.chunks}</td>"
            f"<td class='nowrap'>{html.escape(d.added_at[:16].replace('T', ' '))}</td>"
            f"<td class='nowrap'><code>{d.doc_id}</code></td>"
            "</tr>"
            for d in docs
        )
        table = (
            "<div class='table-wrap'><table class='doc-table'>"
            "<caption class='visually-hidden'>Indexed articles</caption>"
            "<thead><tr><th scope='col'>Title</th><th scope='col'>Outlet</th><th scope='col'>Published</th>"
            "<th scope='col'>File</th><th scope='col'>Chunks</th><th scope='col'>Added (UTC)</th>"
            f"<th scope='col'>Doc id</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )
        choices = [(f"{d.title[:70]} ({file_label(d.source)})", d.doc_id) for d in docs]
        summary = f"**{len(docs)} articles indexed**, {sum(d.chunks for d in docs)} chunks."
        return table, gr.update(choices=choices, value=None), summary

    def confirm_removal(self, doc_id: str | None):
        """The first click on Remove: say exactly what will go, and ask."""
        if not doc_id:
            return "Choose an article to remove.", gr.update(visible=False), doc_id
        try:
            info = self.assistant.document(doc_id)
        except (DocumentNotFound, AssistantError):
            return "That article is no longer indexed.", gr.update(visible=False), None
        question = (
            f"Remove “{info.title}” ({file_label(info.source)}, {info.chunks} chunks)? It will no longer "
            "answer questions. A copy is kept beside the store, and you can undo."
        )
        return question, gr.update(visible=True), doc_id

    def remove(self, doc_id: str | None):
        """Remove the confirmed article, keeping a copy for Undo."""
        hidden = gr.update(visible=False)
        if not doc_id:
            return "Choose an article to remove.", hidden, hidden, None, *self.documents_view()
        try:
            info = remove_keeping_copy(self.assistant, doc_id)
        except (DocumentNotFound, AssistantError) as exc:
            return f"⚠️ {exc}", hidden, hidden, None, *self.documents_view()
        note = f"Removed “{info.title}” ({info.chunks} chunks)."
        return note, hidden, gr.update(visible=True), doc_id, *self.documents_view()

    def undo_removal(self, doc_id: str | None):
        hidden = gr.update(visible=False)
        if not doc_id:
            return "Nothing to undo.", hidden, None, *self.documents_view()
        try:
            report = restore_removed(self.assistant, doc_id)
        except AssistantError as exc:
            return f"⚠️ {exc}", hidden, None, *self.documents_view()
        restored = next((i.title for i in report.items if i.status in ("added", "unchanged")), None)
        note = f"Restored “{restored}”." if restored else f"⚠️ Could not restore: {report.summary()}"
        return note, hidden, None, *self.documents_view()


def page_filters(payload: dict[str, Any]) -> SearchFilter | None:
    """The page's pickers as a ``SearchFilter``: one outlet, and a publication date range
    (``YYYY-MM-DD`` from the date inputs). A malformed or reversed range is an error to show."""
    outlet = str(payload.get("outlet") or "").strip()
    bounds: dict[str, date | None] = {}
    for key in ("since", "until"):
        text = str(payload.get(key) or "").strip()
        try:
            bounds[key] = date.fromisoformat(text) if text else None
        except ValueError:
            raise AssistantError(f"the {key} date {text!r} is not a date (YYYY-MM-DD)") from None
    if bounds["since"] and bounds["until"] and bounds["since"] > bounds["until"]:
        raise AssistantError(f"the date range is reversed: {bounds['since']} is after {bounds['until']}")
    filters = SearchFilter(outlets={outlet} if outlet else None, since=bounds["since"], until=bounds["until"])
    return None if filters.empty else filters


def describe_filters(filters: SearchFilter | None) -> str:
    """What a filtered answer was limited to, as the page shows it under the question."""
    if filters is None or filters.empty:
        return ""
    parts = []
    if filters.outlets:
        parts.append("Only from " + ", ".join(sorted(filters.outlets)))
    if filters.since and filters.until:
        parts.append(
            f"published {published_label(filters.since.isoformat())} to {published_label(filters.until.isoformat())}"
        )
    elif filters.since:
        parts.append(f"published from {published_label(filters.since.isoformat())}")
    elif filters.until:
        parts.append(f"published until {published_label(filters.until.isoformat())}")
    return " · ".join(parts)


def _history(value: Any) -> list[dict[str, str]]:
    """The conversation the page sent, as ``Assistant.ask`` takes it (the latest messages)."""
    if not isinstance(value, list):
        return []
    out = []
    for message in value[-MAX_HISTORY_MESSAGES:]:
        if isinstance(message, dict) and message.get("role") in ("user", "assistant"):
            out.append({"role": message["role"], "content": str(message.get("content") or "")})
    return out


def report_table(report: IngestReport) -> str:
    """One row per file: its name, what happened, and why when it failed (never cut off)."""
    rows = []
    for item in report.items:
        details = item.reason or "; ".join(item.warnings)
        rows.append((Path(item.source).name, item.status, item.title or "", str(item.chunks), details))
    for name in report.skipped:
        rows.append((Path(name).name, "skipped", "", "0", report.skipped_reasons.get(name, "not an article")))
    body = "".join(
        f"<tr class='status-{html.escape(status)}'><td class='file'>{html.escape(name)}</td>"
        f"<td>{html.escape(status)}</td><td>{html.escape(title)}</td><td class='num'>{chunks}</td>"
        f"<td class='details'>{html.escape(details)}</td></tr>"
        for name, status, title, chunks, details in rows
    )
    return (
        "<div class='table-wrap'><table class='upload-table'><caption class='visually-hidden'>Result per file</caption>"
        "<thead><tr><th scope='col'>File</th><th scope='col'>Status</th><th scope='col'>Title</th>"
        f"<th scope='col'>Chunks</th><th scope='col'>Details</th></tr></thead><tbody>{body}</tbody></table></div>"
    )


def build(assistant: Assistant) -> gr.Blocks:
    """Lay out the page and wire it to ``WebApp`` handlers."""
    app = WebApp(assistant)

    def ask(*args: Any) -> dict[str, Any]:
        return app.ask(_payload(args))

    def feedback(*args: Any) -> dict[str, Any]:
        return app.feedback(_payload(args))

    def article(*args: Any) -> dict[str, Any]:
        return app.article(_payload(args))

    def start(*args: Any) -> dict[str, Any]:
        return app.start()

    def ask_start(*args: Any) -> dict[str, Any]:
        return app.ask_start(_payload(args))

    def ask_poll(*args: Any) -> dict[str, Any]:
        return app.ask_poll(_payload(args))

    with gr.Blocks(title="News assistant", analytics_enabled=False) as demo:
        gr.Markdown(
            "# News assistant\nAsk about the indexed articles. Every answer quotes its sources; "
            "when the articles don't hold the answer, it says so.",
            elem_id="intro",
        )
        with gr.Tab("Ask", elem_id="tab-ask"):
            gr.HTML(
                value="",
                html_template=static_text("chat.html"),
                js_on_load=static_text("chat.js"),
                server_functions=[ask, feedback, article, start, ask_start, ask_poll],
                elem_id="chat-app",
                apply_default_css=False,
            )
        with gr.Tab("People", elem_id="tab-people") as people_tab:
            gr.Markdown("Everyone the articles quote, most quoted first. Search by name, misspelling or role.")
            with gr.Row():
                people_query = gr.Textbox(
                    label="Find a person", placeholder="e.g. Stoltenberg, the NATO chief", scale=3
                )
                person = gr.Dropdown(label="Their statements", choices=[], scale=3, elem_id="person-choice")
            people_table = gr.HTML(elem_id="people-table")
            person_cards = gr.HTML(elem_id="person-quotes")
            people_query.submit(app.people_view, inputs=[people_query], outputs=[people_table, person])
            people_tab.select(app.people_view, inputs=[people_query], outputs=[people_table, person])
            person.change(app.person_quotes, inputs=[person], outputs=[person_cards])

        with gr.Tab("Articles", elem_id="tab-articles") as articles_tab:
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
                    upload_table = gr.HTML(elem_id="upload-results")
                with gr.Column():
                    remove_choice = gr.Dropdown(label="Remove an article", choices=[], elem_id="remove-choice")
                    remove = gr.Button("Remove…", variant="stop", elem_id="remove")
                    remove_note = gr.Markdown(elem_id="remove-note")
                    with gr.Row(visible=False) as confirm_row:
                        confirm = gr.Button("Yes, remove it", variant="stop", elem_id="remove-confirm")
                        cancel = gr.Button("Cancel", elem_id="remove-cancel")
                    undo = gr.Button("Undo the removal", visible=False, elem_id="remove-undo")
                    pending = gr.State(None)
                    removed = gr.State(None)
            doc_table = gr.HTML(elem_id="doc-table")
            docs_out = [doc_table, remove_choice, doc_summary]
            add.click(app.upload, inputs=[files], outputs=[upload_table, upload_summary, *docs_out], api_name="upload")
            remove.click(
                app.confirm_removal,
                inputs=[remove_choice],
                outputs=[remove_note, confirm_row, pending],
                api_visibility="private",
            )
            cancel.click(
                lambda: ("Nothing removed.", gr.update(visible=False), None),
                outputs=[remove_note, confirm_row, pending],
                api_visibility="private",
            )
            confirm.click(
                app.remove,
                inputs=[pending],
                outputs=[remove_note, confirm_row, undo, removed, *docs_out],
                api_visibility="private",
            )
            undo.click(
                app.undo_removal,
                inputs=[removed],
                outputs=[remove_note, undo, removed, *docs_out],
                api_visibility="private",
            )
            articles_tab.select(app.documents_view, outputs=docs_out, api_visibility="private")
        demo.load(app.documents_view, outputs=docs_out, api_visibility="private")
        gr.api(app.ask_api, api_name="ask")
    return demo


def check_port_free(host: str, port: int) -> None:
    """Refuse, in the product's own words, a port something else already listens on."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: TIME_WAIT is free
        try:
            s.bind((host, port))
        except OSError as exc:
            raise AssistantError(
                f"port {port} on {host} is already in use ({exc.strerror}): start on another port with "
                f"--port N (or ASSISTANT_PORT=N), or stop whatever is listening there"
            ) from None


def serve(settings: Settings, *, open_browser: bool = False) -> None:
    """Open the store (with the sample articles if it is empty) and serve the page."""
    check_port_free(settings.web.host, settings.web.port)
    assistant = open_for_serving(settings)
    demo = build(assistant)
    demo.queue(default_concurrency_limit=4)
    try:
        demo.launch(
            server_name=settings.web.host,
            server_port=settings.web.port,
            auth=settings.web.auth_pairs() or None,
            auth_message="This news assistant requires a login." if settings.web.auth else None,
            inbrowser=open_browser,
            share=False,
            ssr_mode=False,
            theme=_theme(),
            css=static_text("page.css"),
            js=static_text("page.js"),
            footer_links=["api"],
        )
    except OSError as exc:  # taken between the check and the launch
        raise AssistantError(
            f"could not listen on {settings.web.host}:{settings.web.port} ({exc}): "
            "start on another port with --port N (or ASSISTANT_PORT=N)"
        ) from None


def _theme() -> gr.themes.Base:
    # System fonts only: the default theme would fetch web fonts from the internet.
    # The Soft theme's indigo 500 on white misses WCAG AA contrast by a little: one shade darker
    # for text and filled buttons, and a darker grey for subdued text.
    return gr.themes.Soft(
        font=["system-ui", "-apple-system", "Segoe UI", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "monospace"],
    ).set(
        color_accent="*primary_700",
        block_label_text_color="*primary_800",
        body_text_color_subdued="*neutral_600",
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_background_fill_dark="*primary_600",
    )
