"""Who said what: direct quotes (in quote marks) and indirect ones (reported speech).

Rules over the spaCy parse the annotate stage already has, so quotes cost a few
milliseconds per article and no extra model:

- Direct quotes are found at character level (straight and curly double marks,
  paired per paragraph using the characters around each mark), because that is
  robust to odd mark counts where token pairing (textacy) gives up. A paragraph
  that opens a quote without closing it, followed by a paragraph that opens one
  again, is the news convention for a quote running over paragraphs: the parts
  form one chain with one speaker.
- A direct quote's speaker is the subject of the nearest speech verb outside any
  quote in the same paragraph ("A," he said, "B." gives both parts one speaker),
  or the object of "according to". Distance counts only unquoted characters.
- Indirect quotes are the clausal complement (``ccomp``) of a reporting verb, or
  the clause around "according to X". When that clause is mostly inside quote
  marks it is a direct quote and left to the direct rule; when a short quote sits
  inside a longer reported clause ('said Trump was "absolutely right"') the
  reported clause is the quote and the fragment is not repeated.
- Speakers are resolved within the article by :mod:`storyscope.annotate.speakers`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from storyscope.annotate.sentences import sentence_locator
from storyscope.annotate.speakers import PERSON_ROLE_NOUNS, PersonIndex, clean_name, word_set
from storyscope.records import Quote, Sentence

#: Verbs that introduce a direct quote (lemmas).
SPEECH_VERBS = word_set(
    "say tell add argue claim warn announce deny insist note state explain acknowledge suggest "
    "write tweet post declare assert contend maintain predict promise vow pledge admit concede "
    "confirm reveal recall remark reply respond answer ask urge complain caution emphasize "
    "emphasise stress observe testify allege agree demand charge counter quip joke continue "
    "shout scream yell exclaim whisper mutter told boast brag recount describe write tell "
    "proclaim retort lament concur comment report advise instruct order"
)
#: Verbs whose clausal complement is reported speech or a reported belief (indirect quotes).
REPORTING_VERBS = SPEECH_VERBS | word_set(
    "believe think feel know expect hope fear worry doubt estimate find conclude show indicate "
    "reckon guess assume imply signal hint speculate wonder learn hear read understand realize "
    "realise recognize recognise suspect accuse predict forecast project"
)
#: Verbs that quote someone's words for something ('called the plan "a disaster"', 'calling him
#: a "loser"', 'described it as "a work in progress"'): the quoted words are the subject's, however
#: short, where a short quoted word elsewhere is a scare quote.
NAMING_VERBS = word_set("call label dub brand term describe")
#: How far (in characters) the quoted words may follow their naming verb.
MAX_NAMING_GAP = 80
_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "they", "them", "their"})
#: "The reporter asks" is the one asking the person just named, not that person: these roles are
#: only resolved to someone introduced with them ("reporter Ana Ruiz ... the reporter said").
_ASKER_ROLES = word_set(
    "reporter interviewer journalist questioner cameraman photographer moderator host anchor heckler"
)
_FIRST_SECOND = frozenset({"i", "we", "you", "me", "us"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_AGE = re.compile(r"\d{1,3}-year-old$", re.IGNORECASE)
_WORD = re.compile(r"\w+")
#: Nouns that introduce someone's words after a colon ("His response: ...").
_RESPONSE_NOUNS = frozenset(["response", "reply", "answer", "retort", "rejoinder"])
_CLAUSE_STOPS = frozenset([";", "--", "\u2014", "\u2013", ":"])
_TITLE_STOP = word_set("a an and the of in on at for to with from by or")

# Tuned together on the PolNeAR *train* split (bench/bench_quotes.py reports dev):
#: a cue further than this many *unquoted* characters from a quote does not attribute it.
MAX_CUE_GAP = 160
#: a reported clause with at least this share of its characters inside quote marks is a direct quote.
DIRECT_SHARE = 0.6
#: fewer words than this in quote marks is a scare quote unless it is a whole utterance ("No," she said).
MIN_DIRECT_WORDS = 3
#: fewer words than this in a reported clause is not worth reporting ("said so").
MIN_INDIRECT_WORDS = 3


@dataclass(slots=True)
class _Segment:
    start: int  # content, without marks
    end: int
    para: int
    closed: bool
    chain: int = -1
    cue: _Cue | None = None
    dropped: bool = False


@dataclass(slots=True)
class _Cue:
    pos: int  # char offset of the cue word
    end: int
    lemma: str  # "say", "according to"
    speaker_tok: object  # spaCy Token
    anchor: object  # spaCy Token: the verb, or "according"


# --------------------------------------------------------------------------- quote marks


_MARKS = re.compile(r"''|``|[\"\u201c\u201d]")


def _mark_role(text: str, i: int, j: int) -> str:
    """'open', 'close' or '?' for the double quote mark at ``text[i:j]``, from its neighbours."""
    c = text[i:j]
    before = text[i - 1] if i > 0 else " "
    after = text[j] if j < len(text) else " "
    space_before = before.isspace() or before in "([{—–-/\u00a0"
    space_after = after.isspace() or after in ".,;:!?)]}—–-"
    if c in ("\u201c", "``"):
        return "close" if space_after and not space_before else "open"
    if c == "\u201d":
        return "open" if space_before and not space_after else "close"
    if space_before and not space_after:
        return "open"
    if space_after and not space_before:
        return "close"
    return "?"


def find_quote_segments(text: str) -> list[_Segment]:
    """Quoted spans per paragraph; unclosed ones run to the paragraph end.

    Marks: straight and curly double quotes, and the '' / `` pairs of some news
    archives. Never raises on unbalanced marks: a stray closing mark is ignored and
    a second opening mark while one is open restarts the quote there.
    """
    segs: list[_Segment] = []
    paras = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    for p, (ps, pe) in enumerate(paras):
        open_at: int | None = None
        for m in _MARKS.finditer(text, ps, pe):
            i = m.start()
            role = _mark_role(text, i, m.end())
            if role == "?":
                role = "close" if open_at is not None else "open"
            if role == "open":
                open_at = m.end()
            elif open_at is not None:
                if i > open_at:
                    segs.append(_Segment(open_at, i, p, True))
                open_at = None
        if open_at is not None and pe > open_at:
            segs.append(_Segment(open_at, pe, p, False))
    # Chain "unclosed paragraph" + "next paragraph opening with a quote".
    chain = 0
    for k, s in enumerate(segs):
        if s.chain < 0:
            s.chain = chain
            chain += 1
        if not s.closed and k + 1 < len(segs):
            nxt = segs[k + 1]
            ps = paras[nxt.para][0]
            lead = _MARKS.match(text, ps)
            if nxt.para == s.para + 1 and lead is not None and nxt.start == lead.end():
                nxt.chain = s.chain
    for s in segs:  # trim whitespace and a dangling comma from the content
        while s.start < s.end and text[s.start].isspace():
            s.start += 1
        while s.end > s.start and (text[s.end - 1].isspace() or text[s.end - 1] == ","):
            s.end -= 1
    return [s for s in segs if s.end > s.start]


# --------------------------------------------------------------------------- parse helpers


def _subject(verb):
    """The speaker token of a cue verb, following conj/advcl/xcomp up to a verb that has one."""
    v = verb
    for _ in range(4):
        for c in v.children:
            if c.dep_ == "nsubj" or c.dep_ == "expl":
                if c.dep_ == "expl":
                    return None
                if c.tag_ in ("WP", "WDT") and v.dep_ == "relcl":
                    return v.head  # "Ruiz, who said ..." -> Ruiz
                return c
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if v.dep_ in ("conj", "advcl", "xcomp") and v.head is not v:
            v = v.head
        else:
            return None
    return None


def _clause_chars(doc, lo: int, hi: int, ps: int, pe: int) -> tuple[int, int] | None:
    """Character span of tokens ``lo..hi``, kept inside the paragraph ``ps..pe``, without
    a leading "that" or edge punctuation (the parse may run a clause over a paragraph break)."""
    while lo < hi and (doc[lo].idx < ps or doc[lo].dep_ == "mark" or doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi > lo and (doc[hi].idx >= pe or doc[hi].is_punct or doc[hi].is_space):
        hi -= 1
    s, e = doc[lo].idx, doc[hi].idx + len(doc[hi])
    if s < ps or e > pe or e <= s:
        return None
    return s, e


def _trim_chars(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and (text[s].isspace() or text[s] in ",;:-\u2014"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:-\u2014."):
        e -= 1
    return (s, e) if e > s else None


def _in_paragraph(subj, verb, text: str):
    """The speaker token in the cue verb's own paragraph.

    The parse may run a sentence over a paragraph break when the paragraph before ends without
    a full stop ("... Kit Bond and Jim Talent\n\nRomney released a statement saying: ..."),
    and then gives the verb a subject from the previous paragraph. The speaker is then the
    first name or noun of the verb's paragraph that belongs to that subject's phrase, or none.
    """
    lo, hi = sorted((subj.idx, verb.idx))
    if "\n" not in text[lo:hi]:
        return subj
    para = text.rfind("\n", 0, verb.idx) + 1
    doc = subj.doc
    cands = [t for t in subj.subtree if para <= t.idx < verb.idx and t.pos_ in ("PROPN", "NOUN", "PRON")]
    if not cands:
        return None
    i = cands[0].i
    while doc[i].pos_ == "PROPN" and i + 1 < verb.i and doc[i + 1].pos_ == "PROPN":
        i += 1  # "Mitt Romney": the last word of the name heads it
    return doc[i]


def _speaker_bounds(tok) -> tuple[int, int]:
    """Character span of the speaker noun phrase, without appositions or relative clauses."""
    lo, hi = tok.i, tok.i
    for c in tok.children:
        if c.i < tok.i and c.dep_ in (
            "compound",
            "det",
            "amod",
            "poss",
            "nummod",
            "nmod",
            "case",
            "quantmod",
        ):
            lo = min(lo, c.left_edge.i)
        elif c.i > tok.i and (
            (c.dep_ == "prep" and c.lower_ in ("for", "of", "at", "from", "with"))
            or c.dep_ in ("case", "conj", "cc", "compound")
        ):
            hi = max(hi, c.right_edge.i)
    doc = tok.doc
    while hi > lo and doc[hi].is_punct and not (doc[hi].text == ")" and _opens(doc, lo, hi) > 0):
        hi -= 1
    while hi > tok.i and _opens(doc, lo, hi + 1) > 0:  # "... Counsel (OLC" -> "... Counsel"
        hi -= 1
    # The phrase stays in the speaker's paragraph (a parse may run over a paragraph break).
    while lo < tok.i and "\n" in doc.text[doc[lo].idx : tok.idx]:
        lo += 1
    while hi > tok.i and "\n" in doc.text[tok.idx : doc[hi].idx]:
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def _opens(doc, lo: int, hi: int) -> int:
    """Round brackets tokens ``lo..hi-1`` open and leave unclosed."""
    words = [t.text for t in doc[lo:hi]]
    return words.count("(") - words.count(")")


def _ent_span(tok) -> tuple[int, int]:
    doc = tok.doc
    s, e = tok.i, tok.i + 1
    if tok.ent_iob_ == "":
        return s, e
    while s > 0 and doc[s].ent_iob_ == "I":
        s -= 1
    while e < len(doc) and doc[e].ent_iob_ == "I":
        e += 1
    return s, e


class _Resolver:
    """Resolves speaker tokens to names, remembering the previous quote's speaker."""

    def __init__(self, doc, people: PersonIndex) -> None:
        self.doc = doc
        self.people = people
        self.prev: str | None = None
        self.prev_is_person = False

    def __call__(self, tok, surface: str, start: int) -> str:
        low = tok.lower_
        people = self.people
        if low in _PRONOUNS:
            if low in ("they", "them", "their"):
                return self.prev if self.prev and not self.prev_is_person else surface
            name = people.recent(start, low)
            if name is None and self.prev_is_person:
                name = self.prev
            return name or surface
        if low in _FIRST_SECOND:
            return surface
        if tok.ent_type_ == "PERSON" or (tok.pos_ == "PROPN" and people.is_known(tok.text)):
            s, e = _ent_span(tok) if tok.ent_type_ == "PERSON" else (tok.i, tok.i + 1)
            name = clean_name(self.doc[s:e].text)
            return people.canonical(name) if name else surface
        for c in tok.children:  # "the mayor, Tomas Brell, said"
            if c.dep_ == "appos" and (c.ent_type_ == "PERSON" or people.is_known(c.text)):
                s, e = _ent_span(c) if c.ent_type_ == "PERSON" else (c.i, c.i + 1)
                return people.canonical(clean_name(self.doc[s:e].text)) or surface
        for c in tok.subtree:  # "the mayor of Hoboken, Dawn Zimmer, said": the name hangs off "Hoboken"
            if c.dep_ == "appos" and c.ent_type_ == "PERSON" and start <= c.idx < start + len(surface):
                s, e = _ent_span(c)
                return people.canonical(clean_name(self.doc[s:e].text)) or surface
        age = _AGE.search(surface)
        if age or (tok.pos_ == "NOUN" and tok.tag_ == "NN"):
            definite = any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in tok.children)
            if definite:
                role = age.group(0).lower() if age else tok.lemma_.lower()
                name = people.by_role(role, start)
                # "the lawyer said" refers back to the last person; "the lawyer for the campaign"
                # describes someone, perhaps not named at all, and is not guessed.
                described = any(c.dep_ == "prep" for c in tok.children)
                if (
                    name is None
                    and not described
                    and role not in _ASKER_ROLES
                    and (age or role in PERSON_ROLE_NOUNS or people.has_role_noun(role))
                ):
                    name = people.recent(start)
                if name:
                    return name
        return surface

    def remember(self, speaker: str | None) -> None:
        self.prev = speaker
        self.prev_is_person = bool(speaker) and self.people.is_known(speaker or "")


# --------------------------------------------------------------------------- extraction


#: Headline kickers before a colon that name no speaker ("Exclusive: ...", "Watch: ...").
_KICKERS = word_set(
    "exclusive update updated breaking watch video photos photo analysis opinion editorial live poll "
    "factbox explainer correction note listen read review interview report timeline fact check"
)
#: Group nouns after a name that speak for it in a headline ("Clinton camp: ...", "Trump aides: ...").
_SPOKES_NOUNS = word_set(
    "camp campaign aide aides spokesman spokeswoman spokesperson official officials lawyer lawyers "
    "attorney attorneys ally allies adviser advisers advisor advisors"
)


def _headline_speaker(doc, tok, text: str, people: PersonIndex | None):
    """The speaker token of a 'Name: claim' line ("Trump: My plans aren't set in stone"), or None.

    The words before the colon open their line, number one to four, and are a name: capitalised
    and a proper noun, a named entity or a person the article names, optionally followed by a
    group noun that speaks for it ("Clinton camp:"). Kickers ("Exclusive:", "Watch:") are not.
    """
    line = text[text.rfind("\n", 0, tok.idx) + 1 : tok.idx].split()
    if not 0 < len(line) <= 4 or " ".join(line).lower() in _KICKERS or line[0].lower() in _KICKERS:
        return None
    last = doc[tok.i - 1]
    name_words = line
    if last.lower_ in _SPOKES_NOUNS and len(line) >= 2:
        name_words = line[:-1]
    if not all(w[:1].isupper() for w in name_words):
        return None
    name_tok = doc[tok.i - 1 - (len(line) - len(name_words))]
    is_name = (
        name_tok.pos_ == "PROPN"
        or name_tok.ent_type_ in ("PERSON", "ORG", "NORP")
        or (people is not None and people.is_known(name_tok.text))
    )
    return last if is_name else None


def _cues(doc, text: str, toks: list, in_quote: list[bool], people: PersonIndex | None = None) -> list[_Cue]:
    out: list[_Cue] = []
    for tok in toks:
        if in_quote[tok.i]:
            continue
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is not None and not in_quote[pobj.i]:
                out.append(_Cue(tok.idx, to.idx + 2, "according to", pobj, tok))
            continue
        if tok.text == ":" and tok.i > 0 and doc[tok.i - 1].lemma_.lower() in _RESPONSE_NOUNS:
            # 'His response: "..."': the answer is the possessor's, and after "X asked Trump" the
            # one who answers is the one asked, not the last subject.
            noun = doc[tok.i - 1]
            poss = next((c for c in noun.children if c.dep_ == "poss" and not in_quote[c.i]), None)
            if poss is not None:
                para = text.rfind("\n", 0, tok.idx) + 1
                asked = [
                    c
                    for t in doc[: noun.i]
                    if t.idx >= para and t.lemma_ == "ask" and not in_quote[t.i]
                    for c in t.children
                    if c.dep_ == "dobj" and c.pos_ == "PROPN"
                ]
                out.append(_Cue(tok.idx, tok.idx + 1, ":", asked[-1] if asked else poss, tok))
            continue
        if tok.text == ":" and tok.i > 0:
            # Headline/lead convention "Trump: My plans aren't set in stone" / 'HuffPollster: "..."'
            speaker = _headline_speaker(doc, tok, text, people)
            if speaker is not None and not in_quote[speaker.i]:
                out.append(_Cue(tok.idx, tok.idx + 1, ":", speaker, tok))
            continue
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in REPORTING_VERBS:
            continue
        subj = _subject(tok)
        if subj is not None and subj.ent_type_ in ("DATE", "TIME") and subj.lower_ != "old":
            subj = None  # "Tuesday said", "p.m. says": a misparse ("the 46-year-old said" is a person)
        if subj is None:
            subj = _name_before(doc, tok)
        if subj is not None:
            subj = _in_paragraph(subj, tok, text)
        if subj is not None and not in_quote[subj.i]:
            out.append(_Cue(tok.idx, tok.idx + len(tok), tok.lemma_.lower(), subj, tok))
    return out


def _name_before(doc, verb):
    """A person's name just before a verb the parse gave no subject, or None.

    "... his wife Hillary Clinton, former president Bill Clinton said his wife was ...": the
    parser makes "Bill Clinton" an apposition and leaves "said" without a subject; the person
    named right before the verb is who said it.
    """
    i = verb.i - 1
    while i > 0 and doc[i].ent_type_ in ("DATE", "TIME"):
        i -= 1  # "Broaddrick Sunday night recounted"
    prev = doc[i] if i >= 0 else None
    if prev is None or prev.ent_type_ != "PERSON" or prev.pos_ != "PROPN" or prev.dep_ == "poss":
        return None
    if verb.i + 1 < len(doc) and doc[verb.i + 1].ent_type_ == "PERSON":
        return None  # '"...," said Bill Clinton': the inverted subject follows
    return prev


def _naming_cue(doc, seg: _Segment, in_quote: list[bool], text: str) -> _Cue | None:
    """The naming verb whose complement the quoted words are ('Bush called Trump "unhinged."'), or None.

    The verb must come before the quote in the same sentence, have a subject outside quote marks
    (an active one, or a passive's "by" agent), and not be "call for", "call on" and the like;
    "describe" needs "as" ('described it as "..."'). Only the first verb above the quote counts
    ('calling the deal fair and saying he had "no interest"' quotes what he said, not what he
    called). A title after a naming verb ('a book called "The Art of the Deal"' has no subject)
    is not a quote.
    """
    span = doc.char_span(seg.start, seg.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    lo, hi = span[0].i, span[-1].i
    for tok in span:
        node = tok
        for _ in range(4):
            if node.head is node or (lo <= node.head.i <= hi and node is not tok):
                break
            node = node.head
            if lo <= node.i <= hi:
                continue
            if node.pos_ in ("VERB", "AUX") and node.lemma_.lower() not in NAMING_VERBS:
                return None  # the quote hangs on another verb ('calling it fair and saying "..."')
            if node.pos_ == "VERB" and not in_quote[node.i]:
                between = text[node.idx + len(node) : seg.start]
                if (
                    node.idx >= seg.start
                    or len(between) > MAX_NAMING_GAP
                    or any(c in between for c in ".!?\n;")
                    or any(  # "called for", "called on X to": a particle before the quote
                        c.dep_ in ("prep", "prt") and c.lower_ in ("for", "on", "off", "up", "out")
                        for c in node.children
                        if node.i < c.i and c.idx < seg.start
                    )
                    or (node.lemma_.lower() == "describe" and not re.search(r"\bas\b", between))
                ):
                    return None
                subj = _subject(node)
                if subj is not None:
                    subj = _in_paragraph(subj, node, text)
                if subj is None or in_quote[subj.i]:
                    return None
                return _Cue(node.idx, node.idx + len(node), node.lemma_.lower(), subj, node)
        if tok.head.i < lo or tok.head.i > hi:
            break  # the quote's own head leads nowhere: its other words will not either
    return None


def _names_in(speaker: str | None, content: str) -> bool:
    """Whether quoted words name the speaker by surname ('"Etheridge has lost it"'): then they are
    someone else's words about that speaker, not more of what the speaker said."""
    words = _WORD.findall(speaker or "")
    if len(words) < 2 or not words[-1][:1].isupper():
        return False
    return re.search(rf"\b{re.escape(words[-1])}\b", content) is not None


def _is_scare_or_title(content: str, before: str) -> bool:
    """Scare quotes, titles and quoted fragments are not quotes of their own.

    ``before`` is the text of the paragraph before the opening mark: a short quote
    is only a quote when it is a whole utterance ('"No," she said.'), i.e. it opens
    the paragraph or a sentence and keeps its own closing punctuation.
    """
    words = _WORD.findall(content)
    if not words:
        return True
    if len(words) < MIN_DIRECT_WORDS:
        tail = before.rstrip().rstrip("\"\u201c\u201d'`").rstrip()
        starts_utterance = not tail or tail[-1] in ".!?:"
        cut_off = content.rstrip().endswith(("...", "\u2026"))  # "After..." breaks off; "No." is whole
        return not (starts_utterance and content[-1] in ".!?," and not cut_off)
    if len(words) <= 6:
        return all(w[0].isupper() or w.lower() in _TITLE_STOP or w.isdigit() for w in words)
    return False


def extract_quotes(
    doc, sentences: Sequence[Sentence], article_id: str, *, text: str | None = None
) -> tuple[Quote, ...]:
    """Direct and indirect quotes of one article, each with its (resolved) speaker.

    ``text`` is ``doc.text`` when the caller has it (spaCy rebuilds ``doc.text`` from every token).
    """
    text = doc.text if text is None else text
    if not text.strip():
        return ()
    segs = find_quote_segments(text)
    # Per-character "inside quote content" prefix sums and per-token flags.
    cover = [0] * (len(text) + 1)
    for s in segs:
        cover[s.start] += 1
        cover[s.end] -= 1
    running = list(accumulate(cover))
    quoted = [1 if v > 0 else 0 for v in running[:-1]]
    prefix = [0, *accumulate(quoted)]
    toks = list(doc)
    in_quote = [bool(quoted[t.idx]) for t in toks]

    def unquoted_between(a: int, b: int) -> int:
        a, b = min(a, b), max(a, b)
        return (b - a) - (prefix[b] - prefix[a])

    def quoted_share(a: int, b: int) -> float:
        return (prefix[b] - prefix[a]) / max(1, b - a)

    sent_at = sentence_locator(sentences)

    people = PersonIndex(doc, toks, in_quote, REPORTING_VERBS)
    cues = _cues(doc, text, toks, in_quote, people)
    resolve = _Resolver(doc, people)
    para_starts = [m.start() for m in re.finditer(r"[^\n]+", text)]
    cue_paras = [bisect.bisect_right(para_starts, c.pos) - 1 for c in cues]

    # --- indirect candidates (needed first: they absorb short quotes inside them)
    indirect: list[tuple[int, int, _Cue]] = []
    for cue, cp in zip(cues, cue_paras, strict=True):
        ps = para_starts[cp]
        pe = text.find("\n", ps)
        pe = len(text) if pe < 0 else pe
        if cue.lemma == ":":  # the rest of the sentence after "Name:"
            sent = sentences[sent_at(cue.pos)] if sentences else None
            end = min(pe, sent.end) if sent and sent.end > cue.end else pe
            span = _trim_chars(text, cue.end, end)
            if span:
                indirect.append((*span, cue))
        elif cue.lemma != "according to":
            verb = cue.anchor
            # A clause before the cue is what it reports only across a comma ('X, he said'): across
            # a semicolon or a dash it is the writer's own sentence ("Officers stood watch; one
            # warned photographers ...", "X -- he said it's important").
            comps = [
                c
                for c in verb.children
                if c.dep_ == "ccomp"
                and not (c.i < verb.i and any(t.text in _CLAUSE_STOPS for t in doc[c.right_edge.i + 1 : verb.i]))
            ]
            for comp in comps:
                span = _clause_chars(doc, comp.left_edge.i, comp.right_edge.i, ps, pe)
                if span:
                    indirect.append((*span, cue))
            if not comps and verb.dep_ == "parataxis":
                # "The hashtag, he said, was even more popular": the clause around the cue,
                # as two parts with one speaker (like a split quote)
                head = verb.head
                for a, b in (
                    (head.left_edge.i, verb.left_edge.i - 1),
                    (verb.right_edge.i + 1, head.right_edge.i),
                ):
                    span = _clause_chars(doc, a, b, ps, pe) if b >= a else None
                    if span:
                        indirect.append((*span, cue))
        else:  # "according to X": the clause around it, on the side that holds more of it
            acc = cue.anchor
            root = acc
            while root.head is not root and root.dep_ != "ROOT":
                root = root.head
            lo, hi = root.left_edge.i, root.right_edge.i
            left = (lo, acc.i - 1)
            right = (cue.speaker_tok.right_edge.i + 1, hi)
            a, b = max((left, right), key=lambda r: r[1] - r[0])
            span = _clause_chars(doc, a, b, ps, pe) if b >= a else None
            if span:
                indirect.append((*span, cue))

    kept_indirect: list[tuple[int, int, _Cue]] = []
    for s, e, cue in indirect:
        if e <= s or len(_WORD.findall(text[s:e])) < MIN_INDIRECT_WORDS:
            continue
        if quoted_share(s, e) >= DIRECT_SHARE:
            continue  # a direct quote: handled (with this cue) below
        kept_indirect.append((s, e, cue))
        for seg in segs:  # a quoted fragment inside a reported clause is part of it
            if seg.start >= s and seg.end <= e:
                seg.dropped = True

    # --- direct quotes: nearest cue in the paragraph, by unquoted distance
    for seg in segs:
        if seg.dropped:
            continue
        best, best_gap = None, MAX_CUE_GAP + 1
        for cue, cp in zip(cues, cue_paras, strict=True):
            if cp != seg.para:
                continue
            gap = unquoted_between(cue.pos, seg.start if cue.pos < seg.start else seg.end)
            if gap < best_gap:
                best, best_gap = cue, gap
        seg.cue = best
    chain_cue: dict[int, _Cue] = {}
    for seg in segs:
        if seg.cue is not None and not seg.dropped:
            chain_cue.setdefault(seg.chain, seg.cue)

    items: list[tuple[int, int, str, _Cue | None]] = []
    for seg in segs:
        if seg.dropped:
            continue
        cue = seg.cue or chain_cue.get(seg.chain)
        content = text[seg.start : seg.end]
        para_start = para_starts[seg.para]
        naming = _naming_cue(doc, seg, in_quote, text)
        if naming is not None:
            words = _WORD.findall(content)
            if len(words) < 2 or not all(w[0].isupper() or w.lower() in _TITLE_STOP for w in words):
                items.append((seg.start, seg.end, "direct", naming))
            continue
        if _is_scare_or_title(content, text[para_start : seg.start]):
            continue
        if cue is None and len(_WORD.findall(content)) < 5:
            continue
        items.append((seg.start, seg.end, "direct", cue))
    items.extend((s, e, "indirect", cue) for s, e, cue in kept_indirect)
    items.sort(key=lambda x: (x[0], x[1]))

    out: list[Quote] = []
    last: tuple[int, str, _Cue] | None = (
        None  # (paragraph of its end, speaker, cue) of the last attributed quote
    )
    for s, e, kind, cue in items:
        if (
            cue is None
            and last is not None
            and last[0] >= bisect.bisect_right(para_starts, s) - 2
            and not _names_in(last[1], text[s:e])
        ):
            cue = last[2]  # an unattributed quote paragraph continues the last speaker
        speaker = speaker_text = cue_word = None
        sp_start = sp_end = None
        if cue is not None:
            sp_start, sp_end = _speaker_bounds(cue.speaker_tok)
            speaker_text = text[sp_start:sp_end]
            speaker = resolve(cue.speaker_tok, speaker_text, sp_start)
            cue_word = cue.lemma
            resolve.remember(speaker)
            last = (bisect.bisect_right(para_starts, max(s, e - 1)) - 1, speaker, cue)
        out.append(
            Quote(
                article_id=article_id,
                sentence_index=sent_at(s),
                start=s,
                end=e,
                content=text[s:e],
                kind=kind,  # type: ignore[arg-type]
                speaker=speaker,
                speaker_text=speaker_text,
                speaker_start=sp_start,
                speaker_end=sp_end,
                cue=cue_word,
            )
        )
    return tuple(out)
