"""Quotations, reported speech and who said it.

A sentence is read as tokens. Speech cues ("said", "claimed", "according to", "adding") outside
quotation marks are found first; each cue then looks for its speaker:

* before it, as the subject: "Kremlin spokesman Dmitry Peskov said", "France for its part
  condemned", "İsmail Demir, head of ..., an affiliate of ..., declared" (appositions skipped);
* after it, when inverted or a source: "said Peskov", "according to AP";
* through "who": "spokesman Vagif Dargyakhly, who said";
* through a pronoun: "He said" is the last person quoted (in this sentence, else before);
* a participle ("adding:", "calling for", "after accusing him") shares the speaker of the clause.

A speaker phrase is then reduced to a name: titles and roles go ("Defense Minister Army General
Sergei Shoigu" -> "Sergei Shoigu"), institutions stay ("the Armenian Foreign Ministry" ->
"Armenian Foreign Ministry", "Reuters news agency" -> "Reuters", "Russia's TASS news agency" ->
"TASS"), unnamed sources stay as written ("Azerbaijani officials", "a source").

Each quotation belongs to the nearest cue before it, or failing that the nearest after it
("“...,” Peskov said"). The claim's speaker is the speaker of its first real quotation (three
words or more), else of its first reported speech.
"""

# ruff: noqa: RUF001 - curly quotes, apostrophes and dashes are the text this module reads
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Final

from claims.extraction.lexicon import CAPITALISED_FUNCTION_WORDS, COUNTRY_OF, word_set

_CUE_WORDS = word_set(
    """said says say told tells added adds declared declares stated announced announces wrote
    writes tweeted posted claimed claims accused accuses denied denies insisted insists
    warned warns noted notes argued argues reported reports confirmed confirms alleged alleges
    asserted asserts explained explains stressed stresses emphasized emphasised emphasizes
    emphasises urged urges called condemned condemns criticised criticized criticises
    criticizes described describes acknowledged acknowledges admitted admits replied replies
    responded responds vowed vows promised promises pledged pledges threatened threatens
    suggested suggests predicted predicts estimated estimates revealed reveals disclosed
    discloses blamed blames implied implies demanded demands asked asks maintained maintains
    recalled recalls observed announcing adding saying declaring stating claiming accusing
    denying insisting warning noting arguing reporting confirming alleging asserting
    explaining stressing emphasizing emphasising urging calling condemning criticising
    criticizing describing acknowledging admitting replying responding vowing promising
    pledging threatening suggesting predicting estimating revealing blaming implying
    demanding asking writing tweeting telling reiterated reiterating concluded countered
    continued exclaimed shouted yelled joked conceded boasted lamented complained remarked
    commented testified retorted answered interjected cautioned quipped"""
)
# Verbs that report a finding or a position only with "that" or a colon after them ("a poll
# shows that", "the study found that", "he agreed that"), never with a plain object ("police
# found the body", "the video shows a crowd").
_NEEDS_THAT = word_set(
    """show shows showed showing shown find finds found cited cites indicated indicates
    mentioned agreed agrees believes believe believed charges charged contends contended"""
)
_CUE_WORDS = _CUE_WORDS | _NEEDS_THAT
_CUE_WORDS_AND_ACCORDING = _CUE_WORDS | {"according"}
# Verbs that are speech only with a complement ("reported that", "noted:"), not with a plain
# object ("reported 33,000 cases", "called a meeting").
_NEEDS_COMPLEMENT = word_set(
    """reported reports reporting called calls calling noted notes noting observed posted
    revealed reveals disclosed discloses estimated estimates predicted predicts suggested
    suggests acknowledged acknowledges admitted admits recalled recalls promised promises
    pledged pledges threatened threatens vowed vows demanded demands explained explains
    stressed stresses emphasized emphasised emphasizes emphasises maintained maintains
    argued argues asked asks described describes warned warns"""
)
_COMPLEMENT_WORDS = word_set(
    """that : , “ " « whether if how why what when where to for on upon about this these his
    her their its them him it"""
)
# "declared independence", "declared war": an act, not speech.
_NOT_SPEECH_OBJECT = word_set(
    """independence war victory bankruptcy martial emergency neutrality sovereignty a an itself
    himself herself off up"""
)
_PROGRESSIVE = word_set("was is were are been be")
_PARTICIPLE_AFTER = word_set(", : ; after before while by when without and — – - upon")
# Cues that report a claim by their nature, even when a quotation follows.
_REPORTING = word_set(
    """claimed claims accused accuses denied denies alleged alleges reported reports confirmed
    confirms claiming accusing denying alleging reporting confirming blamed blames blaming
    according"""
)
_TIME_WORDS = word_set("on in at last this late early also again earlier later")
_DAYS = word_set(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday twitter"""
)
# "He's claiming", "they're saying": a pronoun fused with its auxiliary.
_CONTRACTED = {
    pronoun + apostrophe + ending: pronoun
    for pronoun, endings in (("he", "s d"), ("she", "s d"), ("it", "s"), ("they", "re ve d"))
    for ending in endings.split()
    for apostrophe in "’'"
}
_PRONOUNS = {"he": "person", "she": "person", "it": "institution", "they": "any", "we": "any"}
# Between a subject and its verb: "also", "has", "for its part".
_SKIP_BEFORE_CUE = word_set(
    """also has have had was were is are will would could later previously repeatedly again
    then reportedly once first both all further publicly officially recently earlier already
    separately quickly further initially subsequently still too himself herself itself
    themselves allegedly apparently effectively directly explicitly openly angrily this past
    last week month year weekend monday tuesday wednesday thursday friday saturday sunday
    yesterday today morning afternoon evening night"""
)
_ROLES = word_set(
    """president vice minister ministers secretary secretary-general spokesman spokeswoman
    spokesperson spokespeople official officials general gen chief head commander leader
    leaders chairman chairwoman chair co-chair co-chairs director ambassador envoy governor
    mayor senator sen rep gov representative congressman congresswoman deputy prime chancellor
    king queen prince emir sheikh pope premier mr mrs ms dr prof colonel col lieutenant lt
    major maj captain capt sergeant sgt admiral adm marshal analyst expert lawyer attorney
    professor researcher correspondent reporter editor founder ceo executive manager
    candidate nominee adviser advisor aide state judge justice counsel coordinator
    representative sources source witnesses witness residents police authorities strategist
    pollster economist author columnist host anchor member members vice-president rabbi imam
    bishop cardinal general-secretary mp mps lawmaker lawmakers legislator legislators"""
)
_TITLES = word_set("mr mrs ms dr prof sen rep gov gen col lt sgt capt")
_SURNAME_ROLES = word_set(
    "king queen prince major judge marshal bishop cardinal pope chancellor sheikh chief head"
)
# Words after a name that only describe it: "Reuters news agency", "the Post newspaper".
_DESCRIPTORS = word_set(
    """news agency newspaper daily weekly channel television tv radio broadcaster outlet
    magazine service wire network paper tabloid"""
)
# Lower-case words that may sit inside a named body: "the opposition Republican People's Party".
_NP_LOWER_OK = word_set("opposition ruling local state former acting outgoing")
_CONNECTORS = word_set("""of for and the de da del der van von al el bin ibn la le in on & y""")
_INSTITUTION_WORDS = word_set(
    """ministry ministries department office agency council committee party group commission
    government parliament assembly court army police service services foundation institute
    university bank fund organization organisation union times post news journal press
    associated reuters ap afp tass bbc cnn nato un eu kremlin pentagon white house senate
    congress presidency administration campaign company corporation inc corp network channel
    command forces military navy coalition alliance federation league center centre board
    authority bureau secretariat cabinet embassy mission tribune herald guardian telegraph
    gazette globe daily monitor site website web"""
)
_DETERMINERS = word_set(
    "the a an many some most several all top both two three four few other another its his her "
    "their our this these those each every"
)
# Words that cannot end a speaker phrase ("people who watched the debate said").
_NOT_A_HEAD = word_set(
    """that and but while as said says who which what when where if because also not never
    he she it they we i you him her them us me is are was were be been has have had do does
    did will would can could should may might must to of in on at for from with by than then
    so there here this these those very just only also"""
)
# Group nouns that make an unnamed source: "officials said", "a source said".
_GROUP_NOUNS = word_set(
    """officials official sources source police authorities witnesses witness residents experts
    analysts reports report observers diplomats critics aides spokesman spokeswoman
    spokesperson ministry statement lawyers investigators prosecutors doctors medics
    activists organizers organisers people"""
)
# Nouns that can head an unnamed speaker ("lawmakers say", "a spokesman said").
_SOURCE_HEADS = _GROUP_NOUNS | _ROLES
_TOKEN = re.compile(r"\w[\w’'&-]*|[^\w\s]")
_QUOTE_CHARS = re.compile(r"[“”\"«»‘’]")
HAS_SPEECH = re.compile(
    r"[“”\"«»]|\b(?:sa(?:id|ys?|ying)|t(?:old|ell)|add|declar|stat|announc|wr[io]t|tweet|post"
    r"|claim|accus|den(?:ied|ies|y)|insist|warn|not|argu|report|confirm|alleg|assert|explain"
    r"|stress|emphas|urg|call|condemn|critici|describ|acknowledg|admit|repl|respond|vow|promis"
    r"|pledg|threat|suggest|predict|estimat|reveal|disclos|blam|impl|demand|ask|maintain"
    r"|recall|observ|reiterat|conclu|counter|quip|caution|charg|[Aa]ccording to"
    r"|show|f(?:ou|i)nd|cit(?:ed|es)|indicat|mention|agree|believ|contend)"
)


@dataclass(slots=True)
class Speech:
    """What a sentence says about speech: its quotations, cues and speaker."""

    quotes: list[tuple[int, int]] = field(default_factory=list)  # inner spans, sentence offsets
    speaker: str | None = None
    speaker_kind: str | None = None  # person, institution, group
    has_quote: bool = False
    has_attribution: bool = False
    via_pronoun: bool = False
    first_cue: int = -1  # offset of the first cue that found a speaker
    cues: list[str] = field(default_factory=list)


# What a sentence without quotation marks or speech verbs says about speech. Shared: never
# modify it.
NO_SPEECH = Speech()


@dataclass(slots=True)
class SpeakerContext:
    """Who spoke last, so that a later "He said" can be resolved. One per article."""

    last_person: str | None = None
    last_institution: str | None = None
    last_any: str | None = None
    introduced: tuple[str, str] | None = None  # (speaker, kind) of a sentence ending in ":"
    # The last few sentences, for a "he said" before anyone has spoken: the subject of a
    # recent sentence ("Mr. Obama immersed himself in the literature. ... he said").
    recent: deque[str] = field(default_factory=lambda: deque(maxlen=3))
    # The answer for the current sentence, computed at most once: a sentence of a thousand
    # "he said" must not read the previous sentences a thousand times.
    _recent_answer: tuple[int, str | None] = (-1, None)
    _seen: int = 0

    def remember(self, name: str, kind: str) -> None:
        self.last_any = name
        if kind == "person":
            self.last_person = name
        elif kind == "institution":
            self.last_institution = name

    def pronoun(self, word: str) -> tuple[str | None, str | None]:
        kind = _PRONOUNS.get(word.lower(), "any")
        if kind == "person":
            return self.last_person or self._recent_person(), "person"
        if kind == "institution":
            return self.last_institution or self.last_any, "institution"
        return self.last_any, None

    def see(self, sentence: str) -> None:
        self.recent.append(sentence)
        self._seen += 1

    def _recent_person(self) -> str | None:
        if self._recent_answer[0] == self._seen:
            return self._recent_answer[1]
        found = None
        for sentence in list(self.recent)[-2::-1]:  # before the current one, newest first
            tokens = [
                ((g := m[0]), m.start(), m.end(), g.lower()) for m in _TOKEN.finditer(sentence)
            ]
            name, kind = _name(_subject(tokens), sentence)
            if name and kind == "person":
                found = name
                break
        self._recent_answer = (self._seen, found)
        return found


# A token is a plain tuple (text, start, end, lower-cased text): thousands are made per
# article, and a tuple costs a third of an object to build.
_Tok = tuple[str, int, int, str]
_TEXT: Final = 0
_START: Final = 1
_END: Final = 2
_LOW: Final = 3


@dataclass(slots=True)
class _Cue:
    index: int  # token index of the cue word
    start: int
    speaker: str | None = None
    kind: str | None = None
    reporting: bool = False
    pronoun: bool = False


def quote_spans(sentence: str) -> list[tuple[int, int]]:
    """Inner spans of quotations (double quotes; curly single quotes outside them)."""
    spans: list[tuple[int, int]] = []
    open_at = -1
    single_at = -1
    for m in _QUOTE_CHARS.finditer(sentence):
        i = m.start()
        ch = sentence[i]
        prev = sentence[i - 1] if i else " "
        nxt = sentence[i + 1] if i + 1 < len(sentence) else " "
        if ch in "‘’":
            if open_at >= 0:
                continue  # a quotation inside a quotation belongs to the outer one
            if ch == "‘" and (prev.isspace() or prev in "([—–-"):
                single_at = i + 1
            elif ch == "’" and single_at >= 0 and not nxt.isalnum():
                spans.append((single_at, i))
                single_at = -1
            continue
        opening = ch in "“«" or (ch == '"' and (prev.isspace() or prev in "([{—–-/:"))
        if ch in "”»":
            opening = False
        if opening and open_at < 0:
            open_at = i + 1
            single_at = -1
        elif not opening and open_at >= 0:
            spans.append((open_at, i))
            open_at = -1
    if open_at >= 0:
        spans.append((open_at, len(sentence)))
    return spans


def analyse_speech(sentence: str, context: SpeakerContext, words: set[str] | None = None) -> Speech:
    """Quotations, cues and the speaker of one sentence; updates ``context``.

    ``words``, the sentence's lower-cased words if the caller has them, only saves time.
    """
    context.see(sentence)
    # "Reuters wrote:" at the end of one paragraph introduces the quotation of the next.
    introduced, context.introduced = context.introduced, None
    if words is not None:
        cue_words = not words.isdisjoint(_CUE_WORDS) or "according" in words
        if not cue_words and not _QUOTE_CHARS.search(sentence):
            return NO_SPEECH
    elif not HAS_SPEECH.search(sentence):
        return NO_SPEECH
    else:
        cue_words = True
    speech = Speech()
    quotes = quote_spans(sentence)
    speech.quotes = quotes
    tokens: list[_Tok] = []
    cues: list[_Cue] = []
    if cue_words:  # tokens are the costly part: only made when a cue may be found
        tokens = [((g := m[0]), m.start(), m.end(), g.lower()) for m in _TOKEN.finditer(sentence)]
        cues = _find_cues(sentence, tokens, quotes)
    if not cues and not quotes:
        return speech
    local_person: str | None = None
    previous: _Cue | None = None
    for cue in cues:
        _resolve_cue(sentence, tokens, cue, previous, quotes, context, local_person)
        if cue.speaker:
            if cue.kind == "person":
                local_person = cue.speaker
            previous = cue
            context.remember(cue.speaker, cue.kind or "group")
    found = [c for c in cues if c.speaker]
    if not found and quotes:
        found = _speaker_outside_the_sentence(sentence, quotes, introduced)
    if not found:
        if quotes and any(_words(sentence, a, b) >= 3 for a, b in quotes):
            speech.cues.append("quote_unattributed")
        return speech
    speech.first_cue = found[0].start
    primary: _Cue | None = None
    for a, b in quotes:
        if _words(sentence, a, b) < 2:
            continue
        owner = _owner(found, a, b)
        if owner is None:
            continue
        if _words(sentence, a, b) >= 3:
            speech.has_quote = True
            if primary is None:
                primary = owner
    for cue in found:
        if cue.index < 0:
            continue  # a speaker from outside the sentence frames a quotation, no more
        if cue.reporting or not _only_quoted_after(sentence, tokens, cue, quotes):
            speech.has_attribution = True
            break
    primary = primary or found[0]
    speech.speaker = primary.speaker
    speech.speaker_kind = primary.kind
    speech.via_pronoun = primary.pronoun
    if speech.has_quote:
        speech.cues.append("quote")
    if speech.has_attribution:
        speech.cues.append("attribution")
    if primary.pronoun:
        speech.cues.append("speaker_pronoun")
    elif primary.kind == "group":
        speech.cues.append("speaker_unnamed")
    else:
        speech.cues.append("speaker_named")
    if primary.index < 0:
        speech.cues.append("speaker_from_context")
    if sentence.rstrip().endswith(":") and speech.speaker:
        context.introduced = (speech.speaker, speech.speaker_kind or "group")
    return speech


def _speaker_outside_the_sentence(
    sentence: str, quotes: list[tuple[int, int]], introduced: tuple[str, str] | None
) -> list[_Cue]:
    """A quotation whose speaker is named by the sentence before or by a dashed credit.

    "Reuters news agency wrote:" + next paragraph "“International concern is high.”";
    "“He has said hateful things.” ― Beck Pimentel".
    """
    last_end = quotes[-1][1]
    tail = sentence[last_end + 1 :].strip()
    if tail[:1] in ("―", "—", "–", "-") and len(tail) < 80:
        tokens = [((g := m[0]), m.start(), m.end(), g.lower()) for m in _TOKEN.finditer(tail)]
        name, kind = _name(_np_after(tokens, 1, allow_lower=False), tail)
        if name:
            return [_Cue(-1, len(sentence), name, kind)]
    if introduced and sentence.lstrip()[:1] in '“"«' and quotes[0][0] <= 2:
        return [_Cue(-1, 0, introduced[0], introduced[1])]
    return []


def _words(sentence: str, a: int, b: int) -> int:
    return len(sentence[a:b].split())


def _inside(pos: int, quotes: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in quotes)


def _find_cues(sentence: str, tokens: list[_Tok], quotes: list[tuple[int, int]]) -> list[_Cue]:
    cues: list[_Cue] = []
    # One cheap pass picks the candidates; the checks below run on those few only.
    candidates = [i for i, t in enumerate(tokens) if t[_LOW] in _CUE_WORDS_AND_ACCORDING]
    for i in candidates:
        t = tokens[i]
        low = t[_LOW]
        if low == "according" and i + 1 < len(tokens) and tokens[i + 1][_LOW] == "to":
            if not _inside(t[_START], quotes):
                cues.append(_Cue(i, t[_START], reporting=True))
            continue
        if low == "according" or _inside(t[_START], quotes):
            continue
        k = i + 1
        while k < len(tokens) and (
            tokens[k][_LOW] in _TIME_WORDS
            or tokens[k][_TEXT].isdigit()
            or (tokens[k][_TEXT][0].isupper() and tokens[k][_LOW] in _DAYS)
        ):
            k += 1
        nxt = tokens[k][_LOW] if k < len(tokens) else ""
        if nxt in _NOT_SPEECH_OBJECT and low.startswith("declar"):
            continue
        end = tokens[i][_END]
        # "warned in 2016, ...: “...”" is speech when a quotation follows closely.
        quoted_after = any(end < a < end + 40 for a, _ in quotes)
        if low in _NEEDS_COMPLEMENT and nxt not in _COMPLEMENT_WORDS and not quoted_after:
            continue
        if low in _NEEDS_THAT and nxt not in ("that", ":"):  # "a poll shows that", not "shows a"
            continue
        cues.append(_Cue(i, t[_START], reporting=low in _REPORTING))
    return cues


def _resolve_cue(
    sentence: str,
    tokens: list[_Tok],
    cue: _Cue,
    previous: _Cue | None,
    quotes: list[tuple[int, int]],
    context: SpeakerContext,
    local_person: str | None,
) -> None:
    i = cue.index
    word = tokens[i][_LOW]
    if word == "according":
        np = _np_after(tokens, i + 2, allow_lower=True)
        cue.speaker, cue.kind = _name(np, sentence)
        if cue.speaker is None and np:
            # "according to the poll", "according to exit polls": an unnamed source.
            words = [t for t in np if t[_LOW] not in ("the", "a", "an")]
            if words and len(words) <= 4:
                cue.speaker, cue.kind = _join(words, sentence), "group"
        return
    # Skip adverbs and auxiliaries between the subject and the verb.
    j = i - 1
    while j >= 0 and (tokens[j][_LOW] in _SKIP_BEFORE_CUE or tokens[j][_TEXT] in ("*", "_")):
        j -= 1
    if j >= 2 and tokens[j][_LOW] == "part" and tokens[j - 2][_LOW] == "for":
        j -= 3  # "France for its part condemned"
    if j >= 0 and (tokens[j][_LOW] in _PRONOUNS or tokens[j][_LOW] in _CONTRACTED):
        pron = _CONTRACTED.get(tokens[j][_LOW], tokens[j][_LOW])
        if _PRONOUNS[pron] == "person" and local_person:
            cue.speaker, cue.kind = local_person, "person"
        else:
            cue.speaker, cue.kind = context.pronoun(pron)
        cue.pronoun = cue.speaker is not None
        return
    if word.endswith("ing") and not any(t[_LOW] in _PROGRESSIVE for t in tokens[j + 1 : i]):
        if j >= 0 and tokens[j][_LOW] not in _PARTICIPLE_AFTER:
            return  # a noun: "a warning that", "the reporting"
        if previous is not None:
            cue.speaker, cue.kind = previous.speaker, previous.kind
            return
        np = _subject(tokens)
        cue.speaker, cue.kind = _name(np, sentence)
        return
    if j >= 0 and tokens[j][_LOW] in ("who", "which", "that") and tokens[j][_LOW] != "that":
        k = j - 1
        if k >= 0 and tokens[k][_TEXT] == ",":
            k -= 1
        cue.speaker, cue.kind = _name(_np_before(tokens, k), sentence)
        return
    if j >= 0 and tokens[j][_LOW] in ("and", "but") and word in _CUE_WORDS:
        # "Wilkerson started the rant ... and later said": the first clause's subject.
        cue.speaker, cue.kind = _name(_subject(tokens), sentence)
        if cue.speaker:
            return
    if j >= 0 and tokens[j][_TEXT] == ",":
        np = _apposed_subject(tokens, j)
        if np:
            cue.speaker, cue.kind = _name(np, sentence)
            return
    if j >= 0 and (tokens[j][_TEXT][0].isalnum() or tokens[j][_TEXT] == ")"):
        np = _np_before(tokens, j)
        name, kind = _name(np, sentence)
        if name is None:
            np = _unnamed_before(tokens, j)
            name, kind = _name(np, sentence)
            if name is None and np:  # "the campaign says": unnamed, kept as written
                name, kind = _join(np, sentence), "group"
        if name is not None:
            cue.speaker, cue.kind = name, kind
            return
    # Inverted: "“...,” said Kremlin spokesman Dmitry Peskov" (after a quotation or comma).
    if word in ("said", "says", "added", "wrote", "told", "asked", "declared", "continued") and (
        j < 0 or tokens[j][_TEXT] in ("”", '"', "»", "’", "'", ",")
    ):
        k = i + 1
        while k < len(tokens) and tokens[k][_LOW] in _SKIP_BEFORE_CUE:
            k += 1
        np = _np_after(tokens, k, allow_lower=True)
        cue.speaker, cue.kind = _name(np, sentence)


def _is_np_word(t: _Tok) -> bool:
    ch = t[_TEXT][0]
    if ch.isupper():
        return t[_LOW] not in CAPITALISED_FUNCTION_WORDS or t[_LOW] == "the"
    if t[_LOW] in _ROLES or t[_LOW] in _DESCRIPTORS or t[_LOW] in _NP_LOWER_OK:
        return True
    return t[_LOW] in _CONNECTORS


def _np_before(tokens: list[_Tok], j: int) -> list[_Tok]:
    """The noun phrase that ends at token ``j`` (inclusive), walking left."""
    out: list[_Tok] = []
    k = j
    while k >= 0 and len(out) < 16:
        t = tokens[k]
        if t[_TEXT] in ("(", ")"):
            out.append(t)
        elif t[_TEXT] == "." and k > 0 and tokens[k - 1][_TEXT][0].isalpha():
            # Before a speech verb a period closes an abbreviation: "Gen.", "J.", "(D-Wis.)".
            out.append(t)
        elif t[_TEXT] in ("*", "_"):
            pass
        elif t[_TEXT][0].isalnum() and _is_np_word(t):
            if t[_TEXT][0].isupper() and t[_LOW] in CAPITALISED_FUNCTION_WORDS and t[_LOW] != "the":
                break
            out.append(t)
            if t[_LOW] == "the":
                break
        else:
            break
        k -= 1
    out.reverse()
    return out


def _np_after(tokens: list[_Tok], k: int, *, allow_lower: bool) -> list[_Tok]:
    out: list[_Tok] = []
    lower_words = 0
    while k < len(tokens) and len(out) < 16:
        t = tokens[k]
        if t[_TEXT] in ("*", "_"):
            k += 1
            continue
        if t[_TEXT] == "(":
            # Only an acronym in brackets belongs to a name: "(OSCE) Minsk Group".
            if not (
                k + 2 < len(tokens)
                and tokens[k + 1][_TEXT].isupper()
                and tokens[k + 2][_TEXT] == ")"
            ):
                break
            out.extend(tokens[k : k + 3])
            k += 3
            continue
        if t[_TEXT] == "." and out and out[-1][_LOW] in _ROLES:
            out.append(t)
        elif t[_TEXT][0].isalnum() and (_is_np_word(t) or t[_LOW] in ("a", "an", "another")):
            if t[_TEXT][0].isupper() and t[_LOW] in CAPITALISED_FUNCTION_WORDS and t[_LOW] != "the":
                break
            out.append(t)
        elif allow_lower and t[_TEXT][0].isalpha() and t[_TEXT][0].islower() and lower_words < 3:
            if t[_LOW] in _NOT_A_HEAD or (t[_LOW] in _CUE_WORDS and t[_LOW] not in _GROUP_NOUNS):
                break
            out.append(t)
            lower_words += 1
        else:
            break
        k += 1
    return out


def _unnamed_before(tokens: list[_Tok], j: int) -> list[_Tok]:
    """ "officials said", "a source said", "The Clinton campaign says", "the bank said".

    A known group noun stands alone; any other noun needs a determiner before it ("the",
    "many", "Connecticut's") so that "the debate said" is not read from "people who
    watched the debate said".
    """
    head = tokens[j]
    if not head[_TEXT][0].isalpha() or head[_LOW] in _NOT_A_HEAD or head[_LOW].endswith("ly"):
        return []
    out = [head]
    k = j - 1
    determined = False
    while k >= 0 and len(out) < 5:
        t = tokens[k]
        low = t[_LOW]
        if low in _DETERMINERS or low.endswith(("’s", "'s")):
            determined = True
            if low.endswith(("’s", "'s")):
                out.append(t)
            break
        if not t[_TEXT][0].isalnum() or low in _NOT_A_HEAD:
            break
        if t[_TEXT][0].isupper() and low in CAPITALISED_FUNCTION_WORDS:
            break
        out.append(t)
        k -= 1
    if not determined and head[_LOW] not in _GROUP_NOUNS:
        return []
    out.reverse()
    return out


def _apposed_subject(tokens: list[_Tok], comma: int) -> list[_Tok]:
    """For "İsmail Demir, head of X, an affiliate of Y, declared": skip the appositions."""
    end = comma
    for _ in range(4):
        start = end - 1
        while start >= 0 and tokens[start][_TEXT] not in (",", "“", "”", '"', ";", ":"):
            start -= 1
        segment = tokens[start + 1 : end]
        if not segment:
            return []
        first = segment[0]
        # Appositions: "head of X", "an affiliate of Y", "the chief executive", an age ("82").
        if first[_TEXT][0].islower() or first[_TEXT][0].isdigit() or first[_LOW] in ("a", "an"):
            if start < 0 or tokens[start][_TEXT] != ",":
                return []
            end = start
            continue
        # The name ends the segment: "But Megan Hester", "Officials at Homeland Security".
        return _np_before(tokens, end - 1)
    return []


def _subject(tokens: list[_Tok]) -> list[_Tok]:
    """The subject at the start of the sentence, after an introductory phrase."""
    k = 0
    if tokens and (
        tokens[0][_LOW] in CAPITALISED_FUNCTION_WORDS or tokens[0][_LOW].endswith(("ing", "ed"))
    ):
        for m, t in enumerate(tokens[:30]):
            if t[_TEXT] == ",":
                k = m + 1
                break
        else:
            return []
    return _np_after(tokens, k, allow_lower=False)


def _name(np: list[_Tok], sentence: str) -> tuple[str | None, str | None]:
    """Reduce a speaker phrase to a name and say what kind of speaker it is."""
    words = [t for t in np if t[_TEXT] not in ("*", "_")]
    while words and (
        words[0][_LOW] in ("the", "a", "an", "and", "of", "for", "in", "on")
        or (words[0][_LOW] in _NP_LOWER_OK and len(words) > 1 and words[1][_TEXT][0].isupper())
    ):
        words = words[1:]
    while words and words[-1][_LOW] in _CONNECTORS:
        words = words[:-1]
    if not words:
        return None, None
    words = _fold_acronym(words)
    if not words:
        return None, None
    lows = [w[_LOW] for w in words]
    # A role followed by a capitalised name: the name is the person.
    last_role = max((i for i, w in enumerate(lows) if w in _ROLES), default=-1)
    before = [w for w in words[:-1] if w[_TEXT] != "."]
    if (
        last_role == len(words) - 1
        and before
        and lows[-1] in _SURNAME_ROLES
        and words[-1][_TEXT][0].isupper()
        and (
            before[-1][_LOW] in _TITLES
            or (before[-1][_TEXT][0].isupper() and before[-1][_LOW] not in _ROLES)
        )
    ):
        # "Mr. King", "Stephen King": a surname that is also a title.
        last_role = max((i for i, w in enumerate(lows[:-1]) if w in _ROLES), default=-1)
    if last_role >= 0:
        tail = [w for w in words[last_role + 1 :] if w[_TEXT] not in ("(", ")", ".")]
        if tail and tail[0][_LOW] in ("of", "for"):
            # "Co-Chairs of the OSCE Minsk Group": the body they speak for.
            body = _capitalised_run([w for w in tail[1:] if w[_LOW] != "the"])
            if body:
                return _join(body, sentence), "institution"
        # "campaign manager Robby Mook in a statement": the capitalised words after the role.
        name = _capitalised_run(tail)
        if name:
            return _join(name, sentence), "person"
        if any(w[_TEXT][0].isupper() for w in words) or lows[-1] in _SOURCE_HEADS:
            return _join(words, sentence), "group"
        return None, None
    while len(words) > 1 and words[-1][_LOW] in _DESCRIPTORS:
        words = words[:-1]
    if not any(w[_TEXT][0].isupper() for w in words):
        if words[-1][_LOW] in _GROUP_NOUNS and len(words) <= 4:
            return _join(words, sentence), "group"
        return None, None
    # "Russia's TASS": a country's possessive before a single name.
    if (
        len(words) == 2
        and words[0][_TEXT].endswith(("’s", "'s"))
        and words[0][_LOW][:-2] in COUNTRY_OF
    ):
        words = words[1:]
    lows = [w[_LOW] for w in words]
    if any(w in _INSTITUTION_WORDS for w in lows) or all(
        w[_TEXT].isupper() or w[_LOW] in COUNTRY_OF or w[_LOW] in _CONNECTORS for w in words
    ):
        return _join(words, sentence), "institution"
    if len(words) <= 4 and all(w[_TEXT][0].isupper() for w in words):
        return _join(words, sentence), "person"
    return _join(words, sentence), "institution"


def _capitalised_run(words: list[_Tok]) -> list[_Tok]:
    """The leading run of capitalised words, with connectors inside ("Osama bin Laden")."""
    run: list[_Tok] = []
    for w in words:
        if not (w[_TEXT][0].isupper() or (run and w[_LOW] in _CONNECTORS)):
            break
        run.append(w)
    while run and not run[-1][_TEXT][0].isupper():
        run.pop()
    return run


def _fold_acronym(words: list[_Tok]) -> list[_Tok]:
    """ "Organization for ... Europe's (OSCE) Minsk Group" -> "OSCE Minsk Group"."""
    for i, w in enumerate(words):
        if w[_TEXT] != "(":
            continue
        close = next(
            (k for k in range(i + 1, min(len(words), i + 5)) if words[k][_TEXT] == ")"), -1
        )
        if close < 0:
            return words
        inner = [t for t in words[i + 1 : close] if t[_TEXT] != "."]
        rest = words[close + 1 :]
        if len(inner) == 1 and inner[0][_TEXT].isupper() and rest and rest[0][_TEXT][0].isupper():
            return [inner[0], *rest]
        # "(D-Wis.)", "(R-IN)", "(CHP)" at the end: a label, not part of the name.
        return [*words[:i], *rest]
    return words


def _join(words: list[_Tok], sentence: str) -> str:
    # Keep the original spacing between tokens ("Secretary-General", "Europe's").
    out = words[0][_TEXT]
    for prev, w in pairwise(words):
        out += sentence[prev[_END] : w[_START]] if w[_START] - prev[_END] <= 1 else " "
        out += w[_TEXT]
    return out.strip(" *_")


def _owner(cues: list[_Cue], a: int, b: int) -> _Cue | None:
    before = [c for c in cues if c.start < a]
    if before:
        return before[-1]
    after = [c for c in cues if c.start >= b]
    return after[0] if after else None


def _only_quoted_after(
    sentence: str, tokens: list[_Tok], cue: _Cue, quotes: list[tuple[int, int]]
) -> bool:
    """Whether what the cue reports is only a quotation ("said: “...”", "“...,” X said")."""
    # Inverted: a quotation closes right before the speaker and cue.
    before = sentence[max(0, cue.start - 60) : cue.start].rstrip()
    for _, b in quotes:
        if b <= cue.start and cue.start - b <= 60 and "," not in sentence[b + 2 : cue.start]:
            return True
    k = cue.index + 1
    # Skip time phrases and adverbs: "said on Friday", "declared on Twitter:".
    while k < len(tokens) and (
        tokens[k][_LOW] in ("on", "in", "at", "last", "this", "late", "early", "also")
        or (tokens[k][_TEXT][0].isupper() and tokens[k][_LOW] not in ("the", "a", "an"))
    ):
        k += 1
    if k >= len(tokens):
        return bool(before)
    t = tokens[k]
    if t[_TEXT] in (":", ","):
        k += 1
        t = tokens[k] if k < len(tokens) else t
    return _inside(t[_START], quotes) or t[_TEXT] in ("“", '"', "«")


_LEADING_PRONOUN = re.compile(r"\s*(He|She|They)\b")


def leading_pronoun_speaker(sentence: str, speech: Speech, context: SpeakerContext) -> Speech:
    """The source of a sentence that reports someone's words with no cue the rules know
    (the learned attribution head found it) and opens with "He", "She" or "They": the last
    fitting named source, as for "he said"."""
    found = _LEADING_PRONOUN.match(sentence)
    if found is None:
        return speech
    name, kind = context.pronoun(found.group(1))
    if name is None:
        return speech
    context.remember(name, kind or "person")  # so that the next "He wants" finds it too
    return replace(speech, speaker=name, speaker_kind=kind, via_pronoun=True)
