"""Generate a newsroom-sized dataset for benchmarks: articles, claims in every workflow state,
reviewers' ratings, sources, verdicts and a history consistent with each claim's state.

    python manage.py generate_dataset --articles 2000 --claims-per-article 50 --seed 1

Rows go in with COPY on PostgreSQL (``bulk_create`` elsewhere), a chunk of articles per
transaction: 2,000 articles and 100,000 claims take 80-110 s on PostgreSQL (bench/RESULTS.md)
rather than the hours the services would take one transition at a time. The services are not
called, so this command has to produce what they would have produced, and is tested for that
(tests/scale/test_generate_dataset.py).

Deterministic: the same ``--seed`` and ``--until`` give the same rows. Timestamps are spread
over the ``--days`` before ``--until`` (today by default). Generated accounts cannot sign in
(no usable password). It lives in ``annotations`` because ratings and sources live there.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connection, connections, reset_queries, transaction
from django.utils import timezone

from annotations.models import ClaimSource, Rating, Source
from claims.models import (
    Article,
    Claim,
    ClaimAssignment,
    ClaimHistory,
    ClaimStatus,
    RatingLabel,
    RatingScale,
    Verdict,
    content_hash,
)
from claims.services import quote_selector

S = ClaimStatus
A = ClaimHistory.Action

# How a newsroom's claims are spread over the workflow: most are waiting or being worked on,
# about one in seven has a published verdict, a few are corrected, retracted or dismissed.
STATE_WEIGHTS: dict[str, float] = {
    S.NEW: 38.0,
    S.IN_REVIEW: 26.0,
    S.PROPOSED: 6.0,
    S.CHANGES_REQUESTED: 3.0,
    S.APPROVED: 4.0,
    S.PUBLISHED: 12.0,
    S.CORRECTED: 1.5,
    S.RETRACTED: 1.0,
    S.DISMISSED: 8.5,
}
# Verdicts lean false, as fact-checkers' published ratings do.
LABEL_WEIGHTS: dict[str, float] = {
    "false": 28.0,
    "mostly-false": 20.0,
    "half-true": 18.0,
    "mostly-true": 13.0,
    "true": 10.0,
    "misleading": 7.0,
    "unverifiable": 4.0,
}
WITH_VERDICT = frozenset(
    {S.PROPOSED, S.CHANGES_REQUESTED, S.APPROVED, S.PUBLISHED, S.CORRECTED, S.RETRACTED}
)
WAS_PUBLISHED = frozenset({S.PUBLISHED, S.CORRECTED, S.RETRACTED})
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# --- vocabulary: the sample article's world, and four other beats a desk covers ------------------

TOPICS: list[dict[str, Any]] = [
    {
        "name": "conflict",
        "countries": ["Armenia", "Azerbaijan", "Russia", "Turkey", "Georgia", "Iran"],
        "places": [
            "Tavush",
            "Tovuz",
            "Nagorno-Karabakh",
            "Baku",
            "Yerevan",
            "Metsamor",
            "Stepanakert",
            "Ganja",
            "Shusha",
            "Lachin",
            "Agdam",
            "Fizuli",
        ],
        "people": [
            ("Ilham Aliyev", "President"),
            ("Nikol Pashinyan", "Prime Minister"),
            ("Kerim Veliyev", "Deputy Defence Minister"),
            ("Vagif Dargyakhly", "Defence Ministry spokesman"),
            ("Sushan Stepanyan", "Defence Ministry spokeswoman"),
            ("Artsrun Hovhannisyan", "military analyst"),
            ("Dmitry Peskov", "Kremlin spokesman"),
            ("Hulusi Akar", "Defence Minister"),
            ("Recep Tayyip Erdogan", "President"),
            ("Sergei Shoigu", "Defence Minister"),
            ("Antonio Guterres", "UN Secretary-General"),
            ("Elmar Mamedyarov", "Foreign Minister"),
        ],
        "bodies": [
            "the Defence Ministry",
            "the Foreign Ministry",
            "the OSCE Minsk Group",
            "the Kremlin",
            "TASS",
            "Reuters",
            "the BBC",
            "AP",
            "the border guard service",
            "the prosecutor's office",
        ],
        "counted": ["soldiers", "civilians", "servicemen", "troops", "officers", "villagers"],
        "things": [
            "tanks",
            "drones",
            "artillery shells",
            "missiles",
            "armoured vehicles",
            "aircraft",
            "warships",
        ],
        "accusations": [
            "violating the ceasefire",
            "shelling villages with mortars",
            "targeting civilians",
            "using banned cluster munitions",
            "moving heavy weapons to the border",
            "inciting riots",
        ],
        "events": [
            "launched a drone attack",
            "shelled border villages",
            "moved troops to the front line",
            "closed the border crossing",
            "held military exercises",
            "recalled its ambassador",
        ],
        "quotes": [
            "The Armenian side must not forget that our missile systems are capable of "
            "a precision strike",
            "We strongly condemn the nuclear threats voiced by the other side",
            "It can be considered that the tension has been greatly eased",
            "We call on both sides to exercise restraint and respect the ceasefire",
            "Russia is ready to provide its mediation efforts for a settlement",
            "This attack was not on the line of contact but directly on the border",
        ],
        "headlines": [
            "border clashes threaten broader war",
            "ceasefire collapses near {place}",
            "shelling reported in {place}",
            "talks stall as fighting spreads",
            "casualties mount after clashes near {place}",
        ],
    },
    {
        "name": "health",
        "countries": ["Armenia", "Azerbaijan", "Italy", "Brazil", "India", "Kenya", "Peru"],
        "places": [
            "Lombardy",
            "Sao Paulo",
            "Mumbai",
            "Nairobi",
            "Lima",
            "Yerevan",
            "Baku",
            "Milan",
            "Delhi",
            "Mombasa",
        ],
        "people": [
            ("Tedros Adhanom Ghebreyesus", "WHO Director-General"),
            ("Anahit Avanesyan", "Health Minister"),
            ("Roberto Speranza", "Health Minister"),
            ("Mutahi Kagwe", "Health Minister"),
            ("Maria Van Kerkhove", "WHO epidemiologist"),
            ("Jair Bolsonaro", "President"),
            ("Harsh Vardhan", "Health Minister"),
        ],
        "bodies": [
            "the Health Ministry",
            "the World Health Organization",
            "the national statistics office",
            "the civil protection agency",
            "the hospital association",
            "Johns Hopkins University",
        ],
        "counted": [
            "cases",
            "deaths",
            "patients",
            "infections",
            "hospital admissions",
            "vaccinations",
            "tests",
        ],
        "things": [
            "ventilators",
            "vaccine doses",
            "face masks",
            "intensive care beds",
            "test kits",
        ],
        "accusations": [
            "hiding the true number of deaths",
            "hoarding vaccine doses",
            "ignoring the advice of scientists",
            "delaying the lockdown",
        ],
        "events": [
            "imposed a nationwide lockdown",
            "reopened schools",
            "closed its borders",
            "began mass vaccination",
            "declared a state of emergency",
            "lifted the curfew",
        ],
        "quotes": [
            "The pandemic is far from over",
            "Our hospitals are at full capacity",
            "We have flattened the curve",
            "The vaccine is safe and effective",
            "Testing is the key to stopping the spread of the virus",
        ],
        "headlines": [
            "hospitals overwhelmed in {place}",
            "lockdown extended in {place}",
            "vaccination drive falls behind",
            "new wave of infections in {place}",
        ],
    },
    {
        "name": "economy",
        "countries": ["Turkey", "Argentina", "Germany", "Nigeria", "Japan", "Armenia", "Egypt"],
        "places": [
            "Istanbul",
            "Buenos Aires",
            "Frankfurt",
            "Lagos",
            "Tokyo",
            "Cairo",
            "Ankara",
            "Hamburg",
            "Osaka",
        ],
        "people": [
            ("Lutfi Elvan", "Finance Minister"),
            ("Martin Guzman", "Economy Minister"),
            ("Christine Lagarde", "ECB President"),
            ("Zainab Ahmed", "Finance Minister"),
            ("Haruhiko Kuroda", "central bank governor"),
            ("Kristalina Georgieva", "IMF Managing Director"),
        ],
        "bodies": [
            "the central bank",
            "the statistics office",
            "the IMF",
            "the World Bank",
            "the Finance Ministry",
            "the chamber of commerce",
            "the employers' federation",
        ],
        "counted": [
            "jobs",
            "workers",
            "companies",
            "households",
            "tonnes of wheat",
            "barrels of oil",
        ],
        "things": [
            "the minimum wage",
            "fuel prices",
            "interest rates",
            "the budget deficit",
            "public debt",
            "exports",
        ],
        "accusations": [
            "manipulating the inflation figures",
            "hiding the budget deficit",
            "favouring state companies",
            "breaking the trade agreement",
        ],
        "events": [
            "raised interest rates",
            "devalued the currency",
            "cut fuel subsidies",
            "signed a trade agreement",
            "froze public sector pay",
            "announced a stimulus package",
        ],
        "quotes": [
            "Inflation will come down by the end of the year",
            "The economy is stronger than it has ever been",
            "We will not raise taxes on working families",
            "Unemployment is at its lowest level in a decade",
        ],
        "headlines": [
            "inflation hits record in {place}",
            "currency slides as reserves fall",
            "strike over wages spreads to {place}",
            "budget gap widens",
        ],
    },
    {
        "name": "elections",
        "countries": ["Georgia", "Poland", "Mexico", "Kenya", "Belarus", "Bolivia", "Ukraine"],
        "places": [
            "Tbilisi",
            "Warsaw",
            "Mexico City",
            "Nairobi",
            "Minsk",
            "La Paz",
            "Kyiv",
            "Batumi",
            "Krakow",
            "Kisumu",
        ],
        "people": [
            ("Bidzina Ivanishvili", "party leader"),
            ("Andrzej Duda", "President"),
            ("Andres Manuel Lopez Obrador", "President"),
            ("Raila Odinga", "opposition leader"),
            ("Svetlana Tikhanovskaya", "opposition candidate"),
            ("Luis Arce", "presidential candidate"),
            ("Volodymyr Zelensky", "President"),
        ],
        "bodies": [
            "the election commission",
            "the OSCE observer mission",
            "the Interior Ministry",
            "the opposition coalition",
            "the Supreme Court",
            "the ruling party",
        ],
        "counted": ["votes", "voters", "ballots", "polling stations", "seats", "protesters"],
        "things": ["the voter roll", "postal ballots", "the vote count", "campaign spending"],
        "accusations": [
            "rigging the vote",
            "buying votes",
            "intimidating observers",
            "stuffing ballot boxes",
            "blocking opposition candidates",
        ],
        "events": [
            "annulled the results",
            "ordered a recount",
            "arrested opposition leaders",
            "extended voting hours",
            "banned the protest",
            "certified the results",
        ],
        "quotes": [
            "This election was free and fair",
            "The count was stolen from the people",
            "We will accept the result whatever it is",
            "Every vote must be counted",
        ],
        "headlines": [
            "recount ordered in {place}",
            "opposition claims fraud",
            "protests after disputed vote in {place}",
            "turnout falls",
        ],
    },
    {
        "name": "climate",
        "countries": ["Australia", "Greece", "Pakistan", "Canada", "Bangladesh", "Spain"],
        "places": [
            "New South Wales",
            "Evia",
            "Sindh",
            "British Columbia",
            "Sylhet",
            "Valencia",
            "Attica",
            "Karachi",
            "Lytton",
        ],
        "people": [
            ("Scott Morrison", "Prime Minister"),
            ("Kyriakos Mitsotakis", "Prime Minister"),
            ("Sherry Rehman", "Climate Minister"),
            ("Steven Guilbeault", "Environment Minister"),
            ("Teresa Ribera", "Environment Minister"),
        ],
        "bodies": [
            "the meteorological office",
            "the fire service",
            "the Environment Ministry",
            "the UN climate panel",
            "the disaster management authority",
            "Greenpeace",
        ],
        "counted": ["hectares", "homes", "people", "residents", "firefighters", "acres"],
        "things": ["carbon emissions", "coal exports", "rainfall", "sea levels", "temperatures"],
        "accusations": [
            "ignoring the warnings",
            "underreporting emissions",
            "cutting the fire service budget",
            "approving new coal mines",
        ],
        "events": [
            "evacuated thousands of residents",
            "declared a state of disaster",
            "banned new coal mines",
            "ordered the evacuation of {place}",
            "closed the national park",
        ],
        "quotes": [
            "This is the climate emergency we were warned about",
            "We will reach net zero by 2050",
            "The fires are under control",
            "No government could have prepared for this",
        ],
        "headlines": [
            "wildfires spread across {place}",
            "floods displace thousands in {place}",
            "record heat in {place}",
            "emissions target missed",
        ],
    },
]

OUTLETS = [
    ("Caucasus Daily", "caucasus-daily.example"),
    ("The World Desk", "worlddesk.example"),
    ("Evening Courier", "evening-courier.example"),
    ("Northern Herald", "northern-herald.example"),
    ("Global Wire", "globalwire.example"),
    ("The Observer Post", "observer-post.example"),
    ("Metro Times", "metrotimes.example"),
    ("Daily Ledger", "daily-ledger.example"),
]
PUBLISHERS = [
    ("Ministry of Defence", "mod.example", Source.Kind.PRIMARY),
    ("Statistics Office", "stats.example", Source.Kind.PRIMARY),
    ("World Health Organization", "who.example", Source.Kind.PRIMARY),
    ("Election Commission", "elections.example", Source.Kind.PRIMARY),
    ("Reuters", "reuters.example", Source.Kind.SECONDARY),
    ("AP", "apnews.example", Source.Kind.SECONDARY),
    ("BBC", "bbc.example", Source.Kind.SECONDARY),
    ("Local Telegram channel", "t.example", Source.Kind.UNVERIFIED),
]
FIRST = [
    "Anna",
    "David",
    "Maria",
    "Samuel",
    "Lena",
    "Omar",
    "Chen",
    "Priya",
    "Tomas",
    "Ines",
    "Kofi",
    "Yuki",
    "Sara",
    "Marco",
    "Nadia",
    "Pavel",
    "Grace",
    "Luis",
    "Hana",
    "Ivan",
]
LAST = [
    "Petrosyan",
    "Aliyeva",
    "Novak",
    "Okafor",
    "Silva",
    "Kim",
    "Haddad",
    "Larsen",
    "Rossi",
    "Mendez",
    "Schmidt",
    "Tanaka",
    "Kowalski",
    "Dubois",
    "Moreno",
    "Ahmed",
    "Brown",
    "Ito",
]
FILLERS = [
    "The situation remains tense.",
    "Observers warn that the crisis could deepen in the coming weeks.",
    "It is not yet clear what will happen next.",
    "Analysts see the move as a warning to rivals at home and abroad.",
    "The events have revived old fears in the region.",
    "Many residents say they no longer trust official statements.",
    "This is, in our view, a dangerous escalation.",
    "Critics argue that the response came far too late.",
    "Whether the truce will hold is anyone's guess.",
    "Diplomats are expected to meet again next week.",
]
SUMMARIES = {
    "true": "The record confirms the claim.",
    "mostly-true": "Broadly accurate, but the figure is rounded.",
    "half-true": "Partly accurate; important context is missing.",
    "mostly-false": "The record contradicts the main point of the claim.",
    "false": "No evidence supports the claim; the record contradicts it.",
    "misleading": "Accurate in its parts but arranged to mislead.",
    "unverifiable": "No available evidence can confirm or refute it.",
}


def _fmt(n: int) -> str:
    return f"{n:,}"


@dataclass
class ClaimDraft:
    """A claim sentence before it has a place in the text."""

    text: str
    types: list[str]
    speaker: str = ""
    figures: list[dict[str, Any]] = field(default_factory=list)
    day: str | None = None
    cues: list[str] = field(default_factory=list)


class Composer:
    """Sentences and articles from templates and a beat's vocabulary, all from one RNG."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, seq: list[Any]) -> Any:
        return self.rng.choice(seq)

    def person(self, topic: dict[str, Any]) -> tuple[str, str]:
        name, role = self.pick(topic["people"])
        return name, role

    def claim(self, topic: dict[str, Any]) -> ClaimDraft:
        r, p = self.rng, self.pick
        place, country, body = p(topic["places"]), p(topic["countries"]), p(topic["bodies"])
        day = p(WEEKDAYS)
        counted = p(topic["counted"])
        kind = r.randrange(14)
        if kind == 0:
            n = r.randint(2, 120)
            return ClaimDraft(
                f"At least {n} {counted} were killed in {place} on {day}, {body} said.",
                ["casualty", "attribution"],
                body,
                [{"value": n, "hedge": "at_least", "counted": counted, "side": country}],
                day,
                ["casualty_figure", "hedge_at_least", "attribution"],
            )
        if kind == 1:
            n = r.randint(3, 400)
            return ClaimDraft(
                f"{body[0].upper() + body[1:]} said {n} {counted} had been wounded near {place}.",
                ["casualty", "attribution"],
                body,
                [{"value": n, "hedge": "exact", "counted": counted, "side": country}],
                None,
                ["casualty_figure", "attribution"],
            )
        if kind == 2:
            n = r.randint(10, 300)
            name, role = self.person(topic)
            return ClaimDraft(
                f"{role[0].upper() + role[1:]} {name} claimed on {day} that nearly {n} "
                f"{counted} from {country} have died since the start of the month.",
                ["casualty", "attribution"],
                name,
                [{"value": n, "hedge": "nearly", "counted": counted, "side": country}],
                day,
                ["casualty_figure", "hedge_nearly", "attribution"],
            )
        if kind == 3:
            n, m = r.randint(1_000, 900_000), r.randint(10, 20_000)
            return ClaimDraft(
                f"{country} has registered more than {_fmt(n)} {counted} and {_fmt(m)} deaths, "
                f"according to {body}.",
                ["quantity", "attribution"],
                body,
                [
                    {"value": n, "hedge": "more_than", "counted": counted, "side": country},
                    {"value": m, "hedge": "exact", "counted": "deaths", "side": country},
                ],
                None,
                ["figure", "hedge_more_than", "attribution"],
            )
        if kind == 4:
            n = r.randrange(500, 200_000, 500)
            return ClaimDraft(
                f"About {_fmt(n)} people took part in a demonstration in {place} on {day}.",
                ["quantity", "event"],
                "",
                [{"value": n, "hedge": "about", "counted": "people", "side": None}],
                day,
                ["figure", "hedge_about", "event"],
            )
        if kind == 5:
            x = round(r.uniform(0.5, 85.0), 1)
            thing = p(topic["things"])
            return ClaimDraft(
                f"{thing[0].upper() + thing[1:]} in {country} rose by {x} percent in "
                f"{p(MONTHS)}, {body} reported.",
                ["quantity", "attribution"],
                body,
                [{"value": x, "hedge": "exact", "counted": thing, "unit": "percent"}],
                None,
                ["figure", "attribution"],
            )
        if kind == 6:
            n, year = r.randint(2, 60), r.randint(1990, 2019)
            return ClaimDraft(
                f"{country} now has {n} times more {counted} than in {year}, {body} said on {day}.",
                ["quantity", "attribution"],
                body,
                [{"value": n, "hedge": "exact", "counted": counted, "side": country}],
                day,
                ["figure", "comparison", "attribution"],
            )
        if kind == 7:
            name, _role = self.person(topic)
            return ClaimDraft(
                f"\u201c{p(topic['quotes'])},\u201d {name} said on {day}.",
                ["quote"],
                name,
                [],
                day,
                ["quote", "named_speaker"],
            )
        if kind == 8:
            name, role = self.person(topic)
            return ClaimDraft(
                f"{role[0].upper() + role[1:]} {name} said: \u201c{p(topic['quotes'])}.\u201d",
                ["quote"],
                name,
                [],
                None,
                ["quote", "named_speaker"],
            )
        if kind == 9:
            other = p([c for c in topic["countries"] if c != country] or topic["countries"])
            return ClaimDraft(
                f"{body[0].upper() + body[1:]} accused {other} of {p(topic['accusations'])}.",
                ["attribution"],
                body,
                [],
                None,
                ["accusation"],
            )
        if kind == 10:
            name, _role = self.person(topic)
            event = p(topic["events"]).format(place=place)
            return ClaimDraft(
                f"{name} denied on {day} that {country} had {event}.",
                ["attribution", "event"],
                name,
                [],
                day,
                ["denial", "event"],
            )
        if kind == 11:
            event = p(topic["events"]).format(place=place)
            return ClaimDraft(
                f"{country} {event} in {place} on {day}.",
                ["event"],
                "",
                [],
                day,
                ["event"],
            )
        if kind == 12:
            n = r.randint(2, 5_000)
            thing = p(topic["things"])
            return ClaimDraft(
                f"{body[0].upper() + body[1:]} reported that {country} had moved {_fmt(n)} "
                f"{thing} to {place}.",
                ["quantity", "attribution", "event"],
                body,
                [{"value": n, "hedge": "exact", "counted": thing, "side": country}],
                None,
                ["figure", "attribution", "event"],
            )
        name, role = self.person(topic)
        name2, role2 = self.person(topic)
        return ClaimDraft(
            f"{name} sacked {role2} {name2} on {day} after weeks of criticism.",
            ["event"],
            name,
            [],
            day,
            ["event", "named_entities"],
        )

    def title(self, topic: dict[str, Any]) -> str:
        place = self.pick(topic["places"])
        headline = self.pick(topic["headlines"]).format(place=place)
        return f"{self.pick(topic['countries'])}: {headline}"


def _resolve_day(day: str | None, published: dt.date) -> dt.date | None:
    """ "On Tuesday" in an article means the latest Tuesday on or before its publication."""
    if day is None:
        return None
    back = (published.weekday() - WEEKDAYS.index(day)) % 7
    return published - dt.timedelta(days=back)


class Command(BaseCommand):
    help = "Generate a large, realistic dataset (articles, claims in every state, history)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=20)
        parser.add_argument("--claims-per-article", type=int, default=50)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--reviewers", type=int, default=12)
        parser.add_argument("--editors", type=int, default=4)
        parser.add_argument(
            "--days",
            type=int,
            default=365,
            help="Spread the articles over this many days before --until.",
        )
        parser.add_argument(
            "--until",
            type=dt.date.fromisoformat,
            default=None,
            help="The newest article's day (YYYY-MM-DD; default today).",
        )
        parser.add_argument("--chunk", type=int, default=100, help="Articles per transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        n_articles, per_article = options["articles"], options["claims_per_article"]
        if n_articles < 1 or per_article < 1:
            raise CommandError("--articles and --claims-per-article must be at least 1.")
        started = time.perf_counter()
        self.rng = random.Random(options["seed"])
        self.seed = options["seed"]
        self.composer = Composer(self.rng)
        until = options["until"] or timezone.localdate()
        self.until = dt.datetime.combine(until, dt.time(18, 0), tzinfo=dt.UTC)
        self.days = max(1, options["days"])
        self.labels = self._labels()
        self.reviewers, self.editors = self._users(options["reviewers"], options["editors"])
        self.sources: list[Source] = []
        self.new_sources: list[Source] = []  # made in this chunk, not saved yet
        self.counts: dict[str, int] = {}
        self.state_counts: dict[str, int] = dict.fromkeys(S.values, 0)

        for first in range(0, n_articles, options["chunk"]):
            last = min(n_articles, first + options["chunk"])
            with transaction.atomic():
                self._chunk(range(first, last), n_articles, per_article)
            reset_queries()  # DEBUG keeps every statement: do not let a big run keep them all
            if self.verbosity_ok(options):
                self.stdout.write(f"  {last:,}/{n_articles:,} articles", ending="\r")
                self.stdout.flush()

        if self.verbosity_ok(options):
            self.stdout.write("")
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner keeps estimating the tables as empty until
            # autovacuum gets round to them; and VACUUM too, as autovacuum would have done on a
            # database in use: it sets the visibility map, without which an index-only scan
            # (the public feed's count of visible claims) visits every row's page, and flushes
            # the GIN index's pending list. VACUUM cannot run inside a transaction (a test's).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Generated {self.counts.get('articles', 0):,} articles and "
            f"{self.counts.get('claims', 0):,} claims (seed {self.seed}) in {elapsed:.1f} s."
        )
        self.stdout.write(
            "Rows: " + ", ".join(f"{k} {v:,}" for k, v in self.counts.items() if k != "claims")
        )
        self.stdout.write(
            "Claims by state: " + ", ".join(f"{k} {v:,}" for k, v in self.state_counts.items())
        )

    @staticmethod
    def verbosity_ok(options: dict[str, Any]) -> bool:
        return int(options.get("verbosity", 1)) >= 1

    def _count(self, what: str, n: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    # --- setup -------------------------------------------------------------------------------

    def _labels(self) -> dict[str, RatingLabel]:
        try:
            scale = RatingScale.default()
        except RatingScale.DoesNotExist:
            raise CommandError("There is no default rating scale; run migrate first.") from None
        labels = {label.slug: label for label in scale.labels.all()}
        missing = set(LABEL_WEIGHTS) - set(labels)
        if missing:
            raise CommandError(f"The default scale lacks the labels {sorted(missing)}.")
        return labels

    def _users(self, n_reviewers: int, n_editors: int) -> tuple[list[Any], list[Any]]:
        if n_reviewers < 2 or n_editors < 2:
            raise CommandError("At least two reviewers and two editors (four-eyes rule).")
        User = get_user_model()
        made: dict[str, list[Any]] = {"reviewer": [], "editor": []}
        for role, count in (("reviewer", n_reviewers), ("editor", n_editors)):
            try:
                group = Group.objects.get(name=role)
            except Group.DoesNotExist:
                raise CommandError(f"There is no {role!r} group; run migrate first.") from None
            for i in range(count):
                first = FIRST[(i * 7 + (role == "editor") * 3) % len(FIRST)]
                last = LAST[(i * 5 + (role == "editor") * 11) % len(LAST)]
                user, created = User.objects.get_or_create(
                    username=f"gen-{role}-{i + 1:02d}",
                    defaults={
                        "first_name": first,
                        "last_name": last,
                        "email": f"gen-{role}-{i + 1:02d}@example.org",
                    },
                )
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                    user.groups.add(group)
                made[role].append(user)
        return made["reviewer"], made["editor"]

    # --- writing rows ----------------------------------------------------------------------

    def _insert(self, objs: list[Any]) -> None:
        """Insert model instances, setting their primary keys.

        On PostgreSQL: keys drawn from the table's sequence in one query, then COPY, which is
        several times faster than ``bulk_create``'s multi-row INSERTs (Django builds and
        psycopg quotes every value of those in Python). Row triggers still fire, so each
        claim's search vector is computed. Elsewhere: ``bulk_create``.
        """
        if not objs:
            return
        model = type(objs[0])
        if connection.vendor != "postgresql":
            model.objects.bulk_create(objs, batch_size=1000)
            return
        db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-access proxy
        opts = model._meta
        fields = [f for f in opts.concrete_fields if f.name != "search_vector"]
        for obj in objs:
            for f in fields:
                if f.is_relation and f.is_cached(obj):
                    related = f.get_cached_value(obj)
                    if related is not None:
                        setattr(obj, f.attname, related.pk)
        pk = opts.pk
        with db.cursor() as cursor:
            missing = [o for o in objs if o.pk is None]
            if missing:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [opts.db_table, pk.column, len(missing)],
                )
                for obj, (key,) in zip(missing, cursor.fetchall(), strict=True):
                    setattr(obj, pk.attname, key)
            columns = ", ".join(db.ops.quote_name(f.column) for f in fields)
            table = db.ops.quote_name(opts.db_table)
            prepared = [(f.attname, f.get_db_prep_save) for f in fields]
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for obj in objs:
                    copy.write_row([prep(getattr(obj, name), db) for name, prep in prepared])
            for obj in objs:
                obj._state.adding = False
                obj._state.db = db.alias

    # --- one chunk of articles, in one transaction -------------------------------------------

    def _chunk(self, indices: range, n_articles: int, per_article: int) -> None:
        rng = self.rng
        articles: list[Article] = []
        drafts: list[list[tuple[int, int, ClaimDraft]]] = []
        for i in indices:
            article, spans = self._article(i, n_articles, per_article)
            articles.append(article)
            drafts.append(spans)
        hashes = [a.content_hash for a in articles]
        if Article.objects.filter(content_hash__in=hashes).exists():
            raise CommandError(
                f"Articles of seed {self.seed} are already in this database; "
                "use another --seed (or a fresh database)."
            )
        self._insert(articles)
        self._count("articles", len(articles))

        claims: list[Claim] = []
        plans: list[list[tuple[str, Any, dt.datetime, str, str, dict[str, Any]]]] = []
        verdict_plans: list[dict[str, Any] | None] = []
        assignments: list[ClaimAssignment] = []
        ratings: list[Rating] = []
        uses: list[ClaimSource] = []
        for article, spans in zip(articles, drafts, strict=True):
            for start, end, draft in spans:
                claim, plan = self._claim(article, start, end, draft, rng)
                claims.append(claim)
                plans.append(plan["history"])
                verdict_plans.append(plan["verdict"])
                assignments.extend(plan["assignments"])
                ratings.extend(plan["ratings"])
                uses.extend(plan["uses"])
        self._insert(claims)
        self._count("claims", len(claims))

        # Verdicts: first editions, then the corrections that point at them.
        firsts: list[Verdict] = []
        seconds: list[tuple[Verdict, Verdict]] = []
        for claim, vp in zip(claims, verdict_plans, strict=True):
            if vp is None:
                continue
            first = Verdict(claim=claim, **vp["first"])
            firsts.append(first)
            if vp.get("second"):
                seconds.append((first, Verdict(claim=claim, **vp["second"])))
            vp["objects"] = [first]
        self._insert(firsts)
        for first, second in seconds:
            second.corrects = first
        self._insert([s for _f, s in seconds])
        self._count("verdicts", len(firsts) + len(seconds))
        second_of = {f.pk: s for f, s in seconds}

        self._insert(assignments)
        self._count("assignments", len(assignments))
        self._insert(ratings)
        self._count("ratings", len(ratings))
        self._insert(self.new_sources)
        self._count("sources", len(self.new_sources))
        self.new_sources = []
        self._insert(uses)
        self._count("claim_sources", len(uses))

        contributors = Verdict.contributors.through
        verdict_sources = Source.verdicts.through
        links: list[Any] = []
        cited: list[Any] = []
        uses_by_claim: dict[int, list[ClaimSource]] = {}
        for use in uses:
            uses_by_claim.setdefault(use.claim_id, []).append(use)
        for claim, vp in zip(claims, verdict_plans, strict=True):
            if vp is None:
                continue
            first = vp["objects"][0]
            editions = [first] + ([second_of[first.pk]] if first.pk in second_of else [])
            for verdict in editions:
                for user_id in vp["contributors"][verdict.edition]:
                    links.append(contributors(verdict_id=verdict.pk, user_id=user_id))
                # A verdict relies on the sources that take a side, or on all if none does.
                claim_uses = uses_by_claim.get(claim.pk, [])
                relied = [u for u in claim_uses if u.stance != ClaimSource.Stance.CONTEXT]
                for use in relied or claim_uses:
                    cited.append(verdict_sources(verdict_id=verdict.pk, source_id=use.source_id))
        self._insert(links)
        self._insert(cited)

        history: list[ClaimHistory] = []
        for claim, steps, vp in zip(claims, plans, verdict_plans, strict=True):
            verdict_ids = [v.pk for v in vp["objects"]] if vp else []
            if vp and vp["objects"][0].pk in second_of:
                verdict_ids.append(second_of[vp["objects"][0].pk].pk)
            for action, actor, at, frm, to, changes in steps:
                if "verdict" in changes:
                    changes = {**changes, "verdict": verdict_ids[changes["verdict"]]}
                if "corrects" in changes:
                    changes = {**changes, "corrects": verdict_ids[changes["corrects"]]}
                if "_source" in changes:
                    source = changes.pop("_source")
                    changes = {"source": source.pk, **changes}
                history.append(
                    ClaimHistory(
                        claim=claim,
                        actor=actor,
                        at=at,
                        action=action,
                        from_status=frm,
                        to_status=to,
                        reason=changes.pop("_reason", ""),
                        changes=changes,
                    )
                )
        self._insert(history)
        self._count("history", len(history))

    def _article(
        self, i: int, n_articles: int, per_article: int
    ) -> tuple[Article, list[tuple[int, int, ClaimDraft]]]:
        rng, c = self.rng, self.composer
        topic = TOPICS[rng.randrange(len(TOPICS))]
        # Oldest first, so primary keys follow time; newest on the --until day.
        age_days = (n_articles - 1 - i) * self.days / max(1, n_articles)
        imported_at = self.until - dt.timedelta(days=age_days, minutes=rng.randint(0, 600))
        published = (imported_at - dt.timedelta(days=rng.choice([0, 0, 0, 1, 2]))).date()
        outlet, domain = OUTLETS[rng.randrange(len(OUTLETS))]
        title = c.title(topic)
        author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        parts = [f"{title}\n\n", f"By {author}\n", f"{published:%d %B %Y}\n\n"]
        pos = sum(len(p) for p in parts)
        spans: list[tuple[int, int, ClaimDraft]] = []
        paragraph: list[str] = []
        made = 0
        while made < per_article:
            sentence: str
            if rng.random() < 0.25:
                sentence = rng.choice(FILLERS)
                draft = None
            else:
                draft = c.claim(topic)
                sentence = draft.text
                made += 1
            if paragraph:
                parts.append(" ")
                pos += 1
            if draft is not None:
                spans.append((pos, pos + len(sentence), draft))
            parts.append(sentence)
            pos += len(sentence)
            paragraph.append(sentence)
            if len(paragraph) >= rng.randint(2, 4):
                parts.append("\n\n")
                pos += 2
                paragraph = []
        # A reference line like the ones desks add; it also keeps every text distinct.
        parts.append(f"\n\nDesk reference: {self.seed}-{i + 1:06d}\n")
        text = "".join(parts)
        article = Article(
            title=title,
            byline=author,
            outlet=outlet,
            url=f"https://{domain}/{published:%Y/%m/%d}/story-{self.seed}-{i + 1}",
            published=published,
            text=text,
            content_hash=content_hash(text),
            source_format=Article.Format.TEXT,
            imported_by=rng.choice(self.editors),
            imported_at=imported_at,
            extraction_status=Article.Extraction.DONE,
            extracted_at=imported_at + dt.timedelta(seconds=rng.randint(1, 20)),
        )
        return article, spans

    # --- one claim and everything that happened to it ------------------------------------------

    def _state(self, claim_number: int, imported_at: dt.datetime) -> str:
        # The first claims generated cover every state, so even a tiny dataset has them all.
        if claim_number < len(S.values):
            return S.values[claim_number]
        if (self.until - imported_at) < dt.timedelta(days=2):
            # Articles from the last two days are still being read.
            return self.rng.choices([S.NEW, S.IN_REVIEW, S.DISMISSED], [70, 25, 5])[0]
        return self.rng.choices(list(STATE_WEIGHTS), list(STATE_WEIGHTS.values()))[0]

    def _claim(
        self, article: Article, start: int, end: int, draft: ClaimDraft, rng: random.Random
    ) -> tuple[Claim, dict[str, Any]]:
        number = sum(self.state_counts.values())
        state = self._state(number, article.imported_at)
        self.state_counts[state] += 1
        selector = quote_selector(article.text, start, end)
        score = round(rng.uniform(0.35, 0.99), 4)
        types = draft.types
        reason = ", ".join(draft.cues).replace("_", " ").capitalize()
        date = _resolve_day(draft.day, article.published) if article.published else None
        machine = {
            "start": start,
            "end": end,
            "text": draft.text,
            "types": types,
            "score": score,
            "cues": draft.cues,
            "reason": reason,
            "speaker": draft.speaker or None,
            "figures": draft.figures,
            "date": date.isoformat() if date else None,
        }
        extracted_at = article.extracted_at or article.imported_at
        claim = Claim(
            article=article,
            start=start,
            end=end,
            text=selector["exact"],
            prefix=selector["prefix"],
            suffix=selector["suffix"],
            types=types,
            score=score,
            cues=draft.cues,
            reason=reason,
            speaker=draft.speaker,
            figures=draft.figures,
            date=date,
            origin=Claim.Origin.EXTRACTED,
            machine=machine,
            status=S.NEW,
            created_at=extracted_at,
            updated_at=extracted_at,
        )
        plan = _Timeline(self, claim, state, extracted_at, rng).build()
        return claim, plan


class _Timeline:
    """What happened to one claim, step by step, in the order the services would do it."""

    def __init__(
        self, cmd: Command, claim: Claim, state: str, t0: dt.datetime, rng: random.Random
    ) -> None:
        self.cmd, self.claim, self.state, self.rng = cmd, claim, state, rng
        self.now = t0
        # Everything happens between extraction and --until, within about three weeks.
        span = min(cmd.until - t0, dt.timedelta(days=21))
        self.step_max = max(span / 12, dt.timedelta(seconds=10))
        self.status: str = S.NEW
        self.moves = 0
        self.history: list[tuple[str, Any, dt.datetime, str, str, dict[str, Any]]] = []
        self.last_actor: Any = None

    def tick(self) -> dt.datetime:
        self.now = self.now + self.step_max * self.rng.uniform(0.05, 1.0)
        return self.now

    def log(
        self,
        action: str,
        actor: Any,
        to: str | None = None,
        *,
        move: bool = True,
        changes: dict[str, Any] | None = None,
        reason: str = "",
    ) -> dt.datetime:
        at = self.tick() if action != A.EXTRACTED else self.now
        frm = self.status
        to = to or frm
        payload = dict(changes or {})
        if reason:
            payload["_reason"] = reason
        self.history.append((action, actor, at, frm, to, payload))
        self.status = to
        if move:
            self.moves += 1
            self.last_actor = actor
            self.claim.updated_at = at
        return at

    def build(self) -> dict[str, Any]:
        rng, cmd, claim, state = self.rng, self.cmd, self.claim, self.state
        out: dict[str, Any] = {"assignments": [], "ratings": [], "uses": [], "verdict": None}
        self.log(
            A.EXTRACTED, None, move=False, changes={"score": claim.score, "types": claim.types}
        )
        if state == S.NEW:
            return self._finish(out)
        if state == S.DISMISSED:
            who = rng.choice(cmd.reviewers + cmd.editors)
            self.log(
                A.DISMISSED,
                who,
                S.DISMISSED,
                reason=rng.choice(
                    [
                        "Opinion, not a checkable claim.",
                        "Duplicate of another claim.",
                        "Not worth checking: trivial.",
                    ]
                ),
            )
            return self._finish(out)

        editor = rng.choice(cmd.editors)
        reviewers = rng.sample(cmd.reviewers, rng.choice([1, 2, 2, 3]))
        for reviewer in reviewers:
            at = self.log(
                A.ASSIGNED, editor, S.IN_REVIEW, changes={"reviewer": reviewer.get_username()}
            )
            out["assignments"].append(
                ClaimAssignment(claim=claim, reviewer=reviewer, assigned_by=editor, assigned_at=at)
            )

        label = rng.choices(list(LABEL_WEIGHTS), list(LABEL_WEIGHTS.values()))[0]
        in_review_only = state == S.IN_REVIEW
        # Sources: most claims past review have some; a third of those in review do.
        if not in_review_only or rng.random() < 0.33:
            for _ in range(rng.choice([1, 1, 2, 3])):
                self._source(out, rng.choice(reviewers), label)
        raters = reviewers if not in_review_only else reviewers[: rng.randint(0, len(reviewers))]
        for reviewer in raters:
            at = self.log(A.RATED, reviewer, move=False, changes={"revised": False})
            rlabel = self._near(label)
            out["ratings"].append(
                Rating(
                    claim=claim,
                    reviewer=reviewer,
                    label=cmd.labels[rlabel],
                    justification=SUMMARIES[rlabel],
                    confidence=rng.randint(2, 5),
                    submitted_at=at,
                    updated_at=at,
                )
            )
        if in_review_only:
            return self._finish(out)

        # A verdict: proposed by an assigned reviewer or an editor, approved by another editor.
        author = rng.choice([reviewers[0], reviewers[0], editor])
        approver = rng.choice([e for e in cmd.editors if e.pk != author.pk])
        publisher = rng.choice(cmd.editors)
        first: dict[str, Any] = {
            "edition": 1,
            "label": cmd.labels[label],
            "summary": SUMMARIES[label],
            "justification": f"{SUMMARIES[label]} See the sources attached.",
            "author": author,
            "version": 1,
        }
        contributors: dict[int, set[int]] = {1: {author.pk}}
        t = self.log(
            A.PROPOSED, author, S.PROPOSED, changes={"verdict": 0, "label": cmd.labels[label].name}
        )
        first["created_at"] = first["updated_at"] = t
        if state == S.CHANGES_REQUESTED or (
            state in WAS_PUBLISHED | {S.APPROVED} and rng.random() < 0.1
        ):
            self.log(
                A.CHANGES_REQUESTED,
                approver,
                S.CHANGES_REQUESTED,
                changes={"verdict": 0},
                reason="Cite a primary source for the figure.",
            )
            first["version"] += 1
            if state == S.CHANGES_REQUESTED:
                first["state"] = Verdict.State.CHANGES_REQUESTED
                return self._finish(out, first, None, contributors)
            t = self.log(
                A.PROPOSED,
                author,
                S.PROPOSED,
                changes={"verdict": 0, "label": cmd.labels[label].name},
            )
            first["version"] += 1
            first["updated_at"] = t
        if state == S.PROPOSED:
            first["state"] = Verdict.State.PROPOSED
            return self._finish(out, first, None, contributors)

        t = self.log(A.APPROVED, approver, S.APPROVED, changes={"verdict": 0})
        first.update(
            approved_by=approver, approved_at=t, version=first["version"] + 1, updated_at=t
        )
        if state == S.APPROVED:
            first["state"] = Verdict.State.APPROVED
            return self._finish(out, first, None, contributors)

        t = self.log(A.PUBLISHED, publisher, S.PUBLISHED, changes={"verdict": 0})
        first.update(
            published_by=publisher,
            published_at=t,
            version=first["version"] + 1,
            updated_at=t,
            state=Verdict.State.PUBLISHED,
        )
        if state == S.PUBLISHED:
            return self._finish(out, first, None, contributors)
        if state == S.RETRACTED:
            reason = "The source we relied on was withdrawn by its publisher."
            t = self.log(A.RETRACTED, publisher, S.RETRACTED, changes={"verdict": 0}, reason=reason)
            first.update(
                state=Verdict.State.RETRACTED,
                retracted_at=t,
                retraction_reason=reason,
                version=first["version"] + 1,
                updated_at=t,
            )
            return self._finish(out, first, None, contributors)

        # Corrected: the first edition is superseded by a second, published one.
        corrector = rng.choice(cmd.editors)
        new_label = self._near(label)
        note = "Updated after the ministry published revised figures."
        changes: dict[str, Any] = {"verdict": 1, "corrects": 0}
        if new_label != label:
            changes["label"] = {"from": cmd.labels[label].name, "to": cmd.labels[new_label].name}
        t = self.log(A.CORRECTED, corrector, S.CORRECTED, changes=changes, reason=note)
        first.update(state=Verdict.State.SUPERSEDED, version=first["version"] + 1, updated_at=t)
        second = {
            "edition": 2,
            "label": cmd.labels[new_label],
            "summary": SUMMARIES[new_label],
            "justification": f"{SUMMARIES[new_label]} Corrected with the revised figures.",
            "state": Verdict.State.PUBLISHED,
            "author": corrector,
            "approved_by": first["approved_by"],
            "approved_at": first["approved_at"],
            "published_by": corrector,
            "published_at": t,
            "correction_note": note,
            "created_at": t,
            "updated_at": t,
            "version": 1,
        }
        contributors[2] = {corrector.pk}
        return self._finish(out, first, second, contributors)

    def _near(self, label: str) -> str:
        """A reviewer's rating: usually the verdict's label or one step either side."""
        ordinal = ["false", "mostly-false", "half-true", "mostly-true", "true"]
        if label not in ordinal or self.rng.random() < 0.55:
            return label
        i = ordinal.index(label) + self.rng.choice([-1, 1])
        return ordinal[min(len(ordinal) - 1, max(0, i))]

    def _source(self, out: dict[str, Any], reviewer: Any, label: str) -> None:
        rng, cmd = self.rng, self.cmd
        # Sources are shared between claims, as real ones are: reuse one a third of the time.
        if cmd.sources and rng.random() < 0.33:
            source = rng.choice(cmd.sources[-500:])
        else:
            publisher, domain, kind = rng.choice(PUBLISHERS)
            n = len(cmd.sources) + 1
            published = (self.now - dt.timedelta(days=rng.randint(0, 30))).date()
            source = Source(
                url=f"https://{domain}/{cmd.seed}/report-{n}",
                title=f"{publisher} report {n}",
                publisher=publisher,
                published=published,
                accessed=self.now.date(),
                kind=kind,
                created_by=reviewer,
                created_at=self.now,
            )
            cmd.sources.append(source)
            cmd.new_sources.append(source)
        if any(u.source is source for u in out["uses"]):
            return
        stance = (
            ClaimSource.Stance.REFUTES
            if label in {"false", "mostly-false"}
            else ClaimSource.Stance.SUPPORTS
            if label in {"true", "mostly-true"}
            else rng.choice([ClaimSource.Stance.MIXED, ClaimSource.Stance.CONTEXT])
        )
        at = self.log(
            A.SOURCE_ADDED,
            reviewer,
            move=False,
            changes={"_source": source, "url": source.url, "stance": stance},
        )
        out["uses"].append(
            ClaimSource(
                claim=self.claim,
                source=source,
                excerpt="The relevant passage of the report.",
                stance=stance,
                added_by=reviewer,
                added_at=at,
            )
        )

    def _finish(
        self,
        out: dict[str, Any],
        first: dict[str, Any] | None = None,
        second: dict[str, Any] | None = None,
        contributors: dict[int, set[int]] | None = None,
    ) -> dict[str, Any]:
        self.claim.status = self.status
        self.claim.version = 1 + self.moves
        self.claim.updated_by = self.last_actor
        if first is not None:
            out["verdict"] = {"first": first, "second": second, "contributors": contributors}
        out["history"] = self.history
        return out
