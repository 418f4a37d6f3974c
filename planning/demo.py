"""Demo data of the regional plan (filled below)."""


def load_planning_demo(*, region, today) -> dict:
    return {}
