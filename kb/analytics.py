"""Pure analytics: weeks, weekly series and topic spike detection.

A topic spikes in a week when its count is at least ``MIN_COUNT``, at least ``RATIO`` times its trailing mean
over the previous ``WINDOW`` weeks, and above that mean by ``SIGMAS`` Poisson standard deviations (sqrt of the
mean). The first two are the help desk's own rule (weekly-topic-review: 50% above the four-week average and at
least 20 contacts); the third keeps small, noisy topics from firing by chance (3 sigma: about one false alarm in
700 topic-weeks under Poisson noise).

>>> detect_spike([10, 12, 9, 11, 30])["spike"]
True
>>> detect_spike([10, 12, 9, 11, 14])["spike"]
False
"""

import datetime as dt
import math

WINDOW, MIN_COUNT, RATIO, SIGMAS = 4, 20, 1.5, 3.0


def week_start(day):
    """Monday of the ISO week of a date or datetime."""
    day = day.date() if isinstance(day, dt.datetime) else day
    return day - dt.timedelta(days=day.weekday())


def weekly_series(rows, start, end):
    """Count rows of (datetime, key) per key per week between two dates: {key: [count per week]}, weeks."""
    weeks, monday = [], week_start(start)
    while monday <= end:
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    index = {w: i for i, w in enumerate(weeks)}
    series = {}
    for when, key in rows:
        i = index.get(week_start(when))
        if i is not None:
            series.setdefault(key, [0] * len(weeks))[i] += 1
    return series, weeks


def detect_spike(counts, window=WINDOW, min_count=MIN_COUNT, ratio=RATIO, sigmas=SIGMAS):
    """Whether the last count spikes against the ``window`` counts before it, with the numbers behind it."""
    current = counts[-1]
    history = counts[-window - 1:-1]
    mean = sum(history) / len(history) if history else 0.0
    threshold = max(min_count, ratio * mean, mean + sigmas * math.sqrt(max(mean, 1.0)))
    return {"count": current, "trailing_mean": round(mean, 2), "threshold": round(threshold, 2),
            "spike": bool(history) and current >= threshold}
