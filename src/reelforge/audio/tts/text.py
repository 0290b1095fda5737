"""Narration text for speech: sentence splitting and normalisation into speakable words.

Normalisation rewrites what a voice would misread ("$19.99", "50%", "example.com/shop", "Dr.")
into plain words. Captions keep the narration's original words; only the voice hears these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ("", "thousand", "million", "billion", "trillion", "quadrillion")
_ORDINAL_IRREGULAR = {
    "one": "first", "two": "second", "three": "third", "five": "fifth",
    "eight": "eighth", "nine": "ninth", "twelve": "twelfth",
}  # fmt: skip

# Raw phonemes for Piper, e.g. a pronunciation of "[[ kˈɑːɹɡoʊ ]]", are passed through untouched.
_PHONEME_BLOCK = re.compile(r"(\[\[.*?\]\])")

# Abbreviations that end with a dot but (almost) never end a sentence.
_NON_TERMINAL = {"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "approx", "no", "e.g",
                 "i.e", "fig", "ca", "cf", "dept", "est"}  # fmt: skip
_ABBREVIATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, flags), spoken)
    for pattern, spoken, flags in (
        (r"(?<!\w)e\.\s?g\.(?!\w)", "for example", re.IGNORECASE),
        (r"(?<!\w)i\.\s?e\.(?!\w)", "that is", re.IGNORECASE),
        (r"(?<!\w)etc\.", "et cetera", re.IGNORECASE),
        (r"(?<!\w)vs\.?(?!\w)", "versus", re.IGNORECASE),
        (r"(?<!\w)approx\.", "approximately", re.IGNORECASE),
        (r"(?<!\w)Dr\.", "Doctor", 0),
        (r"(?<!\w)Mr\.", "Mister", 0),
        (r"(?<!\w)Mrs\.", "Missus", 0),
        (r"(?<!\w)Ms\.", "Miz", 0),
        (r"(?<!\w)Prof\.", "Professor", 0),
        (r"(?<!\w)Jr\.", "Junior", 0),
        (r"(?<!\w)Sr\.", "Senior", 0),
        (r"(?<!\w)Inc\.", "Incorporated", 0),
        (r"(?<!\w)Ltd\.", "Limited", 0),
        (r"(?<!\w)No\.\s?(?=\d)", "number ", 0),
        (r"(?<!\w)#(?=\d)", "number ", 0),
    )
)

_CURRENCIES = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
}
_SCALE_WORDS = {
    "k": "thousand", "thousand": "thousand", "m": "million", "mn": "million",
    "million": "million", "b": "billion", "bn": "billion", "billion": "billion",
}  # fmt: skip
# Units right after a number: (singular, plural).
_UNITS = {
    "km": ("kilometer", "kilometers"), "kg": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"), "ml": ("milliliter", "milliliters"),
    "cm": ("centimeter", "centimeters"), "mm": ("millimeter", "millimeters"),
    "mph": ("mile per hour", "miles per hour"),
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "mah": ("milliamp hour", "milliamp hours"), "h": ("hour", "hours"), "hr": ("hour", "hours"),
    "hrs": ("hours", "hours"), "gb": ("gigabyte", "gigabytes"), "mb": ("megabyte", "megabytes"),
    "tb": ("terabyte", "terabytes"), "oz": ("ounce", "ounces"), "lb": ("pound", "pounds"),
    "lbs": ("pounds", "pounds"), "°c": ("degree Celsius", "degrees Celsius"),
    "°f": ("degree Fahrenheit", "degrees Fahrenheit"), "°": ("degree", "degrees"),
}  # fmt: skip
_TLDS = ("com|org|net|io|co|ai|app|dev|shop|store|info|biz|me|tv|us|uk|de|fr|es|it|nl|eu|ca|au"
         "|in|jp|ch|se|no|dk|fi|pl|be|at|ie|nz|xyz|online|site|tech|ly|gg")  # fmt: skip

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER_RE = re.compile(rf"(?<![\w.])(-)?({_NUMBER})(?![\w])")
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?<![.])")
_URL_RE = re.compile(
    rf"(?<![\w@/])(?:https?://)?(?:[a-z0-9-]+\.)+(?:{_TLDS})(?![\w-])(?:[/?#][^\s]*)?",
    re.IGNORECASE,
)
_CURRENCY_RE = re.compile(
    rf"([$€£])\s?({_NUMBER})(?:\s?(k|m|mn|b|bn|thousand|million|billion)(?![\w]))?",
    re.IGNORECASE,
)
_PERCENT_RE = re.compile(rf"(?<![\w.])(-)?({_NUMBER})\s?%")
_ORDINAL_RE = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(st|nd|rd|th)(?!\w)", re.IGNORECASE)
_UNIT_NAMES = "|".join(re.escape(unit) for unit in sorted(_UNITS, key=len, reverse=True))
_UNIT_RE = re.compile(rf"(?<![\w.])({_NUMBER})\s?({_UNIT_NAMES})(?![\w/])", re.IGNORECASE)
_TIMES_RE = re.compile(rf"(?<![\w.])({_NUMBER})x(?!\w)", re.IGNORECASE)
_RANGE_RE = re.compile(rf"(?<![\w.])({_NUMBER})\s?[-–]\s?(?=\d)")
_TWENTY_FOUR_SEVEN_RE = re.compile(r"(?<![\w/])24/7(?![\w/])")

_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")


def number_words(value: int) -> str:
    """An integer in words: 1299 -> "one thousand two hundred ninety-nine"."""
    if value < 0:
        return "minus " + number_words(-value)
    if value < 20:
        return _ONES[value]
    if value >= 1000 ** len(_SCALES):
        return " ".join(_ONES[int(d)] for d in str(value))
    parts: list[str] = []
    for power in range(len(_SCALES) - 1, -1, -1):
        group = value // 1000**power % 1000
        if group:
            parts.append(_below_thousand(group) + (f" {_SCALES[power]}" if power else ""))
    return " ".join(parts)


def _below_thousand(value: int) -> str:
    hundreds, rest = divmod(value, 100)
    words = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    elif rest:
        words.append(_ONES[rest])
    return " ".join(words)


def ordinal_words(value: int) -> str:
    """An ordinal in words: 22 -> "twenty-second"."""
    words = number_words(value)
    head, sep, last = words.rpartition("-") if "-" in words.split()[-1] else words.rpartition(" ")
    if last in _ORDINAL_IRREGULAR:
        last = _ORDINAL_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def decimal_words(number: str) -> str:
    """A number as written ("1,299", "2.5", "0.75") in words; decimals read digit by digit."""
    whole, _, fraction = number.replace(",", "").partition(".")
    words = number_words(int(whole))
    if fraction:
        words += " point " + " ".join(_ONES[int(d)] for d in fraction)
    return words


def _is_one(number: str) -> bool:
    return number.replace(",", "") in ("1", "1.0", "1.00")


def _currency(match: re.Match[str]) -> str:
    symbol, number, scale = match.group(1), match.group(2), match.group(3)
    unit, units, subunit, subunits = _CURRENCIES[symbol]
    if scale:
        return f"{decimal_words(number)} {_SCALE_WORDS[scale.lower()]} {units}"
    whole_text, _, fraction = number.replace(",", "").partition(".")
    whole = int(whole_text)
    if len(fraction) > 2:
        return f"{decimal_words(number)} {units}"
    cents = int(fraction.ljust(2, "0")) if fraction else 0
    spoken: list[str] = []
    if whole or not cents:
        spoken.append(f"{number_words(whole)} {unit if whole == 1 else units}")
    if cents:
        spoken.append(f"{number_words(cents)} {subunit if cents == 1 else subunits}")
    return " and ".join(spoken)


def _signed(match: re.Match[str]) -> str:
    sign = "minus " if match.group(1) else ""
    return sign + decimal_words(match.group(2))


def _unit(match: re.Match[str]) -> str:
    number, unit = match.group(1), match.group(2).lower()
    singular, plural = _UNITS[unit]
    return f"{decimal_words(number)} {singular if _is_one(number) else plural}"


def _spell_address(text: str) -> str:
    """example.com/shop -> "example dot com slash shop"."""
    text = re.sub(r"^https?://", "", text, flags=re.IGNORECASE)
    symbols = {".": " dot ", "/": " slash ", "@": " at ", "-": " dash ", "_": " underscore ",
               ":": " colon ", "?": " question mark ", "=": " equals ", "&": " and ",
               "#": " hash ", "+": " plus ", "~": " tilde ", "%": " percent "}  # fmt: skip
    spoken = "".join(symbols.get(char, char) for char in text.rstrip("/"))
    spoken = re.sub(r"(?<![\w])www(?![\w])", "w w w", spoken, flags=re.IGNORECASE)
    return " ".join(spoken.split())


def _address(match: re.Match[str]) -> str:
    # A URL swallows trailing sentence punctuation ("Visit example.com/shop."): keep it outside.
    text = match.group(0)
    stripped = text.rstrip(".,;:!?)'\"")
    return _spell_address(stripped) + text[len(stripped) :]


_RULES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (_EMAIL_RE, _address),
    (_URL_RE, _address),
    (_CURRENCY_RE, _currency),
    (_PERCENT_RE, lambda m: _signed(m) + " percent"),
    (_ORDINAL_RE, lambda m: ordinal_words(int(m.group(1).replace(",", "")))),
    (_TWENTY_FOUR_SEVEN_RE, "twenty-four seven"),
    (_UNIT_RE, _unit),
    (_TIMES_RE, lambda m: decimal_words(m.group(1)) + " times"),
    (_RANGE_RE, lambda m: decimal_words(m.group(1)) + " to "),
    *_ABBREVIATIONS,
    (_NUMBER_RE, _signed),
    (re.compile(r"\s&\s"), " and "),
    (re.compile(r"(?<=\s)\+(?=\s)"), "plus"),
)


def _apply_pronunciations(text: str, pronunciations: Mapping[str, str]) -> str:
    # Longest first, so "New York City" wins over "New York"; one pass, so a replacement is
    # never replaced again.
    words = sorted((w.strip() for w in pronunciations if w.strip()), key=len, reverse=True)
    if not words:
        return text
    lookup = {w.strip().casefold(): spoken for w, spoken in pronunciations.items()}
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )
    return pattern.sub(lambda m: lookup[m.group(0).casefold()], text)


def normalize_text(text: str, pronunciations: Mapping[str, str] | None = None) -> str:
    """Narration rewritten as words a voice reads correctly.

    The pronunciation dictionary is applied first (whole words, case-insensitive), then numbers,
    currency, percentages, ordinals, units, abbreviations, URLs and e-mail addresses are spelled
    out. `[[ phonemes ]]` blocks pass through untouched. Whitespace is collapsed.
    """
    if pronunciations:
        text = _apply_pronunciations(text, pronunciations)
    parts = _PHONEME_BLOCK.split(text)
    for index in range(0, len(parts), 2):  # odd indexes are phoneme blocks
        part = parts[index]
        for pattern, replacement in _RULES:
            part = pattern.sub(replacement, part)
        parts[index] = part
    return " ".join("".join(parts).split())


def split_sentences(text: str) -> list[str]:
    """The narration's sentences, in order, with whitespace collapsed.

    A line break always ends a sentence. `.`, `!`, `?` and `…` end one when followed by a space
    and a word that does not start in lower case, except after abbreviations such as "Dr." or
    "e.g." and initials ("U.S."). Decimals and addresses ("2.5", "example.com") never split.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        start = 0
        for match in _SENTENCE_END_RE.finditer(line):
            end = match.end()
            if end < len(line) and not _ends_sentence(line, match):
                continue
            sentence = line[start:end].strip()
            if sentence:
                sentences.append(sentence)
            start = end
        rest = line[start:].strip()
        if rest:
            sentences.append(rest)
    return sentences


def _ends_sentence(line: str, match: re.Match[str]) -> bool:
    following = line[match.end() :].lstrip()
    if following[:1].islower():
        return False
    if "." not in match.group(0) or match.group(0).startswith(".."):
        return True
    word = line[: match.start()].rsplit(" ", 1)[-1].lstrip("(\"'“‘")
    if word.casefold() in _NON_TERMINAL:
        return False
    # Initials and dotted acronyms: "J. K.", "U.S."
    return re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word) is None
