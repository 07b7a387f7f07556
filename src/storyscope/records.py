"""Immutable records that flow between the stages.

Every stage takes records and returns new ones; nothing is mutated in place.
Findings never copy free text without also pointing at where it came from:
an :class:`Evidence` is (article id, sentence index, character span) into the
*cleaned* text of an article, so ``article.text[ev.start:ev.end]`` is always
the cited sentence (or clause). That is what lets a reader check every claim.

Pipeline:  ingest -> Article
           clean  -> Article (cleaned text) + DroppedLine records
           annotate -> AnnotatedArticle (sentences, entities, quotes, times, quantities)
           compare  -> Entity, Fact, Omission, Conflict, FramingItem, TimelineEvent
           summarize -> SummarySentence
           all of it -> StoryReport
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

SCHEMA_VERSION = "1.1"

Coverage = Literal["all", "some", "one"]
ConflictKind = Literal["number", "date", "place", "speaker", "negation"]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from input (after ``clean``: with its cleaned body).

    ``id`` is stable: the input's own id if it had one, else a hash of the URL or
    the text, so re-running on the same input gives the same ids.
    """

    id: str
    source: str  # the outlet, e.g. "The Harbour Times" or "harbourtimes.example"
    title: str
    text: str
    published: dt.date | None = None
    url: str | None = None
    origin: str | None = None  # file path, "<stdin>", or "path:line" for JSONL
    language: str | None = None  # ISO 639-1 ("en", "es"...), detected by annotate when not given


@dataclass(frozen=True, slots=True)
class Failure:
    """An input (or an article) that could not be used, and why. Never silent."""

    origin: str  # path, "path:line", or article id
    stage: str  # "ingest", "clean", "annotate", ...
    reason: str
    article_id: str | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the reader should know that is not a failure (duplicates, one-article story)."""

    code: str  # "duplicate_article", "single_article", "decoded_with_fallback", ...
    message: str
    article_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DroppedLine:
    """A line removed by ``clean`` because it is not reporting (promo, caption, byline...)."""

    article_id: str
    text: str
    reason: str  # "promo", "update_note", "byline", "share_prompt", "caption", "fragment", ...
    line_index: int  # index of the line in the uncleaned body


@dataclass(frozen=True, slots=True)
class Evidence:
    """A pointer to the exact place in an article's cleaned text a finding rests on."""

    article_id: str
    sentence_index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    article_id: str
    index: int
    start: int
    end: int
    text: str

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.article_id, self.index, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention (spaCy labels: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT...)."""

    article_id: str
    sentence_index: int
    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class Quote:
    """Who said what. ``start``/``end`` span the quoted content.

    ``speaker`` is the resolved full name when the text refers back to a named
    person ("he", "the minister"), else the surface text, else ``None``.
    """

    article_id: str
    sentence_index: int
    start: int
    end: int
    content: str
    kind: Literal["direct", "indirect"]
    speaker: str | None
    speaker_text: str | None = None  # surface form in this sentence ("he", "the top diplomat")
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None  # "said", "told", "according to"...


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression resolved to a calendar date against the publication date."""

    article_id: str
    sentence_index: int
    start: int
    end: int
    text: str
    date: dt.date
    granularity: Literal["day", "month", "year"] = "day"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit normalised: ``value`` is in ``unit`` (SI or canonical).

    "a 14-kilometer strip", "14km" and "8.7 miles" all become ~14000 "m".
    Bare counts keep the counted noun as unit ("people", "homes").
    """

    article_id: str
    sentence_index: int
    start: int
    end: int
    text: str
    value: float
    unit: str  # "m", "kg", "s", "%", "USD", "EUR", "GBP", or the counted noun lemma
    dimension: str  # "length", "mass", "duration", "percent", "currency", "count", ...


@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    times: tuple[TimeMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dropped: tuple[DroppedLine, ...] = ()
    #: The adjectives and adverbs of the first sentence, case-folded: the words that can
    #: characterise a lead ("defiant", "swift"). None when no parse was made (hand-built records).
    lead_descriptors: tuple[str, ...] | None = None

    @property
    def id(self) -> str:
        return self.article.id


# --------------------------------------------------------------------------- cross-article


@dataclass(frozen=True, slots=True)
class EntityName:
    """One outlet's name for an entity, with where it used it."""

    source: str
    name: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Entity:
    """The same person, place or organisation across articles, under all its names."""

    id: str
    label: str
    name: str  # canonical (longest, most frequent full form)
    names: tuple[EntityName, ...]

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(sorted({n.name for n in self.names}))


@dataclass(frozen=True, slots=True)
class Fact:
    """Sentences (or clauses) from one or more articles that report the same thing."""

    id: str
    text: str  # the representative sentence, verbatim from one article
    evidence: tuple[Evidence, ...]
    sources: tuple[str, ...]  # distinct outlets reporting it, sorted
    coverage: Coverage
    # Outlets counted once per copy group (wire copies / reprints): how many independent
    # reports back this fact. Empty when no copies were detected (then it equals ``sources``).
    independent_sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Omission:
    """A fact most other outlets report that this outlet leaves out."""

    source: str
    article_ids: tuple[str, ...]
    fact_id: str
    reported_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConflictSide:
    value: str  # "12 people", "2026-03-04", "Maria Okafor", "denied"...
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    """Aligned reports that disagree, with every side's evidence."""

    id: str
    kind: ConflictKind
    fact_id: str | None
    description: str
    sides: tuple[ConflictSide, ...]
    # "resolved": one side's outlet later published a version or correction that agrees with
    # the other side; ``resolved_by`` points at the sentence of that later version.
    status: Literal["open", "resolved"] = "open"
    resolved_by: Evidence | None = None


@dataclass(frozen=True, slots=True)
class QuoteGroup:
    """One utterance as reported by one or more outlets (who said what, across outlets)."""

    id: str
    speaker: str | None
    content: str
    quotes: tuple[Quote, ...]
    sources: tuple[str, ...]


QuoteVersionKind = Literal["verbatim", "trimmed", "altered", "paraphrased", "other_speaker"]


@dataclass(frozen=True, slots=True)
class QuoteVersion:
    """One outlet's rendering of a quote, compared with the ledger entry's reference version.

    verbatim: the same words; trimmed: a part of the reference's words, unchanged; altered:
    words changed inside quotation marks; paraphrased: reported without quotation marks (or
    reworded beyond "altered"); other_speaker: given to someone else than the reference's speaker.
    """

    source: str
    article_id: str
    kind: QuoteVersionKind
    quote_kind: Literal["direct", "indirect"]
    speaker: str | None
    content: str
    evidence: Evidence
    changed: tuple[tuple[str, str], ...] = ()  # (reference words, this version's words) for "altered"
    # A direct quote whose words no other outlet quotes directly while another reports them
    # without quotation marks: possibly a paraphrase printed as a direct quote.
    paraphrase_as_direct: bool = False


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """Every outlet's version of one utterance."""

    id: str
    speaker: str | None  # the reference version's speaker
    reference: str  # the reference version's words (the fullest direct quote)
    versions: tuple[QuoteVersion, ...]


@dataclass(frozen=True, slots=True)
class CopyGroup:
    """Articles that are one text under several outlets (an agency story, a reprint), lightly edited."""

    id: str
    article_ids: tuple[str, ...]
    sources: tuple[str, ...]
    similarity: float  # lowest estimated pairwise similarity of the group's texts (0-1)
    credited: str | None = None  # the agency or outlet the copies credit ("Harbour Wire"), if stated


@dataclass(frozen=True, slots=True)
class VersionChange:
    """One difference between consecutive versions of an article."""

    kind: Literal["added", "removed", "changed"]
    before: Evidence | None  # in the older version
    after: Evidence | None  # in the newer version
    note: str = ""  # e.g. "12 -> 15 people"


@dataclass(frozen=True, slots=True)
class VersionChain:
    """The versions one outlet published of one article (an update or a correction), oldest first.

    Only the newest version counts for agreement and conflicts; older ones are superseded.
    """

    source: str
    article_ids: tuple[str, ...]
    correction: bool  # the newer version says it corrects the older one
    changes: tuple[VersionChange, ...]


@dataclass(frozen=True, slots=True)
class FramingItem:
    """Different words for the same thing, or an outlet's characterising words.

    ``kind`` is "naming" (an entity called differently), "wording" (the same fact
    worded with different loaded terms), "headline"/"lead" (characterising words), or
    "vocabulary" (loaded terms one outlet uses anywhere and no other outlet does).
    """

    kind: Literal["naming", "wording", "headline", "lead", "vocabulary"]
    target: str  # entity name, fact id, article id, or (vocabulary) the outlet
    terms: tuple[tuple[str, tuple[str, ...]], ...]  # (source, terms) pairs
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    date: dt.date
    granularity: str
    text: str
    evidence: tuple[Evidence, ...]
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """A sentence of the neutral summary: verbatim from an article (less a leading dateline), citing all it rests on."""

    text: str
    citations: tuple[Evidence, ...]
    fact_id: str | None


@dataclass(frozen=True, slots=True)
class StoryReport:
    """Everything ``compare`` finds about one story, each finding with evidence."""

    articles: tuple[AnnotatedArticle, ...]
    entities: tuple[Entity, ...] = ()
    facts: tuple[Fact, ...] = ()
    omissions: tuple[Omission, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    quote_groups: tuple[QuoteGroup, ...] = ()
    framing: tuple[FramingItem, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    summary: tuple[SummarySentence, ...] = ()
    quote_ledger: tuple[LedgerEntry, ...] = ()
    copies: tuple[CopyGroup, ...] = ()
    versions: tuple[VersionChain, ...] = ()
    failures: tuple[Failure, ...] = ()
    notices: tuple[Notice, ...] = ()
    schema_version: str = SCHEMA_VERSION
    generated: str = field(default="")  # ISO timestamp, set by compare()

    def article(self, article_id: str) -> AnnotatedArticle:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def cite(self, ev: Evidence) -> str:
        """The cited text, taken from the article itself."""
        return self.article(ev.article_id).article.text[ev.start : ev.end]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({a.article.source for a in self.articles}))

    @property
    def dropped(self) -> tuple[DroppedLine, ...]:
        return tuple(d for a in self.articles for d in a.dropped)


# --------------------------------------------------------------------------- corpus (store + clustering)


@dataclass(frozen=True, slots=True)
class StoryInfo:
    """One story of a corpus: the articles clustering grouped together, without the comparison.

    ``version`` grows whenever the story's membership changes; it is the key of the
    cached report, so a report is recomputed exactly when the story changed.
    """

    id: str
    label: str
    article_ids: tuple[str, ...]
    sources: tuple[str, ...]  # distinct outlets, sorted
    first_published: dt.date | None
    last_published: dt.date | None
    version: int
    updated_at: str  # ISO timestamp of the last membership change
    closed: bool = False  # no article newer than the closing window can join any more

    @property
    def size(self) -> int:
        return len(self.article_ids)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article matching a full-text query, with a snippet of the matching text."""

    article_id: str
    title: str
    source: str
    published: dt.date | None
    snippet: str
    score: float  # higher is better (negated bm25)
    story_id: str | None = None


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ``ingest`` run did; failures and notices say what was skipped and why."""

    added: int
    duplicates: int
    failures: tuple[Failure, ...] = ()
    notices: tuple[Notice, ...] = ()
    stories_created: int = 0
    stories_joined: int = 0  # added articles that joined a story that already existed
    seconds: float = 0.0
