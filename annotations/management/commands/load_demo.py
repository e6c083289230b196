"""Load the demo: accounts, the sample article, and claims in every workflow state.

    python manage.py load_demo

Idempotent: accounts are created once (their demo passwords reset), the article is
imported once, and the claims are walked through the real services only the first time.
It lives in ``annotations`` because it uses both apps' services.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

import claims
from annotations import services as notes
from claims import services
from claims.models import Article, Claim, ClaimStatus, Organisation

SAMPLE = (
    Path(claims.__file__).parent / "samples" / "armenia-azerbaijan-border-clashes-2020-07-18.txt"
)

# username, role, full name, password (demo only: load_demo refuses to run without DEBUG)
ACCOUNTS = [
    ("alice", "reviewer", "Alice Reviewer", "demo-alice"),
    ("bob", "reviewer", "Bob Reviewer", "demo-bob"),
    ("erin", "editor", "Erin Editor", "demo-erin"),
    ("frank", "editor", "Frank Editor", "demo-frank"),
    ("ada", "admin", "Ada Admin", "demo-ada"),
]

S = ClaimStatus


class Command(BaseCommand):
    help = "Create demo accounts, import the sample article and walk claims through the workflow."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (demo accounts have published passwords).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "load_demo creates accounts with published passwords; it runs only with "
                "DJANGO_DEBUG=1 (or --force)."
            )
        users = self._accounts()
        org = Organisation.current()
        if org.name == "Claim Workbench":
            org.name, org.url = "Demo Fact Check Desk", "https://factcheck.example.org/"
            org.save()
        result = services.article_import(
            actor=users["erin"],
            text=SAMPLE.read_text(encoding="utf-8"),
            outlet="World Socialist Web Site",
            url="https://www.wsws.org/en/articles/2020/07/18/arme-j18.html",
        )
        article = result.article
        if article.claims.exclude(status=S.NEW).exists():
            self.stdout.write(f"The demo is already loaded (article {article.pk}).")
        else:
            with transaction.atomic():
                self._walk(article, users)
            self.stdout.write(f"Loaded the sample article (article {article.pk}) and its claims.")
        self._report(article)

    def _accounts(self) -> dict[str, Any]:
        User = get_user_model()
        users = {}
        for username, role, name, password in ACCOUNTS:
            first, last = name.split(" ", 1)
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                },
            )
            user.set_password(password)
            user.is_staff = role == "admin"
            user.save()
            user.groups.add(Group.objects.get(name=role))
            users[username] = user
        return users

    def _walk(self, article: Article, u: dict[str, Any]) -> None:
        """Every state at least once, three verdicts published (one corrected), one retracted,
        and ratings that disagree."""
        used: set[int] = set()
        pool = list(article.claims.active().order_by("-score", "start"))
        if len(pool) < 10:
            raise CommandError(
                f"Extraction found only {len(pool)} claims in the sample; the demo needs 10."
            )

        def pick(*phrases: str) -> Claim:
            for phrase in phrases:
                for claim in pool:
                    if claim.pk not in used and phrase.lower() in claim.text.lower():
                        used.add(claim.pk)
                        return claim
            claim = next(c for c in pool if c.pk not in used)
            used.add(claim.pk)
            return claim

        def review(claim: Claim, ratings: dict[str, str]) -> None:
            for name in ratings:
                services.claim_assign(actor=u["erin"], claim=claim, reviewer=u[name])
            for name, label in ratings.items():
                notes.rating_submit(
                    actor=u[name],
                    claim=claim,
                    label=label,
                    justification=JUSTIFICATIONS.get(label, "See the sources attached."),
                    confidence=4,
                )

        def source(
            claim: Claim,
            url: str,
            title: str,
            publisher: str,
            stance: str,
            kind: str = "primary",
            published: str = "2020-07-16",
            excerpt: str = "",
        ) -> int:
            use = notes.source_attach(
                actor=u["alice"],
                claim=claim,
                url=url,
                title=title,
                publisher=publisher,
                published=published,
                kind=kind,
                stance=stance,
                excerpt=excerpt,
            )
            return use.source_id

        def publish(claim: Claim, label: str, summary: str, why: str, sources: list[int]) -> None:
            services.claim_propose(
                actor=u["alice"],
                claim=claim,
                label=label,
                summary=summary,
                justification=why,
                source_ids=sources,
            )
            services.claim_approve(actor=u["erin"], claim=claim)
            services.claim_publish(actor=u["frank"], claim=claim)

        # Published: Azerbaijan's claim about Armenian losses, contradicted by Armenia.
        veliyev = pick("nearly 100 Armenian soldiers")
        review(veliyev, {"alice": "false", "bob": "mostly-false"})
        s1 = source(
            veliyev,
            "https://factcheck.example.org/sources/armenia-mod-2020-07-14",
            "Armenian Defence Ministry statement on losses, 14 July 2020",
            "Ministry of Defence of Armenia",
            "refutes",
            excerpt="Four servicemen were killed in the clashes.",
        )
        s2 = source(
            veliyev,
            "https://factcheck.example.org/sources/osce-briefing-2020-07-15",
            "OSCE Minsk Group co-chairs' briefing",
            "OSCE",
            "context",
            kind="secondary",
            published="2020-07-15",
        )
        publish(
            veliyev,
            "false",
            "No evidence supports Azerbaijan's figure of nearly 100 dead.",
            "Armenia reported four soldiers killed; no independent source reports losses "
            "anywhere near 100.",
            [s1, s2],
        )
        notes.comment_add(
            actor=u["bob"],
            claim=veliyev,
            body="Armenia's count was later revised upwards; keep an eye on it.",
        )

        # Published, then corrected: Azerbaijan's own casualty count.
        casualties = pick("At least 12 soldiers")
        review(casualties, {"alice": "true", "bob": "mostly-true"})
        s3 = source(
            casualties,
            "https://factcheck.example.org/sources/az-mod-2020-07-14",
            "Azerbaijani Defence Ministry list of the dead",
            "Ministry of Defence of Azerbaijan",
            "supports",
            excerpt="Eleven servicemen and one civilian.",
        )
        publish(
            casualties,
            "mostly-true",
            "The count of Azerbaijani dead is broadly right.",
            "Azerbaijan's ministry confirmed the deaths, including a major general.",
            [s3],
        )
        # Corrections follow the four-eyes rule too: Frank proposes, Erin approves.
        services.claim_correct(
            actor=u["frank"],
            claim=casualties,
            label="true",
            note="Updated after the ministry published the full list of names.",
            summary="Azerbaijan's count of its dead matches the ministry's list.",
        )
        services.claim_approve_correction(actor=u["erin"], claim=casualties)

        # Published: the pandemic figures.
        covid = pick("26,000 cases", "cases")
        review(covid, {"alice": "true", "bob": "true"})
        s4 = source(
            covid,
            "https://factcheck.example.org/sources/who-dashboard-2020-07-17",
            "WHO COVID-19 dashboard, 17 July 2020",
            "World Health Organization",
            "supports",
            kind="secondary",
            published="2020-07-17",
        )
        publish(
            covid,
            "true",
            "The case and death counts match the official data.",
            "Both countries' reported figures match the WHO dashboard that week.",
            [s4],
        )

        # Retracted after publication.
        retracted = pick("30,000 people", "demonstration")
        review(retracted, {"alice": "half-true", "bob": "half-true"})
        s5 = source(
            retracted,
            "https://factcheck.example.org/sources/local-report-baku",
            "Local report on the Baku demonstration",
            "Local press",
            "mixed",
            kind="unverified",
            published="2020-07-15",
        )
        publish(
            retracted,
            "half-true",
            "Crowd estimates vary widely.",
            "The only figure comes from a single unverified report.",
            [s5],
        )
        services.claim_retract(
            actor=u["frank"],
            claim=retracted,
            reason="The report we relied on was withdrawn by its publisher.",
        )

        # Approved, waiting to be published.
        approved = pick("Metsamor", "nuclear")
        review(approved, {"alice": "true", "bob": "true"})
        services.claim_propose(
            actor=u["bob"],
            claim=approved,
            label="true",
            summary="The spokesman did threaten the Metsamor plant.",
            justification="The statement is on the ministry's channels.",
        )
        services.claim_approve(actor=u["erin"], claim=approved)

        # Proposed, with reviewers who disagree by three steps (flagged for the editor).
        proposed = pick("Kerim Veliyev", "Peskov", "shelling")
        review(proposed, {"alice": "true", "bob": "mostly-false"})
        services.claim_propose(
            actor=u["alice"],
            claim=proposed,
            label="half-true",
            summary="Both sides' accounts conflict.",
            justification="Each side blames the other; neither is confirmed.",
        )

        # Changes requested by an editor.
        returned = pick("5,000 soldiers", "military bases")
        review(returned, {"bob": "mostly-true"})
        services.claim_propose(
            actor=u["bob"],
            claim=returned,
            label="mostly-true",
            summary="Russia's bases in Armenia hold about that many troops.",
            justification="Defence reference works agree.",
        )
        services.claim_request_changes(
            actor=u["frank"], claim=returned, reason="Cite a source for the number of troops."
        )

        # In review, two reviewers, one has rated.
        in_review = pick("150,000 troops", "readiness")
        services.claim_assign(actor=u["erin"], claim=in_review, reviewer=u["alice"])
        services.claim_assign(actor=u["erin"], claim=in_review, reviewer=u["bob"])
        notes.rating_submit(
            actor=u["alice"],
            claim=in_review,
            label="mostly-true",
            justification="TASS reported these numbers.",
            confidence=3,
        )
        start = in_review.text.find("150,000")
        if start >= 0:
            notes.annotation_create(
                actor=u["alice"],
                claim=in_review,
                start=in_review.start + start,
                end=in_review.start + start + len("150,000"),
                label="figure",
                comment="Check against the Russian MoD's own release.",
            )

        # Dismissed: not worth checking.
        dismissed = pick("would inevitably lead", "Such a war", "Amid dangerous")
        services.claim_dismiss(
            actor=u["bob"], claim=dismissed, reason="The author's analysis, not a checkable claim."
        )

    def _report(self, article: Article) -> None:
        counts = {s: article.claims.active().filter(status=s).count() for s in S.values}
        self.stdout.write("Claims by state: " + ", ".join(f"{s} {n}" for s, n in counts.items()))
        self.stdout.write("")
        self.stdout.write("Demo accounts (sign in at http://127.0.0.1:8000/accounts/login/):")
        for username, role, name, password in ACCOUNTS:
            self.stdout.write(f"  {role:<9} {username:<6} password: {password:<11} ({name})")


JUSTIFICATIONS = {
    "true": "The official record matches the claim.",
    "mostly-true": "Accurate, but the figure is rounded.",
    "half-true": "Partly accurate; important context is missing.",
    "mostly-false": "The record contradicts the main point.",
    "false": "No evidence supports it; the record contradicts it.",
}
