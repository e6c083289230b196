"""The corpus itself: big enough, every case named once, every surface covered."""

from __future__ import annotations

from tests.hostile.corpus import CORPUS, SURFACES, cases


def test_corpus_has_at_least_thirty_bad_inputs():
    assert len([c for c in CORPUS if not c.accepted]) >= 30


def test_every_case_has_a_unique_name_and_a_known_surface():
    names = [c.name for c in CORPUS]
    assert len(names) == len(set(names))
    for c in CORPUS:
        assert c.surfaces and c.surfaces <= set(SURFACES), c.name


def test_every_surface_has_cases():
    for surface in SURFACES:
        assert cases(surface, accepted=None), surface
