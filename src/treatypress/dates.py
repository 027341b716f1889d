"""Historical dates: exact, month or year precision, circa, and non-Gregorian calendars."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")

_DATE_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<circa>~)?$")


class Calendar(str, Enum):
    """The calendar a source gives a date in."""

    gregorian = "gregorian"
    julian = "julian"


def julian_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Convert a Julian calendar date to the proleptic Gregorian date of the same day."""
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    jdn = day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    return dt.date.fromordinal(jdn - 1721425)


def _check_julian_day(year: int, month: int, day: int) -> None:
    leap = year % 4 == 0
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    if not 1 <= day <= days:
        raise ValueError("day is out of range for month")


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
        """Parse 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', optionally followed by '~' for circa."""
        match = _DATE_RE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY "
                             "(quoted), with a trailing ~ for circa")
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text} is not a real date: there is no month {month}")
        if day is not None:
            try:
                if calendar is Calendar.julian:
                    _check_julian_day(year, month, day)
                else:
                    dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"{text} is not a real date: {MONTHS[month - 1]} "
                                 f"has no day {day}") from None
        return cls(year, month, day, bool(match["circa"]), calendar)

    @property
    def precision(self) -> str:
        """'day', 'month' or 'year'."""
        return "day" if self.day else "month" if self.month else "year"

    def gregorian(self) -> HistDate:
        """The same date in the Gregorian calendar (month/year precision is kept as is)."""
        if self.calendar is Calendar.gregorian or self.day is None:
            return HistDate(self.year, self.month, self.day, self.circa)
        g = julian_to_gregorian(self.year, self.month, self.day)
        return HistDate(g.year, g.month, g.day, self.circa)

    def earliest(self) -> dt.date:
        """The first Gregorian day this date can mean."""
        g = self.gregorian()
        return dt.date(g.year, g.month or 1, g.day or 1)

    def latest(self) -> dt.date:
        """The last Gregorian day this date can mean."""
        g = self.gregorian()
        if g.day:
            return dt.date(g.year, g.month, g.day)
        if g.month:
            nxt = dt.date(g.year + (g.month == 12), g.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(g.year, 12, 31)

    def add_years(self, years: int) -> HistDate:
        """The date `years` later (29 February falls back to 28 February)."""
        g = self.gregorian()
        day = g.day
        if g.day == 29 and g.month == 2:
            try:
                dt.date(g.year + years, 2, 29)
            except ValueError:
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
        """'14 February 1950', 'February 1950' or '1950', without circa or calendar notes."""
        parts = [str(self.year)]
        if self.month:
            parts.insert(0, MONTHS[self.month - 1])
        if self.day:
            parts.insert(0, str(self.day))
        return " ".join(parts)

    def format(self, space: str = " ") -> str:
        """The date for print: circa as 'c.', a Julian date followed by its Gregorian equivalent.

        `space` joins the parts of each date (printed() passes a no-break space).
        """
        text = ("c." + space if self.circa else "") + self.plain().replace(" ", space)
        if self.calendar is not Calendar.gregorian and self.day:
            text += f" (Julian; {self.gregorian().plain().replace(' ', space)} Gregorian)"
        elif self.calendar is not Calendar.gregorian:
            text += " (Julian)"
        return text

    def printed(self) -> str:
        """format() with no-break spaces inside each date, so a date never breaks across lines."""
        return self.format("\u00a0")

    def __str__(self) -> str:
        return self.format()
