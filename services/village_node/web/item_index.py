"""Finding a catalog item at the window: by name, by code, or by the pinyin initials of its name
(``ltrk`` finds 流动人口…), as window staff type them."""

from __future__ import annotations

from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

from shared.catalog import Catalog
from shared.org import OrgTree


@dataclass(frozen=True)
class IndexedItem:
    code: str
    name: str
    department_name: str
    tier: str
    promised_days: int
    fee_fen: int
    initials: str

    @property
    def search_text(self) -> str:
        return f"{self.code} {self.name} {self.initials} {self.department_name}".casefold()


def initials(name: str) -> str:
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(ch for ch in "".join(letters).casefold() if ch.isalnum())


class ItemIndex:
    def __init__(self, catalog: Catalog, org: OrgTree) -> None:
        self.items = [
            IndexedItem(
                i.code,
                i.name,
                org.department(i.department).name if org.has_department(i.department) else i.department,
                i.tier,
                i.promised_days,
                i.fee_fen,
                initials(i.name),
            )
            for i in catalog
        ]

    def search(self, text: str) -> list[IndexedItem]:
        needle = "".join(text.split()).casefold()
        if not needle:
            return list(self.items)
        return [i for i in self.items if needle in i.search_text.replace(" ", "") or needle in i.search_text]
