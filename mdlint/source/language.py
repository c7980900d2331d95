"""Language identification with langdetect, restricted to a few candidate languages.

langdetect compares character n-grams of a text with per-language profiles and samples them at
random. Here a detector factory is built from the candidates' profiles only, so n-grams of other
languages never vote and the probabilities are over the candidates; the detector is seeded so the
same text always gets the same answer. langdetect (and its profiles, a few MB of JSON) is imported
and loaded only on first use, once per set of candidates per process.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["available_languages", "detect_probabilities", "normalize_language"]

_SEED = 0


def _profiles_directory() -> Path | None:
    spec = importlib.util.find_spec("langdetect")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "profiles"


@cache
def available_languages() -> frozenset[str]:
    """The language codes langdetect has profiles for (`ko`, `en`, `zh-cn`, …), without loading them."""
    directory = _profiles_directory()
    if directory is None or not directory.is_dir():
        return frozenset()
    return frozenset(path.name for path in directory.iterdir() if not path.name.startswith("."))


def normalize_language(code: str) -> str | None:
    """A language tag as langdetect names it: `ko-KR` → `ko`, `zh-CN`/`zh` → `zh-cn`; None if unknown."""
    tag = code.strip().lower().replace("_", "-")
    known = available_languages()
    if tag in known:
        return tag
    primary = tag.split("-", 1)[0]
    if primary in known:
        return primary
    if primary == "zh":
        return "zh-tw" if any(part in ("tw", "hk", "hant") for part in tag.split("-")[1:]) else "zh-cn"
    return None


@cache
def _factory(candidates: tuple[str, ...]) -> Any:
    from langdetect.detector_factory import DetectorFactory

    directory = _profiles_directory()
    assert directory is not None
    factory = DetectorFactory()
    factory.load_json_profile([(directory / code).read_text(encoding="utf-8") for code in candidates])
    factory.set_seed(_SEED)
    return factory


def detect_probabilities(text: str, candidates: tuple[str, ...]) -> dict[str, float]:
    """Probability of each candidate language for `text` (empty when there is nothing to go on).

    `candidates` must be at least two codes from `available_languages()`.
    """
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory(tuple(sorted(set(candidates)))).create()
    detector.append(text)
    try:
        languages = detector.get_probabilities()
    except LangDetectException:
        return {}
    return {language.lang: float(language.prob) for language in languages}
