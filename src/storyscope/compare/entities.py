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
    """mr mrs ms miss dr prof sir dame lord lady president vice governor gov mayor minister secretary senator
    sen rep representative congressman congresswoman chancellor premier prime chief judge justice general gen
    colonel col captain capt commander lieutenant lt sergeant sgt officer inspector superintendent director
    ambassador king queen prince princess pope bishop father rev reverend sheikh foreign interior defence
    defense finance health deputy acting former chairman chairwoman chair ceo spokesman spokeswoman spokesperson
    councillor councilor commissioner professor""".split()
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


def name_key(text: str) -> str:
    """The comparable form of a name: accents folded, titles and punctuation removed."""
    words = re.findall(r"[\w'\-]+", _fold(text))
    while len(words) > 1 and words[0].rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(w.strip("'-") for w in words if w.strip("'-"))


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


def resolve_entities(annotated: Sequence[AnnotatedArticle]) -> tuple[Entity, ...]:
    """Group every mention of every article into cross-article entities."""
    source_of = {a.id: a.article.source for a in annotated}
    mentions: list[Mention] = [m for a in annotated for m in a.mentions]
    # Nodes are (family, name key); mentions hang off nodes.
    by_node: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        key = name_key(m.text)
        if key:
            by_node[(family(m.label), key)].append(m)

    uf = _UnionFind()
    node_id = {node: f"{node[0]}|{node[1]}" for node in by_node}
    for nid in node_id.values():
        uf.find(nid)
    by_family: dict[str, list[str]] = defaultdict(list)
    for fam, key in by_node:
        by_family[fam].append(key)

    for fam, keys in by_family.items():
        keys = sorted(keys)
        # 1) surname / partial name -> the single longer name that ends with it (persons) or contains it.
        multi = [k for k in keys if len(k.split()) > 1]
        for k in keys:
            if len(k.split()) != 1:
                continue
            if fam == "person":
                cands = [m for m in multi if m.split()[-1] == k]
            else:
                cands = []
            if len(cands) == 1:
                uf.union(node_id[(fam, k)], node_id[(fam, cands[0])])
        # 2) spelling variants of the same shape
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if _is_variant(a, b):
                    uf.union(node_id[(fam, a)], node_id[(fam, b)])
        # 3) person surnames that are spelling variants of a known full name's surname
        if fam == "person":
            for k in keys:
                if len(k.split()) != 1:
                    continue
                cands = [m for m in multi if _is_variant(m.split()[-1], k)]
                if len({uf.find(node_id[(fam, c)]) for c in cands}) == 1 and cands:
                    uf.union(node_id[(fam, k)], node_id[(fam, cands[0])])

    groups: dict[str, list[Mention]] = defaultdict(list)
    for node, ms in by_node.items():
        groups[uf.find(node_id[node])].extend(ms)
    entities = [_build(ms, source_of) for ms in groups.values()]
    entities.sort(key=lambda e: (-sum(len(n.evidence) for n in e.names), e.name))
    return tuple(entities)


def _build(ms: Iterable[Mention], source_of: dict[str, str]) -> Entity:
    ms = sorted(ms, key=lambda m: (m.article_id, m.start))
    label = Counter(m.label for m in ms).most_common(1)[0][0]
    # Canonical: the most frequent among the longest title-free forms.
    forms = Counter(m.text for m in ms)
    longest = max(len(name_key(t).split()) for t in forms)
    canon = max(
        (t for t in forms if len(name_key(t).split()) == longest),
        key=lambda t: (forms[t], -sum(w.rstrip(".").casefold() in TITLES for w in t.split()), t),
    )
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


def entity_for_name(entities: Sequence[Entity], name: str | None, label_family: str = "person") -> str | None:
    """The entity id whose names include ``name`` (by name key, surname or spelling variant), else None."""
    if not name:
        return None
    key = name_key(name)
    if not key:
        return None
    exact, partial = [], []
    for e in entities:
        if family(e.label) != label_family:
            continue
        keys = {name_key(n.name) for n in e.names}
        if key in keys:
            exact.append(e.id)
        elif any(_is_variant(key, k) or k.split()[-1:] == key.split()[-1:] for k in keys):
            partial.append(e.id)
    found = exact or partial
    return found[0] if len(set(found)) == 1 else None
