"""Figures in a sentence: value, hedge, what is counted, and for casualties whose side.

Decisions a reviewer should know about:

* Digits and number words both count ("one civilian", "four soldiers", "three million").
  "one" is a figure only when it counts people or a unit ("one civilian", "one kilometre"):
  "one of", "one nation", "no one" are not statistics.
* Vague plurals are lower bounds: "dozens of" = at least 24, "hundreds of" = at least 200,
  "thousands of" = at least 2,000, "tens of thousands" = at least 20,000. "a dozen" = about 12.
* Not figures: years (a bare 1000-2100 not counting a plural noun), decades ("1990s"),
  times ("4:00 a.m."), days of a month ("July 16"), ordinals, names with numbers
  ("COVID-19", "MiG-29", "Kavkaz-2020", "Boeing 737", "No. 5"), numbers inside URLs.
* "up to", "at most", "no more than" are reported as ``less_than`` (an upper bound).
"""

# ruff: noqa: RUF001 - curly quotes, apostrophes and dashes are the text this module reads
from __future__ import annotations

import math
import re
from collections.abc import Set
from dataclasses import dataclass
from functools import cache

from claims.extraction.lexicon import (
    CASUALTY_NOUNS,
    CASUALTY_WORDS,
    COUNTRY_OF,
    MONTHS,
    PERSON_NOUNS,
    word_set,
)
from claims.extraction.records import Figure, Number

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALE = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "bn": 1_000_000_000, "mn": 1_000_000,
}  # fmt: skip
_VAGUE = {"dozens": 24, "scores": 40, "tens": 20, "hundreds": 200, "thousands": 2_000,
          "millions": 2_000_000, "billions": 2_000_000_000}  # fmt: skip

_UNIT_OF = {
    "kilometers": "km", "kilometres": "km", "kilometer": "km", "kilometre": "km", "km": "km",
    "miles": "mi", "mile": "mi", "meters": "m", "metres": "m", "meter": "m", "metre": "m",
    "feet": "ft", "foot": "ft", "kilograms": "kg", "kg": "kg", "tons": "t", "tonnes": "t",
    "ton": "t", "tonne": "t", "percent": "%", "per cent": "%", "%": "%",
    "percentage points": "pp", "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
    "rubles": "RUB", "roubles": "RUB", "manats": "AZN", "drams": "AMD", "lira": "TRY",
    "liras": "TRY", "barrels": "bbl", "hectares": "ha", "acres": "acre", "degrees": "deg",
    "years": "years", "year": "years", "months": "months", "month": "months", "weeks": "weeks",
    "week": "weeks", "days": "days", "day": "days", "hours": "hours", "hour": "hours",
    "minutes": "minutes", "minute": "minutes",
}  # fmt: skip
_UNIT_NAME = {"%": "percent", "USD": "dollars", "EUR": "euros", "GBP": "pounds", "JPY": "yen",
              "km": "kilometers", "kg": "kilograms"}  # fmt: skip
_COUNTED_ALIAS = {"toll": "deaths", "per cent": "percent"}
_CURRENCY = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}

_NUM_WORD = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five"
    r"|six|seven|eight|nine)\b)?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a(?= (?:hundred|"
    r"thousand|million|billion|dozen)\b)"
)
_NUMBER = re.compile(
    r"(?P<skip>https?://\S+|www\.\S+|\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?"
    r"|\b\d{1,2}\s*[ap]\.m\b\.?|\b\d{1,2}\s?[ap]m\b|\b\d{4}-\d{1,2}-\d{1,2}\b|\d+(?:/\d+)+)"
    r"|(?P<vague>(?i:\b(?:tens|hundreds|thousands|millions|billions|dozens|scores)\s+of"
    r"(?:\s+(?:thousands|millions|billions)\s+of)?\b))"
    r"|(?:(?P<cur>(?:US)?\$|€|£|¥)\s?)?(?<![\w\-.,/:])"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?i:\b(?:" + _NUM_WORD + r")\b))"
    r"(?P<scale>(?:[\s-](?:a\s)?(?i:hundred|thousand|million|billion|trillion|dozen)s?\b)+"
    r"|\s?(?:bn|mn)\b|(?<=\d)(?:m|k)\b)?"
    r"(?P<tail>%|[A-Za-z]+)?"
)
# Anything that may be a number: the cheap test run before the real work.
HAS_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|twenty"
    r"|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|scores of)\b",
    re.IGNORECASE,
)
_HEDGE_BEFORE = re.compile(
    r"(?i:(?P<at_least>at\s+least|no\s+(?:fewer|less)\s+than|a\s+minimum\s+of|not\s+less\s+than)"
    r"|(?P<more_than>more\s+than|over|above|upwards\s+of|in\s+excess\s+of|exceeding|well\s+over)"
    r"|(?P<less_than>less\s+than|fewer\s+than|under|below|up\s+to|at\s+most|no\s+more\s+than"
    r"|a\s+maximum\s+of)"
    r"|(?P<nearly>nearly|almost|close\s+to|just\s+under|just\s+short\s+of|not\s+quite)"
    r"|(?P<about>about|around|some|roughly|approximately|approx\.|an\s+estimated|estimated"
    r"|circa|ca\.|reportedly\s+about|or\s+so|an\s+approximate))\s+\Z"
)
# The last word of every hedge above: the regex runs only after one of them.
_HEDGE_LAST_WORDS = word_set(
    """least than of over above exceeding under below to most nearly almost quite about around
    some roughly approximately approx. estimated circa ca. so approximate"""
)
_HEDGE_AFTER = re.compile(r"\s*(?:or\s+more|-plus\b|\+|\s+plus\b|or\s+so\b)", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|and)\s*", re.IGNORECASE)
_RANGE_HIGH = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?i:\b(?:" + _NUM_WORD + r")\b))"
    r"(?P<scale>(?:[\s-](?i:hundred|thousand|million|billion|trillion)s?\b)+|\s?(?:bn|mn)\b)?"
    r"(?![\w%])"
)
_TOKEN = re.compile(r"[^\W\d_][\w’'-]*(?:\.(?=\w)[\w’'-]*)*|\d[\w-]*(?:[,.]\d+)*|[^\w\s]")
_SIDE_TOKEN = re.compile(r"[^\W\d_][\w’'-]*(?:\.(?=\w)[\w’'-]*)*|[;:.!?]")

_ORDINAL_TAILS = frozenset({"st", "nd", "rd", "th", "s"})
_ALLOWED_TAILS = frozenset({"%", "km", "kg", "m", "k", "bn", "mn"})
_YEAR_BEFORE = word_set(
    """in since of by until till from to year years between and or early late mid before after
    during the spring summer autumn fall winter than"""
)
_REFERENTIAL = word_set(
    """the these those both its their his her our my your all every each any no this that other
    first last only"""
)
_IDENTIFIER_BEFORE = word_set(
    """no no. number nos article flight resolution route highway section chapter room page p.
    pp. vol. level category phase grade act row gate line channel terminal"""
)
# Ends the noun phrase that follows a number.
_NP_STOP = word_set(
    """of in on at to from for with by and or but as than that which who whose whom is are was
    were be been being has have had will would can could should may might must do does did
    not no including includes include such like while when where after before since during
    into onto over under between among across per each the a an this these those its their
    his her our your my it they he she we i you there here so if because said says say told
    according about around some up down out off against along through according both also
    only just still even more most less fewer nearly almost last next every"""
)
_NOUN_ING_ED = word_set(
    """buildings building meetings meeting bombings bombing shootings shooting beings killings
    weddings training hundred"""
)
_LOOKBACK_SKIP = word_set(
    """of at to was is were are reached rose fell stood hit by from totaled totalled numbered
    put climbed jumped increased decreased dropped grew a an the its their his her than"""
)
_CASUALTY_NEAR = re.compile(
    r"\b(?:" + "|".join(sorted(CASUALTY_WORDS - {"lives", "toll"})) + r")\b", re.IGNORECASE
)
_LIVES_VERB = re.compile(r"\b(?:claim\w*|cost\w*|lost|los\w+|took|tak\w+|saved?)\b", re.I)
_BOTH_SIDES = re.compile(r"\b(?:on|from)\s+(?:both|each|either|all)\s+sides?\b", re.I)
_SIDE_STOP = word_set("are is were was have has had been")


@dataclass(slots=True)
class FoundFigure:
    """A figure with its place in the sentence, before it becomes a public ``Figure``."""

    start: int
    end: int
    figure: Figure
    casualty: bool


NUMBER_WORDS = word_set(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions dozen
    dozens scores tens"""
)
_DIGIT = re.compile(r"\d")
_NUMBER_WORDS_OR_DIGITS = NUMBER_WORDS | {"<d>"}  # "<d>": see model.vocabulary
_DIGIT_RUN = re.compile(r"\d+")
_ALPHA_RUN = re.compile(r"[A-Za-z]+")
_SCALE_WORDS = word_set("hundred thousand million billion dozen")
_A_SCALE = re.compile(r"\b[Aa] (?=(?:hundred|thousand|million|billion|dozen)\b)")
_YEAR = re.compile(r"1\d{3}|20\d{2}|2100")
_NOUN_NEXT = re.compile(r" [a-z]")
_URL = re.compile(r"https?://\S+|www\.\S+")


def find_figures(sentence: str, words: set[str] | None = None) -> list[FoundFigure]:
    """All figures in one sentence, in order of appearance.

    ``words``, the sentence's lower-cased words if the caller has them, only saves time.
    """
    if words is not None:
        if words.isdisjoint(_NUMBER_WORDS_OR_DIGITS):
            return []
    elif not HAS_NUMBER.search(sentence):
        return []
    found: list[FoundFigure] = []
    consumed = 0
    urls = _URL.finditer(sentence) if "://" in sentence or "www." in sentence else ()
    url_spans = [u.span() for u in urls]
    present = (
        NUMBER_WORDS.intersection(_ALPHA_RUN.findall(sentence.lower()))
        if words is None
        else NUMBER_WORDS.intersection(words)
    )
    for pos in _candidates(sentence, present):
        if pos < consumed or any(a <= pos < b for a, b in url_spans):
            continue
        m = _NUMBER.match(sentence, pos)
        if m is None:
            continue
        if m.group("skip"):
            consumed = m.end()
            continue
        item = _figure_at(sentence, m)
        if item is None:
            continue
        consumed = item.end
        found.append(item)
    return found


def _candidates(sentence: str, present: Set[str]) -> list[int]:
    """Where a number may start (``present``: the number words in the sentence).

    Anchored matches at these places beat one big regex scan of the sentence (5x faster).
    """
    starts = []
    for m in _DIGIT_RUN.finditer(sentence):
        p = m.start()
        if p and sentence[p - 1] in "$€£¥":
            p -= 3 if sentence[max(0, p - 3) : p - 1] == "US" else 1
        starts.append(p)
    if present:
        for word in present:
            starts.extend(m.start() for m in _word_pattern(word).finditer(sentence))
        if not present.isdisjoint(_SCALE_WORDS):
            starts.extend(m.start() for m in _A_SCALE.finditer(sentence))
        starts.sort()
    return starts


@cache
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b{word}\b", re.IGNORECASE)


# Beyond a quintillion a "figure" is a string of digits, not a statistic (and past 1e308 a
# float is infinite, which JSON cannot carry).
MAX_VALUE = 1e18


def _parse_number(num: str, scale: str | None) -> Number | None:
    low = num.lower().replace(",", "")
    value: float
    if low[0].isdigit():
        if len(low) > 40:
            return None
        value = float(low)
    elif low == "a":
        value = 1
    elif low in _UNITS_WORDS:
        value = _UNITS_WORDS[low]
    else:
        tens, _, unit = low.replace("-", " ").partition(" ")
        if tens not in _TENS_WORDS:
            return None
        value = _TENS_WORDS[tens] + _UNITS_WORDS.get(unit, 0)
    if scale:
        for word in re.findall(r"[a-z]+", scale.lower()):
            word = word.rstrip("s") if word not in ("bn", "mn") else word
            if word == "dozen":
                value *= 12
            elif word in _SCALE:
                value *= _SCALE[word]
            elif word == "m":
                value *= 1_000_000
            elif word == "k":
                value *= 1_000
            if value > MAX_VALUE:
                return None
    if not math.isfinite(value) or value > MAX_VALUE:
        return None
    return int(value) if value == int(value) else value


def _figure_at(sentence: str, m: re.Match[str]) -> FoundFigure | None:
    start, end = m.span()
    hedge = "exact"
    value: Number | list[Number]
    unit: str | None = None
    if m.group("vague"):
        words = m.group("vague").lower().split()
        value = _VAGUE[words[0]]
        if len(words) > 2:  # "hundreds of thousands of"
            value *= _VAGUE[words[2]] // 2
        hedge = "at_least"
        counted, noun_end = _counted_after(sentence, end)
        if not counted:
            return None
    else:
        num = m.group("num")
        if num is None:
            return None
        start = m.start("cur") if m.group("cur") else m.start("num")
        tail = m.group("tail")
        scale = m.group("scale")
        if tail and tail.lower() in _ORDINAL_TAILS:
            return None
        if tail and tail.lower() not in _ALLOWED_TAILS:
            return None
        if not scale and not tail and _YEAR.fullmatch(num) and not _NOUN_NEXT.match(sentence, end):
            return None  # "in 2016," "the 1994 ceasefire": a year; the full check is below
        if (
            num[0].isdigit()
            and not scale
            and tail
            and tail.lower() in ("m", "k")
            and not m.group("cur")
        ):
            unit = _UNIT_OF.get(tail.lower())
        parsed = _parse_number(num, None if tail in ("m", "k") and unit else scale)
        if parsed is None:
            return None
        if tail in ("k",) and not unit:
            parsed = parsed * 1000
        value = parsed
        word_number = not num[0].isdigit()
        if m.group("cur"):
            unit = _CURRENCY.get(m.group("cur").lower(), "USD")
        elif tail == "%":
            unit = "%"
        elif tail and tail.lower() in ("km", "kg"):
            unit = tail.lower()
        # "20 or more homes", "26,000+ weapons": the hedge sits between number and noun.
        trailing = _HEDGE_AFTER.match(sentence, end)
        counted, noun_end = _counted_after(sentence, trailing.end() if trailing else end)
        if _not_a_figure(sentence, m, num, scale, tail, counted, word_number):
            return None
        # A range: "10-15 people", "between 10 and 15", "10 to 15".
        r = _RANGE_JOIN.match(sentence, m.end("num") if not scale and not tail else end)
        if r and not counted:
            other = _RANGE_HIGH.match(sentence, r.end())
            joiner = r.group().strip().lower()
            before = sentence[max(0, start - 8) : start].lower()
            if (
                other
                and other.group("num")
                and (joiner != "and" or before.endswith("between "))
                and not before.endswith("from ")
            ):
                high = _parse_number(other.group("num"), other.group("scale") or scale)
                if high is not None and isinstance(value, int | float) and high > value:
                    if not scale and other.group("scale"):
                        value = _parse_number(num, other.group("scale")) or value
                    value = [value, high]
                    end = other.end()
                    counted, noun_end = _counted_after(sentence, end)
                    if before.endswith("between "):
                        start -= 8
        before_word = sentence[max(0, start - 16) : start].rsplit(None, 1)
        h = (
            _HEDGE_BEFORE.search(sentence, max(0, start - 30), start)
            if before_word and before_word[-1].lower().lstrip("([“\"'‘—–-") in _HEDGE_LAST_WORDS
            else None
        )
        if h:
            hedge = next(k for k, v in h.groupdict().items() if v)
            start = h.start()
        elif num.lower() == "a" and scale and "dozen" in scale.lower():
            hedge = "about"  # "a dozen" is a round number
        after = trailing or _HEDGE_AFTER.match(sentence, noun_end if counted else end)
        if after and hedge == "exact":
            hedge = "about" if "so" in after.group().lower() else "at_least"
    if not counted and unit:
        counted = _UNIT_NAME.get(unit, unit)
        noun_end = end
    elif not counted:
        counted = _counted_before(sentence, start)
        noun_end = end
    if unit is None and counted in _UNIT_OF:
        unit = _UNIT_OF[counted]
    counted = _COUNTED_ALIAS.get(counted, counted)
    if not counted:
        return None
    casualty = _is_casualty(sentence, start, noun_end, counted)
    side = _side(sentence, start, noun_end) if casualty else None
    text = sentence[start:noun_end]
    fig = Figure(value=value, hedge=hedge, counted=counted, side=side, unit=unit, text=text)
    return FoundFigure(start, noun_end, fig, casualty)


def _not_a_figure(
    sentence: str,
    m: re.Match[str],
    num: str,
    scale: str | None,
    tail: str | None,
    counted: str,
    word_number: bool,
) -> bool:
    s = m.start("num")
    prev_words = sentence[max(0, s - 25) : s].split()
    prev = prev_words[-1] if prev_words else ""
    prev_low = prev.lower().strip('(“"')
    nxt = sentence[m.end() : m.end() + 12].split()
    nxt_low = nxt[0].lower().strip('.,;:)”"') if nxt else ""
    if word_number:
        low = num.lower()
        if prev_low in _REFERENTIAL or prev_low in ("no", "which"):
            return True
        if nxt_low in ("another", "other", "by", "day", "time", "point", "way", "another's"):
            return True
        if low in ("one", "a") and not scale:
            if nxt_low == "of":
                return True
            return counted not in PERSON_NOUNS and counted not in _UNIT_OF
        return not counted and not scale
    digits = num.replace(",", "")
    if (
        not scale
        and not tail
        and len(digits) == 4
        and digits.isdigit()
        and 1000 <= int(digits) <= 2100
        and "," not in num
        and (not counted.endswith("s") or prev_low in _YEAR_BEFORE or counted in MONTHS)
    ):
        return True  # a year
    if (
        digits.isdigit()
        and int(digits) <= 31
        and not scale
        and (prev_low.rstrip(".") in MONTHS or nxt_low.rstrip(".") in MONTHS)
    ):
        return True  # a day of the month
    if prev_low in _IDENTIFIER_BEFORE:
        return True
    # "Boeing 737", "Apollo 11": a capitalised word right before is a name, unless it opens
    # the sentence ("Nearly 100 ...") or is a country ("Azerbaijan 12, Armenia 4").
    return (
        prev[:1].isupper()
        and sentence[s - 1 : s] == " "
        and len(prev_words) > 1
        and not m.group("cur")
        and prev_low not in COUNTRY_OF
    )


def _counted_after(sentence: str, pos: int) -> tuple[str, int]:
    """Head noun of the phrase after a number, and where that phrase ends."""
    words: list[str] = []
    end = pos
    seen_of = False
    for i, t in enumerate(_TOKEN.finditer(sentence, pos, min(len(sentence), pos + 80))):
        tok = t.group()
        low = tok.lower().strip("’'")
        if i > 7:
            break
        if not tok[0].isalnum():
            if tok == "%" and not words:
                words.append("percent")
                end = t.end()
                continue
            break
        if tok[0].isdigit():
            if any(c.isalpha() for c in tok) and words:
                continue  # "MiG-29" inside "MiG-29 fighter jets" already started
            break
        if low == "of" and not words and not seen_of:
            seen_of = True
            continue
        if seen_of and not words and low in ("the", "these", "those", "its", "their", "our"):
            continue
        if seen_of and not words and low in ("them", "us", "whom", "which"):
            return "people", t.end()
        if low in _NP_STOP:
            break
        if words and (low.endswith("ing") or low.endswith("ed")) and low not in _NOUN_ING_ED:
            break
        if low in ("per", "cent") and words == [] and low == "per":
            break
        if "-" in low and low.endswith(("-old", "-long", "-year", "-day")):
            return "", pos  # "45-year-old": an age or a duration used as an adjective
        words.append(low)
        end = t.end()
        if low in _UNIT_OF or low in CASUALTY_NOUNS or len(words) >= 4:
            break
    if not words:
        return "", pos
    if words[-1] == "cent" and len(words) >= 2 and words[-2] == "per":
        return "percent", end
    head = words[-1]
    if head in COUNTRY_OF and len(words) > 1:
        head = words[-2]
    if head.endswith("-strong") or head in COUNTRY_OF:
        return "", pos
    return head.strip(".’'"), end


def _counted_before(sentence: str, start: int) -> str:
    """For "a population of 10 million": the noun before the number says what it counts."""
    words = re.findall(r"[A-Za-z][\w’'-]*", sentence[max(0, start - 60) : start])
    for w in reversed(words[-5:]):
        low = w.lower()
        if low in _LOOKBACK_SKIP:
            continue
        if low.endswith(("ed", "ing", "ly")) or low in _NP_STOP:
            return ""
        return low
    return ""


def _is_casualty(sentence: str, start: int, end: int, counted: str) -> bool:
    if counted in CASUALTY_NOUNS:
        if counted == "lives":
            return bool(_LIVES_VERB.search(sentence, max(0, start - 60), start))
        if counted == "victims":
            return bool(_CASUALTY_NEAR.search(sentence, max(0, start - 80), end + 80))
        return True
    if counted not in PERSON_NOUNS:
        return False
    return bool(_CASUALTY_NEAR.search(sentence, max(0, start - 60), min(len(sentence), end + 110)))


def _side(sentence: str, start: int, end: int) -> str | None:
    """Whose casualties: an adjective in the phrase, else the next "from X" in the clause."""
    for w in re.findall(r"[A-Z][\w.’'-]*", sentence[start:end]):
        country = COUNTRY_OF.get(w.lower().rstrip("’'s") if w.endswith(("’s", "'s")) else w.lower())
        if country:
            return country
    window_end = min(len(sentence), end + 120)
    both = _BOTH_SIDES.search(sentence, end, window_end)
    tokens = list(_SIDE_TOKEN.finditer(sentence, end, window_end))
    for i, t in enumerate(tokens):
        tok = t.group()
        low = tok.lower()
        if both and t.start() >= both.start():
            return "both"
        if low in _SIDE_STOP or tok in ";:.!?":
            break
        if low in ("from", "of", "in") and i + 1 < len(tokens):
            name = tokens[i + 1].group()
            two = f"{name} {tokens[i + 2].group()}" if i + 2 < len(tokens) else name
            country = COUNTRY_OF.get(two.lower()) or COUNTRY_OF.get(name.lower())
            if country and name[:1].isupper():
                return country
        if tok[:1].isupper() and low in COUNTRY_OF and i + 1 < len(tokens):
            nxt = tokens[i + 1].group().lower()
            if nxt in ("side", "forces", "army", "troops", "soldiers", "military"):
                return COUNTRY_OF[low]
    if both:
        return "both"
    return None
