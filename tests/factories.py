"""factory_boy factories for the workbench's models."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group, User

from annotations.models import AnnotationLabel, ClaimSource, Source
from claims.models import Article, Claim, RatingLabel, RatingScale
from claims.services import quote_selector

SAMPLE_TEXT = (
    "Border clashes\n\nBy A. Writer\n\n"
    "At least 12 soldiers were killed on Sunday, the ministry said. "
    "Officials denied the report. "
    "The president said: \u201cWe will respond.\u201d "
    "About 30,000 people marched in the capital.\n"
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        # factory_boy passes the User it made as ``self``.
        if create and extracted:
            roles = Group.objects.filter(name__in=extracted)
            self.groups.add(*roles)  # type: ignore[attr-defined]


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    text = factory.Sequence(lambda n: f"{SAMPLE_TEXT}\nStory number {n}.\n")
    extraction_status = Article.Extraction.DONE


def _span(claim: Claim) -> dict[str, str]:
    return quote_selector(claim.article.text, claim.start, claim.end)


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim on the first sentence of the sample text unless a span is given."""

    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    start = factory.LazyAttribute(lambda c: c.article.text.index("At least"))
    end = factory.LazyAttribute(lambda c: c.article.text.index("ministry said.") + 14)
    text = factory.LazyAttribute(lambda c: c.article.text[c.start : c.end])
    prefix = factory.LazyAttribute(lambda c: c.article.text[max(0, c.start - 32) : c.start])
    suffix = factory.LazyAttribute(lambda c: c.article.text[c.end : c.end + 32])
    types = factory.LazyFunction(lambda: ["casualty"])
    score = 0.9
    speaker = "the ministry"
    figures = factory.LazyFunction(
        lambda: [{"value": 12, "hedge": "at_least", "counted": "soldiers", "side": None}]
    )


def rating_label(slug: str) -> RatingLabel:
    return RatingScale.default().labels.get(slug=slug)


def annotation_label(slug: str = "figure") -> AnnotationLabel:
    return AnnotationLabel.objects.get(slug=slug)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://example.org/report/{n}")
    title = factory.Sequence(lambda n: f"Report {n}")
    publisher = "Example Agency"
    created_by = factory.SubFactory(UserFactory)


class ClaimSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimSource

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    added_by = factory.SubFactory(UserFactory)
