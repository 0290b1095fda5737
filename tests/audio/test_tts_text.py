"""Narration text: normalisation into speakable words and sentence splitting."""

from __future__ import annotations

import pytest

from reelforge.audio.tts import normalize_text, split_sentences
from reelforge.audio.tts.text import number_words, ordinal_words


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Cold for 24 hours.", "Cold for twenty-four hours."),
        ("It costs 1,299 today", "It costs one thousand two hundred ninety-nine today"),
        ("2.5 liters", "two point five liters"),
        ("Only $19.99", "Only nineteen dollars and ninety-nine cents"),
        ("$1", "one dollar"),
        ("$0.50", "fifty cents"),
        ("$5 million", "five million dollars"),
        ("$1.5M raised", "one point five million dollars raised"),
        ("€5", "five euros"),
        ("£1.01", "one pound and one penny"),
        ("50% off", "fifty percent off"),
        ("up 2.5%", "up two point five percent"),
        ("the 1st, 2nd, 3rd and 22nd", "the first, second, third and twenty-second"),
        ("our 101st", "our one hundred first"),
        ("e.g. apples, etc.", "for example apples, et cetera"),
        ("Dr. Smith vs. Mr. Jones", "Doctor Smith versus Mister Jones"),
        ("approx. 5 kg", "approximately five kilograms"),
        ("500ml bottle", "five hundred milliliters bottle"),
        ("3x faster", "three times faster"),
        ("10-20 minutes", "ten to twenty minutes"),
        ("24/7 support", "twenty-four seven support"),
        ("No. 1 in #2 cities", "number one in number two cities"),
        ("-5 degrees", "minus five degrees"),
        ("Visit example.com/shop.", "Visit example dot com slash shop."),
        ("https://www.example.co.uk/a-b", "w w w dot example dot co dot uk slash a dash b"),
        ("Mail hello@smart-bottle.io now", "Mail hello at smart dash bottle dot io now"),
        ("R&D  &  more", "R&D and more"),
        ("  spaced \n out  ", "spaced out"),
    ],
)
def test_normalize_text(text: str, spoken: str) -> None:
    assert normalize_text(text) == spoken


@pytest.mark.parametrize(
    ("text", "pronunciations", "spoken"),
    [
        ("SmartBottle v2 is here", {"smartbottle": "smart bottle", "v2": "version 2"},
         "smart bottle version two is here"),
        ("Ask NASA or nasal", {"NASA": "nassa"}, "Ask nassa or nasal"),
        ("New York City, New York", {"New York": "noo york", "New York City": "the big apple"},
         "the big apple, noo york"),
        ("Try Qoo", {"qoo": "[[ kˈuː ]]"}, "Try [[ kˈuː ]]"),
        ("Keep [[ 1.5 ]] as is", {}, "Keep [[ 1.5 ]] as is"),
    ],
)  # fmt: skip
def test_pronunciations_come_first_and_match_whole_words(
    text: str, pronunciations: dict[str, str], spoken: str
) -> None:
    assert normalize_text(text, pronunciations) == spoken


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "zero"),
        (13, "thirteen"),
        (40, "forty"),
        (99, "ninety-nine"),
        (100, "one hundred"),
        (1005, "one thousand five"),
        (1_000_000, "one million"),
        (2_000_300_001, "two billion three hundred thousand one"),
        (-7, "minus seven"),
    ],
)
def test_number_words(value: int, words: str) -> None:
    assert number_words(value) == words


@pytest.mark.parametrize(
    ("value", "words"),
    [(1, "first"), (5, "fifth"), (12, "twelfth"), (20, "twentieth"), (100, "one hundredth"),
     (123, "one hundred twenty-third")],
)  # fmt: skip
def test_ordinal_words(value: int, words: str) -> None:
    assert ordinal_words(value) == words


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Meet SmartBottle. Cold for 24 hours! Really? Yes.",
         ["Meet SmartBottle.", "Cold for 24 hours!", "Really?", "Yes."]),
        ("Dr. Smith said e.g. this. Then the U.S. Army left.",
         ["Dr. Smith said e.g. this.", "Then the U.S. Army left."]),
        ("Only $2.50 at example.com. Order now", ["Only $2.50 at example.com.", "Order now"]),
        ("Wait... what? Yes!", ["Wait... what?", "Yes!"]),
        ("First line\nSecond line.\n\nThird", ["First line", "Second line.", "Third"]),
        ("He said “Go.” Then left.", ["He said “Go.”", "Then left."]),
        ("Apples, pears etc. Then more.", ["Apples, pears etc.", "Then more."]),
        ("   ", []),
    ],
)  # fmt: skip
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences
