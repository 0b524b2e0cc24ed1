"""Finding English sentences on a page meant to be Chinese.

Data is not a message: the demo day's names carry English glosses in brackets ("寻乌县物流园区
(county logistics park)"), so bracketed text is taken out before looking; ids, plates and single
words (a code, an abbreviation such as PDF or CSV, a unit) pass.
"""

from __future__ import annotations

import re

# Three English words in a row is a sentence (or a phrase a reader has to read); one word may be
# a code, an abbreviation (PDF, CSV) or a unit.
ENGLISH = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,'-]+[A-Za-z][a-z]+){2,}\b")
DATA = re.compile(r"\([^()]*\)|（[^（）]*）")


def english_in(text: str) -> list[str]:
    """The English phrases of three words or more in `text`, bracketed glosses left out."""
    return ENGLISH.findall(DATA.sub(" ", text))


def page_text(page) -> str:
    """A Playwright page's body text and the labels a screen reader reads (aria-label, title,
    placeholder, alt)."""
    labels = page.eval_on_selector_all(
        "[aria-label], [title], [placeholder], img[alt]",
        "els => els.map(e => [e.getAttribute('aria-label'), e.getAttribute('title'),"
        " e.getAttribute('placeholder'), e.getAttribute('alt')].filter(Boolean).join(' '))",
    )
    return page.locator("body").inner_text() + " " + " ".join(labels)
