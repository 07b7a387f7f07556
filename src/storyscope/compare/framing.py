"""Framing: which words each outlet chooses for the same thing.

Four views, each with evidence:
- "wording": within one aligned fact, loaded terms one outlet uses and the others do not
  ("botched rescue" vs "rescue operation");
- "naming": an entity called by different names across outlets;
- "headline"/"lead": an article's characterising words in its title and first sentence that no
  other outlet's headline or lead uses (loaded terms first); in a lead, only its adjectives and
  adverbs count beside loaded terms;
- "vocabulary": the loaded terms an outlet uses anywhere that no other outlet of the story uses.

Words inside direct quotes are the speaker's, not the outlet's, and are not counted as its framing.
The loaded-term lexicon is small and hand-curated from media-bias work (evaluative verbs of
attribution, intensifiers, labels for groups and events); it is a starting point a user can
extend (``extra_loaded``), not a verdict on any outlet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from storyscope.annotate.speakers import word_set
from storyscope.compare.entities import name_form, name_key, plain_name
from storyscope.compare.facts import stem
from storyscope.records import AnnotatedArticle, Entity, Evidence, Fact, FramingItem

LOADED_TERMS = frozenset(
    ["slam", "slams", "slammed", "blast", "blasts", "blasted", "rip", "ripped", "rips", "lash", "lashed", "lashes", "hammer", "hammered", "blasting", "slamming", "scathing", "claim", "claimed", "claims", "admit", "admitted", "admits", "concede", "conceded", "boast", "boasted", "tout", "touted", "insist", "insisted", "vow", "vowed", "demand", "demanded", "decry", "decried", "denounce", "denounced", "condemn", "condemned", "regime", "chaos", "chaotic", "fiasco", "debacle", "scandal", "crisis", "catastrophe", "catastrophic", "disaster", "disastrous", "devastating", "devastated", "horrific", "horrifying", "shocking", "shocked", "outrage", "outrageous", "outraged", "furious", "fury", "terrorist", "terrorists", "terror", "militant", "militants", "extremist", "extremists", "radical", "radicals", "thug", "thugs", "mob", "rioters", "riot", "insurgent", "insurgents", "jihadist", "jihadists", "separatist", "separatists", "rebels", "rebel", "botched", "failed", "failure", "failing", "bungled", "blunder", "incompetent", "incompetence", "negligent", "negligence", "reckless", "careless", "inept", "corrupt", "corruption", "cover-up", "coverup", "embattled", "beleaguered", "controversial", "so-called", "alleged", "allegedly", "notorious", "infamous", "draconian", "brutal", "brutally", "ruthless", "savage", "massacre", "slaughter", "carnage", "bloodbath", "onslaught", "assault", "invasion", "occupation", "crackdown", "purge", "radical", "far-right", "far-left", "hardline", "hard-line", "leftist", "rightwing", "right-wing", "left-wing", "socialist", "illegal", "illegals", "alien", "aliens", "amnesty", "handout", "handouts", "elite", "elites", "establishment", "historic", "landmark", "sweeping", "massive", "huge", "staggering", "unprecedented", "dramatic", "dramatically", "skyrocket", "skyrocketed", "soar", "soared", "plunge", "plunged", "plummet", "plummeted", "surge", "surged", "spiral", "spiraling", "tragic", "tragedy", "heroic", "heroes", "desperate", "desperately", "frantic", "frantically", "panic", "panicked", "grim", "dire", "looming"]
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_STOP = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "said", "same", "says", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "new", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "year", "years", "day", "days", "week", "told", "say", "tell", "according"]
)

MAX_TERMS = 6

# Everyday words that a headline or lead may use alone without characterising anything.
_PLAIN = word_set(
    "yesterday today tomorrow morning afternoon evening night tonight early earlier late later "
    "still even back again ever never always already soon since until ago next last first "
    "others another many much several little small large main middle part parts place way ways "
    "time times thing things goes going gone went come comes came coming make makes made take "
    "takes took taken give gives gave given seem seems seemed known know knows learn learned "
    "like likely well around near among amid across within without inside outside whole "
    "recently currently previously formerly rather quite"
)

# A loaded sentence only one outlet has is still "the same event in other words" when another
# outlet's closest sentence is this similar (MiniLM cosine). Looser than fact alignment on
# purpose: loaded wording is exactly what pushes a paraphrase below the fact threshold
# ("Furious residents slammed..." vs "Some residents criticised..." is 0.55).
FRAMING_PAIR_THRESHOLD = 0.5


def _words(text: str) -> list[str]:
    """Lower-case words, without a possessive "'s" (the headline's "group's" is the story's "group")."""
    out = []
    for w in _WORD.findall(text.replace("\u2019", "'")):
        w = w.casefold()
        if w.endswith("'s"):
            w = w[:-2]
        out.append(w.strip("'-"))
    return out


#: Loaded words that are the neutral name of a thing when this word follows ("assault weapons").
_TERM_OF_ART = {"assault": frozenset(["weapon", "weapons", "rifle", "rifles", "style"])}


def _loaded(words: Iterable[str], lexicon: frozenset[str]) -> list[str]:
    seen: list[str] = []
    words = list(words)
    for i, w in enumerate(words):
        if w in lexicon and w not in seen:
            if i + 1 < len(words) and words[i + 1] in _TERM_OF_ART.get(w, ()):
                continue
            seen.append(w)
    return seen


def _narration(annotated: Sequence[AnnotatedArticle]) -> dict[tuple[str, int], list[str]]:
    """Each sentence's words outside direct quotes: the outlet's own wording.

    A loaded word inside quotation marks ("a response to the last tragedy," the congressman
    said) is the speaker's, and reporting it is not the outlet's framing.
    """
    out: dict[tuple[str, int], list[str]] = {}
    for a in annotated:
        text = a.article.text
        spans = sorted((q.start, q.end) for q in a.quotes if q.kind == "direct")
        if spans:
            chars = list(text)
            for s, e in spans:
                chars[max(0, s) : max(0, e)] = " " * (max(0, e) - max(0, s))
            text = "".join(chars)
        for sent in a.sentences:
            out[(a.id, sent.index)] = _words(text[sent.start : sent.end])
    return out


def find_framing(
    annotated: Sequence[AnnotatedArticle],
    facts: Sequence[Fact],
    entities: Sequence[Entity],
    vectors: Mapping[str, np.ndarray] | None = None,
    extra_loaded: Iterable[str] = (),
) -> tuple[FramingItem, ...]:
    lexicon = LOADED_TERMS | {w.casefold() for w in extra_loaded}
    source_of = {a.id: a.article.source for a in annotated}
    items: list[FramingItem] = []
    own = _narration(annotated)
    items.extend(_wording(facts, own, source_of, lexicon))
    if vectors is not None:
        items.extend(_loaded_singles(annotated, own, facts, vectors, source_of, lexicon))
    items.extend(_vocabulary(annotated, own, source_of, lexicon))
    items.extend(_naming(entities))
    items.extend(_headline_lead(annotated, lexicon))
    return tuple(items)


def _wording(facts, own, source_of, lexicon) -> list[FramingItem]:
    out = []
    for fact in facts:
        if len(fact.sources) < 2:
            continue
        per_src: dict[str, list[str]] = {}
        evs: list[Evidence] = []
        for ev in fact.evidence:
            src = source_of[ev.article_id]
            per_src.setdefault(src, [])
            for w in _loaded(own[(ev.article_id, ev.sentence_index)], lexicon):
                if w not in per_src[src]:
                    per_src[src].append(w)
            evs.append(ev)
        all_terms = [set(v) for v in per_src.values()]
        # Only a framing difference when some outlet uses a loaded term another outlet avoids.
        distinct = {
            src: tuple(t for t in terms if sum(t in s for s in all_terms) < len(all_terms))
            for src, terms in per_src.items()
        }
        if not any(distinct.values()):
            continue
        terms = tuple((src, distinct[src]) for src in sorted(per_src))
        out.append(FramingItem("wording", fact.id, terms, tuple(evs)))
    return out


def _loaded_singles(annotated, own, facts, vectors, source_of, lexicon) -> list[FramingItem]:
    """Single-outlet sentences with loaded terms, set against each other outlet's closest sentence."""
    out = []
    for fact in facts:
        if len(fact.sources) != 1:
            continue
        ev = fact.evidence[0]
        loaded = _loaded(own[(ev.article_id, ev.sentence_index)], lexicon)
        if not loaded:
            continue
        vec = vectors[ev.article_id][ev.sentence_index]
        src = source_of[ev.article_id]
        evs, terms = [ev], {src: list(loaded)}
        for b in annotated:
            other = source_of[b.id]
            if other == src or other in terms or not len(b.sentences):
                continue
            sims = vectors[b.id] @ vec
            j = int(np.argmax(sims))
            if sims[j] >= FRAMING_PAIR_THRESHOLD:
                evs.append(b.sentences[j].evidence)
                terms[other] = [w for w in _loaded(own[(b.id, b.sentences[j].index)], lexicon) if w not in loaded]
        if len(terms) > 1:
            out.append(FramingItem("wording", fact.id, tuple((k, tuple(v)) for k, v in sorted(terms.items())), tuple(evs)))
    return out


def _vocabulary(annotated, own, source_of, lexicon) -> list[FramingItem]:
    """Per outlet: loaded terms it uses that no other outlet of the story uses, with where."""
    used: dict[str, dict[str, list[Evidence]]] = {}
    for a in annotated:
        per = used.setdefault(source_of[a.id], {})
        for s in a.sentences:
            for w in _loaded(own[(a.id, s.index)], lexicon):
                per.setdefault(w, []).append(s.evidence)
    if len(used) < 2:
        return []
    out = []
    for src, per in sorted(used.items()):
        own = [w for w in per if not any(w in other for o, other in used.items() if o != src)]
        if own:
            evs = tuple(dict.fromkeys(ev for w in own for ev in per[w]))
            out.append(FramingItem("vocabulary", src, ((src, tuple(own)),), evs))
    return out


def _naming(entities: Sequence[Entity]) -> list[FramingItem]:
    out = []
    for e in entities:
        per_src: dict[str, set[str]] = {}
        for n in e.names:
            per_src.setdefault(n.source, set()).add(n.name)
        if len(per_src) < 2:
            continue
        # Outlets differ in naming when their sets of (title-free) names differ beyond surname-only
        # use: an outlet that only writes "Trump" names the same man as one writing "Donald Trump".
        # Middle initials and short given names are house style ("Mark D. Sheridan" / "Mark Sheridan").
        house = plain_name if e.label == "PERSON" else str
        full = {
            src: {house(name_form(x)) for x in names if len(name_key(x).split()) > 1} for src, names in per_src.items()
        }
        surnames = {f.split()[-1] for v in full.values() for f in v}
        for src, names in per_src.items():
            if not full[src]:
                short = {name_form(x) for x in names}
                if not short <= surnames:
                    full[src] = short
        if len({frozenset(v) for v in full.values() if v}) < 2:
            continue
        terms = tuple((src, tuple(sorted(names))) for src, names in sorted(per_src.items()))
        evs = tuple(ev for n in e.names for ev in n.evidence[:1])
        out.append(FramingItem("naming", e.name, terms, evs))
    return out


def _headline_lead(annotated: Sequence[AnnotatedArticle], lexicon) -> list[FramingItem]:
    """Words of a headline or lead that characterise it: loaded terms no other outlet's headline or
    lead uses, then words no other outlet uses anywhere in its article.

    The second test is against the other articles' whole text, not only their headlines: a
    headline's "school" or "senator" is the story's vocabulary when the others use it in their
    bodies; "mocks" or "harsh" is this outlet's choice when nobody else writes it.
    """
    if len(annotated) < 2:
        return []
    names = {w for a in annotated for m in a.mentions for w in _words(m.text)}
    heads = {a.id: _words(a.article.title) for a in annotated}
    leads = {a.id: _words(a.sentences[0].text) if a.sentences else [] for a in annotated}
    used = {a.id: {stem(w) for w in _words(a.article.text)} | {stem(w) for w in heads[a.id]} for a in annotated}
    # Per outlet, once: the other outlets' headline and lead words, and every stem they use.
    rest_of: dict[str, tuple[set[str], set[str]]] = {}
    for src in {a.article.source for a in annotated}:
        rest = [b for b in annotated if b.article.source != src]
        words = {w for b in rest for w in (*heads[b.id], *leads[b.id])}
        rest_of[src] = (words, set().union(*(used[b.id] for b in rest)))
    out = []
    for kind, table in (("headline", heads), ("lead", leads)):
        for a in annotated:
            others, elsewhere = rest_of[a.article.source]
            own = table[a.id]
            loaded = [w for w in _loaded(own, lexicon) if w not in others]
            distinctive = [
                w
                for w in dict.fromkeys(own)
                if stem(w) not in elsewhere
                and w not in _STOP
                and w not in _PLAIN
                and w not in names
                and len(w) > 3
                and w not in loaded
            ]
            if kind == "lead" and a.lead_descriptors is not None:
                # A lead is a long sentence: its unshared nouns and verbs are mostly the details
                # this outlet reports ("travelers", "system"), while its adjectives and adverbs
                # are how it characterises them ("defiant", "swift"). A headline is chosen word by word.
                descriptive = set(a.lead_descriptors)
                distinctive = [w for w in distinctive if any(p in descriptive for p in w.split("-"))]
            terms = (loaded + distinctive)[:MAX_TERMS]
            if not terms:
                continue
            if kind == "lead" and a.sentences:
                evs: tuple[Evidence, ...] = (a.sentences[0].evidence,)
            else:
                evs = ()  # the headline is metadata, not a sentence of the body
            out.append(FramingItem(kind, a.id, ((a.article.source, tuple(terms)),), evs))
    return out
