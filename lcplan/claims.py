"""Find the quantities a plan asserts, with normalised values and character offsets.

``extract_claims(text)`` returns one :class:`Claim` per quantity: money (``£32.5 billion``
-> 32500000000 GBP), percentages (``34%`` -> 0.34 share), fractions in words and glyphs
(``two thirds`` -> 0.6667, ``¾ million`` -> 750000), number words (``seven``), thousands
separators, ranges (``50,000-55,000``), qualifiers (``at least``, ``up to``, ``about``),
rates (``per head``, ``in each borough``, ``for every Londoner``) and target dates
(``by 2022``). ``text[c.char_start:c.char_end] == c.quote`` always holds.

It does not report telephone numbers, years and financial years (``2024/25``,
``2014-20``), dates, statute and document references (``section 106``, ``Appendix
Two``, ``Item no: 19``), item numbers at the start of a line, ordinals (``21st``),
alphanumeric names (``HS2``), or age bands (``16 to 19-year olds``, ``14-19 provision``).
Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

__all__ = ["Claim", "extract_claims"]

SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9,
          "trillion": 1e12, "hundred": 1e2}
GLYPHS = {"½": 1 / 2, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 1 / 4, "¾": 3 / 4, "⅕": 1 / 5, "⅖": 2 / 5, "⅗": 3 / 5,
          "⅘": 4 / 5, "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 1 / 8, "⅜": 3 / 8, "⅝": 5 / 8, "⅞": 7 / 8}
DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
                "fifths": 5, "sixth": 6, "sixths": 6, "tenth": 10, "tenths": 10}
UNREVIEWED = "to review: "  # how a drafted claim's subject starts until a person writes it (lcplan ingest)
CURRENCIES = {"£": "GBP", "$": "USD", "€": "EUR"}
MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
MONTH_NO = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
QUALIFIERS = [
    (r"at\s+least|no\s+fewer\s+than|no\s+less\s+than|over|more\s+than|above|in\s+excess\s+of|upwards\s+of",
     "at_least"),
    (r"up\s+to|no\s+more\s+than|as\s+many\s+as|almost|nearly|just\s+under|under|fewer\s+than|less\s+than|below",
     "up_to"),
    (r"about|around|approximately|roughly|some|circa|c\.|an\s+estimated|estimated|an\s+average\s+of", "about"),
    (r"exactly|precisely", "exactly"),
]
REFERENCE_WORDS = (r"section|sections|s\.|part|parts|item|items|no\.|no:|number|appendix|appendices|chapter|"
                   r"clause|paragraph|para|schedule|regulation|article|rule|page|phase|stage|tier|level|version|"
                   r"priority|priorities|pledge|area|areas|table|figure|annex|objective|outcome|theme|step|"
                   r"route|line|junction|zone|band|grade|key\s+stage|year|years|vision|horizon|spending\s+review")

_WORD_NUM = "|".join(sorted(list(SMALL) + list(TENS), key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = rf"(?:{_DIGITS}|[{''.join(GLYPHS)}]|(?:{_WORD_NUM})(?:[- ](?:{'|'.join(SMALL)}))?)"
_SCALE = r"(?:bn|billion|mn|million|m|k|thousand|trillion|hundred)"

# one quantity: currency, number, optional scale, optional range to a second number, optional percent
QUANTITY = re.compile(
    rf"(?<![\w£$€.,/])(?P<cur>[£$€])?\s?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE})(?![\w]))?"
    rf"(?:\s?(?P<dash>-|–|—|to)\s?(?P<cur2>[£$€])?(?P<num2>{_DIGITS}|(?:{_WORD_NUM}))"
    rf"(?:\s?(?P<scale2>{_SCALE})(?![\w]))?)?"
    rf"(?P<pct>\s?%|\s(?:per\s?cent|percent)\b)?(?![\w%]|\.\d|,\d{{3}})",
    re.IGNORECASE,
)
FRACTION = re.compile(
    rf"\b(?P<frac>(?:a|an|one|two|three|four|five|six|seven|eight|nine)\s(?:half|halves|third|thirds|quarter|"
    rf"quarters|fifth|fifths|sixth|sixths|tenth|tenths)|half)\b(?=\s+(?:of|the|all|our|their|its)\b)"
    rf"|\b(?P<one_in>one|1)\s+in\s+(?P<in_n>{_DIGITS}|{_WORD_NUM})\b",
    re.IGNORECASE,
)
# spans that are never quantities
EXCLUDE = [
    re.compile(r"(?:\+44\s?\(?0?\)?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"),  # telephone numbers
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\b\.?(?:\s+\d{{4}})?", re.I),  # 4 June 2019
    re.compile(rf"\b(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b", re.I),  # June 4, 2019
    re.compile(r"\b(?:19|20)\d{2}\s?(?:/|-|–|to)\s?(?:19|20)?\d{2}\b"),  # 2024/25, 2014-20, 2017-2021
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"),  # 04/06/2019, 2019-06-04
    re.compile(r"\b\d+\s?(?:to|-|–)\s?\d+[\s-]?years?[\s-]?olds?\b|\b\d+[\s-]?years?[\s-]?olds?\b", re.I),  # ages
    re.compile(r"(?<![\d,.£$€])\b(?:[0-9]|1\d|2\d|30)\s?(?:-|–|to)\s?(?:[0-9]|1\d|2\d|30)\b(?!\s?(?:%|per\s?cent|"
               rf"{_SCALE}\b))", re.I),  # age and grade bands: 14-19, 0 to 25
    re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.I),  # ordinals
    re.compile(r"\b[A-Za-z]+\d+[A-Za-z\d]*\b"),  # alphanumeric names: HS2, CR2, A406
    re.compile(rf"\b(?:{REFERENCE_WORDS})\s+(?:no\.?\s*)?(?:\d+[a-z]?|{_WORD_NUM})\b", re.I),  # section 106, Appendix Two
    re.compile(r"(?m)^\s*\d+[.)]\s"),  # item numbers at the start of a line
    re.compile(r"\b(?:19|20)\d{2}\b"),  # years
    re.compile(rf"(?<!ty[\s-])(?<!\bany\s)\bone\b(?!\s+(?:\w+\s+){{0,3}}(?:for\s+every|per|in\s+(?:every|each))\b|\s+in\s+(?:\d|{_WORD_NUM}))",
               re.I),  # 'one' as a word, not a quantity
]
PER = re.compile(
    r"^\W{0,3}(?:[\w'’-]+\s+){0,6}?(?:per|in\s+each|for\s+every|for\s+each|in\s+every|a)\s+"
    r"(?P<per>head|person|capita|resident|household|borough|londoner|child|pupil|year|annum|month|week|day|"
    r"council|authority|ward|school|home|property)\b",
    re.IGNORECASE,
)
TARGET = re.compile(
    rf"\b(?:by|before|until|in|from|expire\s+in|by\s+the\s+end\s+of)\s+(?:(?P<month>{MONTHS})\s+)?(?P<year>(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
DURATION = re.compile(r"^\s?(?:-|\s)?(?P<unit>years?|months?|weeks?|days?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    """One quantity in a text. ``value`` is normalised; ``value_high`` is the top of a range."""

    quote: str
    char_start: int
    char_end: int
    value: float
    unit: str  # GBP, USD, EUR, share, count, years, months, weeks, days
    qualifier: str = "exactly"  # at_least, up_to, about, exactly
    per: str = ""
    target_date: str = ""  # YYYY or YYYY-MM
    value_high: float | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _word_value(word: str) -> float | None:
    w = word.lower().replace("-", " ").split()
    total = 0
    for part in w:
        if part in SMALL:
            total += SMALL[part]
        elif part in TENS:
            total += TENS[part]
        else:
            return None
    return float(total)


def _number(token: str) -> float | None:
    token = token.strip()
    if token in GLYPHS:
        return GLYPHS[token]
    if re.fullmatch(_DIGITS, token):
        return float(token.replace(",", ""))
    return _word_value(token)


def _excluded(text: str) -> list[tuple[int, int]]:
    spans = []
    for rx in EXCLUDE:
        spans += [(m.start(), m.end()) for m in rx.finditer(text)]
    return spans


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _qualifier(text: str, start: int) -> tuple[str, int]:
    """The qualifier just before ``start`` and where it begins (``start`` when none)."""
    before = text[max(0, start - 40):start]
    for pattern, name in QUALIFIERS:
        m = re.search(rf"(?:^|\W)(?P<q>{pattern})\s*$", before, re.IGNORECASE)
        if m:
            return name, start - (len(before) - m.start("q"))
    return "exactly", start


def _sentence_rest(text: str, end: int, limit: int = 90) -> str:
    rest = text[end:end + limit]
    stop = re.search(r"[.;:!?](?:\s|$)|\n", rest)
    return rest[:stop.start()] if stop else rest


def _per(text: str, end: int) -> str:
    m = PER.search(_sentence_rest(text, end, 60))
    if not m:
        return ""
    per = m.group("per").lower()
    return {"londoner": "Londoner", "capita": "head", "person": "head", "annum": "year"}.get(per, per)


def _target(text: str, end: int) -> str:
    m = TARGET.search(_sentence_rest(text, end, 120))
    if not m:
        return ""
    month = m.group("month")
    if month:
        number = MONTH_NO.get(month.lower()) or MONTH_NO[next(k for k in MONTH_NO if k.startswith(month.lower()[:3]))]
        return f"{m.group('year')}-{number:02d}"
    return m.group("year")


def extract_claims(text: str) -> list[Claim]:
    """Every quantity ``text`` asserts, in order of appearance. Never raises on a string."""
    if not isinstance(text, str) or not text:
        return []
    excluded = _excluded(text)
    found: list[Claim] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: float, unit: str, *, high: float | None = None) -> None:
        if _overlaps(start, end, taken):
            return
        qualifier, q_start = _qualifier(text, start)
        quote_start = q_start if qualifier != "exactly" or q_start != start else start
        claim = Claim(
            quote=text[quote_start:end], char_start=quote_start, char_end=end, value=round(value, 4),
            unit=unit, qualifier=qualifier, per=_per(text, end), target_date=_target(text, end), value_high=high,
        )
        found.append(claim)
        taken.append((start, end))

    for m in FRACTION.finditer(text):
        if _overlaps(m.start(), m.end(), excluded):
            continue
        if m.group("frac"):
            words = m.group("frac").lower().split()
            if words == ["half"]:
                value = 0.5
            else:
                top = 1 if words[0] in ("a", "an") else SMALL[words[0]]
                value = top / DENOMINATORS[words[1]]
            add(m.start(), m.end(), round(value, 4), "share")
        else:
            n = _number(m.group("in_n"))
            if n:
                add(m.start(), m.end(), 1 / n, "share")

    for m in QUANTITY.finditer(text):
        num, cur, scale, pct = m.group("num"), m.group("cur"), m.group("scale"), m.group("pct")
        start, end = m.start("cur") if cur else m.start("num"), m.end()
        value = _number(num)
        if value is None:
            continue
        is_word = not re.search(r"[\d½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]", num)
        if _overlaps(m.start("num"), m.end("num"), excluded) and not (cur or pct or (scale and not is_word)):
            continue
        if is_word and num.lower() == "one" and _overlaps(m.start("num"), m.end("num"), excluded):
            continue
        if scale and scale.lower() == "m" and not cur:
            # "5m" is five million only with a currency; otherwise it may be metres
            end = m.end("num")
            scale = None
        if not scale and m.group("num2") and m.group("scale2") and m.group("scale2").lower() != "m" or (
                not scale and m.group("scale2") and m.group("scale2").lower() == "m" and (cur or m.group("cur2"))):
            scale = m.group("scale2")  # "£40 to £60 million", "5-10 million": the scale is written once
        if scale and scale.lower() == "hundred" and not is_word:
            value *= 100
        elif scale:
            value *= SCALES[scale.lower()]
        high = None
        if m.group("num2"):
            high = _number(m.group("num2"))
            if high is not None:
                high *= SCALES.get((m.group("scale2") or scale or "").lower(), 1)
                if high < value:
                    high = None
        between = re.search(r"(?i)\bbetween\s+$", text[max(0, start - 10):start])
        after = re.match(rf"\s+and\s+(?P<cur>[£$€])?(?P<num>{_DIGITS}|{_WORD_NUM})(?:\s?(?P<scale>{_SCALE})(?!\w))?"
                         rf"(?P<pct>\s?%|\s(?:per\s?cent|percent)\b)?", text[end:])
        if between and after and high is None and _number(after.group("num")) is not None:
            if not scale and after.group("scale"):  # "between 3 and 4 million"
                value *= SCALES[after.group("scale").lower()]
            high = _number(after.group("num")) * SCALES.get((after.group("scale") or scale or "").lower(), 1)
            pct = pct or after.group("pct")
            start, end = start - len(between.group(0)), end + after.end()
        if pct and not (m.group("num2") and m.group("dash").lower() == "and"):
            unit, value = "share", value / 100
            high = high / 100 if high is not None else None
        elif cur:
            unit = CURRENCIES[cur]
        else:
            d = DURATION.match(text[end:end + 12])
            unit = d.group("unit").lower().rstrip("s") + "s" if d else "count"
        add(start, end, value, unit, high=high)

    found.sort(key=lambda c: c.char_start)
    return found


def printed_tolerance(quote: str, value: float) -> float:
    """Half a step of the last digit the plan prints, in the claim's unit: how far a source's figure
    may lie from ``value`` and still round to the quote ("£32.5 billion": £0.05bn; "34%": 0.005;
    "55,000": 0.5). A quote in words or glyphs ("seven", "two thirds", "¾ million") is taken as
    exact for whole numbers below 1,000 (0.5) and to half a percent of the value otherwise."""
    digits = re.search(_DIGITS, quote or "")
    if digits:
        printed = float(digits.group().replace(",", ""))
        decimals = len(digits.group().partition(".")[2])
        if printed:
            scale = abs(value / printed)
        else:  # "0%", "£0 million": the scale from the words, as the extractor reads them
            word = re.search(rf"\b{_SCALE}\b", quote, re.IGNORECASE)
            scale = 0.01 if "%" in quote else SCALES.get(word.group().lower(), 1.0) if word else 1.0
        return 0.5 * 10 ** -decimals * scale
    if float(value).is_integer() and abs(value) < 1000:
        return 0.5
    return 0.005 * abs(value)
