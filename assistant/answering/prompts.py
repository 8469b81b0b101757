"""The prompt templates, read at run time from text files so they can be read, reviewed and
changed without touching code.

The bundled templates live in the repository's top-level ``prompts/`` folder; the package
reaches them through ``assistant/prompts`` (a link to that folder, copied into a wheel as
package data), so an installed package finds them too. ``ASSISTANT_PROMPTS_DIR`` names a folder
whose files replace the bundled ones of the same name.
"""

from __future__ import annotations

import os
import string
from importlib import resources
from pathlib import Path

from ..errors import ConfigError

PROMPTS_DIR_ENV = "ASSISTANT_PROMPTS_DIR"
# each template and the placeholders it must use (no more, no fewer: a typo would otherwise
# send the model a literal "{sorces}" or drop the sources altogether)
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "answer": frozenset({"sources", "question", "max_sentences", "refusal_rule"}),
    "refuse": frozenset(),
    "condense": frozenset({"history", "question"}),
}


def prompt_path(name: str) -> Path | None:
    """The user's override of template ``name``, when ``ASSISTANT_PROMPTS_DIR`` holds one."""
    folder = os.environ.get(PROMPTS_DIR_ENV)
    if not folder:
        return None
    if not Path(folder).is_dir():
        raise ConfigError(f"{PROMPTS_DIR_ENV}={folder!r} is not a folder")
    path = Path(folder) / f"{name}.txt"
    return path if path.is_file() else None


def load(name: str) -> str:
    """Template ``name`` (the user's copy first, else the bundled one), checked for its placeholders."""
    if name not in PLACEHOLDERS:
        raise ConfigError(f"unknown prompt {name!r}; prompts: {', '.join(sorted(PLACEHOLDERS))}")
    override = prompt_path(name)
    if override is not None:
        where, text = str(override), override.read_text(encoding="utf-8")
    else:
        bundled = resources.files("assistant").joinpath("prompts", f"{name}.txt")
        where, text = f"bundled prompts/{name}.txt", bundled.read_text(encoding="utf-8")
    try:
        used = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError as exc:
        raise ConfigError(f"prompt {where} is not a valid template ({exc}); write a literal brace as {{{{") from exc
    expected = PLACEHOLDERS[name]
    if used != expected:
        missing, unknown = sorted(expected - used), sorted(used - expected)
        raise ConfigError(
            f"prompt {where} must use the placeholders {sorted(expected)}"
            + (f"; missing {missing}" if missing else "")
            + (f"; unknown {unknown}" if unknown else "")
        )
    return text.strip() + "\n"


def render(name: str, **values: object) -> str:
    """Template ``name`` filled with ``values``."""
    return load(name).format(**values)
