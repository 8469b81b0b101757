"""The quote index on a built store: its size, and what building it costs.

    python benchmarks/bench_quotes.py STORE_DIR

Times quote extraction (``text.quotes.extract_quotes``, speakers included) over every stored
article from its stored text and sentence spans, which is the work ingest and the m004 upgrade
add per article; then the people directory (corpus-level roles included), which is built once
per store generation on the first who-said question. Reports the quotes table's rows and bytes.
Writes benchmarks/results/quotes.json with date and machine.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.evaluation.runner import run_info  # noqa: E402
from assistant.search.people import PeopleDirectory, attribute_roles  # noqa: E402
from assistant.search.store import Store  # noqa: E402
from assistant.text.quotes import extract_quotes  # noqa: E402
from assistant.text.speakers import first_name_gender  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def main(store_dir: Path) -> dict:
    store = Store(store_dir)
    docs = [d.doc_id for d in store.documents()]
    texts = [(store.document_text(d), store.document_sentences(d)) for d in docs]
    started = time.perf_counter()
    first_name_gender("Jens")  # the first-name table loads once per process (reported apart)
    names_load_s = time.perf_counter() - started
    started = time.perf_counter()
    extracted = sum(len(extract_quotes(text, sentences)) for text, sentences in texts)
    extract_s = time.perf_counter() - started

    started = time.perf_counter()
    rows = store.quote_rows()
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    people = PeopleDirectory(attribute_roles(rows, store.document_text))
    directory_s = time.perf_counter() - started

    db = sqlite3.connect(store_dir / "documents.sqlite3")
    try:
        table_bytes = db.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'quotes'").fetchone()[0]
    except sqlite3.OperationalError:  # SQLite built without dbstat: the stored values' length
        table_bytes = db.execute(
            "SELECT SUM(LENGTH(doc_id) + LENGTH(kind) + LENGTH(speaker) + LENGTH(speaker_type) + LENGTH(mention)"
            " + LENGTH(cue) + LENGTH(role) + LENGTH(spans) + 16) FROM quotes"
        ).fetchone()[0]
    db.close()
    store.close()
    result = {
        "store": str(store_dir),
        "articles": len(docs),
        "statements": len(rows),
        "extracted_now": extracted,
        "direct": sum(r.quote.kind == "direct" for r in rows),
        "reported": sum(r.quote.kind == "reported" for r in rows),
        "people_and_bodies": len(people),
        "table_bytes": table_bytes,
        "bytes_per_statement": round(table_bytes / max(1, len(rows)), 1),
        "first_names_load_seconds": round(names_load_s, 2),
        "extract_seconds": round(extract_s, 2),
        "extract_ms_per_article": round(1000 * extract_s / max(1, len(docs)), 2),
        "read_rows_seconds": round(read_s, 3),
        "people_directory_seconds": round(directory_s, 3),
        **run_info(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "quotes.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1])), indent=1))
