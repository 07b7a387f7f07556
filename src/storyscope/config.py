"""One frozen configuration object for a comparison, built once and passed explicitly.

Thresholds that were tuned together are documented together here, so a change
to one is made knowing the others (see bench/ for the data they were tuned on).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class CompareConfig:
    # --- ingest: inputs above this are refused (with a Failure), not read into memory.
    max_input_bytes: int = 20_000_000
    # Articles whose cleaned body has fewer characters than this are reported, not compared.
    min_article_chars: int = 80

    # --- fact alignment (compare/facts.py). Cosine similarity of MiniLM sentence vectors.
    # Two sentences from different articles report the same fact when they are each
    # other's best match between the two articles and similarity >= fact_threshold,
    # or when similarity >= fact_threshold_strong (not necessarily mutual best); the two leads of
    # a pair align from facts.LEAD_THRESHOLD. 0.70/0.85 scores +0.003 ROUGE-2 on the AllSides
    # summary benchmark (fewer merges leave the summary more candidates) but splits paraphrases
    # that report one fact (examples/: "seven missing"), so alignment correctness wins here.
    fact_threshold: float = 0.62
    fact_threshold_strong: float = 0.80

    # --- omissions: a fact is "expected" from an outlet when at least this share of
    # the *other* outlets report it (and at least two outlets do).
    omission_min_share: float = 0.5

    # --- summary (summarize.py)
    summary_min_sentences: int = 5
    summary_max_sentences: int = 8
    # Maximal-marginal-relevance trade-off: 1.0 = only salience, 0.0 = only novelty.
    summary_mmr_lambda: float = 0.7

    # --- numbers: two quantities of the same dimension agree within this relative tolerance
    # (8.7 miles vs 14 km is 0.6% apart; 12 vs 15 people is 20%).
    quantity_tolerance: float = 0.03

    def with_overrides(self, **overrides: Any) -> CompareConfig:
        """A copy with some values changed; unknown names raise (typos must not pass silently)."""
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown CompareConfig option(s): {sorted(unknown)}; known: {sorted(known)}")
        return replace(self, **overrides)


@dataclass(frozen=True, slots=True)
class CorpusConfig:
    """Settings of a corpus: ingestion, story clustering and report caching.

    The clustering thresholds were tuned together on ECB+ topics 1-25 (bench/bench_cluster.py);
    change one knowing the others.
    """

    # --- ingest
    max_record_bytes: int = 20_000_000  # one article (a WARC record, a JSONL line); files may be larger
    min_article_chars: int = 80
    batch_size: int = 64  # articles per write transaction (and per embedding batch)

    # --- clustering (cluster/stories.py). Pair score = w * embedding cosine + (1 - w) * name overlap.
    # Online: an article joins the story whose members it scores best against on average, if that
    # average reaches join_threshold. Settle: average-link on shared-nearest-neighbour similarity
    # (snn_k neighbours per article), merging while the average reaches snn_threshold.
    embedding_weight: float = 0.2
    join_threshold: float = 0.3
    snn_k: int = 5
    snn_threshold: float = 0.15
    # Only neighbours scoring at least this count in the shared-neighbour graph: in a small corpus
    # every article is among every other's k nearest, so closeness must also be absolute.
    snn_min_score: float = 0.25
    # False: online step only (faster ingest; lower quality, see bench/bench_cluster.py).
    settle: bool = True
    # Nearest articles fetched from the vector index before re-scoring.
    candidates: int = 50
    # "auto": usearch's HNSW index when installed, else exact numpy search; or force "usearch" / "exact".
    vector_index: str = "auto"
    # The vector index is split by publication date into buckets of this many days, and a search
    # looks only in the buckets the article's date window touches: a large corpus holds many
    # look-alike articles from other months (yearly events, copies of a wire story) that would
    # otherwise fill the nearest-neighbour list and push the same-week articles out of it, and the
    # search cost stays that of a few weeks of news. 0 = one index over the whole corpus.
    index_bucket_days: int = 28
    # Articles more than this many days apart are never in one story: a story closes to new
    # articles this long after its last one. Undated articles are never excluded by date.
    window_days: int = 7

    # --- compare settings used for each story's report
    compare: CompareConfig = field(default_factory=CompareConfig)

    def with_overrides(self, **overrides: Any) -> CorpusConfig:
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown CorpusConfig option(s): {sorted(unknown)}; known: {sorted(known)}")
        return replace(self, **overrides)
