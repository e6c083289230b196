"""Who said it: speakers of quotations and reported speech."""

# ruff: noqa: RUF001 - the test texts are news prose, with curly quotes and dashes

from __future__ import annotations

import pytest

from claims.extraction import ExtractedClaim, extract
from tests.extraction.conftest import claim_with, only_claim


def speakers_of(text: str) -> list[str | None]:
    return [c.speaker for c in extract(text)]


def test_speaker_named_before_the_quote() -> None:
    claim = only_claim(
        "Defense Minister Army General Sergei Shoigu said: “The check involves 56 exercises.”"
    )
    assert claim.speaker == "Sergei Shoigu"
    assert "quote" in claim.types


def test_speaker_named_after_the_quote() -> None:
    claim = only_claim(
        "“We are deeply concerned about the shootings on the border,” Kremlin spokesman "
        "Dmitry Peskov said Tuesday."
    )
    assert claim.speaker == "Dmitry Peskov"
    assert "quote" in claim.types


def test_speaker_after_an_inverted_verb() -> None:
    claim = only_claim("“The talks have failed completely,” said Foreign Minister Jane Doe.")
    assert claim.speaker == "Jane Doe"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Azerbaijan’s Defense Ministry spokesman Vagif Dargyakhly said the army is ready.",
            "Vagif Dargyakhly",
        ),
        (
            "Azerbaijani Deputy Defense Minister Kerim Veliyev claimed that 100 soldiers died.",
            "Kerim Veliyev",
        ),
        (
            "Turkish Defense Minister Hulusi Akar also declared that this move “goes over "
            "Armenia’s head.”",
            "Hulusi Akar",
        ),
        (
            "US Secretary of State Mike Pompeo declared his government is “deeply concerned "
            "about the violence.”",
            "Mike Pompeo",
        ),
        (
            "UN Secretary-General Antonio Guterres said the fighting must stop at once.",
            "Antonio Guterres",
        ),
        ("President Aliyev said the talks were “meaningless negotiations.”", "Aliyev"),
    ],
)
def test_speaker_name_is_found_through_titles_and_roles(text: str, speaker: str) -> None:
    assert only_claim(text).speaker == speaker


def test_he_said_is_the_last_named_speaker() -> None:
    text = (
        "Turkish President Recep Tayyip Erdoğan condemned the “attack by Armenia against "
        "Azerbaijan,” during a press conference on Tuesday. He said: “Moreover, this last "
        "attack was on the borders between the two states.”"
    )
    claims = extract(text)
    assert [c.speaker for c in claims] == ["Recep Tayyip Erdoğan", "Recep Tayyip Erdoğan"]
    assert "speaker_pronoun" in claims[1].cues


def test_pronoun_does_not_resolve_to_an_institution() -> None:
    text = (
        "The Foreign Ministry said the border was quiet on Monday. "
        "Minister Ann Lee said the army withdrew. "
        "She added: “We will not give up a single village.”"
    )
    assert speakers_of(text) == ["Foreign Ministry", "Ann Lee", "Ann Lee"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The Armenian Foreign Ministry called this threat an “explicit demonstration of "
            "state terrorism.”",
            "Armenian Foreign Ministry",
        ),
        (
            "Reuters news agency wrote: “International concern is high because of the threat "
            "to stability.”",
            "Reuters",
        ),
        (
            "According to AP, Aliyev “lashed out at nationalist demonstrators” on Wednesday.",
            "AP",
        ),
        (
            "According to Russia’s TASS news agency, Putin ordered a “surprise combat "
            "readiness check” on Friday.",
            "TASS",
        ),
        ("The BBC reported that the clashes came “just days after the talks.”", "BBC"),
        (
            "France for its part condemned the “armed confrontation on the border,” calling "
            "for “dialogue.”",
            "France",
        ),
    ],
)
def test_institutions_are_speakers(text: str, speaker: str) -> None:
    assert only_claim(text).speaker == speaker


def test_unnamed_sources_are_kept_as_written() -> None:
    claim = only_claim("Azerbaijani officials claimed that the villages were shelled overnight.")
    assert claim.speaker == "Azerbaijani officials"
    assert "attribution" in claim.types
    assert "speaker_unnamed" in claim.cues


def test_speaker_through_who_said() -> None:
    claim = only_claim(
        "The threat came in a statement from Defense Ministry spokesman Vagif Dargyakhly, "
        "who said: “Our missiles can strike the power plant.”"
    )
    assert claim.speaker == "Vagif Dargyakhly"


def test_speaker_before_appositions() -> None:
    claim = only_claim(
        "On Friday, İsmail Demir, head of the Presidency of Defense Industries, an affiliate "
        "of the Turkish Presidency, declared on Twitter: “We need to show the world unity.”"
    )
    assert claim.speaker == "İsmail Demir"


def test_participle_shares_the_speaker_of_the_clause() -> None:
    claim = only_claim(
        "President Aliyev sacked his Foreign Minister Elmar Mamedyarov on Thursday after "
        "accusing him of engaging “in meaningless work, meaningless negotiations.”"
    )
    assert claim.speaker == "Aliyev"


def test_quote_speaker_is_the_one_who_said_the_quote() -> None:
    # Two speakers: the quotation belongs to the second.
    claim = only_claim(
        "While UN Secretary-General Antonio Guterres called Tuesday for a ceasefire, the "
        "Co-Chairs of the OSCE Minsk Group urged all “sides to refrain from inflammatory "
        "rhetoric,” in a statement on Wednesday."
    )
    assert claim.speaker == "OSCE Minsk Group"
    assert claim.types[-2:] == ["quote", "attribution"] or "quote" in claim.types


def test_reported_speech_without_quotation_is_attribution_not_quote() -> None:
    claim = only_claim("Both Armenia and Azerbaijan accused each other of violating the ceasefire.")
    assert claim.types == ["attribution"]
    assert claim.speaker == "Armenia and Azerbaijan"


def test_quote_framed_by_said_colon_is_quote_not_attribution() -> None:
    claim = only_claim("Reuters wrote: “International concern is high because of the pipelines.”")
    assert "quote" in claim.types
    assert "attribution" not in claim.types


def test_declared_independence_is_an_act_not_speech() -> None:
    claim = only_claim("Nagorno-Karabakh, a region in Azerbaijan, declared independence in 1991.")
    assert claim.speaker is None
    assert claim.types == ["event"]


EXPECTED_SAMPLE_SPEAKERS = {
    "The BBC reported": "BBC",
    "Kerim Veliyev claimed": "Kerim Veliyev",
    "Artsrun Hovhannisyan said on Friday": "Artsrun Hovhannisyan",
    "Vagif Dargyakhly, who said": "Vagif Dargyakhly",
    "The Armenian Foreign Ministry called": "Armenian Foreign Ministry",
    "Sushan Stepanyan said on Thursday": "Sushan Stepanyan",
    "President Aliyev sacked": "Aliyev",
    "According to AP": "AP",
    "Reuters news agency wrote": "Reuters",
    "Mike Pompeo declared": "Mike Pompeo",
    "France for its part": "France",
    "Dmitry Peskov said Tuesday": "Dmitry Peskov",
    "According to Russia’s TASS": "TASS",
    "Sergei Shoigu said": "Sergei Shoigu",
    "Recep Tayyip Erdoğan condemned": "Recep Tayyip Erdoğan",
    "He said: “Moreover": "Recep Tayyip Erdoğan",
    "Hulusi Akar also declared": "Hulusi Akar",
    "İsmail Demir, head of": "İsmail Demir",
    "Both Armenia and Azerbaijan accused": "Armenia and Azerbaijan",
    "World Socialist Web Site": "World Socialist Web Site",
}


@pytest.mark.parametrize(("fragment", "speaker"), EXPECTED_SAMPLE_SPEAKERS.items())
def test_sample_every_quoted_official_has_the_right_speaker(
    sample_claims: list[ExtractedClaim], fragment: str, speaker: str
) -> None:
    assert claim_with(sample_claims, fragment).speaker == speaker


def test_sample_quotes_are_typed_as_quotes(sample_claims: list[ExtractedClaim]) -> None:
    for fragment in ("Dmitry Peskov said Tuesday", "Sergei Shoigu said", "He said: “Moreover"):
        assert "quote" in claim_with(sample_claims, fragment).types
    veliyev = claim_with(sample_claims, "Kerim Veliyev claimed")
    assert veliyev.types == ["casualty", "attribution"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The Clinton campaign says the ad will air on national cable stations.",
            "Clinton campaign",
        ),
        ("Clinton leads Trump by 46 percent to 42 percent, according to the poll.", "poll"),
        ("Many lawmakers say there are also national security concerns.", "lawmakers"),
    ],
)
def test_unnamed_subjects_and_sources(text: str, speaker: str) -> None:
    assert only_claim(text).speaker == speaker


def test_party_and_state_label_after_a_name_is_dropped() -> None:
    claim = only_claim(
        "“It is a dog whistle to all Americans,” Rep. Gwen Moore (D-Wis.) said Friday."
    )
    assert claim.speaker == "Gwen Moore"


def test_age_apposition_is_skipped_and_a_surname_that_is_a_title_kept() -> None:
    claim = only_claim("Mr. King, 82, told reporters that the show was never edited by anyone.")
    assert claim.speaker == "King"


def test_contracted_pronoun_is_resolved() -> None:
    text = (
        "Senator Jane Roe said on Monday that the bill had failed. "
        "She’s claiming that fraud is “a big, big problem in this country.”"
    )
    assert speakers_of(text) == ["Jane Roe", "Jane Roe"]


def test_speaker_introduced_at_the_end_of_the_previous_paragraph() -> None:
    text = (
        "Concern grew on Monday as the pipelines were shut. Reuters news agency wrote:\n\n"
        "“International concern is high because of the threat to stability in the region.”"
    )
    claim = claim_with(extract(text), "International concern")
    assert claim.speaker == "Reuters"
    assert claim.types == ["quote"]


def test_speaker_credited_after_a_dash() -> None:
    text = (
        "Intro sentence here.\n\n"
        "“The debate showed who he really is, a privileged man.” ― Beck Pimentel"
    )
    claim = claim_with(extract(text), "The debate showed")
    assert claim.speaker == "Beck Pimentel"


def test_a_bracketed_aside_after_the_speaker_is_not_part_of_the_name() -> None:
    claim = only_claim(
        "“Using the capital gains tax is a misguided approach,” said Mr. Burman "
        "(a view echoed by everyone I interviewed)."
    )
    assert claim.speaker == "Burman"


def test_a_speech_verb_in_the_middle_of_a_headline_phrase_is_not_inverted() -> None:
    # "says U.S. has to": the name after "says" is what is said, not who says it.
    found = extract("Member of House panel says U.S. has to keep Moscow out of elections.")
    assert all(c.speaker != "U" for c in found)


def test_participle_after_an_introductory_participle_phrase() -> None:
    claim = only_claim(
        "Chastened by the analyses, Trump revised his tax plan, promising to cut 2 million "
        "jobs from the estimate."
    )
    assert claim.speaker == "Trump"


def test_he_said_before_anyone_spoke_is_the_subject_of_a_recent_sentence() -> None:
    text = (
        "Mr. Obama immersed himself in the scientific literature in 2009. "
        "“What makes climate change difficult is that it is not one catastrophic event,” he said."
    )
    claim = claim_with(extract(text), "What makes climate change")
    assert claim.speaker == "Obama"


def test_words_after_the_name_are_not_part_of_it() -> None:
    claim = only_claim(
        "“What Trump is saying is dangerous for this country,” said Clinton campaign manager "
        "Robby Mook in a statement."
    )
    assert claim.speaker == "Robby Mook"
