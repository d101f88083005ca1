"""Provisions: the articles and paragraphs the encodings cite, with their text.

>>> from pyreasoner import Reasoner
>>> p = Reasoner().rulebase.provisions["ecl_38_2"]
>>> p.cite()
'E-Commerce Law Art. 38(2)'
>>> p.cite("zh")
'电子商务法第38条第2款'
"""

from __future__ import annotations

import dataclasses

__all__ = ["Provision"]


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Provision:
    """An article (and paragraph) of a law or judicial interpretation."""

    id: str
    law_zh: str
    law_en: str
    article: str
    paragraph: str
    text_zh: str = ""
    text_en: str = ""

    def cite(self, lang: str = "en") -> str:
        """A citation such as ``E-Commerce Law Art. 38(2)`` or ``电子商务法第38条第2款``; a
        numbered item of a notice (article ``item 2``) as ``SPC Notice 2010 No. 23 item 2`` or
        ``法发〔2010〕23号（二）``, as the notice numbers it (``一、二、``), not as an article."""
        if self.article.startswith("item "):
            number = self.article[len("item "):]
            if lang == "zh":
                return f"{self.law_zh}（{_ZH_NUMERALS.get(number, number)}）"
            return f"{self.law_en} item {number}"
        if lang == "zh":
            return f"{self.law_zh}第{self.article}条" + (f"第{self.paragraph}款" if self.paragraph else "")
        return f"{self.law_en} Art. {self.article}" + (f"({self.paragraph})" if self.paragraph else "")


#: Chinese numerals of a notice's items (``item 2`` is its item 二).
_ZH_NUMERALS = dict(zip([str(n) for n in range(1, 11)], "一二三四五六七八九十", strict=True))
