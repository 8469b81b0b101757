"""A real ONNX sequence-pair classifier in the layout an exported NLI model has, for the tests.

No NLI weights install offline, so this model is built here, with a behaviour the tests can know:
it "entails" when every word piece of the hypothesis is among the premise's (a bag-of-words rule,
nothing like a real model's judgement), and "contradicts" otherwise. What it exercises is real: ONNX
Runtime runs the file, the ``tokenizers`` library encodes each pair with its template and type ids
(the MiniLM tokenizer the product already ships), and ``config.json``'s ``id2label`` (in MNLI
RoBERTa's order: contradiction, neutral, entailment) says which output is entailment.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from assistant.search.embedding import _tokenizer_path

VOCAB = 30522  # MiniLM's word pieces


def build_nli_model(folder: Path, labels: dict[str, str] | None = None) -> Path:
    """Write model.onnx, tokenizer.json and config.json into ``folder``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes = [
        # word pieces as one-hot rows, weighted by which side of the pair they are on
        helper.make_node("OneHot", ["input_ids", "depth", "onehot_values"], ["onehot"], axis=-1),
        helper.make_node("Cast", ["attention_mask"], ["mask"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["token_type_ids"], ["second"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["mask", "second"], ["hyp_w"]),
        helper.make_node("Sub", ["mask", "hyp_w"], ["prem_w"]),
        helper.make_node("Unsqueeze", ["hyp_w", "last_axis"], ["hyp_w3"]),
        helper.make_node("Unsqueeze", ["prem_w", "last_axis"], ["prem_w3"]),
        helper.make_node("Mul", ["onehot", "hyp_w3"], ["hyp_rows"]),
        helper.make_node("Mul", ["onehot", "prem_w3"], ["prem_rows"]),
        helper.make_node("ReduceSum", ["hyp_rows", "seq_axis"], ["hyp_counts"], keepdims=0),
        helper.make_node("ReduceSum", ["prem_rows", "seq_axis"], ["prem_counts"], keepdims=0),
        helper.make_node("Min", ["prem_counts", "one"], ["in_premise"]),
        helper.make_node("Mul", ["hyp_counts", "in_premise"], ["covered_counts"]),
        helper.make_node("ReduceSum", ["covered_counts", "last_axis"], ["covered"], keepdims=1),
        helper.make_node("ReduceSum", ["hyp_counts", "last_axis"], ["total"], keepdims=1),
        helper.make_node("Div", ["covered", "total"], ["share"]),
        # entailment logit 20 * (share - 0.95): all pieces present -> p(entail) 0.67, one in ten missing -> 0.0003
        helper.make_node("Sub", ["share", "bar"], ["margin"]),
        helper.make_node("Mul", ["margin", "scale"], ["entail"]),
        helper.make_node("Neg", ["entail"], ["contradict"]),
        helper.make_node("Mul", ["entail", "zero"], ["neutral"]),
        helper.make_node("Concat", ["contradict", "neutral", "entail"], ["logits"], axis=1),
    ]
    constants = [
        numpy_helper.from_array(np.array(VOCAB, dtype=np.int64), "depth"),
        numpy_helper.from_array(np.array([0.0, 1.0], dtype=np.float32), "onehot_values"),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "last_axis"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "seq_axis"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
        numpy_helper.from_array(np.array(0.95, dtype=np.float32), "bar"),
        numpy_helper.from_array(np.array(20.0, dtype=np.float32), "scale"),
    ]
    inputs = [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"])
        for name in ("input_ids", "attention_mask", "token_type_ids")
    ]
    output = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 3])
    graph = helper.make_graph(nodes, "bag_of_pieces_nli", inputs, [output], initializer=constants)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
    onnx.checker.check_model(model)
    onnx.save(model, folder / "model.onnx")
    shutil.copy(_tokenizer_path(), folder / "tokenizer.json")
    id2label = labels or {"0": "CONTRADICTION", "1": "NEUTRAL", "2": "ENTAILMENT"}
    (folder / "config.json").write_text(json.dumps({"id2label": id2label}), encoding="utf-8")
    return folder
