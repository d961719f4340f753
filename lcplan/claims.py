"""Find the quantities a plan asserts, with normalised values and character offsets.

``extract_claims(text)`` returns one :class:`Claim` per quantity: money (``£32.5 billion``
-> 32500000000 GBP), percentages (``34%`` -> 0.34 share), fractions in words and glyphs
(``two thirds`` -> 0.6667, ``¾ million`` -> 750000), number words (``seven``), thousands
separators, ranges (``50,000-55,000``), qualifiers (``at least``, ``up to``, ``about``),
rates (``per head``, ``in each borough``, ``for every resident``, ``a year``, ``/person/day``), target
dates (``by 2022``) and the units of physical quantities plans use (``2.5 MW``, ``1,200 MWh``, ``3 kt of
CO2e``, ``40 hectares``, ``110 litres``: ``UNITS``), each normalised to one base unit a family with the
printed unit kept. ``text[c.char_start:c.char_end] == c.quote`` always holds.

Targets: a figure the text commits to ("reduce emissions by 75% by 2030 from a 2010/11 baseline",
"1,000 new homes by 2025") is marked ``is_target`` with its direction, baseline year, scope and a
guessed subject; a named end state ("net zero by 2030", "carbon neutral by 2050") is a claim of its
own with ``end_state`` set and no value.

It does not report telephone numbers, years and financial years (``2024/25``,
``2014-20``), dates, statute and document references (``section 106``, ``Appendix
Two``, ``Item no: 19``, ``page 4``, ``see 3.2``), list and paragraph numbers, ordinals
(``21st``), names with a number in them (``HS2``, ``Covid-19``, ``COVID 19``, ``Scope 3``,
``ISO 14001``, ``Industry 4.0``), or age bands (``16 to 19-year olds``, ``14-19 provision``).
Standard library only.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import asdict, dataclass, field, replace

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
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], start=1)}
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
                   r"route|line|junction|zone|band|grade|key\s+stage|(?-i:Years?)|vision|horizon|spending\s+review")
# a capitalised or lower-case word that names a thing with the number after it: "Covid 19", "Scope 3"
NAME_WORDS = (r"covid|sars|scope|iso|bs|en|pas|web|industry|agenda|recommendation|recommendations|commitment|"
              r"action|goal|milestone|box|question|option|proposal|amendment|footnote|note|volume|issue|release|"
              r"wave|round|cohort|group|class|category|type|generation|pillar|principle|measure|element|strand|"
              r"workstream|act|standard|exhibit|slide|tab|session|lot|track|window|module|unit|article|law|order|e\.\s?o\.|"
              r"reg\.|pillars|ch\.?|"
              r"sections?|chapters?|pages?|pp?\.|paras?\.?|paragraphs?|figures?|fig\.|tables?|annex(?:es)?")
# physical units: (printed form, base unit, factor to the base). Emissions are tonnes of CO2 or
# CO2e (or "of carbon", as plans print it); the same masses without a gas are mass, unless the
# clause speaks of emissions or carbon. Which family a base unit is in is the claims schema's
# (the categories of `unit`).
_GAS = (r"(?:of\s+)?(?:carbon\s+dioxide(?:\s+equivalent)?|CO2\s?e(?:q(?:uivalent)?)?\b|CO₂\s?e\b|CO2\b|CO₂|"
        r"CO2-e(?:q)?|carbon(?:\s+equivalent)?|greenhouse\s+gas(?:es)?|GHG)")
UNITS: list[tuple[str, str, float]] = [
    (r"(?:t|kg|kt|Mt|Gt)\s?CO2\s?-?e(?:q)?|(?:t|kg|kt|Mt|Gt)\s?CO₂\s?e|(?:t|kg|kt|Mt|Gt)CO2", "tCO2e", 0.0),  # factor by prefix
    (r"tonnes?|tons?|metric\s+tons?", "t", 1.0),
    (r"kilotonnes?|kt", "t", 1e3),
    (r"megatonnes?|Mt", "t", 1e6),
    (r"gigatonnes?|Gt", "t", 1e9),
    (r"kilograms?|kgs?", "t", 1e-3),
    (r"kWh|kilowatt[\s-]hours?", "kWh", 1.0),
    (r"MWh|megawatt[\s-]hours?", "kWh", 1e3),
    (r"GWh|gigawatt[\s-]hours?", "kWh", 1e6),
    (r"TWh|terawatt[\s-]hours?", "kWh", 1e9),
    (r"kWp?|kilowatts?", "kW", 1.0),
    (r"MWp?|megawatts?", "kW", 1e3),
    (r"GWp?|gigawatts?", "kW", 1e6),
    (r"hectares?|ha", "ha", 1.0),
    (r"acres?", "ha", 0.40468564224),
    (r"km2|km²|sq\.?\s?km|square\s+kilomet(?:re|er)s?", "ha", 100.0),
    (r"square\s+miles?|sq\.?\s?miles?", "ha", 258.9988110336),
    (r"m2|m²|sq\.?\s?m|square\s+met(?:re|er)s?", "ha", 1e-4),
    (r"sq\.?\s?ft|square\s+f(?:ee|oo)t|ft2|ft²", "ha", 9.290304e-6),
    (r"mph|miles\s+(?:per|an)\s+hour", "km/h", 1.609344),
    (r"km/h|kph|kilomet(?:re|er)s\s+(?:per|an)\s+hour", "km/h", 1.0),
    (r"km|kilomet(?:re|er)s?", "km", 1.0),
    (r"miles?", "km", 1.609344),
    (r"met(?:re|er)s?", "km", 1e-3),
    (r"mm|millimet(?:re|er)s?", "km", 1e-6),
    (r"cm|centimet(?:re|er)s?", "km", 1e-5),
    (r"°C|ºC|o[cC]|degrees?\s+(?:Celsius|centigrade|C\b)", "degC", 1.0),
    (r"Mbps|Mbit/s|megabits?\s+per\s+second", "Mbit/s", 1.0),
    (r"Gbps|Gbit/s|gigabits?\s+per\s+second", "Mbit/s", 1e3),
    (r"megalit(?:re|er)s?", "litres", 1e6),
    (r"m3|m³|cubic\s+met(?:re|er)s?", "litres", 1e3),
    (r"lit(?:re|er)s?", "litres", 1.0),
]
_PREFIX = {"kg": 1e-3, "t": 1.0, "kt": 1e3, "mt": 1e6, "gt": 1e9}
_MASS = r"tonnes?|tons?|metric\s+tons?|kilotonnes?|kt|megatonnes?|Mt|gigatonnes?|Gt|kilograms?|kgs?"
_UNIT = "|".join([rf"(?:{_MASS})(?:\s+{_GAS})?", *(u for u, _, _ in UNITS[:1] + UNITS[6:])])
EMISSIONS_WORDS = re.compile(r"(?i)\b(?:emissions?|carbon|co2|co₂|greenhouse|ghg)\b")

_WORD_NUM = "|".join(sorted(list(SMALL) + list(TENS), key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNITS_1_9 = "one|two|three|four|five|six|seven|eight|nine"
# twenty-one, thirty five: a tens word and a unit; never two unit words ("six two-year-olds")
_NUM = rf"(?:{_DIGITS}|[{''.join(GLYPHS)}]|(?:{'|'.join(TENS)})[- ](?:{_UNITS_1_9})\b|(?:{_WORD_NUM}))"
_SCALE = r"(?:bn|billion|mn|million|m|k|thousand|trillion|hundred)"

# one quantity: currency, number, optional scale, optional range to a second number, optional percent
QUANTITY = re.compile(
    rf"(?<![\w£$€.,])(?<![^%]/)(?P<from>(?<=from\s)(?<!range\sfrom\s)(?<!ranges\sfrom\s)(?<!ranging\sfrom\s))?(?P<cur>[£$€])?\s?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE})(?![\w]))?"
    # "from 1000 to 2000" is a change from one figure to another: two claims, not a range
    rf"(?:(?(from)(?!\s?to\b))\s?(?P<dash>-|–|—|to|or)\s?(?P<cur2>[£$€])?(?P<num2>{_DIGITS}|(?:{_WORD_NUM}))"
    rf"(?:\s?(?P<scale2>{_SCALE})(?![\w]))?)?"
    rf"(?:\s?(?P<unit>{_UNIT})(?![\w²³]))?"
    rf"(?P<pct>\s?%|\s(?:per\s?cent|percent|percentage\s+points?)\b)?(?![\w%]|\.\d|,\d{{3}})",
    re.IGNORECASE,
)
FRACTION = re.compile(
    rf"\b(?P<frac>(?:a|an|one|two|three|four|five|six|seven|eight|nine)[\s-](?:half|halves|third|thirds|quarter|"
    rf"quarters|fifth|fifths|sixth|sixths|tenth|tenths)|half)\b"
    rf"(?=\s+(?:of|the|all|our|their|its|in|by|since|from|between|over|on)\b|\s*[,.;)]|\s*$)"
    rf"|\b(?P<one_in>one|1)\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<in_n>{_DIGITS}|{_WORD_NUM})\b",
    re.IGNORECASE,
)
# spans that are never quantities
EXCLUDE = [
    re.compile(r"(?:\+44\s?\(?0?\)?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"),  # telephone numbers
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\b\.?(?:\s+\d{{4}})?", re.IGNORECASE),  # 4 June 2019
    re.compile(rf"\b(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b", re.IGNORECASE),  # June 4, 2019
    re.compile(r"\b(?:19|20)\d{2}\s?(?:/|-|–|to)\s?(?:19|20)?\d{2}\b(?![,.]?\d)"),  # 2024/25, 2014-20, 2017-2021
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"),  # 04/06/2019, 2019-06-04
    re.compile(rf"\b(?:\d+|{_WORD_NUM})(?:-?\s?(?:to|and|or|-|–)\s?(?:\d+|{_WORD_NUM}))?[\s-]?years?[\s-]?olds?\b",
               re.IGNORECASE),  # age bands: 16 to 19-year olds, three- and four-year-olds
    re.compile(r"\b\d+\s?:\s?\d+\b"),  # a ratio printed 1:4 (read as a ratio below, not as two counts)
    re.compile(r"(?<![\d,.£$€])\b(?:[0-9]|1\d|2\d|30)\s?(?:-|–|to)\s?(?:[0-9]|1\d|2\d|30)\b(?!\s?(?:%|per\s?cent|"
               rf"{_SCALE}\b|(?:{_UNIT}|years?|months?|weeks?|days?|hours?|minutes?)\b))", re.IGNORECASE),  # bands: 14-19
    re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.IGNORECASE),  # ordinals
    re.compile(r"\b[A-Za-z]+\d+[A-Za-z\d]*\b"),  # alphanumeric names: HS2, CR2, A406
    re.compile(rf"\b(?:{REFERENCE_WORDS})\s+(?:no\.?\s*)?(?:\d+[a-z]?|{_WORD_NUM})\b", re.IGNORECASE),  # section 106, Appendix Two
    re.compile(r"(?m)^\s*\d+[.)]\s"),  # item numbers at the start of a line
    re.compile(r"(?:[.:;]\s+|\(\s?)\d{1,2}[.)]\s+(?=[A-Z])"),  # list numbers in running text: "...: 4. Procurement"
    re.compile(r"(?<![\w£$€])\(\d{1,2}\)(?!\s?(?:%|per\s?cent))"),  # (3)
    re.compile(r"\b[A-Za-z]{2,}-\d+(?:\.\d+)?[a-z]?\b"),  # a name with a number hyphened on: Covid-19, post-16
    re.compile(rf"\b(?:{NAME_WORDS})\s?(?:no\.?\s*)?(?:\d+(?:\.\d+)*[a-z]?|(?:{_WORD_NUM})\b)"
               rf"(?:\s*(?:,|and|or|&)\s*\d+(?:\.\d+)*[a-z]?\b)*(?!\s?(?:%|per\s?cent))", re.IGNORECASE),  # Scope 3, Category 2 and 3
    re.compile(r"\b\d+\.\d+\.\d+(?:\.\d+)*\b"),  # 2.1.3: a paragraph number
    re.compile(r"^\W*\d+(?:\.\d+)+\.?\s*(?=[A-Z(])"),  # a statement opening with its paragraph number: "7.2.The ..."
    re.compile(r"(?:https?://|www\.)\S+|(?<!\S)[^\s.]{1,80}(?:\.[^\s.]{1,80}){0,12}?\.(?:aspx|html?|pdf|php|jsp)\b\S*",
               re.IGNORECASE),  # web addresses
    re.compile(rf"^\s*\d{{1,3}}\s+(?!(?:{_UNIT})\b)(?=https?:|www\.|\(?[A-Z]|of\s+the\s+[A-Z])"),  # a note's number
    re.compile(r"^\W*\d+\W*$"),  # a statement that is a number alone
    # a note or page mark left in the text: a bare number before an article ("into 9 the hands")
    re.compile(r"(?<=[a-z,] )\d{1,3}(?=\s+(?:the|a|an|to\s+the|including)\s)"),
    re.compile(rf"\b\d+\s+(?!(?:{_UNIT})\b)(?:[A-Z][\w&'’-]*\s+){{2,}}[A-Z][\w&'’-]*"),  # a title: "50 Hottest UK AI Companies"
    re.compile(r"\bISBNs?:?\s*[\d][\d\s-]{8,}[\dXx]\b"),  # ISBN 978-1-5286-0771-1
    re.compile(r"\b[A-Z]{2,5}\s\d+(?:\.\d+)?\b(?!\s?(?:%|per\s?cent|million|billion|bn\b|m\b|k\b))"),  # HC 370, BS 8300
    re.compile(r"(?<=[A-Za-z0-9])\(\d+\)"),  # M4(2)
    re.compile(r"\b\d+[a-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|Road|Avenue|Lane|Place|Square|Way|Drive|Court|House|"
               r"Building|Row|Terrace|Gardens|Walk|Close|Crescent|Hill|Park)\b"),  # 2 Marsham Street
    re.compile(r"\b\d+[\s-](?:Year|Month|Week|Day|Point|Step)\s+[A-Z]"),  # the 25 Year Environment Plan: a title
    re.compile(r"\b\d{1,2}/\d{2}\b(?!/)"),  # 01/17, 24/7
    re.compile(r"(?:^|(?<=[\s:;,]))\d{1,2}\)(?=\s)"),  # an inline list: "1) relevance, 2) accuracy"
    re.compile(r"\b\d+\s?\(\d+\)(?:,?\s*(?:pp?\.\s*)?\d+\s?[-–]\s?\d+)?"),  # a journal's volume(issue), pages
    re.compile(r"\b\d{3,4}(?=(?:\s+[\w-]+){0,4}\s+(?:hotline|helpline|lifeline)\b)", re.IGNORECASE),  # the 988 line
    re.compile(rf"\b(?:\d+|{_WORD_NUM})-(?:way|stop)\b", re.IGNORECASE),  # two-way, one-stop
    re.compile(r"\b(?:see|cf\.?)\s+(?:also\s+)?\d+(?:\.\d+)+\b", re.IGNORECASE),  # see 3.2
    re.compile(r"(?:\b1[\s.-])?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"),  # US telephone numbers
    re.compile(r"\b(?:19|20)\d{2}\b"),  # years
    re.compile(rf"(?<!ty[\s-])(?<!\bleast\s)(?<!\bjust\s)(?<!\bonly\s)\bone\b(?!\s+(?:\w+\s+){{0,3}}(?:for\s+every|per|in\s+(?:every|each))\b|\s+(?:in|out\s+of)\s+(?:every\s+)?(?:\d|{_WORD_NUM})"
               rf"|\s+(?:year|month|week|day|hectare|acre|mile|kilomet(?:re|er)|tonne|lit(?:re|er)|megawatt|kilowatt)s?\b)",
               re.IGNORECASE),  # 'one' as a word, not a quantity
]
PER = re.compile(
    r"^\W{0,3}(?:[\w'’-]+\s+){0,6}?(?:per|in\s+each|for\s+every|for\s+each|in\s+every|a)\s+"
    r"(?P<per>head|person|capita|resident|household|borough|child|pupil|year|annum|month|week|day|"
    r"council|authority|ward|school|home|property)\b"
    r"|^\s?/\s?(?P<slash>head|person|capita|resident|household|year|annum|yr|month|week|day)\b"
    r"|^\s(?P<yearly>annually|each\s+year|every\s+year)\b",
    re.IGNORECASE,
)
# a rate per person of a place, as printed ("for every Londoner", "per Glaswegian"): a capitalised
# word of the forms that name a place's people
PER_PEOPLE = re.compile(
    r"^\W{0,3}(?:[\w'’-]+\s+){0,6}?(?:[Pp]er|[Ii]n\s+each|[Ff]or\s+every|[Ff]or\s+each|[Ii]n\s+every)\s+"
    r"(?P<per>[A-Z][a-z]+(?:er|ian|ite|ean|ese))s?\b")
PER_AGAIN = re.compile(r"^\s?(?:/|per\s|a\s|an\s|each\s)\s?(?P<per>day|week|month|year|annum|yr)\b", re.IGNORECASE)
TARGET = re.compile(
    rf"\b(?:by|before|until|in|from|expire\s+in|by\s+the\s+end\s+of)\s+(?:(?P<month>{MONTHS})\s+)?(?P<year>(?:19|20)\d{{2}})\b"
    rf"(?:\s?[/–-]\s?(?P<end>\d{{2}})\b(?![/–-]))?",
    re.IGNORECASE,
)
DURATIONS = ("years", "months", "weeks", "days", "hours", "minutes", "seconds")
DURATION = re.compile(
    r"^\s?(?:-\s?|\s)?(?:(?:extra|additional|more|further|healthy|independent|full|whole|consecutive|working|calendar|"
    r"business|school|financial)[,\s]+){0,3}(?P<unit>years?|months?|weeks?|days?|hours?|minutes?|seconds?)(?:ly)?\b",
    re.IGNORECASE)
# vague magnitudes and multiples, as plans print them
MAGNITUDE = re.compile(r"\b(?P<word>(?:(?:tens|hundreds|thousands)\s+of\s+)?(?:dozens|hundreds|thousands|millions|billions)"
                       r"|(?:more\s+than\s+)?a\s+dozen)(?=\s+(?:of|more|\w+)\b)"
                       r"|\b(?P<multi>multi-million|multi-billion)(?=[\s-](?:pound|dollar|euro))", re.IGNORECASE)
MONEY_WORD = re.compile(r"\s(?P<w>pounds?(?:\s+sterling)?|dollars?|euros?)\b", re.IGNORECASE)
MONEY_CODE = re.compile(r"\b(?P<c>GBP|USD|EUR|US\$)\s?$")
RATIO = re.compile(r"(?<![\d:.])(?P<a>\d{1,3})\s?:\s?(?P<b>\d{1,3})(?![\d:]|\.\d)")
MULTIPLE = re.compile(r"\b(?P<word>twice|thrice|doubl(?:e|es|ed|ing)|tripl(?:e|es|ed|ing)|trebl(?:e|es|ed|ing)|quadrupl(?:e|es|ed|ing)"
                      rf"|halv(?:e|es|ed|ing))\b|\b(?P<n>{_DIGITS}|{_WORD_NUM})\s+times\b(?!\s+(?:a|per|each|every)\b)",
                      re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    """One quantity in a text. ``value`` is normalised to ``unit`` (a base unit: a physical quantity's
    printed unit is in ``unit_printed``); ``value_high`` is the top of a range. A named end state
    (``end_state``: net_zero, carbon_neutral, carbon_negative, zero) has no value and no unit.

    ``is_target`` and ``subject`` are the extractor's guesses for review (whether the text commits to
    the figure, and what it is of); they are not columns of the claims table."""

    quote: str
    char_start: int
    char_end: int
    value: float | None
    unit: str  # a unit of the claims schema's `unit` (GBP, share, count, years, tCO2e, kWh...); "" for an end state
    qualifier: str = "exactly"  # at_least, up_to, about, exactly
    per: str = ""
    target_date: str = ""  # YYYY or YYYY-MM
    value_high: float | None = None
    unit_printed: str = ""  # "£", "%", "MWh", "tonnes of CO2", "years"; "" for a bare count
    end_state: str = ""
    direction: str = ""  # reduce, increase: the figure is a change; "" otherwise
    baseline_year: str = ""  # the year a change is measured from: 1990, 2010/11
    scope: str = ""  # organisation (the body's own operations) or area (all it governs); "" unstated
    is_target: bool = field(default=False, compare=False)
    subject: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, object]:
        """The claims table's columns the extractor fills."""
        return {k: v for k, v in asdict(self).items() if k not in GUESSES}


GUESSES = ("is_target", "subject")


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


class _Spans:
    """Character spans of a text, marked in a mask: whether a span overlaps any is O(its length)."""

    def __init__(self, size: int) -> None:
        self.mask = bytearray(size + 1)

    def append(self, span: tuple[int, int]) -> None:
        self.mask[span[0]:span[1]] = b"\x01" * (span[1] - span[0])

    def __contains__(self, span: tuple[int, int]) -> bool:
        return 1 in self.mask[span[0]:span[1]]


def _excluded(text: str) -> _Spans:
    spans = _Spans(len(text))
    for rx in EXCLUDE:
        for m in rx.finditer(text):
            spans.append((m.start(), m.end()))
    return spans


def _overlaps(start: int, end: int, spans: _Spans) -> bool:
    return (start, end) in spans


def _qualifier(text: str, start: int) -> tuple[str, int]:
    """The qualifier just before ``start`` and where it begins (``start`` when none)."""
    before = text[max(0, start - 40):start]
    found = []  # the longest qualifier wins: "no more than" is up_to, not "more than"
    for pattern, name in QUALIFIERS:
        m = re.search(rf"(?:^|\W)(?P<q>{pattern})\s*$", before, re.IGNORECASE)
        if m:
            found.append((m.start("q"), name))
    if not found:
        return "exactly", start
    at, name = min(found)
    return name, start - (len(before) - at)


def _sentence_rest(text: str, end: int, limit: int = 90) -> str:
    rest = text[end:end + limit]
    stop = re.search(r"[.;:!?](?:\s|$)|\n", rest)
    return rest[:stop.start()] if stop else rest


def _per(text: str, end: int) -> str:
    rest = _sentence_rest(text, end, 60)
    m = PER.search(rest)
    people = PER_PEOPLE.search(rest)
    if people and (m is None or people.start("per") < m.start(m.lastgroup)):
        per, m = people.group("per"), people  # the people of a place, as printed
    elif m is None:
        return ""
    else:
        per = (m.group("per") or m.group("slash") or "year").lower()
    again = PER_AGAIN.match(rest[m.end():])
    names = {"capita": "head", "person": "head", "annum": "year", "yr": "year"}
    per = names.get(per, per)
    if again:  # "110 litres/person/day", "per person per day"
        per += " per " + names.get(again.group("per").lower(), again.group("per").lower())
    return per


def _target(text: str, end: int) -> str:
    m = TARGET.search(_sentence_rest(text, end, 120))
    if not m:
        return ""
    return _date_of(m)


def _date_of(m: re.Match) -> str:
    """YYYY or YYYY-MM of a matched deadline; a financial year (YYYY/YY or YYYY-YY) is the year it ends."""
    month = m.group("month")
    if month:
        number = MONTH_NO.get(month.lower()) or MONTH_NO[next(k for k in MONTH_NO if k.startswith(month.lower()[:3]))]
        return f"{m.group('year')}-{number:02d}"
    end = m.groupdict().get("end")
    if end and int(end) == (int(m.group("year")) + 1) % 100:
        return str(int(m.group("year")) + 1)
    return m.group("year")


def extract_claims(text: str) -> list[Claim]:
    """Every quantity ``text`` asserts, in order of appearance. Never raises on a string."""
    if not isinstance(text, str) or not text:
        return []
    excluded = _excluded(text)
    found: list[Claim] = []
    taken = _Spans(len(text))

    def add(start: int, end: int, value: float, unit: str, *, high: float | None = None, printed: str = "",
            exact: bool = True) -> None:
        if _overlaps(start, end, taken):
            return
        qualifier, q_start = _qualifier(text, start)
        if unit in DURATIONS and re.search(r"(?i)\bover\s*$", text[q_start:start]):
            qualifier, q_start = "exactly", start  # "over five years": during five years, not more than five
        quote_start = q_start if qualifier != "exactly" or q_start != start else start
        claim = Claim(
            quote=text[quote_start:end], char_start=quote_start, char_end=end,
            value=(round(value, 4) if value == 0 or abs(value) >= 0.01 else float(f"{value:.4g}")) if exact else value,
            unit=unit, qualifier=qualifier, per=_per(text, end),
            target_date=_target(text, end), value_high=high, unit_printed=printed,
        )
        found.append(claim)
        taken.append((start, end))

    for m in FRACTION.finditer(text):
        if _overlaps(m.start(), m.end(), excluded):
            continue
        if m.group("frac"):
            words = m.group("frac").lower().replace("-", " ").split()
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

    for m in MULTIPLE.finditer(text):  # "double", "halve", "three times": a ratio to what there is
        if _overlaps(m.start(), m.end(), excluded):
            continue
        if m.group("word"):
            w = m.group("word").lower()
            before = text[max(0, m.start() - 12):m.start()]
            if w in ("double", "triple", "treble", "quadruple") and (
                    m.group("word")[0].isupper() and m.start() > 0 and not re.search(r"[.:;!?]\W*$", before)
                    or re.search(r"(?i)\b(?:a|an|the|this|that|its|their|our|single)\s+[‘'\"]?$", before)):
                continue  # an adjective ("a triple lock", "Double Summer Time"), not a multiple
            value = 0.5 if w.startswith("halv") else 3.0 if w.startswith(("tripl", "trebl", "thrice")) \
                else 4.0 if w.startswith("quad") else 2.0
        else:
            value = _number(m.group("n"))
            if value is None:
                continue
        add(m.start(), m.end(), value, "ratio")
    pos = 0
    while (m := QUANTITY.search(text, pos)) is not None:
        pos = m.end()
        num, cur, scale, pct = m.group("num"), m.group("cur"), m.group("scale"), m.group("pct")
        start, end = m.start("cur") if cur else m.start("num"), m.end()
        value = _number(num)
        if value is None:
            continue
        is_word = not re.search(r"[\d½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]", num)
        if _overlaps(m.start("num"), m.end("num"), excluded) and not (cur or pct or (scale and not is_word)):
            if m.group("num2") and re.fullmatch(r"(?:19|20)\d{2}", num) and m.group("dash").lower() in ("to", "or"):
                pos = m.end("num")  # "by 2025 or 300 by 2030": the year is not a figure, the next one may be
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
            high = high if high >= value else None
            pct = pct or after.group("pct")
            start, end = start - len(between.group(0)), end + after.end()
        if pct and not (m.group("num2") and m.group("dash").lower() == "and"):
            unit, value = "share", value / 100
            high = high / 100 if high is not None else None
        elif cur:
            unit = CURRENCIES[cur]
        elif (word := MONEY_WORD.match(text, end)) or (code := MONEY_CODE.search(text, max(0, start - 5), start)):
            unit = {"p": "GBP", "d": "USD", "e": "EUR", "g": "GBP", "u": "USD"}[
                (word.group("w") if word else code.group("c"))[0].lower()]
            if word:
                end = word.end()
            else:
                start = code.start()
            add(start, end, value, unit, high=high, printed=(word or code).group(0).strip())
            continue
        elif m.group("unit"):
            unit, factor = _physical(m.group("unit"), text, start, end)
            value, high = float(f"{value * factor:.6g}"), float(f"{high * factor:.6g}") if high is not None else None
            add(start, end, value, unit, high=high, printed=m.group("unit"), exact=False)
            continue
        else:
            d = DURATION.match(text[end:end + 60])
            unit = d.group("unit").lower().rstrip("s") + "s" if d else "count"
            if re.search(r"(?i)\b(?:aged|ages?(?:\s+of)?)\s+(?:between\s+|over\s+|under\s+)?$", text[max(0, start - 20):start]):
                unit, d = "age", None  # "people aged 65 and over": an age, in years
        printed = "%" if unit == "share" and pct else cur or (d.group("unit") if unit in DURATIONS else "")
        printed = "aged" if unit == "age" else printed
        add(start, end, value, unit, high=high, printed=printed)

    for m in RATIO.finditer(text):  # "1:4", "2:1": a ratio, value the first over the second
        a, b = float(m.group("a")), float(m.group("b"))
        if b and (a == 1 or b == 1) and not _overlaps(m.start(), m.end(), taken):
            add(m.start(), m.end(), a / b, "ratio", printed=":")
    for m in MAGNITUDE.finditer(text):  # "hundreds of", "millions of": at least the magnitude
        if _overlaps(m.start(), m.end(), excluded) or _overlaps(m.start(), m.end(), taken):
            continue
        word = (m.group("word") or m.group("multi")).lower()
        value = 1.0
        for part, size in (("tens", 10), ("dozen", 12), ("hundred", 100), ("thousand", 1e3), ("million", 1e6),
                           ("billion", 1e9)):
            value *= size ** word.count(part)
        after = text[m.end():m.end() + 30]
        money = re.match(r"(?:\s+of|[\s-])\s?(?P<w>pounds?|dollars?|euros?)\b", after, re.IGNORECASE)
        duration = re.match(r"\s+of\s+(?P<u>years|months|weeks|days|hours)\b", after, re.IGNORECASE)
        unit = duration.group("u").lower() if duration else \
            {"p": "GBP", "d": "USD", "e": "EUR"}[money.group("w")[0].lower()] if money else "count"
        plural = not word.endswith(" dozen") or word.startswith("more")  # "a dozen" is twelve; "dozens of", at least
        taken.append((m.start(), m.end()))
        found.append(Claim(quote=m.group(0), char_start=m.start(), char_end=m.end(), value=value, unit=unit,
                           qualifier="at_least" if plural else "exactly", per=_per(text, m.end()),
                           target_date=_target(text, m.end()),
                           unit_printed=duration.group("u") if duration else money.group("w") if money else ""))
    for m in END_STATE.finditer(text):
        left, right = _clause(text, m.start(), m.end())
        committed = _commits(text, left, right, m.start(), m.end()) or (
            COMMITS_LOOSELY.search(text, left, m.start()) and not NOT_COMMITTED.search(text, left, right))
        name = m.group(0)[0].isupper() and NAME_AFTER.match(text, m.end())  # the Zero Carbon Hub, the Net Zero Strategy
        if not _overlaps(m.start(), m.end(), taken) and committed and not name:
            taken.append((m.start(), m.end()))
            found.append(Claim(quote=m.group(0), char_start=m.start(), char_end=m.end(), value=None, unit="",
                               target_date=_target(text, m.end()) or _year_before(text, m.start()),
                               end_state=_end_state(m.group(0))))
    found.sort(key=lambda c: c.char_start)
    out = [_as_target(text, c, found[i - 1].char_end if i else 0,
                      found[i + 1].char_start if i + 1 < len(found) else len(text)) for i, c in enumerate(found)]
    for i in range(1, len(out)):  # "2.4 per cent by 2027, and 3 per cent": the second shares the first's aim
        prev, c = out[i - 1], out[i]
        if prev.is_target and c.value is not None and c.unit not in DURATIONS \
                and AND_FIGURE.match(text[prev.char_end:c.char_start]):
            out[i] = replace(c, is_target=True, subject=prev.subject, direction=c.direction or prev.direction,
                             baseline_year=c.baseline_year or prev.baseline_year, scope=c.scope or prev.scope)
    return out


def kinds_without_claims() -> set[str]:
    """The item kinds whose figures are not claims (a chart's labels): ``claimsRead`` false in the
    items schema. ``lcplan build`` and ``lcplan ingest`` both skip them."""
    from lcplan.registry import kinds_where

    return set(kinds_where("claimsRead", False))


def in_printed_unit(claim: Claim) -> float | None:
    """The claim's value in the unit the text prints (2.5 for "2.5 MW", whose ``value`` is 2500 kW)."""
    if claim.value is None or not claim.unit_printed or claim.unit not in {base for _, base, _ in UNITS}:
        return claim.value
    _, factor = _physical(claim.unit_printed, claim.quote, 0, len(claim.quote))
    return float(f"{claim.value / factor:.6g}") if factor else claim.value


def _physical(printed: str, text: str, start: int, end: int) -> tuple[str, float]:
    """The base unit and factor of a printed physical unit; a mass of CO2 (or a bare mass in a
    clause about emissions or carbon) is emissions."""
    for pattern, base, factor in UNITS:
        if re.fullmatch(pattern, printed, re.IGNORECASE):
            if base == "tCO2e":
                prefix = re.match(r"(?i)kg|kt|mt|gt|t", printed).group(0).lower()
                return "tCO2e", _PREFIX[prefix]
            of_something = re.match(r"\s+of\s+\w", text[end:end + 12])
            if base == "t" and not of_something and EMISSIONS_WORDS.search(text[max(0, start - 60):start]):
                return "tCO2e", factor  # "emissions fell by 2,700 tonnes"
            return base, factor
    mass = re.match(rf"(?i)(?:{_MASS})", printed)  # a mass with the gas printed after it
    for pattern, _, factor in UNITS[1:6]:
        if mass and re.fullmatch(pattern, mass.group(0).strip(), re.IGNORECASE):
            return "tCO2e", factor
    return "count", 1.0


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


# ----------------------------------------------------------------------------- targets
END_STATE = re.compile(
    r"\b(?:net[\s-]zero|carbon[\s-]neutral(?:ity)?|climate[\s-]neutral(?:ity)?|carbon[\s-]negative|"
    r"climate[\s-]positive|zero[\s-]carbon|zero\s+(?:net\s+)?(?:greenhouse\s+gas\s+)?emissions|"
    r"zero\s+(?:avoidable\s+)?(?:[\w-]+\s+)?(?:waste|deaths|fatalities|landfill)|"
    r"end\s+(?:the\s+)?sales?\s+of|eliminat(?:e|ing)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:gaps?|waste|poverty|"
    r"homelessness|deaths|emissions|backlogs?))\b",
    re.IGNORECASE,
)
END_STATES = {"net": "net_zero", "zero carbon": "net_zero", "carbon neutral": "carbon_neutral",
              "climate neutral": "carbon_neutral", "carbon negative": "carbon_negative",
              "climate positive": "carbon_negative"}
# intent: the body (we, the government, the council...) will, aims, plans, commits... to
COMMITS = re.compile(
    r"\b(?:we|us|our|i|government|council|department|authority|ministry|administration|agency)\b(?:\s+\w+){0,5}?\s+(?:will|shall|are\s+going\s+to|aims?|plans?|intends?|commits?|"
    r"pledges?|propose[sd]?|is\s+committed|are\s+committed|want|wants|seeks?|expects?|(?:has|have)\s+committed|"
    r"(?:has\s+|have\s+)?(?:announced|confirmed|set\s+out))\b"
    r"|\b(?:aims?\s+(?:to|for)|aiming\s+to|ambitions?|aspir(?:e|es|ation|ations)|commit(?:s|ted)?\s+(?:\w+\s+)?to|"
    r"seeks?\s+to)\b",
    re.IGNORECASE,
)
# a statement or clause that opens with a verb of action is itself a commitment ("Reach 95 per cent ...")
ACTION_VERBS = (
    r"achieve|bring|build|commission|complete|continue|convert|create|cut|deliver|develop|double|enable|encourage|"
    r"ensure|establish|expand|extend|fund|give|grow|halve|help|implement|improve|increase|install|introduce|invest|"
    r"launch|lower|maintain|make|open|plant|promote|protect|provide|publish|raise|reach|recruit|reduce|replace|"
    r"retrofit|secure|set|support|train|treble|triple|upgrade|upskill|work|build\s+towards|move|end|eliminate|"
    r"phase|generate|offer|double|target|aim|commit|pledge"
)
ACTION_START = re.compile(rf"^\W*(?:{ACTION_VERBS})\b", re.IGNORECASE)
NAMED_TARGET = re.compile(r"\b(?:targets?|targeted|targeting|goals?|ambitions?|pledges?|pledged|missions?)\b",
                          re.IGNORECASE)
# the plan's own parts counted ("the following five pillars", "over 30 commitments") are not targets
PLAN_PARTS = re.compile(r"^\s+(?:[\w-]+\s+){0,4}?(?:pillars|commitments|priorities|"
                        r"themes|objectives|principles|goals|actions|areas|chapters|sections|recommendations|strands|"
                        r"workstreams|missions|ambitions|challenges|outcomes|parts|steps)\b", re.IGNORECASE)
# an end state is committed to more loosely worded: "a commitment to ... zero emissions shipping"
NAME_AFTER = re.compile(r"(?:\s+[A-Z][\w-]*){0,2}\s+(?:Hub|Strategy|Plan|Fund|Programme|Program|Partnership|Commission|"
                        r"Group|Board|Network|Alliance|Act|Review|Week|Day|Awards?|Challenge|Initiative|Centre|Center|"
                        r"Institute|Trust|Agency|Forum|Taskforce|Task\s+Force|Standard|Scotland|Coalition|Report)\b")
COMMITS_LOOSELY = re.compile(r"\b(?:commitments?\s+to|efforts?\s+to|will|shall|to\s+achieve|to\s+become|to\s+reach)\b",
                             re.IGNORECASE)
FROM_FIGURE = re.compile(r"^\s*to\s+(?:[£$€]\s?)?\d")  # after "from 11 per cent": "... to 12 per cent"
AND_FIGURE = re.compile(r"^(?:\s+by\s+[\w /–-]{4,14}?)?,?\s+(?:and|or|then|rising\s+to)\s+(?:to\s+)?$", re.IGNORECASE)
NOT_COMMITTED = re.compile(
    r"\b(?:was|were|had|has\s+(?:been|fallen|risen|grown|increased|decreased|reduced|seen|delivered|achieved|"
    r"already)|have\s+(?:been|fallen|risen|grown|increased|decreased|reduced|seen|delivered|achieved|already)|"
    r"ha(?:ve|s|d)\s+(?:\w+ly\s+)?(?!(?:confirmed|announced|committed|pledged|promised|agreed|decided|stated|"
    r"undertaken|resolved|vowed)\b)(?:\w+ed|come|made|met|seen|grown|risen|fallen|done|given|taken|won|led|built)|"
    r"achieved|since|so\s+far|to\s+date|last\s+year|already|projected|projections?|forecasts?|forecasted|"
    r"predicted|expected|estimated?|estimates|could|might|may|likely|would|if)\b",
    re.IGNORECASE,
)
DIRECTION = [
    (re.compile(r"\b(?:reduc(?:e|es|ed|ing|tions?)|cut(?:s|ting)?|lower(?:s|ed|ing)?|decreas(?:e|es|ed|ing)|"
                r"fall(?:s|ing)?|halv(?:e|es|ed|ing)|sav(?:e|es|ed|ing)|avoid(?:s|ed|ing)?|drop)\b", re.IGNORECASE), "reduce"),
    (re.compile(r"\b(?:increas(?:e|es|ed|ing)|rais(?:e|es|ed|ing)|ris(?:e|es|ing)|grow(?:s|th|ing)?|boost(?:s|ed|ing)?|"
                r"doubl(?:e|es|ed|ing)|expand(?:s|ed|ing)?|improv(?:e|es|ed|ing))\b", re.IGNORECASE), "increase"),
]
BASELINE = re.compile(
    r"(?:\b(?:compared\s+(?:with|to)|relative\s+to|against|below|above|on|over)\s+(?:the\s+|a\s+|its\s+)?"
    r"(?P<y1>(?:19|20)\d{2}(?:[/–-](?:\d{4}|\d{2}))?)\b(?:\s+(?:levels?|baselines?|figures?|base\s+year))?"
    r"|\bfrom\s+(?:the\s+|a\s+|its\s+)?(?P<y2>(?:19|20)\d{2}(?:[/–-](?:\d{4}|\d{2}))?)\s+(?:levels?|baselines?|figures?|"
    r"base\s+year)\b"
    r"|\b(?P<y3>(?:19|20)\d{2}(?:[/–-](?:\d{4}|\d{2}))?)\s+(?:baselines?|base\s+year|levels?)\b)",
    re.IGNORECASE,
)
SCOPE = [
    (re.compile(r"\b(?:(?:our|its|their|the\s+council'?s|the\s+authority'?s|the\s+department'?s|the\s+"
                r"organisation'?s)\s+own|own\s+(?:operations|estate|buildings|fleet|emissions)|(?:our|the\s+council'?s|"
                r"the\s+authority'?s|the\s+department'?s|corporate|departmental|organisational|government)\s+"
                r"(?:operations|estate|buildings|fleet|vehicles|emissions|carbon\s+footprint|activities|premises|"
                r"offices))\b", re.IGNORECASE), "organisation"),
    (re.compile(r"\b(?:(?:borough|city|county|district|area|region|economy|country|nation|uk|place)[\s-]wide|"
                r"nationwide|across\s+(?:the\s+)?(?:borough|city|county|district|region|country|uk|area|economy|"
                r"nation|england|scotland|wales)|(?:the\s+)?(?:uk'?s?|national|the\s+country'?s|the\s+borough'?s|"
                r"the\s+city'?s|the\s+county'?s|the\s+district'?s|the\s+region'?s|the\s+area'?s|domestic|territorial)"
                r"\s+(?:greenhouse\s+gas\s+|carbon\s+)?(?:emissions|carbon|economy|footprint)|whole\s+(?:borough|"
                r"city|county|district|area|region|country))\b", re.IGNORECASE), "area"),
]
STOP = re.compile(r"\b(?:by|in|to|from|for|across|within|over|at|on|and|which|that|who|than|compared|against|"
                  r"relative|below|above|each|per|a\s+year|is|are|was|were|will|would|should|has|have|this|these|as|"
                  r"with|through|under|into|between|among|since|until|before|after|when|where|while|if|or)\b|[,.;:()]",
                  re.IGNORECASE)
DETERMINERS = re.compile(r"^(?:the|our|its|their|all|of|a|an)?\s+", re.IGNORECASE)
YEAR_BEFORE = re.compile(rf"\bby\s+(?:the\s+end\s+of\s+)?(?:(?P<month>{MONTHS})\s+)?(?P<year>(?:19|20)\d{{2}})\b"
                         rf"(?:\s?[/–-]\s?(?P<end>\d{{2}})\b(?![/–-]))?", re.IGNORECASE)


CLAUSE_CUT = re.compile(r"[.;!?](?=\s+[A-Z(‘“'\"`•▪●◦]|\s*$)|;|\n|``|[•▪●◦]")
CLAUSE_REACH = 300  # a clause is read at most this far either side of a figure (a text may have no full stop)


@functools.lru_cache(maxsize=16)
def _cuts(text: str) -> tuple[list[int], list[int]]:
    found = list(CLAUSE_CUT.finditer(text))
    return [m.end() for m in found], [m.start() for m in found]


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or the part of it between semicolons) that holds ``text[start:end]``, at most
    ``CLAUSE_REACH`` characters either side."""
    ends, starts = _cuts(text)
    i = bisect.bisect_right(ends, start) - 1
    left = ends[i] if i >= 0 else 0
    j = bisect.bisect_left(starts, end)
    right = starts[j] if j < len(starts) else len(text)
    return max(left, start - CLAUSE_REACH), min(right, end + CLAUSE_REACH)


def _commits(text: str, left: int, right: int, at: int, end: int | None = None) -> bool:
    """Whether the clause commits to what is at ``text[at:end]``: it names a target, or a word of intent
    comes before the figure (or a deadline just after it), and no word of the past, a forecast or a
    condition is in the clause."""
    if NAMED_TARGET.search(text, left, right):
        return True
    end = at if end is None else end
    intent = (COMMITS.search(text, left, at) or ACTION_START.match(text[left:at])
              or YEAR_BEFORE.search(text, end, min(right, end + 60)))
    return bool(intent) and not NOT_COMMITTED.search(text, left, right)


def _year_before(text: str, at: int) -> str:
    left, _ = _clause(text, at, at)
    years = list(YEAR_BEFORE.finditer(text, left, at))
    if not years or re.search(r"\d", text[years[-1].end():at]):  # the year of an earlier figure is not this one's
        return ""
    if re.search(r"(?:\d|%|cent|million|billion|bn)\s*$", text[max(left, years[-1].start() - 25):years[-1].start()]):
        return ""  # "2.4 per cent by 2027, and 3 per cent": 2027 is the first figure's
    return _date_of(years[-1])


def _end_state(words: str) -> str:
    w = re.sub(r"[\s-]+", " ", words.lower())
    return next((v for k, v in END_STATES.items() if w.startswith(k)), "zero" if w.startswith(("zero", "end", "elim"))
                else "net_zero")


def _phrase(words: str, limit: int = 6) -> str:
    """The noun phrase at the start of ``words``: up to the first stop word, at most ``limit`` words."""
    cut = STOP.search(words)
    phrase = words[:cut.start()] if cut else words
    phrase = " ".join(phrase.split()[:limit])
    return DETERMINERS.sub("", phrase).strip(" -–'\"")


def _subject(text: str, c: Claim, left: int, right: int) -> str:
    """What a target is of, guessed from the words around it: 'reduce X by 40%' -> X; '40% of X' -> X;
    '1,000 new homes' -> 'new homes'; 'net zero carbon emissions' -> 'carbon emissions'."""
    before, after = text[left:c.char_start], text[c.char_end:right]
    if c.end_state:
        inside = re.sub(r"(?i)^(?:zero|end\s+(?:the\s+)?sales?\s+of|eliminat(?:e|ing)(?:\s+the)?)\s*", "", c.quote)
        if c.end_state == "zero" and inside and not re.match(r"(?i)^(?:end|elim)", c.quote):
            return inside  # "zero avoidable plastic waste"
        if re.match(r"(?i)^elim", c.quote):
            return inside  # "eliminate the racial homeownership gap"
        noun = _phrase(after, 8 if re.match(r"(?i)^end", c.quote) else 4)
        return noun or ("emissions" if c.end_state != "zero" else "")
    verb = None
    for rx, _ in DIRECTION:
        verb = verb or next(iter(list(rx.finditer(before))[-1:]), None)
    if verb and re.search(r"\b(?:by|to)\s*$", before[verb.end():], re.IGNORECASE):  # reduce X by 40%
        object_ = re.sub(r"^\s*(?:in|of)\s+", " ", before[verb.end():])
        phrase = _phrase(object_.rsplit(" by", 1)[0].rsplit(" to", 1)[0], 8)
        if phrase:
            return phrase
    m = re.match(r"\s+(?:of\s+)(.*)", after, re.DOTALL | re.IGNORECASE)
    if m and (c.unit in ("share", "count") or c.unit_printed):
        return _phrase(m.group(1))
    phrase = _phrase(after)
    if phrase:
        return phrase
    return " ".join(before.split()[-5:])


def _baseline(year: str) -> str:
    """A baseline year as the schema writes it: 1990, 2010/11 (from 2010-11, 2010–2011, 2010/2011)."""
    m = re.fullmatch(r"(\d{4})(?:[/–-](\d{2}|\d{4}))?", year)
    if not m:
        return ""
    return f"{m.group(1)}/{m.group(2)[-2:]}" if m.group(2) else m.group(1)


def _as_target(text: str, c: Claim, lo: int = 0, hi: int | None = None) -> Claim:
    """The claim with its direction, baseline, scope, and the guesses whether it is a target and of
    what. ``lo``, ``hi``: where the claims before and after it end and start (a baseline is read
    only between them)."""
    left, right = _clause(text, c.char_start, c.char_end)
    before = text[left:c.char_start]
    direction = ""
    if c.value is not None and c.unit not in DURATIONS:
        near = before[-60:]
        for rx, name in DIRECTION:
            if rx.search(near) and re.search(r"\bby\s*$|\bof\s*$", near, re.IGNORECASE) or rx.match(text[c.char_end:].lstrip()):
                direction = name
                break
    base = BASELINE.search(text, max(left, lo), min(right, len(text) if hi is None else hi)) if not c.end_state else None
    baseline = _baseline(next((y for y in base.groups() if y), "")) if base else ""
    if c.end_state:
        is_target = True
    elif c.unit in DURATIONS:  # a horizon, unless the clause names it a target or mission
        is_target = bool(NAMED_TARGET.search(text, left, right)) and c.qualifier == "at_least"
    elif c.unit in CURRENCIES.values():  # money is spent or raised; a target only where the text says so
        is_target = bool(re.compile(r"\btargets?\b", re.IGNORECASE).search(text, left, right))
    elif re.search(r"(?i)\bfrom\s+$", before) and FROM_FIGURE.match(text[c.char_end:]):
        is_target = False  # the figure a change starts from
    elif PLAN_PARTS.match(text[c.char_end:]):
        is_target = False
    else:
        is_target = _commits(text, left, right, c.char_start, c.char_end)
    target_date = c.target_date
    in_baseline = base is not None and any(base.start() <= m.start() < base.end() for m in TARGET.finditer(
        text, c.char_end, min(right, c.char_end + 120)) if _date_of(m) == target_date)
    if is_target and (not target_date or in_baseline):  # "by 40% from 2009/10 levels by 2030": 2030
        years = [y for y in YEAR_BEFORE.finditer(text, c.char_end, right)
                 if base is None or not base.start() <= y.start() < base.end()]
        target_date = (_date_of(years[0]) if years else "") or _year_before(text, c.char_start)
    scope = next((name for rx, name in SCOPE if rx.search(text, left, right)), "") if is_target else ""
    claim = replace(c, direction=direction, baseline_year=baseline if (direction or is_target) else "",
                    scope=scope if is_target else "", target_date=target_date, is_target=is_target)
    return replace(claim, subject=_subject(text, claim, left, right) if is_target else "")
