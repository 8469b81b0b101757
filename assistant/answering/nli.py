"""An optional natural-language-inference model, as the checker's stronger test of support.

No NLI weights install offline here, so none ships; a user who has one points
``ASSISTANT_NLI_MODEL`` ([llm] ``nli_model``) at its folder, in the layout Hugging Face's ONNX export
writes (``optimum-cli export onnx --task text-classification``):

- ``model.onnx``: a sequence-pair classifier; inputs ``input_ids`` and ``attention_mask`` (and
  ``token_type_ids`` when the model has them), output ``logits`` of shape (batch, labels);
- ``tokenizer.json``: its tokenizer (the ``tokenizers`` library reads it; pairs are encoded with
  the model's own template, e.g. ``[CLS] premise [SEP] hypothesis [SEP]``);
- ``config.json``: ``id2label``, naming which output is entailment (any case; MNLI models name
  "entailment", "neutral", "contradiction" in varying order).

The checker asks whether the cited passages entail the sentence; see ``verify.Verifier``.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from ..errors import ConfigError

MAX_TOKENS = 512  # premise and hypothesis together; the premise is cut first


class NLIModel:
    """Entailment probabilities from an exported NLI classifier, run with ONNX Runtime."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder).expanduser()
        setting = "ASSISTANT_NLI_MODEL"
        if not self.folder.is_dir():
            raise ConfigError(f"{setting}: no folder at {self.folder} (give the folder of an ONNX NLI model)")
        missing = [n for n in ("model.onnx", "tokenizer.json", "config.json") if not (self.folder / n).is_file()]
        if missing:
            raise ConfigError(f"{setting}: {self.folder} has no {', '.join(missing)} (see docs/GENERATIVE.md)")
        try:
            config = json.loads((self.folder / "config.json").read_text(encoding="utf-8"))
            labels = {int(k): str(v).lower() for k, v in config["id2label"].items()}
        except (ValueError, KeyError, AttributeError) as exc:
            raise ConfigError(f"{setting}: {self.folder / 'config.json'} has no readable id2label: {exc}") from exc
        entail = [i for i, name in labels.items() if name.startswith("entail")]
        if len(entail) != 1:
            raise ConfigError(f"{setting}: id2label {labels} names no entailment label; is this an NLI model?")
        self.labels = labels
        self.entailment = entail[0]
        self._lock = threading.Lock()
        self._session = None
        self._tokenizer = None
        self._inputs: set[str] = set()

    def load(self) -> None:
        """Open the model and tokenizer now (about a second for a base-sized model), not on the
        first sentence checked."""
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            try:
                tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
                options = ort.SessionOptions()
                options.log_severity_level = 3
                session = ort.InferenceSession(
                    str(self.folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:  # a broken file: report which, keep the cause
                raise ConfigError(f"ASSISTANT_NLI_MODEL: could not load {self.folder}: {exc}") from exc
            tokenizer.enable_truncation(MAX_TOKENS, strategy="only_first")
            tokenizer.enable_padding()
            self._inputs = {i.name for i in session.get_inputs()}
            if not {"input_ids", "attention_mask"} <= self._inputs:
                raise ConfigError(
                    f"ASSISTANT_NLI_MODEL: {self.folder / 'model.onnx'} takes {sorted(self._inputs)}, "
                    "not input_ids and attention_mask"
                )
            self._tokenizer, self._session = tokenizer, session

    def entailment_probabilities(self, pairs: list[tuple[str, str]]) -> list[float]:
        """For each (premise, hypothesis), the probability the premise entails the hypothesis."""
        if not pairs:
            return []
        self.load()
        assert self._tokenizer is not None and self._session is not None
        encoded = self._tokenizer.encode_batch(pairs)
        feeds = {
            "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
        }
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.array([e.type_ids for e in encoded], dtype=np.int64)
        (logits,) = self._session.run(["logits"], feeds)
        logits = logits - logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        return [float(p) for p in probabilities[:, self.entailment]]


_MODELS: dict[str, NLIModel] = {}
_MODELS_LOCK = threading.Lock()


def nli_model(folder: str) -> NLIModel:
    """One model per folder per process."""
    key = str(Path(folder).expanduser().resolve())
    with _MODELS_LOCK:
        if key not in _MODELS:
            _MODELS[key] = NLIModel(key)
        return _MODELS[key]
