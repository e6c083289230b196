"""Sentence segmentation: where a fact-checker expects one sentence to end and the next begin."""

from __future__ import annotations

from claims.extraction import segment


def sentences_of(text: str) -> list[str]:
    return [text[a:b] for a, b in segment(text)]


def test_time_abbreviation_does_not_end_the_sentence() -> None:
    text = "At 4:00 a.m. local time, several protesters broke in. Police came later."
    assert sentences_of(text) == [
        "At 4:00 a.m. local time, several protesters broke in.",
        "Police came later.",
    ]


def test_country_abbreviation_before_a_name_does_not_end_the_sentence() -> None:
    text = "The U.S. Secretary of State spoke. He left."
    assert sentences_of(text) == ["The U.S. Secretary of State spoke.", "He left."]


def test_abbreviation_followed_by_a_typical_first_word_ends_the_sentence() -> None:
    text = "The talks were held in the U.S. The next round is in Moscow."
    assert sentences_of(text) == [
        "The talks were held in the U.S.",
        "The next round is in Moscow.",
    ]


def test_titles_and_numbered_abbreviations_do_not_end_the_sentence() -> None:
    text = "Gen. Smith met Dr. Jones at No. 5 Downing St. on Monday. They talked."
    assert sentences_of(text) == [
        "Gen. Smith met Dr. Jones at No. 5 Downing St. on Monday.",
        "They talked.",
    ]


def test_initials_do_not_end_the_sentence() -> None:
    text = "George W. Bush spoke first. Then J. K. Rowling read."
    assert sentences_of(text) == ["George W. Bush spoke first.", "Then J. K. Rowling read."]


def test_decimal_numbers_do_not_end_the_sentence() -> None:
    text = "Inflation rose 3.5 percent to 4.25 in May. Prices fell."
    assert sentences_of(text) == ["Inflation rose 3.5 percent to 4.25 in May.", "Prices fell."]


def test_ellipsis_inside_a_quote_does_not_end_the_sentence() -> None:
    text = "He said: “We will be involved. ... The results will count.” Then he left."
    assert sentences_of(text) == [
        "He said: “We will be involved. ... The results will count.”",
        "Then he left.",
    ]


def test_ellipsis_followed_by_lower_case_continues_the_sentence() -> None:
    text = "The talks went on... and on. Nobody left."
    assert sentences_of(text) == ["The talks went on... and on.", "Nobody left."]


def test_brackets_keep_their_sentences_inside() -> None:
    text = "The plan (it was drafted in May. It was revised later.) failed. Talks resumed."
    assert sentences_of(text) == [
        "The plan (it was drafted in May. It was revised later.) failed.",
        "Talks resumed.",
    ]


def test_a_quotation_of_several_sentences_stays_with_its_speaker() -> None:
    text = (
        "“We are deeply concerned. We call on both sides to stop,” Kremlin spokesman "
        "Dmitry Peskov said Tuesday. Fighting continued."
    )
    assert sentences_of(text) == [
        "“We are deeply concerned. We call on both sides to stop,” Kremlin spokesman "
        "Dmitry Peskov said Tuesday.",
        "Fighting continued.",
    ]


def test_straight_quotes_work_like_curly_ones() -> None:
    text = '"It is over. We won," she said. The crowd cheered.'
    assert sentences_of(text) == ['"It is over. We won," she said.', "The crowd cheered."]


def test_sentence_after_a_closed_quotation_starts_a_new_sentence() -> None:
    text = "He said: “It is over.” The crowd cheered."
    assert sentences_of(text) == ["He said: “It is over.”", "The crowd cheered."]


def test_exclamation_inside_a_quote_followed_by_lower_case_continues() -> None:
    text = "They shouted “Karabakh is Azerbaijan!” and “Mobilisation,” reports said. Then quiet."
    assert sentences_of(text) == [
        "They shouted “Karabakh is Azerbaijan!” and “Mobilisation,” reports said.",
        "Then quiet.",
    ]


def test_paragraph_ending_on_a_dangling_word_continues_in_the_next() -> None:
    text = "They can strike the\n\nMetsamor nuclear power plant, he said.\n\nNext paragraph."
    assert sentences_of(text) == [
        "They can strike the\n\nMetsamor nuclear power plant, he said.",
        "Next paragraph.",
    ]


def test_paragraph_continuing_in_lower_case_is_one_sentence() -> None:
    text = "It urged all sides to refrain from inflammatory\n\nrhetoric, in a statement."
    assert sentences_of(text) == [text]


def test_paragraph_ending_with_punctuation_ends_the_sentence_even_before_lower_case() -> None:
    text = "The first ends here.\n\nand the second is separate."
    assert sentences_of(text) == ["The first ends here.", "and the second is separate."]


def test_headline_byline_and_date_lines_are_separate_sentences() -> None:
    text = "Border clashes threaten war\n\nUlas Atesci\n18 July 2020\n\nClashes began on Sunday."
    assert sentences_of(text) == [
        "Border clashes threaten war",
        "Ulas Atesci",
        "18 July 2020",
        "Clashes began on Sunday.",
    ]


def test_a_line_ending_with_a_colon_ends_the_sentence() -> None:
    text = "To contact us visit:\n\n[example.org/contact](https://example.org/contact)"
    assert sentences_of(text) == [
        "To contact us visit:",
        "[example.org/contact](https://example.org/contact)",
    ]


def test_spans_index_the_original_text_and_exclude_surrounding_whitespace() -> None:
    text = "  \n\nFirst one.   Second one!\n\n\n  Third?  \n"
    spans = segment(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one!", "Third?"]
    assert all(not text[a].isspace() and not text[b - 1].isspace() for a, b in spans)
    assert spans == sorted(spans)


def test_windows_line_endings_are_paragraph_breaks() -> None:
    text = "Title line\r\n\r\nThe body starts here. It goes on."
    assert sentences_of(text) == ["Title line", "The body starts here.", "It goes on."]


def test_an_unclosed_quotation_is_given_up_after_a_while() -> None:
    # A stray opening mark must not glue the rest of a long paragraph into one sentence.
    text = "He said “maybe. " + "This is a sentence of moderate length. " * 60
    pieces = sentences_of(text)
    assert len(pieces) > 20
    assert all(len(p) < 2000 for p in pieces)


def test_text_without_punctuation_is_cut_into_bounded_sentences() -> None:
    text = "word " * 5000
    pieces = segment(text)
    assert len(pieces) > 1
    assert all(b - a <= 3000 for a, b in pieces)
    assert "".join(text[a:b] for a, b in pieces).replace(" ", "") == text.replace(" ", "")


def test_sample_sentence_with_time_abbreviation_is_whole(sample_text: str) -> None:
    assert "At 4:00 a.m. local time, several protesters broke into the parliament." in (
        sentences_of(sample_text)
    )


def test_sample_sentences_broken_across_paragraphs_are_joined(sample_text: str) -> None:
    pieces = sentences_of(sample_text)
    joined = [p for p in pieces if "\n\n" in p]
    assert len(joined) == 3
    assert joined[0].startswith("The seriousness of the conflict")
    assert "precision strike on the\n\nMetsamor nuclear power plant" in joined[0]
    assert joined[0].endswith("a huge tragedy for Armenia.”")
    assert joined[1].startswith("While UN Secretary-General Antonio Guterres")
    assert "refrain from inflammatory\n\nrhetoric" in joined[1]
    assert joined[1].endswith("in a statement on Wednesday.")
    assert joined[2].startswith("Defense Minister Army General Sergei Shoigu said:")
    assert "military large units\n\nand formations" in joined[2]


def test_sample_quotation_of_several_sentences_is_one_sentence(sample_text: str) -> None:
    pieces = sentences_of(sample_text)
    peskov = [p for p in pieces if "Dmitry Peskov" in p]
    assert len(peskov) == 1
    assert peskov[0].startswith("“We are deeply concerned about the shootings")
    assert peskov[0].endswith("as a co-chair of the Minsk group.”")


def test_sample_has_the_expected_number_of_sentences(sample_text: str) -> None:
    # 3 header lines, 46 sentences of prose, 2 lines of contact boilerplate.
    assert len(segment(sample_text)) == 51
