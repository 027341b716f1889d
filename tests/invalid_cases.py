"""The invalid-content corpus as declared changes to one valid base file.

Each case is `tests/fixtures/invalid/_base/base-treaty.yaml` with its slug set to the case's name
and one mistake made by a short list of edits, written into a temporary folder at test time
(`materialise`). Edits address the base by field (`Set`, `Rename`, `Delete`) or, for mistakes in
the bytes and syntax of the file, by its text (`Replace`, `Whole`). Field edits change only the
text of the field they name, so every other line keeps its number in the base: the expected lines
in tests/test_invalid_corpus.py are the base's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

BASE = Path(__file__).parent / "fixtures" / "invalid" / "_base" / "base-treaty.yaml"


def _node(text: str, path: str) -> tuple[yaml.Node, yaml.Node]:
    """The key node (None for a list item) and value node of a field such as events[1].date."""
    node, key = yaml.compose(text), None
    for part in re.findall(r"[^.\[\]]+", path):
        if isinstance(node, yaml.SequenceNode):
            key, node = None, node.value[int(part)]
        else:
            key, node = next((k, v) for k, v in node.value if k.value == part)
    return key, node


def _end(text: str, node: yaml.Node) -> int:
    """Where a node's own text ends (a block node's end mark is at the next line's start)."""
    return len(text[: node.end_mark.index].rstrip())


@dataclass(frozen=True)
class Set:
    """Replace a field's value with YAML text; its later lines are indented to the value's column."""

    path: str
    value: str

    def __call__(self, text: str) -> str:
        _, node = _node(text, self.path)
        value = self.value.replace("\n", "\n" + " " * node.start_mark.column)
        return text[: node.start_mark.index] + value + text[_end(text, node) :]


@dataclass(frozen=True)
class Rename:
    """Rename a field's key."""

    path: str
    key: str

    def __call__(self, text: str) -> str:
        key, _ = _node(text, self.path)
        return text[: key.start_mark.index] + self.key + text[key.end_mark.index :]


@dataclass(frozen=True)
class Delete:
    """Remove a field: its key, its value and the blank line before it."""

    path: str

    def __call__(self, text: str) -> str:
        key, node = _node(text, self.path)
        start = text.rfind("\n", 0, key.start_mark.index)
        return text[:start] + text[_end(text, node) :]


@dataclass(frozen=True)
class Replace:
    """Replace text that occurs exactly once in the file."""

    old: str
    new: str

    def __call__(self, text: str) -> str:
        assert text.count(self.old) == 1, f"{self.old!r} occurs {text.count(self.old)} times"
        return text.replace(self.old, self.new)


@dataclass(frozen=True)
class Whole:
    """Make the whole text from the current one (a function of it)."""

    make: Callable[[str], str]

    def __call__(self, text: str) -> str:
        return self.make(text)


Edit = Set | Rename | Delete | Replace | Whole


@dataclass(frozen=True)
class Case:
    """One mistake: what it is, and the edits that make it."""

    mistake: str
    edits: tuple[Edit, ...]


def materialise(name: str, folder: Path) -> Path:
    """Write the case `name` (or the base itself, for `base-treaty.yaml`) into the folder."""
    path = folder / name
    text = BASE.read_text(encoding="utf-8")
    if name != BASE.name:
        text = Set("slug", path.stem)(text)
        for edit in CASES[name].edits:
            text = edit(text)
    # surrogateescape: a case may hold bytes that are not UTF-8 (written as '\udcXX').
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return path


ALIAS_BOMB = "".join(
    f"    - &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)  # ten to the ninth power strings, expanded
NOTE = "# Pasted from the source, to be summarised later: the treaty was signed in Moscow.\n"

OVERFLOW_ARTICLES = [
    (
        "Against Japan",
        "The two sides will take all necessary measures together to prevent a renewal of aggression by Japan or by any state that joins Japan in acts of aggression; if either is attacked and finds itself at war, the other will at once give military and other help with all the means at its disposal.",
    ),
    (
        "Peace treaty",
        "The two sides will seek, together with the other powers that fought in the Second World War, to conclude a peace treaty with Japan as soon as possible, and will act by common agreement in doing so.",
    ),
    (
        "No hostile alliances",
        "Neither side will conclude any alliance, or take part in any coalition, action or measure, that is directed against the other side.",
    ),
    (
        "Consultation",
        "The two sides will consult each other on all important international questions that affect their common interests, with a view to strengthening peace and universal security.",
    ),
    (
        "Economic ties",
        "The two sides will develop and strengthen economic and cultural ties in a spirit of friendship and cooperation, in accordance with the principles of equal rights, mutual interest, mutual respect for sovereignty and territorial integrity, and non-interference in each other's internal affairs, and will give each other every possible economic assistance.",
    ),
    (
        "Ratification",
        "The treaty is to be ratified as soon as possible, and the instruments of ratification are to be exchanged in Beijing; it was signed in two copies, each in Russian and in Chinese, both texts being equally valid.",
    ),
    (
        "Railway and ports",
        "In agreements signed with the treaty, the Soviet Union undertook to hand over to China, free of charge, all its rights in the jointly run Chinese Changchun Railway, and to withdraw its troops from the jointly used naval base at Port Arthur, as soon as a peace treaty with Japan was signed and in any case within a few years; the question of Dairen was to be settled once peace with Japan was made.",
    ),
    (
        "Credit",
        "A separate agreement gave China a long-term Soviet credit on easy terms, to pay for machinery and equipment delivered by the Soviet Union, to be repaid in raw materials, tea, gold and American dollars.",
    ),
    (
        "Duration",
        "The treaty enters into force as soon as it is ratified, remains in force for {term.years} years, and is extended automatically unless one side gives notice that it wishes to end it.",
    ),
]
OVERFLOW_BACKGROUND = "When the People's Republic of China was proclaimed in Beijing, its new leaders wanted the Soviet Union as their ally. The country had come out of a long war against Japan and a civil war against the Nationalists; its economy was in ruins, its currency worthless, and its leaders feared that the United States would help the Nationalist government return from Taiwan. The Soviet Union, for its part, still held the rights in Manchuria that its treaty with the Nationalist government had given it: a share in the main railway, the naval base at Port Arthur and facilities in the port of Dairen. A new treaty would have to settle what became of those rights, and of the promises the Soviet Union had made to a government that no longer ruled China. {people.zhou-enlai} led the Chinese delegation in the final weeks of the talks, and the treaty was signed in Moscow on {signing.date}, together with agreements on the railway, on Port Arthur and Dairen, and on a Soviet credit. The talks had been long and difficult. Stalin at first did not want to replace the old treaty at all, since the Yalta agreements on which it rested also served Soviet interests in Europe and in the Far East; the Chinese side insisted that a new government needed a new treaty, negotiated as between equals. The compromise kept most Soviet rights in Manchuria for a few more years but promised to return them to China."
OVERFLOW_SIGNIFICANCE = "The treaty made the {parties.prc.short} and the {parties.ussr.short} military allies, and for a decade it was the base of their relations: Soviet credits, advisers and factories helped to build Chinese industry, and the two governments spoke as one on the great questions of the Cold War. The alliance did not survive their quarrels over ideology, borders and leadership of the communist world, and long before it lapsed it had ceased to mean what it said."


def _articles(articles: list[tuple[str, str]]) -> str:
    return "\n".join(
        f"- label: {label}\n  summary: >-\n    {summary}\n  sources: [grips-1950]"
        for label, summary in articles
    )


def _as_list_item(text: str) -> str:
    head, body = text.split("slug:", 1)
    return head + "- slug:" + body.replace("\n", "\n  ")


CASES: dict[str, Case] = {
    "empty.yaml": Case("an empty file", (Whole(lambda _: ""),)),
    "list-not-mapping.yaml": Case(
        "the whole treaty written as one item of a list (a leading '- ')", (Whole(_as_list_item),)
    ),
    "syntax-error.yaml": Case(
        "a colon and a space inside unquoted text start a new mapping (quote the text)",
        (Set("subject", "Cold War in Asia: the alliance"),),
    ),
    "tab-indent.yaml": Case(
        "a line indented with a tab (YAML allows spaces only)",
        (Replace("  years: 30\n", "\tyears: 30\n"),),
    ),
    "duplicate-key.yaml": Case(
        "the signing date given twice (plain YAML would silently keep the second)",
        (Replace("frus-1950]\n  place:", "frus-1950]\n    value: '1950-02-15'\n  place:"),),
    ),
    "unknown-key.yaml": Case("'place' misspelt as 'plaec'", (Rename("signing.place", "plaec"),)),
    "missing-field.yaml": Case(
        "the required entry_into_force left out", (Delete("entry_into_force"),)
    ),
    "wrong-type.yaml": Case(
        "the term written in words, not as a whole number", (Set("term.years", "thirty"),)
    ),
    "integer-date.yaml": Case(
        "a date written as a bare number", (Set("signing.date.value", "1950"),)
    ),
    "impossible-date.yaml": Case(
        "a date that does not exist", (Set("signing.date.value", "'1950-02-30'"),)
    ),
    "free-text-date.yaml": Case(
        "a date written as free text", (Set("signing.date.value", "February 14, 1950"),)
    ),
    "entry-before-signing.yaml": Case(
        "entry into force typed with the wrong year, before the signing (the lapse date no "
        "longer matches entry into force plus the term either)",
        (Set("entry_into_force.value", "'1949-04-11'"),),
    ),
    "event-out-of-order.yaml": Case(
        "the event 'in-force' must follow 'signed' but is dated before it",
        (Set("events[1].date", "'1950-01-11'"),),
    ),
    "unknown-source.yaml": Case(
        "a source id not in the sources list ('frus1950' for 'frus-1950')",
        (Set("signing.date.sources", "[grips-1950, frus1950]"),),
    ),
    "invalid-utf8.yaml": Case(
        "saved as Windows-1252: the dash after 'Asia' is the single byte 0x96",
        (Set("subject", "Cold War in Asia \udc96 the alliance"),),
    ),
    "control-character.yaml": Case(
        "a manual line break (U+000B) pasted from a word processor after 'Moscow'",
        (Replace("in Moscow on", "in Moscow\v on"),),
    ),
    "python-tag.yaml": Case(
        "a tag asking for a Python object (it would run a command under an unsafe loader)",
        (Set("subject", "!!python/object/apply:os.system ['echo owned']"),),
    ),
    "python-tag-key.yaml": Case(
        "a Python tag used as a key",
        (
            Replace(
                "subject: Cold War in Asia\n",
                "subject: Cold War in Asia\n!!python/name:os.system : run\n",
            ),
        ),
    ),
    "explicit-tag-value.yaml": Case(
        "an explicit !!int tag on text that is not a number",
        (Set("structure.articles", "!!int six"),),
    ),
    "alias-bomb.yaml": Case(
        "a billion laughs: anchors nested ten deep in a list field",
        (Replace("treaty.\n  key_terms:", f"treaty.\n    - &a0 lol\n{ALIAS_BOMB}  key_terms:"),),
    ),
    "nesting-bomb.yaml": Case(
        "lists nested a thousand deep (it would exhaust the parser's stack)",
        (Set("significance[0]", "[" * 1000 + "]" * 1000),),
    ),
    "file-too-large.yaml": Case(
        "five megabytes of pasted notes after the content",
        (Whole(lambda text: text + NOTE * (5_000_000 // len(NOTE) + 1)),),
    ),
    "field-too-long.yaml": Case(
        "a background paragraph of exactly 100,000 characters",
        (Set("background[0]", ("word " * 20_000)[:-1] + "."),),
    ),
    "uncovered-character.yaml": Case(
        "Egyptian hieroglyphs, a script no bundled face covers",
        (
            Set(
                "significance[0]",
                ">-\nThe treaty made the {parties.prc.short} and the {parties.ussr.short} military"
                " allies,\nand confirmed the independence of Mongolia (\U00013080\U000130ed).",
            ),
        ),
    ),
    "fact-sheet-overflow.yaml": Case(
        "the background and articles far too long for the one-page fact sheet (valid content: "
        "only the build refuses it, saying by how much it overflows)",
        (
            Set("articles", _articles(OVERFLOW_ARTICLES)),
            Set("background[0]", ">-\n" + OVERFLOW_BACKGROUND),
            Set("significance[0]", ">-\n" + OVERFLOW_SIGNIFICANCE),
        ),
    ),
    "lapse-mismatch.yaml": Case(
        "the lapse date counted from the signing, not from entry into force",
        (Set("ended[0].date", "'1980-02-14'"),),
    ),
    "date-in-prose.yaml": Case(
        "the signing date typed into prose instead of {signing.date}",
        (Replace("Moscow on {signing.date}", "Moscow on 14 February 1950"),),
    ),
    "unknown-reference.yaml": Case(
        "prose refers to a person not in the people list",
        (
            Set(
                "classroom.review[0].answer",
                '"{people.zhou-enlai}, {people.andrei-vyshinsky} and {people.nobody}."',
            ),
        ),
    ),
    "died-before-signing.yaml": Case(
        "a signatory's death typed with the wrong year, before the signing he took part in",
        (Set("people[1].died", "'1949-11-22'"),),
    ),
    "slug-mismatch.yaml": Case(
        "the slug does not match the file name (copied from another file)",
        (Set("slug", "sino-soviet-1950"),),
    ),
    "missing-related.yaml": Case(
        "names a related treaty whose content file is not in the same folder",
        (
            Replace(
                "\npeople:",
                "\nrelated:\n  - slug: sino-soviet-1945\n    relation: annulled\n\npeople:",
            ),
        ),
    ),
}
