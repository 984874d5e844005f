"""Missing episodes (from home and from care) with times, durations, where found, and RHIs."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from safehub.demo.city.model import Chunk, MissingEpisode, Person

BACKGROUND_FOUND = (
    "friend's address",
    "relative's address",
    "returned of own accord",
    "city centre",
    "boyfriend's or girlfriend's address",
    "found by police in the street",
)


def add_episode(
    chunk: Chunk,
    rng: random.Random,
    child: Person,
    start: datetime,
    hours: float,
    where_found: str,
    risk: str,
) -> MissingEpisode:
    """Record one episode; offer a return home interview as real services do (not always)."""
    found = start + timedelta(hours=hours)
    episode = MissingEpisode(
        eid=f"E{chunk.index:02d}{len(chunk.episodes) + 1:06d}",
        pid=child.pid,
        setting="care" if child.looked_after else "home",
        reported_at=start,
        found_at=found,
        where_found=where_found,
        risk=risk,
    )
    # About 80% are offered an interview, mostly within 72 hours; about 60% of offers accepted.
    if rng.random() < 0.8:
        episode.rhi_offered = found.date() + timedelta(days=rng.choice((0, 1, 1, 2, 2, 3, 4, 6)))
        if rng.random() < 0.6:
            episode.rhi_accepted = True
            episode.rhi_completed = episode.rhi_offered + timedelta(days=rng.randrange(0, 4))
    chunk.episodes.append(episode)
    return episode


def evening(rng: random.Random, day: date) -> datetime:
    """A report time: usually evening or night, sometimes during the day."""
    hour = rng.choice((13, 16, 18, 19, 20, 21, 21, 22, 22, 23))
    return datetime(day.year, day.month, day.day, hour, rng.randrange(60))


def add_background_missing(chunk: Chunk, rng: random.Random, year: int) -> None:
    """Children who go missing for reasons that are not exploitation (about 0.6%, more in care)."""
    start_of_year = date(year, 9, 1)
    for child in chunk.people:
        if child.kind != "child" or child.role != "background":
            continue
        age = year - child.dob.year
        if age < 10:
            continue
        chance = 0.06 if child.looked_after else 0.006
        if rng.random() >= chance:
            continue
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 5))):
            day = start_of_year + timedelta(days=rng.randrange(330))
            add_episode(
                chunk,
                rng,
                child,
                evening(rng, day),
                rng.choice((2, 3, 5, 8, 12, 16, 20, 30)) + rng.random(),
                rng.choice(BACKGROUND_FOUND),
                rng.choice(("absent", "low", "low", "medium")),
            )
