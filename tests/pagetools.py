"""Read built HTML pages in tests without a browser: find elements by tag and attributes."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]):
        self.tag, self.attrs, self.text_parts, self.children = tag, attrs, [], []

    @property
    def text(self) -> str:
        return " ".join("".join(self.text_parts).split())

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if self.open:
            self.open[-1].children.append(element)
        if tag not in _VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        for element in self.open:
            element.text_parts.append(data)


def parse_page(path: Path) -> list[Element]:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.elements


def find_all(elements: list[Element], tag: str | None = None, cls: str | None = None,
             **attrs) -> list[Element]:
    found = []
    for element in elements:
        if tag and element.tag != tag:
            continue
        if cls and cls not in element.classes():
            continue
        if any(element.attrs.get(name.replace("_", "-")) != value for name, value in attrs.items()):
            continue
        found.append(element)
    return found
