"""Typed conflicts between aligned reports: number, date, place, speaker of a quote, negation.

A conflict is only looked for *inside* a fact (sentences already aligned as
reporting the same thing) or a quote group (the same words): two unrelated
sentences with different numbers are not a contradiction. Each side keeps its
outlets and evidence so a reader can check both.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence

from storyscope.annotate.quantities import same_amount
from storyscope.annotate.speakers import word_set
from storyscope.compare.entities import EntityLookup, entity_index, family, name_key
from storyscope.compare.facts import NUMBER_WORDS, number_keys
from storyscope.config import CompareConfig
from storyscope.records import (
    AnnotatedArticle,
    Conflict,
    ConflictSide,
    Entity,
    Evidence,
    Fact,
    QuoteGroup,
)

# Words that flip a clause. "n't" is matched on the token before it ("wasn't" -> "was").
_NEGATION = re.compile(
    r"\b(not|never|no|none|nobody|nothing|neither|nor|refused|refuses|"
    r"\w+n't|\w+n\u2019t|cannot)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")
# Negation words that deny nothing the story reports.
_NOT_NEGATING = re.compile(
    r"(?:\bnot|n['\u2019]t)\s+(?:only|just|least|(?:the\s+)?(?:first|last|only))\b|\b(?:whether\s+or\s+not|"
    r"if\s+not|nothing\s+but|no\s+doubt|none\s+other\s+than|not\s+to\s+mention|no\s+matter|not\s+unlike|"
    r"no\s+(?:less|more|fewer)\s+than|no\s+votes?|no-votes?)\b",
    re.IGNORECASE,
)
# A negation inside a condition ("discipline students when they are not at school", "unless it
# does not rain") or a description of a class of people ("anyone who is not white") asserts no event.
_CONDITION_LEFT = re.compile(
    r"\b(?:when|whenever|if|unless|until|whether|(?:anyone|anybody|those|people|whoever)\s+(?:who|that))"
    r"(?:\s+[\w'\u2019-]+){0,5}\s+$",
    re.IGNORECASE,
)
# Reporting verbs: a negation after one is inside what someone said or believes.
_REPORTED = re.compile(
    r"\b(?:said|says|say|told|tells|claim(?:s|ed)?|admit(?:s|ted)?|insist(?:s|ed)?|argu(?:es|ed)|"
    r"contend(?:s|ed)|stated|states|believ(?:es|ed)|maintain(?:s|ed)|assert(?:s|ed)|acknowledg(?:es|ed)|"
    r"conced(?:es|ed)|suggest(?:s|ed)|wrote|writes|tweeted|testified|explained|warned|added|believe|"
    r"saying|telling|claiming|admitting|insisting|arguing|contending|stating|believing|maintaining|"
    r"asserting|acknowledging|conceding|suggesting|writing|adding|noting|noted|explaining|warning)\b",
    re.IGNORECASE,
)
# Verbs of saying after a cue ("has not said", "did not comment"): the negation denies no event.
_SAYING = word_set("say comment respond reply elaborate specify disclose confirm answer return")
# Words after a cue that are not what it negates ("did not yet", "was not even").
_NOT_TARGETS = word_set(
    "do does did done be yet even ever also always still again any anyone anything all one enough "
    "so too very much more less can could will would should may might must "
    "go goes going get gets have has make makes take takes come comes"  # light verbs name no event
)
_QUOTED = re.compile(r"[\"\u201c][^\"\u201d]*[\"\u201d]")
# Lexical denials and refutations: a sentence with one of these is not the affirming side.
_DENIAL = re.compile(
    r"\b(reject\w*|den(?:y|ies|ied|ial\w*)|refus\w*|dismiss\w*|refut\w*|rebuff\w*|declin\w*|false\w*|"
    r"disput\w*|batting\s+down|no\s+evidence|allegation\w*|unfounded|baseless|short\s+of|fail\w*|lack\w*)\b",
    re.IGNORECASE,
)
_STOP = frozenset(
    ["the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "and", "or", "but", "was", "were", "is", "are", "be", "been", "being", "has", "have", "had", "it", "its", "this", "that", "with", "as", "from", "they", "he", "she", "we", "i", "you", "there", "their", "his", "her", "our", "who", "which", "what", "when", "where"]
)


def _cid(kind: str, fact_id: str | None, values: Sequence[str]) -> str:
    return "C" + hashlib.sha1(f"{kind}|{fact_id}|{'|'.join(sorted(values))}".encode()).hexdigest()[:10]


def _sides(items: Sequence[tuple[str, str, Evidence]]) -> tuple[ConflictSide, ...]:
    """(value, source, evidence) triples -> one side per value."""
    by_val: dict[str, tuple[set[str], list[Evidence]]] = {}
    for val, src, ev in items:
        srcs, evs = by_val.setdefault(val, (set(), []))
        srcs.add(src)
        if ev not in evs:
            evs.append(ev)
    sides = [ConflictSide(v, tuple(sorted(s)), tuple(e)) for v, (s, e) in by_val.items()]
    sides.sort(key=lambda s: (-len(s.sources), s.value))
    return tuple(sides)


def _cluster_values(
    per_article: Mapping[str, list],
    agree: Callable[[object, object], bool],
    key: Callable[[object], Hashable],
) -> list[list]:
    """Cluster one value per article into groups that agree; articles with several values are ambiguous."""
    clusters: list[list] = []
    for _aid, vals in per_article.items():
        distinct = {key(v): v for v in vals}
        if len(distinct) != 1:
            continue  # several candidates in one sentence: cannot tell which one the others contradict
        v = next(iter(distinct.values()))
        for c in clusters:
            if agree(c[0], v):
                c.append(v)
                break
        else:
            clusters.append([v])
    return clusters


def find_conflicts(
    annotated: Sequence[AnnotatedArticle],
    facts: Sequence[Fact],
    entities: Sequence[Entity],
    quote_groups: Sequence[QuoteGroup],
    config: CompareConfig,
) -> tuple[Conflict, ...]:
    by_id = {a.id: a for a in annotated}
    source_of = {a.id: a.article.source for a in annotated}
    ent_at = entity_index(entities)
    ent_name = {e.id: e.name for e in entities}
    ent_family = {e.id: family(e.label) for e in entities}
    out: list[Conflict] = []
    for fact in facts:
        if len(fact.sources) < 2:
            continue
        out.extend(_number_conflicts(fact, by_id, source_of, config))
        out.extend(_date_conflicts(fact, by_id, source_of))
        out.extend(_place_conflicts(fact, by_id, source_of, ent_at, ent_name, ent_family))
        out.extend(_negation_conflicts(fact, by_id, source_of))
    out.extend(_speaker_conflicts(quote_groups, entities, source_of, by_id))
    return tuple(out)


def _sentence_ev(art: AnnotatedArticle, index: int) -> Evidence:
    return art.sentences[index].evidence


def _number_conflicts(fact, by_id, source_of, config) -> list[Conflict]:
    # Group quantities by comparable kind: (dimension, unit); one value per article per kind.
    per_kind: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for ev in fact.evidence:
        art = by_id[ev.article_id]
        for q in art.quantities:
            if q.sentence_index == ev.sentence_index:
                per_kind[(q.dimension, q.unit)][ev.article_id].append(q)
    out = []
    tol = config.quantity_tolerance
    for (_dim, unit), per_article in per_kind.items():
        if len(per_article) < 2:
            continue
        clusters = _cluster_values(
            per_article,
            lambda a, b: bool(same_amount(a, b, tol)) or _within_bound(a, b, by_id) or _within_bound(b, a, by_id),
            lambda q: round(q.value, 6),
        )
        if len(clusters) < 2 or _amount_said_elsewhere(clusters, by_id, tol):
            continue
        # Each side is labelled by its first mention's text, so it reads as the outlets wrote it.
        items = [
            (c[0].text, source_of[q.article_id], _sentence_ev(by_id[q.article_id], q.sentence_index))
            for c in clusters
            for q in c
        ]
        sides = _sides(items)
        if len({s for side in sides for s in side.sources}) < 2:
            continue
        desc = f"outlets give different figures ({unit}): " + " vs ".join(
            f"{s.value} ({', '.join(s.sources)})" for s in sides
        )
        out.append(
            Conflict(_cid("number", fact.id, [s.value for s in sides]), "number", fact.id, desc, sides)
        )
    return out


# Words before a number that make it a bound: "more than $1 million" is not contradicted by
# "$1.1 million", "nearly 50" not by "48".
_LOWER_BOUND = re.compile(r"\b(?:more\s+than|over|at\s+least|upwards\s+of|in\s+excess\s+of|exceeding|above)\s*$", re.I)
_UPPER_BOUND = re.compile(
    r"\b(?:less\s+than|fewer\s+than|under|up\s+to|nearly|almost|just\s+under|as\s+many\s+as|no\s+more\s+than|"
    r"below)\s*$",
    re.I,
)
#: How far past its bound a value may lie and still be the same figure, rounded by the other outlet
#: ("more than $1 million" / "$1.1 million" are 9% apart; "at least 12" / "15 people" 20%: a conflict).
BOUND_SLACK = 0.15


def _within_bound(a, b, by_id) -> bool:
    """``a`` is a bound ("more than 200") that ``b``'s exact value satisfies, within BOUND_SLACK."""
    if a.dimension != b.dimension or a.unit != b.unit:
        return False
    before, bound_b = _words_before(a, by_id), _words_before(b, by_id)
    va, vb = abs(a.value), abs(b.value)
    if _LOWER_BOUND.search(bound_b) or _UPPER_BOUND.search(bound_b):
        # Two bounds the same way ("at least 12" / "at least 15") are two different figures;
        # opposite bounds that overlap ("more than five hours" / "almost six hours") agree.
        if _LOWER_BOUND.search(before) and _UPPER_BOUND.search(bound_b):
            return va < vb
        if _UPPER_BOUND.search(before) and _LOWER_BOUND.search(bound_b):
            return vb < va
        return False
    if _LOWER_BOUND.search(before):
        return va <= vb <= va / (1 - BOUND_SLACK)
    if _UPPER_BOUND.search(before):
        return va * (1 - BOUND_SLACK) <= vb <= va
    return False


def _words_before(q, by_id) -> str:
    """The words just before a quantity's number, with any words its own text starts with."""
    text = by_id[q.article_id].article.text
    number = re.search(
        r"[\d$\u20ac\u00a3]|\b(?:an?\s+)?(?:quarter|half)\b|\b(?:" + "|".join(NUMBER_WORDS) + r")\b",
        q.text,
        re.IGNORECASE,
    )
    lead = q.text[: number.start()] if number else ""
    return (text[max(0, q.start - 24) : q.start] + " " + lead).rstrip()




def _amount_said_elsewhere(clusters: list[list], by_id, tol: float) -> bool:
    """True when an article on one side also gives another side's figure, in its article or as a
    bare number in its sentence ("six arrests Wednesday, compared to 47 the previous night"):
    then the aligned sentences give figures of different things, not different figures of one."""
    for i, ci in enumerate(clusters):
        for j, cj in enumerate(clusters):
            if i == j:
                continue
            other = cj[0]
            for q in ci:
                art = by_id[q.article_id]
                if any(x is not q and same_amount(x, other, tol) for x in art.quantities):
                    return True
                # Spelled numbers count too ("two Islamic State militants").
                numbers = number_keys(art.sentences[q.sentence_index].text)
                if other.value == int(other.value) and f"{float(other.value):g}" in numbers:
                    return True
    return False


def _said_elsewhere(everywhere: dict[str, set], here: dict[str, set]) -> bool:
    """True when some article states, anywhere, the value another article gives in the fact.

    A real disagreement on a date or place means the other outlet never gives that value;
    when it does (elsewhere in its article), the aligned sentences are about different things.
    """
    for a, values in here.items():
        for b, found in everywhere.items():
            if a != b and (values & found) and not (here[b] & values):
                return True
    return False


#: Outlets that date one event differently are days apart ("Tuesday" / "Wednesday", "March 6" /
#: "March 7"); dates months or years apart in aligned sentences date different things ("on
#: Monday" / "the attacks of Sept. 11, 2001").
DATE_CONFLICT_MAX_DAYS = 60


def _happened_after(clusters: list[list], by_id) -> bool:
    """True when one side dates a past event to after the other side's articles were published.

    Articles written days apart report the latest development each ("met on Sunday" in a Sunday
    story, "met on Thursday" in a Thursday one): the earlier article could not know of the later
    event, so the two dates are two events, not a disagreement. A date still ahead of its own
    article's publication (a scheduled event) is comparable across articles, as before.
    """
    def published(t) -> dt.date | None:
        return by_id[t.article_id].article.published

    for ci in clusters:
        for cj in clusters:
            if ci is cj:
                continue
            when = cj[0].date
            pubs_i, pubs_j = [published(t) for t in ci], [published(t) for t in cj]
            if None in pubs_i or None in pubs_j:
                continue
            if all(when <= p for p in pubs_j) and all(p < when for p in pubs_i):
                return True
    return False


def _date_conflicts(fact, by_id, source_of) -> list[Conflict]:
    per_article: dict[str, list] = defaultdict(list)
    for ev in fact.evidence:
        for t in by_id[ev.article_id].times:
            if t.sentence_index == ev.sentence_index and t.granularity == "day":
                per_article[ev.article_id].append(t)
    if len(per_article) < 2:
        return []
    clusters = _cluster_values(per_article, lambda a, b: a.date == b.date, lambda t: t.date)
    dates = [c[0].date for c in clusters]
    if len(clusters) < 2 or (max(dates) - min(dates)).days > DATE_CONFLICT_MAX_DAYS or _happened_after(clusters, by_id):
        return []
    if _said_elsewhere(
        {aid: {t.date for t in by_id[aid].times} for aid in per_article},
        {aid: {t.date for t in ts} for aid, ts in per_article.items()},
    ):
        return []
    items = [
        (t.date.isoformat(), source_of[t.article_id], _sentence_ev(by_id[t.article_id], t.sentence_index))
        for c in clusters
        for t in c
    ]
    sides = _sides(items)
    if len({s for side in sides for s in side.sources}) < 2:
        return []
    desc = "outlets date it differently: " + " vs ".join(f"{s.value} ({', '.join(s.sources)})" for s in sides)
    return [Conflict(_cid("date", fact.id, [s.value for s in sides]), "date", fact.id, desc, sides)]


# A place is where the reported thing happened when the sentence says it is: "in", "at", "near"...
# ("buried homes in Kalvaro", "a checkpoint in northern Kabul"). Places in other roles say nothing
# about where: a dateline ("WASHINGTON —"), a modifier ("Dallas-based", "New York prosecutors",
# "Rand Paul of Kentucky"), a possessive ("New York's attorney general"), "the fall of Kabul".
_LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|inside|into|across|around|throughout|within|off|onto)\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|central|downtown|rural|coastal|northern|southern|eastern|western|"
    r"north-?eastern|north-?western|south-?eastern|south-?western)\s+)?$",
    re.IGNORECASE,
)


def _is_location(text: str, m) -> bool:
    after = text[m.end : m.end + 7]
    if after.startswith(("-based", "'s", "\u2019s")):
        return False
    return bool(_LOCATIVE.search(text[max(0, m.start - 40) : m.start]))


# US states and the UK's nations: a level between the country and its towns ("New York" and
# "Washington" are also cities, so they are left at the town level).
_STATES = word_set(
    """alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii
    idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
    mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah
    vermont virginia wisconsin wyoming"""
) | {
    "new hampshire", "new jersey", "new mexico", "north carolina", "north dakota", "rhode island",
    "south carolina", "south dakota", "west virginia", "england", "scotland", "wales", "northern ireland",
}  # fmt: skip
# Regions outlets name that are not among the UN's (those come from babel's territory names).
_REGIONS = frozenset({"middle east", "gulf", "persian gulf", "balkans", "scandinavia", "west bank", "arctic"})


@functools.cache
def _territories() -> dict[str, str]:
    """English country and world-region names (babel's CLDR data, a trafilatura dependency) -> level."""
    try:
        from babel import Locale

        names = Locale("en").territories
    except Exception:  # noqa: BLE001 - babel missing or broken: towns, states and the regions below only
        names = {}
    out = {name_key(v): ("region" if k.isdigit() else "country") for k, v in names.items()}
    out.update({"united states": "country", "britain": "country", "great britain": "country"})
    out.update(dict.fromkeys(_REGIONS, "region"))
    return out


def _place_level(name: str) -> str:
    """'region', 'country', 'state' or 'town' (anything smaller or unknown): only equals can conflict."""
    key = name_key(name)
    if key.startswith("the "):
        key = key[4:]
    if key in _STATES:
        return "state"
    return _territories().get(key, "town")


def _place_conflicts(fact, by_id, source_of, ent_at, ent_name, ent_family) -> list[Conflict]:
    per_article: dict[str, list[str]] = defaultdict(list)
    for ev in fact.evidence:
        for m in by_id[ev.article_id].mentions:
            if m.sentence_index == ev.sentence_index:
                eid = ent_at.get((m.article_id, m.start))
                if eid and ent_family[eid] == "place" and _is_location(by_id[m.article_id].article.text, m):
                    per_article[ev.article_id].append(eid)
    if len(per_article) < 2:
        return []
    # Only a contradiction when each side names exactly one place and no side names the other's place.
    all_places = {e for v in per_article.values() for e in v}
    if any(len(set(v)) != 1 for v in per_article.values()) or len(all_places) < 2:
        return []
    # "in Texas" vs "in North Texas", "in New York" vs "in New York State": one names a part of
    # the other, which is more precise, not different.
    words = {e: set(name_key(ent_name[e]).split()) for e in all_places}
    if any(a != b and words[a] <= words[b] for a in all_places for b in all_places):
        return []
    # "in Afghanistan" vs "in Kabul", "in the Caribbean" vs "in Havana", "in Texas" vs "in Houston":
    # places of different sizes may lie one inside the other (no gazetteer says whether they do).
    if len({_place_level(ent_name[e]) for e in all_places}) > 1:
        return []
    # "near Ground Zero" vs "in New York City": if the other article names this place too, the two
    # sentences are about different aspects, not a disagreement on where.
    named = {aid: {ent_at[(m.article_id, m.start)] for m in by_id[aid].mentions if (m.article_id, m.start) in ent_at}
             for aid in per_article}
    if _said_elsewhere(named, {aid: set(v) for aid, v in per_article.items()}):
        return []
    items = [
        (ent_name[eids[0]], source_of[aid], _sentence_ev(by_id[aid], ev.sentence_index))
        for aid, eids in per_article.items()
        for ev in fact.evidence
        if ev.article_id == aid
    ]
    sides = _sides(items)
    if len({s for side in sides for s in side.sources}) < 2:
        return []
    desc = "outlets place it differently: " + " vs ".join(
        f"{s.value} ({', '.join(s.sources)})" for s in sides
    )
    return [Conflict(_cid("place", fact.id, [s.value for s in sides]), "place", fact.id, desc, sides)]


def _negated_words(text: str, claims: Sequence[tuple[int, int]] = ()) -> tuple[set[str], set[str], bool]:
    """What the sentence says did not happen, what someone in it says did not, and whether it negates at all.

    The first two hold the word each negation cue negates: "was not issued" -> {"issued"}, "No
    evacuation order" -> {"evacuation"}. Only the first content word after the cue counts (not
    a name, not an adverb such as "immediately", not a verb of saying: "has not said how she
    will vote" denies no event): other words nearby ("not seen on camera") say nothing about
    what is denied. The second holds the cues inside someone's reported words (``claims``:
    character spans of indirect quotes in ``text``, or after a reporting verb: "he said he did
    not send it"): a claim, which conflicts with a report only when the two tell nearly the same
    sentence (see :func:`_negation_conflicts`). Phrases such as "not only" or "not the first
    time" negate nothing.

    The third is True when any cue is left: such a sentence is not the side that affirms
    ("Bauer said that was never the case" affirms nothing).
    """
    text = _NOT_NEGATING.sub(lambda m: " " * len(m.group(0)), text)
    reported = [m.end() for m in _REPORTED.finditer(text)]
    out: set[str] = set()
    claimed: set[str] = set()
    any_cue = False
    for m in _NEGATION.finditer(text):
        if _CONDITION_LEFT.search(text, max(0, m.start() - 60), m.start()):
            continue
        any_cue = True
        is_claim = (reported and reported[0] <= m.start()) or any(a <= m.start() < b for a, b in claims)
        target = claimed if is_claim else out
        if m.group(0).casefold().startswith("refus"):
            target.add("_lexical_denial")
        for w in _WORD.finditer(text[m.end() : m.end() + 60]):
            word = w.group(0)
            low = word.casefold()
            if low in _STOP or low in _NOT_TARGETS or (low.endswith("ly") and len(low) > 4):
                continue
            if word[0].isupper() or _REPORTED.fullmatch(word) or low in _SAYING:
                break  # a name ("did not satisfy Justice Scalia") or saying: nothing to compare
            target.add(low)
            break
    return out, claimed, any_cue


def _stem(w: str) -> str:
    return w[:5]


def _masked_sentence(art: AnnotatedArticle, index: int) -> tuple[str, list[tuple[int, int]]]:
    """The sentence with direct quotes blanked out, and its indirect quotes' spans in it.

    Quote spans come from annotation, which follows a quote across sentences (a sentence that
    ends a long quote has no opening mark of its own); quote marks in the sentence are blanked
    too, in case annotation found no speaker for them.
    """
    sent = art.sentences[index]
    chars = list(sent.text)
    claims = []
    for q in art.quotes:
        a, b = max(q.start, sent.start) - sent.start, min(q.end, sent.end) - sent.start
        if a >= b:
            continue
        if q.kind == "direct":
            chars[a:b] = " " * (b - a)
        else:
            claims.append((a, b))
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), "".join(chars)), claims


#: A negation someone is reported to make conflicts with another outlet's report only when the
#: two sentences share at least this share of the negating sentence's content words: "No order
#: was issued for the quarter before the slope gave way, residents said" against "Authorities
#: had issued an order for the quarter, hours before the slope gave way", not against any
#: sentence that happens to use the negated word.
CLAIM_OVERLAP = 0.5


def _content_stems(text: str, names: bool = True) -> set[str]:
    """Stems of the content words; ``names=False`` leaves out capitalised words after the first.

    A negated word is never a name, so it is matched against the other side's lower-case words
    only: "did not truly represent" is not denied by "Representative Eric Cantor".
    """
    words = _WORD.findall(text)
    return {
        _stem(w.casefold())
        for i, w in enumerate(words)
        if w.casefold() not in _STOP and (names or i == 0 or not w[0].isupper())
    }


def _negation_conflicts(fact, by_id, source_of) -> list[Conflict]:
    # Negating sentences keep the stems of what they negate, affirming ones the stems of all their words.
    neg: list[tuple[str, Evidence, set[str], set[str], set[str]]] = []
    pos: list[tuple[str, Evidence, set[str], set[str], bool]] = []  # (..., lower-case stems, all stems, reported)
    for ev in fact.evidence:
        text, claims = _masked_sentence(by_id[ev.article_id], ev.sentence_index)
        negated, claimed, any_cue = _negated_words(text, claims)
        if negated or claimed:
            stems = {_stem(w) for w in negated}, {_stem(w) for w in claimed}
            neg.append((source_of[ev.article_id], ev, *stems, _content_stems(_NEGATION.sub(" ", text))))
        elif not any_cue and not _DENIAL.search(text):  # "rejected the offer" affirms no more than "said no"
            reported = bool(claims) or bool(_REPORTED.search(text))
            pos.append((source_of[ev.article_id], ev, _content_stems(text, names=False), _content_stems(text), reported))
    if not neg or not pos:
        return []
    items = []
    for src, ev, negated, claimed, words in neg:
        hits = [
            p
            for p in pos
            if p[0] != src
            and (
                negated & p[2]
                # A claim against a report, not against another claim ("Fauci said the US never
                # funded it" / "Paul said the NIH funded it": two people disagree, not two outlets).
                or (claimed & p[2] and not p[4] and len(words & p[3]) >= CLAIM_OVERLAP * max(1, len(words)))
            )
        ]
        if hits:
            items.append(("says it did not happen", src, ev))
            items.extend(("says it happened", p[0], p[1]) for p in hits)
    if not items:
        return []
    sides = _sides(items)
    if len(sides) < 2:
        return []
    desc = "one report negates what another affirms: " + " vs ".join(
        f"{', '.join(s.sources)} {s.value}" for s in sides
    )
    return [Conflict(_cid("negation", fact.id, [s.value for s in sides]), "negation", fact.id, desc, sides)]


def _speaker_conflicts(quote_groups, entities, source_of, by_id) -> list[Conflict]:
    out = []
    person_of = EntityLookup(entities)
    for g in quote_groups:
        if len(g.sources) < 2:
            continue
        # Only named speakers take part: "local officials" vs "the rescue service" is vagueness,
        # not a contradiction, while "Ines Marlow" vs "Tomas Brenner" is.
        items = []
        for q in g.quotes:
            if q.kind != "direct" or not q.speaker:
                continue  # paraphrases group loosely; only verbatim words pin a speaker
            if name_key(q.speaker).split()[-1] in name_key(q.content).split():
                continue  # the named person is the quote's subject: a likely misattribution
            # Persons only: an outlet citing a newspaper or an agency as the source of the same
            # words is sourcing, not a contradiction about who spoke.
            eid = person_of(q.speaker, ("person",))
            if eid:
                items.append((eid, q))
        # A side must rest on at least one quote whose speaker is named in the sentence itself
        # ("said Tomas Brenner"); quotes resolved from "he" or "the governor" may join a side but
        # not create one: resolution errors would otherwise read as contradictions.
        named = {k for k, q in items if q.speaker_text and _names_speaker(q.speaker_text, q.speaker)}
        items = [(k, q) for k, q in items if k in named]
        keys = {k for k, _ in items}
        if len(keys) < 2:
            continue
        # Name each side by the most complete speaker name used for that entity.
        label = {}
        for k, q in items:
            if len(q.speaker) > len(label.get(k, "")):
                label[k] = q.speaker
        triples = [
            (label[k], source_of[q.article_id], _sentence_ev(by_id[q.article_id], q.sentence_index))
            for k, q in items
        ]
        sides = _sides(triples)
        if len({s for side in sides for s in side.sources}) < 2:
            continue
        desc = f"the quote \u201c{_clip(g.content)}\u201d is attributed to different people: " + " vs ".join(
            f"{s.value} ({', '.join(s.sources)})" for s in sides
        )
        out.append(Conflict(_cid("speaker", g.id, [s.value for s in sides]), "speaker", None, desc, sides))
    return out


def _names_speaker(surface: str, speaker: str) -> bool:
    """The surface mention contains the speaker's name (not just "he" or "the minister")."""
    surname = name_key(speaker).split()[-1:]
    return bool(surname) and surname[0] in name_key(surface).split()


def _clip(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"
