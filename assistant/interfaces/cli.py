"""``assistant`` on the command line: ingest, ask, chat, docs, remove, serve, slack, eval.

A thin layer over ``Assistant``: parse flags, call one method, print the result (or its
JSON with ``--json``). Settings: flags > ``ASSISTANT_*`` environment > config file > defaults.
Heavy libraries are imported inside the commands that need them, so ``--version`` and
``docs`` start at once.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..config import Settings
from ..errors import AssistantError
from ..models import Answer, Draft, IngestReport, SearchFilter
from .render import DRAFT_LABEL, date_label, plain_text, quote_line


def _store_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--store",
        "store_dir",
        metavar="DIR",
        default=None,
        help="Store directory (default ./vectorstore; env ASSISTANT_STORE_DIR).",
    )(f)


def _config_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--config",
        "config_file",
        metavar="FILE",
        default=None,
        type=click.Path(dir_okay=False),
        help="TOML config file (default ./assistant.toml if present; env ASSISTANT_CONFIG).",
    )(f)


def _json_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(f)


def _engine_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--engine",
        type=click.Choice(["extractive", "openai", "local"]),
        default=None,
        help="Answer engine (default extractive; env ASSISTANT_ENGINE). openai/local need the [llm] settings.",
    )(f)


def _draft_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--show-draft",
        is_flag=True,
        help="When not on a terminal, also print the model's unchecked draft before the checked answer.",
    )(f)


def _open(store_dir: str | None, config_file: str | None = None, *, create: bool = False, **overrides: Any):
    """The assistant on the store; only ``ingest`` may create one (a mistyped --store elsewhere
    is an error, not a new empty store)."""
    from ..api import Assistant

    settings = Settings.load({"store_dir": store_dir, **overrides}, config_file=config_file)
    return Assistant(settings=settings, create=create)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="news-assistant")
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False),
    default=None,
    help="Log to stderr from this level (default warning; env ASSISTANT_LOG_LEVEL).",
)
@click.option("--log-json", is_flag=True, help="Log one JSON object per line (env ASSISTANT_LOG_JSON=1).")
@click.option(
    "--chroma-url",
    metavar="URL",
    default=None,
    help="Keep the whole store on this Chroma server, http://host:port (env ASSISTANT_CHROMA_URL).",
)
def main(log_level: str | None, log_json: bool, chroma_url: str | None) -> None:
    """Ask questions of a pile of news articles; every answer quotes and cites its sources."""
    import os

    from ..logs import configure

    if chroma_url is not None:  # every command reads its settings from here, as from the environment
        os.environ["ASSISTANT_CHROMA_URL"] = chroma_url

    with _errors():
        configure(log_level, log_json or None)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_store_option
@_config_option
@click.option("--max-file-mb", type=float, default=None, help="Refuse files larger than this (default 20).")
@_json_option
def ingest(
    paths: tuple[str, ...], store_dir: str | None, config_file: str | None, max_file_mb: float | None, as_json: bool
) -> None:
    """Add article files or folders (.txt .md .html .json .jsonl) to the store."""
    with _errors():
        assistant = _open(store_dir, config_file, create=True, max_file_mb=max_file_mb)
        show_progress = sys.stderr.isatty() and not as_json
        report = _ingest_with_progress(assistant, list(paths)) if show_progress else assistant.ingest(list(paths))
        if as_json:
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            _print_report(report)
        if report.failed:
            sys.exit(1)


def _ingest_with_progress(assistant, paths: list[str]) -> IngestReport:
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (  # fits an 80-column terminal: the bar counts chunks embedded (a large file is many)
        TextColumn("[bold]ingesting"),
        BarColumn(bar_width=12),
        TextColumn("{task.fields[files]} files · {task.fields[articles]} articles · {task.fields[rate]} · ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("ingest", total=None, files="0/?", articles=0, rate="")

        def update(p) -> None:
            rate = f"{p.chunks_done / p.elapsed:.0f} chunks/s" if p.elapsed > 0 and p.chunks_done else "-"
            bar.update(
                task,
                total=p.chunks_total or None,
                completed=p.chunks_done,
                files=f"{p.files_done}/{p.files_total}",
                articles=p.articles_done,
                rate=rate,
            )
            for item in p.items:
                if item.status == "failed":
                    bar.console.print(f"[red]failed[/red] {item.source}: {item.reason}")

        return assistant.ingest(paths, progress=update)


def _print_report(report: IngestReport) -> None:
    for item in report.items:
        if item.status == "failed":
            click.echo(f"failed     {item.source}: {item.reason}", err=True)
        else:
            note = f"  ({item.reason})" if item.reason else ""
            click.echo(f"{item.status:<10} {item.source}  [{item.doc_id}] {item.title or ''}{note}")
        for warning in item.warnings:
            click.echo(f"  warning: {warning}", err=True)
    _print_skipped(report)
    click.echo(report.summary())


def _print_skipped(report: IngestReport, shown: int = 20) -> None:
    """Every entry passed over, with why: the first ``shown`` one per line, the rest counted by reason."""
    if not report.skipped:
        return
    click.echo(f"skipped {len(report.skipped)} item(s):")
    for name in report.skipped[:shown]:
        click.echo(f"  {name}: {report.skipped_reasons.get(name, 'not an article')}")
    rest: dict[str, int] = {}
    for name in report.skipped[shown:]:
        reason = report.skipped_reasons.get(name, "not an article")
        rest[reason] = rest.get(reason, 0) + 1
    for reason, count in sorted(rest.items(), key=lambda kv: -kv[1]):
        click.echo(f"  … and {count} more: {reason}")


def _date_option(ctx: click.Context, param: click.Parameter, value: str | None):
    """--since/--until: a year, month or day, as the first (since) or last (until) day it covers."""
    if value is None:
        return None
    from ..errors import FilterError
    from ..text.filters import parse_day

    try:
        return parse_day(value, end=param.name == "until")
    except FilterError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@click.argument("question")
@_store_option
@_config_option
@click.option(
    "--history",
    "history_file",
    type=click.File("r"),
    default=None,
    help='JSON file with the conversation so far: [{"role": "user", "content": "..."}, ...]',
)
@click.option(
    "--since", callback=_date_option, default=None, help="only articles published since: 2019, 2019-03, 2019-03-05"
)
@click.option("--until", callback=_date_option, default=None, help="only articles published on or before (inclusive)")
@click.option("--outlet", "outlets", multiple=True, help="only articles from this outlet (repeatable)")
@click.option("--doc", "doc_ids", multiple=True, help="only this article (doc id; repeatable)")
@_engine_option
@_draft_option
@_json_option
def ask(
    question: str,
    store_dir: str | None,
    config_file: str | None,
    history_file,
    since,
    until,
    outlets: tuple[str, ...],
    doc_ids: tuple[str, ...],
    engine: str | None,
    show_draft: bool,
    as_json: bool,
) -> None:
    """Answer QUESTION from the indexed articles, with cited quotes.

    --since/--until keep to articles published in that range (articles whose date is unknown
    are left out of a dated search); --outlet to articles from that outlet. With a generative
    --engine the model's draft streams (on a terminal, or with --show-draft) and is then
    replaced by the checked answer."""
    from ..text.filters import make_filter, resolve_outlets

    with _errors():
        assistant = _open(store_dir, config_file, engine=engine)
        history = json.load(history_file) if history_file else None
        if outlets:
            outlets = tuple(sorted(resolve_outlets(outlets, assistant.outlets())))
        filters = make_filter(since, until, outlets, doc_ids)
        if as_json:
            answer = assistant.ask(question, history=history, filters=filters)
            click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        else:
            answer = stream_answer(assistant, question, history, filters, show_draft=show_draft)
            click.echo(plain_text(answer))


def stream_answer(
    assistant,
    question: str,
    history: list[dict[str, str]] | None,
    filters: SearchFilter | None,
    *,
    show_draft: bool = False,
) -> Answer:
    """Ask, showing the model's draft while it is written, and return the checked answer (the
    caller prints it). On a terminal the draft is dim and italic under a "Draft — checking…" label
    and is cleared when the checked answer arrives, so unchecked words never stay on screen as if
    final; piped, the draft is printed (as it arrives, labelled) only with ``show_draft``."""
    events = assistant.ask_stream(question, history, filters=filters)
    if sys.stdout.isatty():
        return _stream_live(events)
    answer: Answer | None = None
    drafted = False
    for event in events:
        if isinstance(event, Draft):
            if show_draft:
                if not drafted:
                    click.echo(f"{DRAFT_LABEL}\n", nl=False)
                click.echo(event.text, nl=False)
                sys.stdout.flush()
            drafted = True
        else:
            answer = event
    if drafted and show_draft:
        click.echo("\n--- checked answer ---")
    assert answer is not None  # ask_stream always ends with the answer
    return answer


def _stream_live(events) -> Answer:
    from rich.console import Console
    from rich.live import Live
    from rich.text import Text

    draft: list[str] = []
    answer: Answer | None = None
    with Live(Text(""), console=Console(), transient=True, auto_refresh=False) as live:
        for event in events:
            if isinstance(event, Draft):
                draft.append(event.text)
                text = Text(DRAFT_LABEL + "\n", style="bold dim")
                text.append("".join(draft), style="dim italic")
                live.update(text, refresh=True)
            else:
                answer = event
    assert answer is not None  # ask_stream always ends with the answer
    return answer


@main.command()
@_store_option
@_config_option
@_engine_option
@_draft_option
def chat(store_dir: str | None, config_file: str | None, engine: str | None, show_draft: bool) -> None:
    """Chat in the terminal; follow-up questions use the conversation so far.

    Type :clear to start over, :quit (or Ctrl-D) to leave. A question may carry filters:
    since:2019 until:2020-06 outlet:"Press TV".
    """
    from ..text.filters import filter_from_question

    with _errors():
        assistant = _open(store_dir, config_file, engine=engine)
        assistant.warm_up()
        history: list[dict[str, str]] = []
        click.echo(f"{assistant.size()} articles indexed. Ask a question (:clear to start over, :quit to leave).")
        while True:
            try:
                question = input("\n> ").strip()
            except EOFError:
                click.echo()
                return
            if question in (":quit", ":q", ":exit"):
                return
            if question == ":clear":
                history.clear()
                click.echo("(conversation cleared)")
                continue
            if not question:
                continue
            try:
                question, filters = filter_from_question(question, assistant.outlets)
                answer = stream_answer(assistant, question, history, filters, show_draft=show_draft)
            except AssistantError as exc:
                click.echo(f"error: {exc}", err=True)
                continue
            click.echo(plain_text(answer))
            history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]


@main.command()
@_store_option
@_config_option
@_json_option
def docs(store_dir: str | None, config_file: str | None, as_json: bool) -> None:
    """List the indexed articles."""
    with _errors():
        documents = _open(store_dir, config_file).docs()
        if as_json:
            click.echo(json.dumps([d.to_dict() for d in documents], ensure_ascii=False, indent=2))
            return
        for d in documents:
            outlet = f" — {d.outlet}" if d.outlet else ""
            when = date_label(d.published, d.published_source)
            click.echo(f"{d.doc_id}  {d.chunks:>3} chunks  {d.title}{outlet}\n                  {d.source}  ({when})")
        click.echo(f"{len(documents)} article(s), {sum(d.chunks for d in documents)} chunks")


@main.command()
@_store_option
@_config_option
@_json_option
def people(store_dir: str | None, config_file: str | None, as_json: bool) -> None:
    """List the people and organisations the articles quote, with their roles."""
    with _errors():
        everyone = _open(store_dir, config_file).people()
        if as_json:
            click.echo(json.dumps([p.to_dict() for p in everyone], ensure_ascii=False, indent=2))
            return
        for p in everyone:
            role = f" — {p.roles[0]}" if p.roles else ""
            spellings = [s for s in p.spellings if s != p.name]
            also = f" (also written {', '.join(spellings)})" if spellings else ""
            again = len(p.quotes) - p.statements
            reprinted = f", {again} more printing(s) of them in other articles" if again else ""
            click.echo(f"{p.name}{role}{also}: {p.statements} statement(s) in {p.articles} article(s){reprinted}")
        click.echo(f"{len(everyone)} speaker(s)")


@main.command()
@click.argument("name")
@click.option("--about", "topic", default=None, help="rank the statements by how closely they address TOPIC")
@click.option("--limit", default=10, show_default=True, help="how many statements to show")
@_store_option
@_config_option
@_json_option
def quotes(
    name: str, topic: str | None, limit: int, store_dir: str | None, config_file: str | None, as_json: bool
) -> None:
    """Show what NAME (a name, a misspelling, or a role such as "the NATO chief") said, each cited."""
    with _errors():
        found = _open(store_dir, config_file).quotes(name, topic, limit=limit)
        if as_json:
            click.echo(json.dumps([c.to_dict() for c in found], ensure_ascii=False, indent=2))
            return
        for c in found:
            click.echo(quote_line(c))


@main.command()
@click.argument("doc_id")
@_store_option
@_config_option
def remove(doc_id: str, store_dir: str | None, config_file: str | None) -> None:
    """Remove the article DOC_ID (see `assistant docs`) from the store."""
    with _errors():
        info = _open(store_dir, config_file).remove(doc_id)
        click.echo(f"removed {info.doc_id} ({info.chunks} chunks): {info.title}")


@main.command()
@_store_option
@_config_option
@click.option("--rebuild-vectors", is_flag=True, help="Embed the stored texts again into a new Chroma folder.")
@click.option("--delete-stray-vectors", is_flag=True, help="Delete vectors that belong to no article.")
@_json_option
def doctor(
    store_dir: str | None, config_file: str | None, rebuild_vectors: bool, delete_stray_vectors: bool, as_json: bool
) -> None:
    """Check a store and report what it holds and what is wrong (exit 2 if anything is).

    Nothing is changed unless you ask for a repair by name. --rebuild-vectors keeps the old
    Chroma folder beside the new one (chroma.set-aside-DATE); delete it yourself when satisfied.
    """
    from ..search.doctor import diagnose, require_repairable

    with _errors():
        settings = Settings.load({"store_dir": store_dir}, config_file=config_file)
        directory = settings.store.dir
        if settings.store.chroma_url:
            _doctor_server(settings, rebuild_vectors, delete_stray_vectors, as_json)
            return
        found = diagnose(directory)
        if rebuild_vectors or delete_stray_vectors:
            from ..search.store import Store

            require_repairable(found)
            store = Store(directory, create=False, vectors_required=False)
            if rebuild_vectors:
                from ..ingest.pipeline import rebuild_vectors as rebuild
                from ..search.embedding import MiniLM

                aside = store.set_aside_vectors()
                if aside:
                    click.echo(f"kept the old vectors in {aside}", err=True)
                click.echo(f"rebuilt {rebuild(store, MiniLM(), settings.store.embed_workers)} vectors", err=True)
            else:
                click.echo(f"deleted {store.delete_stray_vectors()} stray vectors", err=True)
            store.close()
            found = diagnose(directory)
        _print_diagnosis(found, as_json)


def _doctor_server(settings: Settings, rebuild_vectors: bool, delete_stray_vectors: bool, as_json: bool) -> None:
    from ..errors import StoreError
    from ..search.doctor import diagnose_server
    from ..search.store import open_store

    if rebuild_vectors:
        raise StoreError("--rebuild-vectors is for embedded stores; on a server, ingest into a new --chroma-prefix")
    store = open_store(settings.store, create=False)
    if delete_stray_vectors:
        click.echo(f"deleted {store.delete_stray_vectors()} stray vectors", err=True)
    _print_diagnosis(diagnose_server(store), as_json)


def _print_diagnosis(found, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"store {found.directory}")
        for key, value in {**found.counts, **found.facts}.items():
            click.echo(f"  {key}: {value}")
        for problem in found.problems:
            click.echo(f"problem: {problem}")
        click.echo("healthy" if found.healthy else f"{len(found.problems)} problem(s)")
    if not found.healthy:
        sys.exit(2)


@main.command()
@_store_option
@_config_option
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1; env ASSISTANT_HOST).")
@click.option("--port", type=int, default=None, help="Port (default 7860; env ASSISTANT_PORT).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a browser.")
def serve(
    store_dir: str | None, config_file: str | None, host: str | None, port: int | None, open_browser: bool
) -> None:
    """Serve the chat web page (the sample articles are ingested if the store is empty).

    Set ASSISTANT_AUTH="user:password[,user2:password2]" to require a login.
    """
    from .web import serve as serve_web

    with _errors():
        settings = Settings.load({"store_dir": store_dir, "host": host, "port": port}, config_file=config_file)
        serve_web(settings, open_browser=open_browser)


@main.command()
@_store_option
@_config_option
@click.option("--host", default=None, help="HTTP mode: interface (default 127.0.0.1; env ASSISTANT_SLACK_HOST).")
@click.option("--port", type=int, default=None, help="HTTP mode: port (default 3000; env ASSISTANT_SLACK_PORT).")
@click.option(
    "--rate-limit",
    metavar="N/PERIOD",
    default=None,
    help="Questions per user, e.g. 10/minute, or off (default 10/minute; env ASSISTANT_SLACK_RATE_LIMIT).",
)
def slack(
    store_dir: str | None, config_file: str | None, host: str | None, port: int | None, rate_limit: str | None
) -> None:
    """Run the Slack bot on an existing store.

    Socket Mode when SLACK_APP_TOKEN is set; otherwise HTTP on --host/--port, where Slack sends
    events, /ask and button clicks to /slack/events. Needs SLACK_BOT_TOKEN, and
    SLACK_SIGNING_SECRET in HTTP mode. ASSISTANT_WEBHOOK_TOKEN also serves Mattermost and
    Rocket.Chat at /compat/webhook.
    """
    with _errors():
        overrides = {"store_dir": store_dir, "slack_host": host, "slack_port": port, "slack_rate_limit": rate_limit}
        settings = Settings.load(overrides, config_file=config_file)
        from .slack import run

        run(settings)


@main.command(name="eval")
@click.option(
    "--seed-set",
    type=click.Path(dir_okay=False),
    default=None,
    help="Seed question set (default benchmarks/questions/seed_questions.jsonl).",
)
@click.option(
    "--squad",
    type=click.Path(dir_okay=False),
    default=None,
    help="SQuAD 2.0 JSON (default ../shared/corpora/squad-dev-v2.0.json when present).",
)
@click.option("--sample", type=int, default=None, help="Evaluate a random sample of N SQuAD questions.")
@click.option("--limit", type=int, default=None, help="Evaluate only the first N SQuAD questions.")
@click.option("--no-baseline", is_flag=True, help="Skip the stock llama-index pipeline.")
@click.option("--no-squad", is_flag=True, help="No SQuAD and no BBC: the question sets on the five sample articles.")
@click.option("--no-whosaid", is_flag=True, help="Skip the independent who-said question sets.")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Also write the results as JSON here.")
@_json_option
def evaluate(seed_set, squad, sample, limit, no_baseline, no_squad, no_whosaid, out, as_json) -> None:
    """Measure answer quality: the seed question set and SQuAD 2.0, ours vs the stock pipeline."""
    from ..evaluation.runner import run_evaluation

    with _errors():
        results = run_evaluation(
            seed_set=seed_set,
            squad=squad,
            include_squad=not no_squad,
            whosaid=not no_whosaid,
            sample=sample,
            limit=limit,
            baseline=not no_baseline,
            progress=None if as_json else _eval_progress,
        )
        if out:
            Path(out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        click.echo(json.dumps(results, indent=2, ensure_ascii=False) if as_json else format_evaluation(results))


def _eval_progress(label: str, done: int, total: int) -> None:
    if done == total or done % 250 == 0:
        click.echo(f"  {label}: {done}/{total}", err=True)


def format_evaluation(results: dict[str, Any]) -> str:
    """Side-by-side tables of the evaluation results."""
    lines = []
    seed = results.get("seed")
    if seed:
        lines.append("Seed question set (" + str(seed["ours"]["questions"]) + " questions)")
        lines.append(f"  {'':<44}{'ours':>12}{'stock':>12}")
        for key in ("answerable_correct", "unanswerable_abstained"):
            stock = seed.get("stock", {}).get(key, "-")
            lines.append(f"  {key:<44}{seed['ours'][key]:>12}{stock:>12}")
        for failure in seed["ours"]["failures"]:
            lines.append(f"  FAILED {failure['id']} {failure['question']}: {failure['why']}")
    for corpus, report in results.get("whosaid", {}).items():
        lines.append(
            f"\nWho-said set, {corpus} (written from the articles alone; "
            "tune; heldout, tuned on since 2026-11-22; tune2 to tune7; "
            "heldout2, heldout3 and heldout4, untouched)"
        )
        for split, r in report.items():
            kinds = ", ".join(f"{k} {v['passed']}/{v['questions']}" for k, v in r["kinds"].items())
            lines.append(f"  {split:<9} {r['passed']}/{r['questions']}: {kinds}")
            for failure in r.get("failures", []):
                lines.append(f"  FAILED {failure['id']} ({failure['kind']}) {failure['question']}: {failure['why']}")
    squad = results.get("squad")
    if squad:
        for split in ("test", "dev"):
            names = list(squad["systems"])
            label = "held-out test" if split == "test" else "dev (tuning)"
            lines.append(f"\nSQuAD 2.0, {label} split ({squad['questions']} questions sampled in all)")
            lines.append("  " + f"{'measure':<32}" + "".join(f"{n[:28]:>30}" for n in names))
            keys = list(next(iter(squad["systems"].values()))[split])
            for key in keys:
                row = [squad["systems"][n][split].get(key) for n in names]
                cells = "".join(f"{v:>30.3f}" if isinstance(v, float) else f"{v!s:>30}" for v in row)
                lines.append(f"  {key:<32}{cells}")
        for name in squad["systems"]:
            lines.append(f"  {name}")
    return "\n".join(lines)


class _errors:
    """Report the assistant's own errors as one clear line and exit 2; let bugs raise."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is not None and isinstance(exc, (AssistantError, json.JSONDecodeError)):
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        return False


if __name__ == "__main__":
    main()
