"""Historical dates: exact, month or year precision, circa, and non-Gregorian calendars."""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_DATE_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<circa>~)?$")


class Calendar(StrEnum):
    """The calendar a source gives a date in."""

    gregorian = "gregorian"
    julian = "julian"
    islamic = "islamic"
    """The Islamic (Hijri) calendar, in its arithmetical (tabular) form."""


ISLAMIC_MONTHS = (
    "Muharram",
    "Safar",
    "Rabi al-Awwal",
    "Rabi al-Thani",
    "Jumada al-Ula",
    "Jumada al-Akhira",
    "Rajab",
    "Shaban",
    "Ramadan",
    "Shawwal",
    "Dhu al-Qada",
    "Dhu al-Hijja",
)
CALENDAR_NAMES = {Calendar.julian: "Julian", Calendar.islamic: "Hijri"}


def _module(calendar: Calendar) -> Any:
    """convertdate's module for a calendar (untyped: its functions return Any)."""
    from convertdate import islamic, julian

    return {Calendar.julian: julian, Calendar.islamic: islamic}[calendar]


def to_gregorian(calendar: Calendar, year: int, month: int, day: int) -> dt.date:
    """The proleptic Gregorian day of a date in another calendar (converted by convertdate)."""
    if calendar is Calendar.gregorian:
        return dt.date(year, month, day)
    return dt.date(*_module(calendar).to_gregorian(year, month, day))


def julian_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Convert a Julian calendar date to the proleptic Gregorian date of the same day."""
    return to_gregorian(Calendar.julian, year, month, day)


def month_length(calendar: Calendar, year: int, month: int) -> int:
    """Days in a month of a calendar."""
    if calendar is Calendar.gregorian:
        return monthrange(year, month)[1]
    return int(_module(calendar).month_length(year, month))


def _month_name(calendar: Calendar, month: int) -> str:
    return (ISLAMIC_MONTHS if calendar is Calendar.islamic else MONTHS)[month - 1]


def _safe_month_length(calendar: Calendar, year: int, month: int) -> int:
    try:
        return month_length(calendar, year, month)
    except (ValueError, OverflowError):
        return 0


def _form_problem(text: str) -> str:
    """What is wrong with the form of a date, in plain words."""
    parts = text.removesuffix("~").split("-")
    names = ("year", "month", "day")
    if 1 <= len(parts) <= 3 and all(part.isdigit() for part in parts):
        for name, part, width in zip(names, parts, (4, 2, 2), strict=False):
            if len(part) != width:
                return f"the {name} must be written with {width} digits ({part} has {len(part)})"
    return "write YYYY-MM-DD, YYYY-MM or YYYY (quoted), with a trailing ~ for circa"


def _range_words(calendar: Calendar) -> str:
    """The days a calendar's dates may run over, in words."""
    if calendar is Calendar.gregorian:
        return "dates run from the year 1 to 9999"
    first: tuple[int, int, int] = _module(calendar).from_gregorian(1, 1, 1)
    last: tuple[int, int, int] = _module(calendar).from_gregorian(9999, 12, 31)
    if calendar is Calendar.islamic:
        first = (1, 1, 1)  # the Hijri era begins in 622 AD
    dates = [HistDate(y, m, d, calendar=calendar).plain() for y, m, d in (first, last)]
    since = to_gregorian(calendar, *first).year
    return (
        f"{CALENDAR_NAMES[calendar]} dates run from {dates[0]} to {dates[1]} "
        f"(the Gregorian years {since} to 9999)"
    )


@dataclass(frozen=True, order=True)
class HistDate:
    """A date as the sources give it: year, optional month and day, circa, calendar."""

    year: int
    month: int | None = None
    day: int | None = None
    circa: bool = False
    calendar: Calendar = Calendar.gregorian

    @classmethod
    def parse(cls, text: str, *, calendar: Calendar = Calendar.gregorian) -> HistDate:
        """Parse 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', optionally followed by '~' for circa.

        A date that does not exist, or that falls outside what the calendars support (the
        Gregorian years 1 to 9999), raises ValueError saying which part is wrong."""
        match = _DATE_RE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date: {_form_problem(text.strip())}")
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        wrong = f"{text} is not a real date"
        if year == 0:
            era = "the Hijri era begins with 1 AH" if calendar == "islamic" else "1 BC, then 1 AD"
            raise ValueError(f"{wrong}: there is no year 0 ({era})")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{wrong}: there is no month {month}")
        if month is not None and day is not None:
            length = _safe_month_length(calendar, year, month)
            if not 1 <= day <= length:
                name = HistDate(year, month, calendar=calendar).plain()
                where = " in the Julian calendar" if calendar is Calendar.julian else ""
                raise ValueError(f"{wrong}: {name} has no day {day}{where}")
        date = cls(year, month, day, bool(match["circa"]), calendar)
        date.check_range(text)
        return date

    def check_range(self, text: str | None = None) -> None:
        """Raise ValueError unless every day this date can mean is a Gregorian day of the years 1
        to 9999 (the range the calendar arithmetic supports)."""
        try:
            self.earliest(), self.latest()
        except (ValueError, OverflowError):
            raise ValueError(
                f"{text or self.iso()} is out of range: {_range_words(self.calendar)}"
            ) from None

    @property
    def precision(self) -> str:
        """'day', 'month' or 'year'."""
        return "day" if self.day else "month" if self.month else "year"

    def gregorian(self) -> HistDate:
        """The same date in the Gregorian calendar. A Julian month or year is kept as is; an Islamic
        month or year becomes the Gregorian month or year it begins in."""
        if self.calendar is Calendar.gregorian or (
            self.day is None and self.calendar is Calendar.julian
        ):
            return HistDate(self.year, self.month, self.day, self.circa)
        g = self.earliest()
        return HistDate(
            g.year, g.month if self.month else None, g.day if self.day else None, self.circa
        )

    def earliest(self) -> dt.date:
        """The first Gregorian day this date can mean."""
        return to_gregorian(self.calendar, self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The last Gregorian day this date can mean."""
        month = self.month or 12
        day = self.day or month_length(self.calendar, self.year, month)
        return to_gregorian(self.calendar, self.year, month, day)

    def add_years(self, years: int) -> HistDate:
        """The date `years` later (29 February falls back to 28 February); ValueError past 9999."""
        g = self.gregorian()
        if not 1 <= g.year + years <= 9999:
            raise ValueError(f"{self.plain()} plus {years} years is past the year 9999")
        day = g.day
        if (
            g.day == 29
            and g.month == 2
            and month_length(Calendar.gregorian, g.year + years, 2) < 29
        ):
            day = 28
        return HistDate(g.year + years, g.month, day, g.circa)

    def iso(self) -> str:
        """The date as written in content: YYYY[-MM[-DD]][~]."""
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
        if self.day:
            out += f"-{self.day:02d}"
        return out + ("~" if self.circa else "")

    def plain(self) -> str:
        """'14 February 1950', 'February 1950' or '1950', without circa or calendar notes
        (an Islamic date: '12 Rajab 1188 AH')."""
        parts = [str(self.year) + (" AH" if self.calendar is Calendar.islamic else "")]
        if self.month:
            parts.insert(0, _month_name(self.calendar, self.month))
        if self.day:
            parts.insert(0, str(self.day))
        return " ".join(parts)

    def format(self, space: str = " ") -> str:
        """The date for print: circa as 'c.', a Julian date followed by its Gregorian equivalent.

        `space` joins the parts of each date (printed() passes a no-break space).
        """
        text = ("c." + space if self.circa else "") + self.plain().replace(" ", space)
        name = CALENDAR_NAMES.get(self.calendar)
        if name and (self.day or self.calendar is Calendar.islamic):
            first, last = self.earliest(), self.latest()
            if self.day:
                same = self.gregorian().plain()
            elif self.month:
                same = HistDate(first.year, first.month).plain()
                if (last.year, last.month) != (first.year, first.month):
                    same = f"{HistDate(first.year, first.month).plain()}–{HistDate(last.year, last.month).plain()}"
            else:
                same = str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
            text += f" ({name}; {same.replace(' ', space)} Gregorian)"
        elif name:
            text += f" ({name})"
        return text

    def year_text(self) -> str:
        """The year alone, as life dates print it: '1636', 'c. 1636' (a Hijri year with its
        Gregorian year)."""
        year = str(self.gregorian().year) if self.calendar is Calendar.islamic else str(self.year)
        return ("c.\u00a0" if self.circa else "") + year

    def printed(self) -> str:
        """format() with no-break spaces inside each date, so a date never breaks across lines."""
        return self.format("\u00a0")

    def __str__(self) -> str:
        return self.format()
