"""Check-worthiness: rule cues, the learned model, and the reason shown to a reviewer.

The score is a logistic function of the model's log-odds plus hand-set weights for the cues a
fact-checker cares about. The weights are set by hand, not learned, because the labelled data
(debate transcripts) has almost no quotations, attributions or casualty reports; the model
supplies the general sense of "factual and specific" versus "opinion and chatter" that those
data do teach. Gates come first: headers, headlines, boilerplate and calls to action are never
claims whatever they contain.
"""

# ruff: noqa: RUF001 - curly quotes, apostrophes and dashes are the text this module reads
from __future__ import annotations

import math
import re
from collections.abc import Set
from dataclasses import dataclass
from itertools import repeat

from claims.extraction.figures import FoundFigure
from claims.extraction.lexicon import word_set
from claims.extraction.model import DIGITS, WORD
from claims.extraction.speakers import Speech

CLAIM_THRESHOLD = 0.5

# Log-odds added by each cue; cue names are the keys (cues without a weight only inform).
WEIGHTS: dict[str, float] = {
    "bias": -0.9,
    "casualty_figure": 2.4,
    "casualty_word": 2.4,
    "figure": 1.6,
    "quote": 1.6,
    "attribution": 1.6,
    "speaker_named": 0.5,
    "speaker_unnamed": 0.2,
    "date": 0.6,
    "time": 0.5,
    "event": 0.5,
    "named_entities": 0.4,
    "speculation": -2.4,
    "reported_speculation": -0.4,  # speculation in reported speech is the speaker's
    "opinion": -2.6,
    "reported_opinion": -0.8,
    "evaluative": -0.8,
    "first_person": -0.7,
    "question": -3.0,
    "short": -1.2,
}

# Reader-facing boilerplate: contact lines, credits, sharing prompts.
_BOILERPLATE = re.compile(
    r"^(?:to (?:contact|subscribe|sign up|read|learn|find out|support|donate|follow)\b"
    r"|(?:click|tap) here|read (?:more|the rest|the full)|sign up|subscribe|follow us|share this"
    r"|all rights reserved|copyright|©|\(c\) ?\d{4}|photo:|image:|video:|advertisement"
    r"|reporting by|editing by|additional reporting|related:|see also|watch:|listen:"
    r"|for more (?:information|news|on)|download|contact us|this story has been|this article"
    r"|we (?:use|value) cookies|please (?:support|subscribe|donate|share|enable))"
)
_IMPERATIVE = re.compile(
    r"^(?:join|subscribe|donate|support|share|follow|visit|contact|click|sign|register|watch"
    r"|listen|read|learn|download|call|write to|tell|help|act|vote for|don['’]t miss)\b"
)
# Every alternative starts with a literal or at a token start: linear on any input.
_LINK = re.compile(r"\[[^\]\n]{0,300}\]\([^)\s]{0,500}\)|https?://\S+|www\.\S+|(?<!\S)[^\s@]+@\S+")
_ALPHA = re.compile(r"[^\W\d_]")
# Cue words are looked up in the set of the sentence's words: one pass over the text for all
# of them, where a regex per cue would be one pass each.
_SPECULATION_WORDS = word_set(
    """would could might should must likely unlikely possibly perhaps probably inevitably
    inevitable potentially unless"""
)
_SPECULATION_PHRASE = re.compile(
    r"\b(?:threatens? to|threatening to|ought to|is bound to|danger of|real danger|risks? (?:of|a"
    r"|an|further|triggering)|if (?:the|it|they|this|that)|may (?:well|be|have|lead|prove))\b"
)
_SPECULATION_TRIGGERS = word_set(
    """threaten threatens threatening ought bound danger risk risks if may"""
)
# Searched in the lower-cased text: a case-insensitive regex is four times slower.
_OPINION_PHRASE = re.compile(
    r"\b(?:further confirmation|confirmation that|it is clear|it is obvious|clearly|obviously"
    r"|of course|undoubtedly|without doubt|in (?:our|my) (?:view|opinion)|we believe|i believe"
    r"|i think|we think|it seems|this shows|this demonstrates|points to|underscores|constitutes?"
    r"|a warning that|what is needed|the answer is|the lesson|in reality|in other words"
    r"|this means that|above all|should be|must be|needs to be|it is time)\b"
)
_OPINION_OPENERS = (
    "Significantly,",
    "Clearly,",
    "Obviously,",
    "Indeed,",
    "Ultimately,",
    "Essentially,",
)
_OPINION_TRIGGERS = word_set(
    """confirmation clear obvious clearly obviously course undoubtedly doubt view opinion
    believe think seems shows demonstrates points underscores constitute constitutes warning
    needed answer lesson reality words means above should must needs time significantly
    indeed ultimately essentially"""
)
_EVALUATIVE_WORDS = word_set(
    """ostensibly effectively dangerous belligerent reactionary imperialist horrific disastrous
    reckless shameful absurd ridiculous outrageous criminal terrible wonderful brilliant
    stupid corrupt disgraceful scandalous catastrophic explosive incredible"""
)
_FIRST_PERSON_WORDS = word_set("we our ours my me")
# Case matters: "US" is a country, "I" is the author only in capitals.
_I = re.compile(r"\b(?:I|us)\b")
_EVENT_WORDS = word_set(
    """was were had has have is are did broke came began begun took taken made went gone fell
    rose left met held won lost struck fought fled shot sent led built hit found gave given
    saw seen spoke stood ran brought caught drew drove flew grew kept knew paid put sold set
    shook spread stole swore threw wrote became killed died dies says said told"""
)
_PAST = re.compile(r"(?<=[a-z]{2})ed\b")
_CASUALTY_WORDS = word_set(
    """killed dead died wounded injured slain perished casualties fatalities massacred"""
)
# A year or a clock time anchors an assertion in time even when no day is named.
_TIME = re.compile(
    r"\b(?:in|since|by|until|from|of|after|before) (?:1[6-9]\d\d|20\d\d)s?\b"
    r"|\b\d{1,2}:\d{2}\b|\b\d{1,2} ?[ap]\.m\."
)
_DIGIT = re.compile(r"\d")
_CAPITAL_AFTER_SPACE = re.compile(r" [A-Z]")
_ZEROS = repeat(0.0)
# The model is one voice among the cues: its log-odds are scaled and capped.
MODEL_WEIGHT = 0.6
MODEL_CAP = 3.0
# Debate transcripts, the model's training data, have no reported speech: on a sentence that
# quotes or reports a speaker, the model may not pull the score down by more than this.
MODEL_FLOOR_FOR_SPEECH = -0.6


def _model_part(model_logit: float, spoken: bool) -> float:
    part = MODEL_WEIGHT * max(-MODEL_CAP, min(MODEL_CAP, model_logit))
    return max(part, MODEL_FLOOR_FOR_SPEECH) if spoken else part


@dataclass(slots=True)
class Assessment:
    score: float
    is_claim: bool
    types: list[str]
    cues: list[str]
    model_logit: float
    figures: list[FoundFigure]
    speech: Speech

    @property
    def reason(self) -> str:
        """A short sentence for the reviewer, built from the cues (only made when asked for)."""
        return _reason(self.figures, self.speech, self.types, self.cues, self.model_logit)

    @property
    def contributions(self) -> dict[str, float]:
        """How much each cue added to the log-odds of the score."""
        out = {"bias": WEIGHTS["bias"]}
        out.update((c, WEIGHTS[c]) for c in self.cues if c in WEIGHTS)
        out["model"] = _model_part(self.model_logit, self.speech.speaker is not None)
        return out


def gate(sentence: str, *, headline: bool, header: bool) -> str | None:
    """Why a sentence can never be a claim, or None if it may be one."""
    if header:
        return "header"
    stripped = sentence.strip("*_#>-• \t")
    head = stripped[:40].lower()  # the patterns are lower case: faster than ignoring case
    if not _ALPHA.search(stripped) or _BOILERPLATE.match(head):
        return "boilerplate"
    if "[" in sentence or "://" in sentence or "www." in sentence or "@" in sentence:
        links = sum(len(m.group()) for m in _LINK.finditer(sentence))
        if links and links >= 0.4 * len(sentence):
            return "boilerplate"
    if headline:
        return "headline"
    if _IMPERATIVE.match(head) and not stripped.endswith("?"):
        first = head.split(maxsplit=1)[0]
        # "Support for X rose" and "Call volumes fell" are statements, not requests.
        rest = head[len(first) :].lstrip()
        if not rest.startswith(("for ", "of ", "is ", "was ", "has ")):
            return "call_to_action"
    return None


def outside(sentence: str, quotes: list[tuple[int, int]]) -> str:
    """The sentence with quoted words blanked, so the author's own words can be judged."""
    if not quotes:
        return sentence
    parts: list[str] = []
    pos = 0
    for a, b in quotes:
        parts.append(sentence[pos:a])
        parts.append(" " * (b - a))
        pos = b
    parts.append(sentence[pos:])
    return "".join(parts)


def assess(
    sentence: str,
    figures: list[FoundFigure],
    speech: Speech,
    has_date: bool,
    model_logit: float,
    words: Set[str] | None = None,
    *,
    reported: bool = False,
) -> Assessment:
    """Score a sentence that passed the gates, with its types and cues.

    ``words`` is the sentence's :func:`claims.extraction.model.vocabulary`, if known.
    ``reported``: the learned attribution head says the sentence reports what someone said,
    found or holds; it types the sentence ``attribution`` where the speech rules found no
    cue ("Twelve percent indicated that they were not sure", "Clinton now wants ...").
    """
    own = outside(sentence, speech.quotes)
    own_words = set(WORD.findall(own.lower())) if speech.quotes or words is None else words
    cues: list[str] = []
    casualty_figures = other_figures = False
    if figures:
        casualty_figures = any(f.casualty for f in figures)
        other_figures = not all(f.casualty for f in figures)
        for hedge in dict.fromkeys(f.figure.hedge for f in figures):
            if hedge != "exact":
                cues.append(f"hedge_{hedge}")
    casualty = casualty_figures or not own_words.isdisjoint(_CASUALTY_WORDS)
    if casualty:
        cues.insert(0, "casualty_figure" if casualty_figures else "casualty_word")
    if other_figures:
        cues.insert(1 if casualty else 0, "figure")
    if speech.has_quote:
        cues.append("quote")
    attributed = speech.has_attribution or (reported and not speech.has_quote)
    if speech.has_attribution:
        cues.append("attribution")
    elif attributed:
        # Typed, not scored: on debates the head fires on the speakers' own "people say",
        # and a weight here cost MAP on the held-out debates (bench/RESULTS_extraction.md).
        cues.append("attribution_learned")
    cues.extend(c for c in speech.cues if c not in ("quote", "attribution"))
    if has_date:
        cues.append("date")
    elif (DIGITS in words if words is not None else _DIGIT.search(own)) and _TIME.search(own):
        cues.append("time")
    question = own.rstrip().rstrip('”"’)').endswith("?")
    # What the author asserts is what comes before any speech cue ("X said ...").
    event = not question and (not own_words.isdisjoint(_EVENT_WORDS) or bool(_PAST.search(own)))
    if event and speech.first_cue >= 0:
        asserted = own[: speech.first_cue].lower()
        event = not set(WORD.findall(asserted)).isdisjoint(_EVENT_WORDS) or bool(
            _PAST.search(asserted)
        )
    if event:
        cues.append("event")
    if own.count(" ", 1) and len(_CAPITAL_AFTER_SPACE.findall(own, 1)) >= 2:
        cues.append("named_entities")
    spoken = speech.speaker is not None
    if not own_words.isdisjoint(_SPECULATION_WORDS) or (
        not own_words.isdisjoint(_SPECULATION_TRIGGERS) and _SPECULATION_PHRASE.search(own)
    ):
        cues.append("reported_speculation" if spoken else "speculation")
    if not own_words.isdisjoint(_OPINION_TRIGGERS) and (
        own.startswith(_OPINION_OPENERS) or _OPINION_PHRASE.search(own.lower())
    ):
        cues.append("reported_opinion" if spoken else "opinion")
    elif not own_words.isdisjoint(_EVALUATIVE_WORDS) or (
        "called" in own_words and "so-called" in own.lower()
    ):
        cues.append("evaluative")
    if not own_words.isdisjoint(_FIRST_PERSON_WORDS) or (
        ("i" in own_words or "us" in own_words) and _I.search(own)
    ):
        cues.append("first_person")
    if question:
        cues.append("question")
    if sentence.count(" ") < 4:
        cues.append("short")
    cues.append("model")
    z = WEIGHTS["bias"] + _model_part(model_logit, spoken) + sum(map(WEIGHTS.get, cues, _ZEROS))
    score = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    types = []
    if casualty:
        types.append("casualty")
    if other_figures:
        types.append("quantity")
    if speech.has_quote:
        types.append("quote")
    if attributed:
        types.append("attribution")
    if event or not types:
        types.append("event")
    return Assessment(
        score=round(score, 4),
        is_claim=score >= CLAIM_THRESHOLD,
        types=types,
        cues=cues,
        model_logit=model_logit,
        figures=figures,
        speech=speech,
    )


_HEDGE_WORDS = {
    "at_least": "at least",
    "more_than": "more than",
    "less_than": "less than / at most",
    "nearly": "nearly",
    "about": "about",
}


def _figure_phrase(f: FoundFigure) -> str:
    fig = f.figure
    value = "–".join(_fmt(v) for v in fig.value) if isinstance(fig.value, list) else _fmt(fig.value)
    text = f"{value} {fig.counted}"
    extras = []
    if fig.hedge != "exact":
        extras.append(f"hedged '{_HEDGE_WORDS[fig.hedge]}'")
    if fig.side:
        extras.append("both sides" if fig.side == "both" else f"side {fig.side}")
    return f"{text}, {', '.join(extras)}" if extras else text


def _fmt(v: float) -> str:
    return f"{v:,}" if isinstance(v, int) else f"{v:,.2f}".rstrip("0").rstrip(".")


def _reason(
    figures: list[FoundFigure],
    speech: Speech,
    types: list[str],
    cues: list[str],
    model_logit: float,
) -> str:
    parts: list[str] = []
    casualty = [f for f in figures if f.casualty]
    others = [f for f in figures if not f.casualty]
    if casualty:
        shown = "; ".join(_figure_phrase(f) for f in casualty[:3])
        parts.append(f"casualty figure ({shown})")
    elif "casualty_word" in cues:
        parts.append("reports people killed or wounded")
    if others:
        shown = "; ".join(_figure_phrase(f) for f in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        parts.append(f"figure ({shown}{more})")
    who = _speaker_phrase(speech)
    if "quote" in types:
        parts.append(f"direct quote of {who}")
    if "attribution" in types:
        parts.append(f"attributed to {who}")
    if "date" in cues:
        parts.append("names a day")
    if "event" in types and len(parts) == 0:
        parts.append("asserts that something happened")
    if "speculation" in cues or "reported_speculation" in cues:
        parts.append("speculative wording")
    if "opinion" in cues or "reported_opinion" in cues:
        parts.append("reads as opinion or analysis")
    elif "evaluative" in cues:
        parts.append("evaluative wording")
    if "question" in cues:
        parts.append("a question")
    if model_logit >= 1.0:
        parts.append("wording typical of check-worthy claims")
    elif model_logit <= -1.0:
        parts.append("wording typical of non-claims")
    text = "; ".join(parts) if parts else "no strong cue"
    return text[0].upper() + text[1:]


def _speaker_phrase(speech: Speech) -> str:
    if speech.speaker is None:
        return "an unnamed source"
    if speech.via_pronoun:
        return f"{speech.speaker} (from 'he/she said')"
    if speech.speaker_kind == "person":
        return f"a named person ({speech.speaker})"
    if speech.speaker_kind == "institution":
        return f"a named body ({speech.speaker})"
    return f"an unnamed source ({speech.speaker})"
