"""Polish working days: weekends and public holidays (the ``holidays`` package) are
days off. Used for deadlines that the law counts in working days."""

import datetime
from functools import cache

import holidays


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.Poland(years=year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def next_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself when it is a working day, else the next one (art. 83 k.p.a. and
    similar rules move a deadline falling on a day off)."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day
