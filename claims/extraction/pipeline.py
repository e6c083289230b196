"""``extract``: from article text to check-worthy claims."""

# ruff: noqa: RUF001 - curly quotes and dashes are the text this module reads

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import batched

from claims.extraction import model, sentence_model
from claims.extraction.dates import find_date
from claims.extraction.figures import FoundFigure, find_figures
from claims.extraction.metadata import detect_metadata
from claims.extraction.records import ExtractedClaim
from claims.extraction.scoring import Assessment, assess, gate
from claims.extraction.segment import Sentence, sentences
from claims.extraction.speakers import (
    NO_SPEECH,
    SpeakerContext,
    Speech,
    analyse_speech,
    leading_pronoun_speaker,
)

# A quotation that ends a sentence, then a dash and a name: "“...” ― Beck Pimentel". Such a
# line ends without final punctuation, yet is not a headline.
_CREDITED_QUOTE = re.compile(r"[.!?…][”\"»’]\s*[―—–-]")
# A line on its own, without final punctuation and this short, is a headline or a label.
HEADLINE_MAX_WORDS = 25


@dataclass(slots=True)
class Analysis:
    """Everything the engine found about one sentence, claim or not (for benches and debugging)."""

    sentence: Sentence
    text: str
    gate: str | None
    figures: list[FoundFigure]
    speech: Speech
    date: dt.date | None
    assessment: Assessment | None

    @property
    def is_claim(self) -> bool:
        return self.assessment is not None and self.assessment.is_claim


def analyse(text: str, published: dt.date | None = None) -> list[Analysis]:
    """Analyse every sentence of ``text``; :func:`extract` keeps the claims."""
    return list(_analyses(text, published))


def _analyses(text: str, published: dt.date | None) -> Iterator[Analysis]:
    # A generator, so that extract() holds only the claims, not every sentence's analysis:
    # on a 5 MB article that is most of the memory, and of the garbage collector's work.
    if not isinstance(text, str) or not text.strip():
        return
    meta = detect_metadata(text)
    if published is None:
        published = meta.published
    context = SpeakerContext()
    for sent, learned, reported in _with_learned_logits(text, sentences(text)):
        s = text[sent.start : sent.end]
        headline = (
            sent.line_start
            and sent.line_end
            and not sent.terminal
            and len(s.split()) <= HEADLINE_MAX_WORDS
            and not _CREDITED_QUOTE.search(s)
        )
        why_not = gate(s, headline=headline, header=sent.start < meta.body_start)
        if why_not:
            yield Analysis(sent, s, why_not, [], NO_SPEECH, None, None)
            continue
        vocabulary = model.vocabulary(s)
        speech = analyse_speech(s, context, vocabulary)
        figures = find_figures(s, vocabulary)
        day, _ = find_date(s, published, speech.quotes, vocabulary)
        logit = combine(model.logit_vocabulary(vocabulary), learned)
        assessment = assess(
            s, figures, speech, day is not None, logit, vocabulary, reported=reported
        )
        if reported and speech.speaker is None and not (speech.has_attribution or speech.has_quote):
            # Typed attribution by the learned head only: a leading pronoun names its source.
            speech = leading_pronoun_speaker(s, speech, context)
        yield Analysis(sent, s, None, figures, speech, day, assessment)


_GATES = {
    "header": "part of the header (byline, dateline)",
    "boilerplate": "boilerplate",
    "headline": "a headline or a label",
    "call_to_action": "a call to action",
}


LEARNED_BATCH = 256  # sentences embedded at once: one tokenizer call, a bounded buffer


def _with_learned_logits(
    text: str, found: Iterable[Sentence]
) -> Iterator[tuple[Sentence, float | None, bool]]:
    """Each sentence with the learned model's check-worthiness log-odds (None without its
    weights) and whether its attribution head says the sentence reports someone's words or
    findings; computed a batch at a time, so a long text is never held as a whole list."""
    if sentence_model.loaded() is None:
        for sent in found:
            yield sent, None, False
        return
    for batch in batched(found, LEARNED_BATCH):
        logits, reported = sentence_model.judge([text[s.start : s.end] for s in batch])
        yield from zip(batch, logits.tolist(), reported.tolist(), strict=True)


def combine(word_logit: float, learned: float | None) -> float:
    """The model part of a sentence's score: the mean of the word model's and the learned
    model's log-odds where the learned one is shipped, else the word model's alone. Equal
    weights were chosen before measuring; bench/RESULTS_extraction.md gives 0.3/0.7 and
    learned-only beside them, within 0.01 of each other on the held-out debates."""
    return word_logit if learned is None else 0.5 * (word_logit + learned)


def extract(text: str, published: dt.date | None = None) -> list[ExtractedClaim]:
    """The check-worthy claims in ``text``, in order; offsets index ``text`` itself."""
    return list(_records(text, published, every=False))


def rank(text: str, published: dt.date | None = None) -> list[ExtractedClaim]:
    """Every sentence of ``text`` in order, claims and not (``claim`` says which), each with
    its score: what a reviewer looks through below the threshold ("more sentences").
    A sentence the gates leave out (a byline, boilerplate, a headline) scores 0 and its
    reason says why."""
    return list(_records(text, published, every=True))


def _records(text: str, published: dt.date | None, *, every: bool) -> Iterator[ExtractedClaim]:
    for a in _analyses(text, published):
        if a.assessment is None:
            if every:
                yield ExtractedClaim(
                    start=a.sentence.start,
                    end=a.sentence.end,
                    text=a.text,
                    types=[],
                    score=0.0,
                    cues=[],
                    reason=f"Left out: {_GATES.get(a.gate or '', a.gate)}.",
                    claim=False,
                )
            continue
        if not (every or a.assessment.is_claim):
            continue
        yield ExtractedClaim(
            start=a.sentence.start,
            end=a.sentence.end,
            text=a.text,
            types=a.assessment.types,
            score=a.assessment.score,
            cues=a.assessment.cues,
            reason=a.assessment.reason,
            speaker=a.speech.speaker,
            figures=[f.figure for f in a.figures],
            date=a.date,
            claim=a.assessment.is_claim,
        )
