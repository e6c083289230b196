""" "Checked before?" by meaning: other organisations' fact-checks and our published claims,
found through a paraphrase, from the selector, the command line and the index kept in step."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims import factchecks, selectors
from claims.matching import store
from claims.models import ClaimStatus, FactCheck, MatchVector
from tests.scale.helpers import claims_in

pytestmark = pytest.mark.django_db
S = ClaimStatus

TSV = (
    "id\tclaim\ttitle\tpublisher\trating\turl\n"
    "fc-jobs\tThe unemployment rate fell to 3.5% in March.\tDid unemployment fall to 3.5%?\t"
    "Full Fact\tTrue\thttps://fullfact.example/jobs\n"
    "fc-vaccine\tA vaccine alters human DNA.\tDo mRNA vaccines change your DNA?\t"
    "Snopes\tFalse\thttps://snopes.example/dna\n"
    "fc-bridge\tThe new bridge cost twice its budget.\tDid the bridge cost double?\t"
    "Snopes\tMostly true\thttps://snopes.example/bridge\n"
    "fc-rally\tAbout 30,000 people attended a rally in Baku.\tWas the Baku rally 30,000 strong?\t"
    "AFP\tTrue\thttps://afp.example/baku\n"
)


@pytest.fixture
def imported(db):
    report = factchecks.factchecks_import(actor=None, data=TSV, format="tsv")
    assert report.created == 4 and not report.errors
    return {f.ref: f for f in FactCheck.objects.all()}


def test_an_import_makes_a_vector_per_fact_check(imported):
    assert MatchVector.objects.filter(factcheck__isnull=False).count() == 4
    row = MatchVector.objects.get(factcheck=imported["fc-jobs"])
    assert row.text.startswith("The unemployment rate fell")
    assert len(bytes(row.vector)) == 384 * 2  # float16


def test_a_paraphrase_finds_another_newsrooms_fact_check_first(imported):
    [claim] = claims_in(["Joblessness dropped to 3.5 percent last month, the minister said."])
    found = selectors.checked_before(claim, min_similarity=0.0)
    assert isinstance(found[0], selectors.FactCheckMatch)
    assert found[0].factcheck.ref == "fc-jobs"
    assert found[0].factcheck.publisher == "Full Fact"
    assert found[0].score > found[1].score
    assert found[0].why.startswith("meaning ")


def test_below_the_threshold_nothing_is_shown(imported):
    [claim] = claims_in(["The river froze over for the first time since records began."])
    assert selectors.checked_before(claim) == []
    assert all(
        m.score < selectors.CHECKED_BEFORE_MIN_SIMILARITY
        for m in selectors.checked_before(claim, min_similarity=0.0)
    )


def test_our_published_claims_and_fact_checks_are_ranked_together(imported):
    [ours] = claims_in(
        ["A pro-war demonstration in Baku on Tuesday night involved about 30,000 people."],
        status=S.PUBLISHED,
        title="Ours",
    )
    [claim] = claims_in(["Around 30,000 people joined a rally in Baku."], title="Asking")
    refs = [m.ref for m in selectors.checked_before(claim, min_similarity=0.0)][:2]
    assert set(refs) == {"fc-rally", f"claim:{ours.pk}"}


def test_the_index_catches_up_with_an_import_without_a_restart(imported):
    [claim] = claims_in(["Inflation reached 9 percent in the summer."])
    before = store.current_index()
    assert "fc-prices" not in [m.ref for m in selectors.checked_before(claim, min_similarity=0.0)]
    factchecks.factchecks_import(
        actor=None,
        data="id\tclaim\tpublisher\nfc-prices\tInflation hit 9% this summer.\tPolitiFact\n",
        format="tsv",
    )
    assert selectors.checked_before(claim, min_similarity=0.0)[0].ref == "fc-prices"
    assert store.current_index() is before  # caught up in place, not rebuilt


def test_a_changed_fact_check_is_matched_by_its_new_text(imported):
    [claim] = claims_in(["Drinking coffee prevents heart attacks."])
    factchecks.factchecks_import(
        actor=None,
        data="id\tclaim\tpublisher\nfc-bridge\tCoffee protects against heart attacks.\tSnopes\n",
        format="tsv",
    )
    assert MatchVector.objects.filter(factcheck=imported["fc-bridge"]).count() == 1
    assert selectors.checked_before(claim, min_similarity=0.0)[0].ref == "fc-bridge"


def test_a_deleted_fact_check_is_never_offered(imported):
    [claim] = claims_in(["mRNA vaccines change a person's DNA."])
    assert selectors.checked_before(claim, min_similarity=0.0)[0].ref == "fc-vaccine"
    imported["fc-vaccine"].delete()
    assert "fc-vaccine" not in [m.ref for m in selectors.checked_before(claim, min_similarity=0.0)]


def test_publishing_through_the_services_makes_the_claims_vector(
    django_capture_on_commit_callbacks,
):
    from claims import services

    [claim] = claims_in(["The bridge opened two years late."], status=S.PUBLISHED)
    assert not MatchVector.objects.filter(claim=claim).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services._index_for_matching(claim.pk)
    assert MatchVector.objects.filter(claim=claim).count() == 1


def test_published_claims_without_a_vector_are_caught_up_in_memory_only(db):
    """A claim published without its vector (the on-commit hook never ran) is still found,
    and reading never writes: the vector is held in memory until index_matches stores it."""
    [ours] = claims_in(["Police arrested 350 protesters in Minsk."], status=S.PUBLISHED)
    [claim] = claims_in(["350 demonstrators were detained by police in Minsk."], title="Asking")
    [found] = selectors.checked_before(claim)
    assert found.ref == f"claim:{ours.pk}"
    assert not MatchVector.objects.filter(claim=ours).exists()
    call_command("index_matches", stdout=io.StringIO())
    assert MatchVector.objects.filter(claim=ours).exists()


# --- the command line ---------------------------------------------------------------------------


def run(*args: str, stdin: str | None = None) -> list[dict]:
    out = io.StringIO()
    if stdin is not None:
        import sys

        old = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            call_command("checked_before", *args, stdout=out)
        finally:
            sys.stdin = old
    else:
        call_command("checked_before", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_command_prints_one_json_line_per_query_best_first(imported, tmp_path):
    [ours] = claims_in(["A new bridge over the river cost double its budget."], status=S.PUBLISHED)
    path = tmp_path / "queries.tsv"
    path.write_text(
        "id\ttext\nq1\tjobless rate down to 3.5%\nq2\tbridge went 100% over budget\n",
        encoding="utf-8",
    )
    lines = run("--limit", "3", str(path))
    assert [line["id"] for line in lines] == ["q1", "q2"]
    assert lines[0]["matches"][0]["ref"] == "fc-jobs"
    assert len(lines[0]["matches"]) == 3
    scores = [m["score"] for m in lines[1]["matches"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert {m["ref"] for m in lines[1]["matches"][:2]} == {"fc-bridge", f"claim:{ours.pk}"}


def test_the_command_reads_standard_input(imported):
    lines = run("-", stdin="id\ttext\nonly\tDNA altered by vaccines\n")
    assert lines[0]["matches"][0]["ref"] == "fc-vaccine"


@pytest.mark.parametrize(
    ("content", "message"),
    [("query\tbody\nq\tx\n", "must name the columns id and text"), ("", "must name the columns")],
)
def test_the_command_refuses_a_file_without_its_header(tmp_path, content, message, db):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run(str(path))


def test_index_matches_makes_the_missing_vectors(imported):
    MatchVector.objects.all().delete()
    claims_in(["The bridge opened two years late."], status=S.PUBLISHED)
    out = io.StringIO()
    call_command("index_matches", stdout=out)
    assert "Indexed 4 fact-checks and 1 claims" in out.getvalue()
    assert MatchVector.objects.count() == 5


# --- the search page ------------------------------------------------------------------------------


def test_the_search_page_shows_fact_checks_that_say_what_was_typed(client, reviewer, imported):
    client.force_login(reviewer)
    body = client.get("/search/", {"q": "jobless rate down to 3.5 percent"}).content.decode()
    start = body.index('id="r-checked-h"')
    block = body[start : body.index("</section>", start)]
    assert 'data-ref="fc-jobs"' in block
    assert "Full Fact" in block and "https://fullfact.example/jobs" in block
    assert "meaning 0." in block
