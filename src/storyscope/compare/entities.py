"""Resolve named-entity mentions across articles into entities with each outlet's names.

Outlets name the same person, place or organisation differently: full name and
surname ("Ines Marlow" / "Marlow"), title plus name ("Governor Marlow"), or a
one-letter transliteration variant ("Kalvarro" / "Kalvaro"). The rules here are
deliberately conservative: a wrong merge invents agreement, a missed merge only
shows two rows.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from storyscope.records import AnnotatedArticle, Entity, EntityName, Evidence, Mention

#: Honorifics and role titles stripped before names are compared ("Governor Ines Marlow" -> "Ines Marlow").
TITLES = frozenset(
    ["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "president", "vice", "governor", "gov", "mayor", "minister", "secretary", "senator", "sen", "rep", "representative", "congressman", "congresswoman", "chancellor", "premier", "prime", "chief", "judge", "justice", "general", "gen", "colonel", "col", "captain", "capt", "commander", "lieutenant", "lt", "sergeant", "sgt", "officer", "inspector", "superintendent", "director", "ambassador", "king", "queen", "prince", "princess", "pope", "bishop", "father", "rev", "reverend", "sheikh", "foreign", "interior", "defence", "defense", "finance", "health", "deputy", "acting", "former", "chairman", "chairwoman", "chair", "ceo", "spokesman", "spokeswoman", "spokesperson", "councillor", "councilor", "commissioner", "professor"]
)

#: Label families: spaCy often calls the same town GPE in one article and LOC or FAC in another.
_FAMILY = {"GPE": "place", "LOC": "place", "FAC": "place", "ORG": "org", "NORP": "group", "PERSON": "person"}

# Similarity above which two single names of the same family are spelling variants; tuned so one-letter
# transliteration variants of names >= 5 letters merge ("Kalvarro"/"Kalvaro" = 0.93) while different
# short names do not ("Mali"/"Bali" are excluded by the length floor).
_VARIANT_RATIO = 0.86
_VARIANT_MIN_LEN = 5


def family(label: str) -> str:
    return _FAMILY.get(label, label.lower())


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


#: Abbreviations outlets use interchangeably with the full name (keys after folding and dot removal).
_ABBREVIATIONS = {
    "us": "united states", "usa": "united states", "united states of america": "united states",
    "uk": "united kingdom", "un": "united nations", "eu": "european union", "america": "united states",
    # AP-style US state abbreviations ("Sen. Rand Paul (R-Ky.)"), leaving out the ambiguous ones
    # (La. / LA, Miss. / Miss, Wash. / Washington DC, Ind., Del.).
    "ala": "alabama", "ariz": "arizona", "ark": "arkansas", "calif": "california", "colo": "colorado",
    "conn": "connecticut", "fla": "florida", "ga": "georgia", "ill": "illinois", "kan": "kansas",
    "ky": "kentucky", "md": "maryland", "mass": "massachusetts", "mich": "michigan", "minn": "minnesota",
    "mo": "missouri", "mont": "montana", "neb": "nebraska", "nev": "nevada", "nh": "new hampshire",
    "nj": "new jersey", "nm": "new mexico", "ny": "new york", "nc": "north carolina", "nd": "north dakota",
    "okla": "oklahoma", "ore": "oregon", "pa": "pennsylvania", "ri": "rhode island", "sc": "south carolina",
    "sd": "south dakota", "tenn": "tennessee", "tex": "texas", "vt": "vermont", "va": "virginia",
    "wva": "west virginia", "wis": "wisconsin", "wyo": "wyoming",
}


#: Generational suffixes after a surname (only dropped from names of three or more words).
_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])


def name_key(text: str) -> str:
    """The comparable form of a name: accents folded, titles, dots and punctuation removed."""
    words = re.findall(r"[\w'\-]+", _fold(text).replace(".", ""))
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    while len(words) > 2 and words[-1] in _SUFFIXES:  # "Theodore J. Boutrous Jr." is Boutrous
        words = words[:-1]
    key = " ".join(w.strip("'-") for w in words if w.strip("'-"))
    return _ABBREVIATIONS.get(key, key)


def name_form(text: str) -> str:
    """A name's form up to case and inflection: "Republicans" / "Republican", "Democrats" /
    "Democratic", "WASHINGTON" / "Washington" are one form, so they are not reported as an
    outlet's different name for the entity (that is grammar, not naming)."""
    words = []
    for w in name_key(text).split():
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        if len(w) > 5 and w.endswith("ic"):
            w = w[:-2]
        words.append(w)
    return " ".join(words)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _is_variant(a: str, b: str) -> bool:
    """Same-length-ish spellings of one name ("kalvarro"/"kalvaro", "zelensky"/"zelenskyy")."""
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb) or a == b:
        return a == b
    for x, y in zip(ta, tb, strict=True):
        if x == y:
            continue
        if min(len(x), len(y)) < _VARIANT_MIN_LEN or x[0] != y[0]:
            return False
        if difflib.SequenceMatcher(None, x, y).ratio() < _VARIANT_RATIO:
            return False
    return True


#: Short forms of English given names that outlets use for the same person ("Chuck Grassley" /
#: "Charles E. Grassley"). Only given names: a surname is never shortened.
_NICKNAMES = {
    nick: full
    for full, nicks in {
        "timothy": "tim", "michael": "mike mick", "william": "bill will billy", "robert": "bob rob bobby",
        "james": "jim jimmy jamie", "joseph": "joe joey", "thomas": "tom tommy", "richard": "dick rick rich",
        "daniel": "dan danny", "david": "dave", "steven": "steve", "stephen": "steve", "christopher": "chris",
        "matthew": "matt", "nicholas": "nick", "anthony": "tony", "edward": "ed ted eddie", "benjamin": "ben",
        "samuel": "sam", "alexander": "alex", "andrew": "andy drew", "patrick": "pat", "katherine": "kate kathy",
        "catherine": "kate cathy", "elizabeth": "liz beth betsy", "jennifer": "jen jenny", "susan": "sue",
        "deborah": "debbie deb", "barbara": "barb", "charles": "chuck charlie", "henry": "hank",
        "lawrence": "larry", "gerald": "jerry", "gregory": "greg", "jeffrey": "jeff", "kenneth": "ken",
        "ronald": "ron", "donald": "don", "douglas": "doug", "frederick": "fred", "eugene": "gene",
        "jonathan": "jon", "joshua": "josh", "kimberly": "kim", "mitchell": "mitch", "nathan": "nate",
        "peter": "pete", "philip": "phil", "raymond": "ray", "russell": "russ", "stanley": "stan",
        "walter": "walt", "zachary": "zach", "margaret": "maggie peggy", "rebecca": "becky",
        "victoria": "vicky", "theodore": "ted", "abraham": "abe", "albert": "al", "alan": "al",
        "leonard": "len", "vincent": "vince", "terrence": "terry", "terence": "terry", "bernard": "bernie",
    }.items()
    for nick in nicks.split()
}


def plain_name(form: str) -> str:
    """A full name without middle names and with the given name's full form ("jeff e. zients" ->
    "jeffrey zients"): how outlets' house styles differ, not what they call someone."""
    parts = form.split()
    if len(parts) < 2:
        return form
    return f"{_NICKNAMES.get(parts[0], parts[0])} {parts[-1]}"


def _same_given(x: str, y: str) -> bool:
    return x == y or _NICKNAMES.get(x) == y or _NICKNAMES.get(y) == x


def _same_person(a: str, b: str) -> bool:
    """Two full names that may be one person: same surname, same given name (or its short form),
    and the same middle names or their initials, or none on one side ("jacob j lew" / "jacob
    lew", "chuck grassley" / "charles e grassley", "raul r labrador" / "raul labrador").

    "george w bush" and "george h w bush" are not; "george bush" fits both, which is why
    :func:`resolve_entities` merges a name without middle names only into a single candidate.
    """
    ta, tb = a.split(), b.split()
    if a == b or len(ta) < 2 or len(tb) < 2 or ta[-1] != tb[-1] or not _same_given(ta[0], tb[0]):
        return a == b
    ma, mb = ta[1:-1], tb[1:-1]
    if not ma or not mb:
        return True
    return len(ma) == len(mb) and all(x[0] == y[0] and (x == y or min(len(x), len(y)) == 1) for x, y in zip(ma, mb, strict=True))


#: Labels the small spaCy model gives reliably enough to name an entity's type; the others
#: (PRODUCT, WORK_OF_ART, ...) are often wrong on unfamiliar names and only win when alone.
_STRONG = ("PERSON", "GPE", "LOC", "ORG", "NORP", "FAC")


def _majority_label(ms: Iterable[Mention]) -> str:
    counts = Counter(m.label for m in ms)
    strong = [(n, lab) for lab, n in counts.items() if lab in _STRONG]
    return max(strong)[1] if strong else counts.most_common(1)[0][0]


def resolve_entities(annotated: Sequence[AnnotatedArticle]) -> tuple[Entity, ...]:
    """Group every mention of every article into cross-article entities.

    Nodes are name keys, not (label, name): the small spaCy model calls one unfamiliar
    town ORG in one sentence and PERSON in the next, so labels only gate the person rules.
    """
    source_of = {a.id: a.article.source for a in annotated}
    by_node: dict[str, list[Mention]] = defaultdict(list)
    for a in annotated:
        for m in a.mentions:
            key = name_key(m.text)
            if key:
                by_node[key].append(m)
    fam = {k: family(_majority_label(ms)) for k, ms in by_node.items()}
    said_person = {k for k, ms in by_node.items() if any(m.label == "PERSON" for m in ms)}
    # A lone surname the small model calls ORG ("Zients said") in an article that names the
    # person in full ("Jeff Zients") is that person: articles introduce a person, then use the surname.
    full_surnames: dict[str, set[str]] = defaultdict(set)
    for k, ms in by_node.items():
        if len(k.split()) > 1 and fam[k] == "person":
            for m in ms:
                full_surnames[m.article_id].add(k.split()[-1])
    said_person |= {
        k
        for k, ms in by_node.items()
        if len(k.split()) == 1
        and fam[k] in ("person", "org")
        and any(k in full_surnames[m.article_id] for m in ms)
    }

    uf = _UnionFind()
    keys = sorted(by_node)
    for k in keys:
        uf.find(k)
    persons_full = [k for k in keys if len(k.split()) > 1 and fam[k] == "person"]
    # 0) full names of one person with and without a middle initial or a short given name;
    #    a name without middle names joins only when every name it fits is already one entity.
    plain = [k for k in persons_full if len(k.split()) == 2]
    middled = [k for k in persons_full if len(k.split()) > 2]
    for group in (middled, plain):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if _same_person(a, b):
                    uf.union(a, b)
    for k in plain:
        cands = [m for m in middled if _same_person(k, m)]
        if cands and len({uf.find(c) for c in cands}) == 1:
            uf.union(k, cands[0])
    for k in keys:
        if len(k.split()) != 1 or k not in said_person:
            continue
        # 1) surname -> the single full name ending with it ("marlow" -> "ines marlow"),
        #    or with a spelling variant of it, when exactly one entity fits.
        cands = [m for m in persons_full if m.split()[-1] == k] or [
            m for m in persons_full if _is_variant(m.split()[-1], k)
        ]
        if len({uf.find(c) for c in cands}) == 1 and cands:
            uf.union(k, cands[0])
    # 2) spelling variants of the same shape. Full person names only merge with persons.
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if (fam[a] == "person") != (fam[b] == "person") and len(a.split()) > 1:
                continue
            if _is_variant(a, b):
                uf.union(a, b)

    groups: dict[str, list[Mention]] = defaultdict(list)
    for k, ms in by_node.items():
        groups[uf.find(k)].extend(ms)
    entities = [_build(ms, source_of) for ms in groups.values()]
    entities.sort(key=lambda e: (-sum(len(n.evidence) for n in e.names), e.name))
    return tuple(entities)


def _build(ms: Iterable[Mention], source_of: dict[str, str]) -> Entity:
    ms = sorted(ms, key=lambda m: (m.article_id, m.start))
    # Canonical: the most frequent among the longest title-free forms.
    forms = Counter(m.text for m in ms)
    longest = max(len(name_key(t).split()) for t in forms)
    canon = max(
        (t for t in forms if len(name_key(t).split()) == longest),
        key=lambda t: (forms[t], -sum(w.rstrip(".").casefold() in TITLES for w in t.split()), t),
    )
    label = _majority_label(ms)
    if longest > 1:
        # The full name is labelled most reliably: the small model calls a bare "Hutchinson" ORG
        # in half the sentences that say "Asa Hutchinson" is a PERSON.
        full = _majority_label([m for m in ms if len(name_key(m.text).split()) == longest])
        if full in _STRONG:
            label = full
    per: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for m in ms:
        per[(source_of[m.article_id], m.text)].append(
            Evidence(m.article_id, m.sentence_index, m.start, m.end)
        )
    names = tuple(EntityName(src, name, tuple(evs)) for (src, name), evs in sorted(per.items()))
    eid = "E" + hashlib.sha1(f"{family(label)}|{name_key(canon)}".encode()).hexdigest()[:10]
    return Entity(eid, label, canon, names)


def entity_index(entities: Sequence[Entity]) -> dict[tuple[str, int], str]:
    """Map (article_id, mention start) -> entity id, so later stages can compare entities, not strings."""
    return {(ev.article_id, ev.start): e.id for e in entities for n in e.names for ev in n.evidence}


def entity_for_name(
    entities: Sequence[Entity], name: str | None, families: tuple[str, ...] = ("person", "org", "group")
) -> str | None:
    """The entity id whose names include ``name`` (by name key, surname or spelling variant), else None."""
    return EntityLookup(entities)(name, families)


class EntityLookup:
    """:func:`entity_for_name` over one story's entities, for many names.

    Each entity's name keys are computed once and each answer is kept: naming every quote's
    speaker by its entity otherwise re-keys every name of every entity per speaker.
    """

    def __init__(self, entities: Sequence[Entity]) -> None:
        self._entries = [
            (e.id, family(e.label), frozenset(k for n in e.names if (k := name_key(n.name)))) for e in entities
        ]
        self._cache: dict[tuple[str, tuple[str, ...]], str | None] = {}

    def __call__(
        self, name: str | None, families: tuple[str, ...] = ("person", "org", "group")
    ) -> str | None:
        if not name:
            return None
        if (name, families) not in self._cache:
            self._cache[(name, families)] = self._find(name_key(name), families)
        return self._cache[(name, families)]

    def _find(self, key: str, families: tuple[str, ...]) -> str | None:
        if not key:
            return None
        last = key.split()[-1:]
        exact, partial = [], []
        for eid, fam, keys in self._entries:
            if fam not in families:
                continue
            if key in keys:
                exact.append(eid)
            elif any(_is_variant(key, k) or k.split()[-1:] == last for k in keys):
                partial.append(eid)
        found = exact or partial
        return found[0] if len(set(found)) == 1 else None
