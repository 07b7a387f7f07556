"""Who a speaker mention refers to, within one article: names, titles, roles, pronouns.

News introduces a person once in full ("Foreign Minister Ana Ruiz", "Ana Ruiz, the
minister,") and then refers back with a surname ("Ruiz", "Ms. Ruiz"), a role ("the
minister", "the top diplomat", "the 54-year-old") or a pronoun. :class:`PersonIndex`
reads that introduction from the spaCy parse once per article, so resolving a mention
is a few dictionary look-ups: no coreference model, which would cost more than the
whole annotate stage.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass


def word_set(text: str) -> frozenset[str]:
    """A frozen set from space-separated words (long word lists read better as text)."""
    return frozenset(text.split())


#: Honorifics and titles that may precede a name; dropped when comparing names.
HONORIFICS = word_set(
    "mr mrs ms miss dr sir dame lord lady prof professor rev president vice sen senator rep "
    "representative gov governor gen general lt col colonel maj major capt captain adm admiral "
    "sgt judge justice mayor minister chancellor secretary prime king queen prince princess "
    "sheikh pope cardinal bishop chief commissioner ambassador director speaker leader former "
    "retired acting deputy foreign interior defense defence finance st"
)
_MALE = frozenset({"mr", "sir", "lord", "king", "prince"})
_FEMALE = frozenset({"mrs", "ms", "miss", "dame", "lady", "queen", "princess"})

#: Nouns that denote a person by role: a definite "the <noun>" can refer back to a named person.
PERSON_ROLE_NOUNS = word_set(
    "minister president spokesperson spokesman spokeswoman official diplomat lawyer attorney "
    "senator governor mayor chief leader secretary chancellor ambassador director manager "
    "candidate nominee congressman congresswoman lawmaker legislator representative judge "
    "justice prosecutor detective officer commissioner general commander adviser advisor aide "
    "analyst economist expert scientist researcher professor doctor physician author writer "
    "executive founder chairman chairwoman chair ceo head premier king queen prince pope father "
    "mother wife husband son daughter brother sister man woman boy girl businessman billionaire "
    "actor actress singer player coach captain witness victim survivor resident owner driver "
    "pilot activist campaigner organizer organiser protester critic supporter candidate "
    "surrogate strategist pollster veteran republican democrat politician rapper star host "
    "anchor journalist reporter editor columnist correspondent student teacher farmer worker "
    "employee chef neighbour neighbor friend mogul tycoon incumbent challenger ex-president "
    "ex-minister spokesperson"
)
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}


def _words(name: str) -> list[str]:
    return [w for w in re.findall(r"[\w'’.-]+", name) if w.strip(".")]


def clean_name(text: str) -> str:
    """A person's name without leading honorifics/titles and possessive: 'Ms. Ruiz' -> 'Ruiz'."""
    text = re.sub(r"['’]s?$", "", text.strip())
    words = text.split()
    while len(words) > 1 and words[0].lower().strip(".") in HONORIFICS:
        words = words[1:]
    return " ".join(words).strip(" ,")


@dataclass(slots=True)
class _Person:
    start: int  # char offset of this mention
    name: str  # canonical full name
    subject: bool  # the mention is a clause subject (likelier antecedent of a pronoun)


def _in_reported_clause(tok, reporting_verbs: frozenset[str]) -> bool:
    """Whether ``tok`` opens what someone is reported to say ("He said [Ruiz would win]").

    A subject there is the topic of the speech, not of the story: in "He said Ruiz would win.
    'We will,' he added." the second "he" is still the first speaker, not Ruiz. Only a subject
    a few words after its reporting verb counts: the small parser also hangs whole sentences
    (and clauses before the verb, "Ruiz agreed -- he said ...") under a "said" as ccomp.
    """
    cur = tok
    for _ in range(3):
        head = cur.head
        if head.i == cur.i:
            return False
        if cur.dep_ == "ccomp" and head.lemma_.lower() in reporting_verbs:
            between = tok.doc[head.i + 1 : tok.i]
            return 0 < tok.i - head.i <= _REPORTED_SUBJECT_GAP and not any(t.is_sent_end for t in between)
        cur = head
    return False


#: Most tokens between a reporting verb and the subject of what is reported ("said on Tuesday that the").
_REPORTED_SUBJECT_GAP = 8


class PersonIndex:
    """People named in one article, with their titles, roles and gender hints."""

    def __init__(
        self, doc, toks: list, in_quote: list[bool], reporting_verbs: frozenset[str] = frozenset()
    ) -> None:
        """``toks`` is ``list(doc)``: walking a Doc creates Token objects, so it is done once.

        A name that is the subject inside the complement of one of ``reporting_verbs`` (lemmas)
        does not count as a subject when resolving pronouns (see :func:`_in_reported_clause`).
        """
        self._full: list[str] = []  # multi-word names in order of first appearance
        self._short: dict[str, str] = {}  # surname / first name -> first full name using it
        self._roles: dict[str, list[tuple[int, str]]] = {}
        self._gender: dict[str, str] = {}
        self.mentions: list[_Person] = []
        spans = []  # PERSON entity token ranges, from the IOB tags (doc.ents is slow to build)
        for tok in toks:
            if tok.ent_iob_ == "B" and tok.ent_type_ == "PERSON":
                e = tok.i + 1
                while e < len(toks) and toks[e].ent_iob_ == "I":
                    e += 1
                spans.append((tok.i, e))
            elif (
                tok.dep_ == "nsubj"
                and tok.pos_ == "PROPN"
                and not tok.ent_type_
                and tok.i > 0
                and toks[tok.i - 1].pos_ == "PROPN"
                and toks[tok.i - 1].dep_ == "compound"
                and not toks[tok.i - 1].ent_type_
            ):
                # "Ana Ruiz said": a two-word proper-noun subject the model left untagged
                # is almost always a person in news.
                spans.append((tok.i - 1, tok.i + 1))
        for s, e in spans:
            name = clean_name(doc[s:e].text)
            words = _words(name)
            if len(words) >= 2 and name not in self._full:
                self._full.append(name)
                self._short.setdefault(words[-1].lower(), name)
        for name in self._full:  # first names only after every surname
            self._short.setdefault(_words(name)[0].lower(), name)
        # Every name head outside quotes: PERSON entities, and proper nouns that repeat a
        # known person's surname (the small model often labels a lone surname ORG or GPE).
        by_root = {}
        for s, e in spans:
            by_root[doc[s:e].root.i] = (s, e)
        for tok in toks:
            if in_quote[tok.i] or tok.pos_ != "PROPN" or tok.dep_ == "compound":
                continue
            if tok.i in by_root:
                span = doc[by_root[tok.i][0] : by_root[tok.i][1]]
            elif tok.text.lower() in self._short:
                span = doc[tok.i : tok.i + 1]
            else:
                continue
            name = self.canonical(clean_name(span.text))
            if not name:
                continue
            subject = tok.dep_ in ("nsubj", "nsubjpass") and not _in_reported_clause(tok, reporting_verbs)
            self.mentions.append(_Person(span.start_char, name, subject))
            self._read_titles(doc, span, name)
        self._starts = [m.start for m in self.mentions]

    # -- building
    def _add_role(self, word: str, start: int, name: str) -> None:
        self._roles.setdefault(word.lower(), []).append((start, name))

    def _read_titles(self, doc, ent, name: str) -> None:
        """Titles before the name ('Foreign Minister', 'Ms.') and appositions ('Ruiz, the minister,')."""
        i = ent.start - 1
        steps = 0
        while i >= 0 and steps < 6:
            tok = doc[i]
            low = tok.text.lower().strip(".")
            if low in _MALE or low in _FEMALE:
                self._gender.setdefault(name, "m" if low in _MALE else "f")
            if tok.pos_ in ("NOUN", "PROPN", "ADJ") or low in HONORIFICS:
                if tok.pos_ in ("NOUN", "PROPN") or low in HONORIFICS:
                    self._add_role(tok.lemma_, ent.start_char, name)
            elif not (tok.text == "." or (tok.pos_ == "ADP" and tok.text == "of")):
                break
            i -= 1
            steps += 1
        root = ent.root
        for child in root.children:
            if child.dep_ == "appos":
                self._add_role(child.lemma_, ent.start_char, name)
                if child.like_num:  # "Ana Ruiz, 54," -> "the 54-year-old"
                    self._add_role(f"{child.text}-year-old", ent.start_char, name)
        # "the minister, Ana Ruiz," : the name is the apposition of a role noun
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            self._add_role(root.head.lemma_, ent.start_char, name)

    # -- resolving
    def canonical(self, name: str) -> str:
        """The full form of a name seen in the article ('Ruiz' -> 'Ana Ruiz')."""
        words = _words(name)
        if len(words) != 1:
            return name
        return self._short.get(words[0].lower(), name)

    def is_known(self, name: str) -> bool:
        return self.canonical(name) in self._full

    def by_role(self, head: str, before: int) -> str | None:
        """The person most recently introduced with this title or apposition, before ``before``."""
        cands = [n for s, n in self._roles.get(head.lower(), ()) if s < before]
        return cands[-1] if cands else None

    def has_role_noun(self, head: str) -> bool:
        return head.lower() in self._roles

    def recent(self, before: int, pronoun: str = "", window: int = 600) -> str | None:
        """The most recent compatible person before ``before`` (subjects first, within a window)."""
        want = _PRONOUN_GENDER.get(pronoun.lower())
        k = bisect.bisect_left(self._starts, before)
        fallback = None
        for m in reversed(self.mentions[:k]):
            g = self._gender.get(m.name)
            if want and g and g != want:
                continue
            if fallback is None:
                fallback = m.name
            if m.subject and before - m.start <= window:
                return m.name
        return fallback
