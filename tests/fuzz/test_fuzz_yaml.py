"""Arbitrary YAML: random text, token soup, generated documents with anchors, aliases and tags,
dumped random data, and byte-level mutations of the seeds. Whatever the file holds,
``validate_model`` answers with diagnostics and never raises (see support.exercise_*)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from dataflow.model import MODEL_FOR_COLLECTION, TOP_LEVEL_KEYS

from .support import CORPUS_DIR, dump_yaml, exercise_files, exercise_text, fuzz_settings

pytestmark = pytest.mark.slow

# ----------------------------------------------------------------------------- characters

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
BREAKS = "\n\r\u0085\u2028\u2029\x0b\x0c"
CONTROLS = "".join(chr(c) for c in range(0x20) if chr(c) not in "\n\r\t") + "\x7f\x80\x9f"
YAML_SYNTAX = ":-?[]{},#&*!|>'\"%@`\\ \t\n"
CJK = "数据出境个人信息杭州北京データ한국어"
SURROGATES = "\ud800\udbff\udc00\udfff"  # written with surrogatepass: invalid UTF-8 on disk
NONCHARS = "\ufffe\uffff\U0010ffff\U0001f680\U000e0001"

interesting_chars = st.sampled_from(
    list(BIDI + INVISIBLE + BREAKS + CONTROLS + YAML_SYNTAX + CJK + SURROGATES + NONCHARS
         + "abcxyz019_.-\x00"))
any_char = st.one_of(interesting_chars, st.characters(codec=None))

TOKENS = [
    "model:", "systems:", "flows:", "entities:", "cohorts:", "categories:", "access:",
    "catalogue:", "include:", "include_roots:", "waivers:", "name:", "evaluation_date:",
    "from:", "to:", "categories: [", "location:", "kind:", "count:", "operator:", "app:",
    "\n", "\n  ", "\n    ", "  ", " ", "- ", "-", ": ", ":", ",", "[", "]", "{", "}", "? ",
    "&a ", "&b ", "*a", "*b", "*zz", "<<: *a", "<<: ", "!!python/object/apply:os.system ",
    "!!python/name:os.system ", "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!map ",
    "!!seq ", "!!binary ", "!!timestamp ", "!!set ", "!!omap ", "!custom ", "! ", "!<tag:x> ",
    "|", "|-", ">", ">+", "'", "\"", "''", "\"\\x00\"", "\"\\u202e\"", "\"\\ud800\"", "#",
    "# comment", "---", "...", "--- !!map", "%YAML 1.2\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n",
    "\t", "\r\n", "\ufeff", "\x00", "\u202e", "2026-01-01", "2026-02-30", "2026-01-01T00:00:00Z",
    "0x1F", "0o17", "0b101", "010", "1_000", "1e999", "-.inf", ".nan", "+12", "9" * 50,
    "9" * 5000, "yes", "no", "on", "off", "~", "null", "true", "FALSE", "CN", "unknown",
    "aws:us-east-1", "user.contact.phone", "a" * 300,
]

# ----------------------------------------------------------------------------- strategies


def token_soup() -> st.SearchStrategy[str]:
    """YAML-ish token sequences (indicators, tags, anchors, keys, odd scalars, raw control and
    bidi characters) joined at random."""
    pool = "".join(sorted(set(BIDI + INVISIBLE + BREAKS + CONTROLS + YAML_SYNTAX + CJK
                              + NONCHARS + "abcxyz019_.-")))

    def build(seed: int) -> str:
        r = random.Random(seed)
        parts = []
        for _ in range(r.randint(0, 60)):
            if r.random() < 0.8:
                parts.append(r.choice(TOKENS))
            else:
                parts.append("".join(r.choice(pool) for _ in range(r.randint(1, 4))))
        return "".join(parts)

    return st.integers(0, 2**64 - 1).map(build)


CHAR_POOL = (BIDI + INVISIBLE + BREAKS + CONTROLS + YAML_SYNTAX + CJK + NONCHARS
             + "\x00\u00e9\u00df\u0130\u03a3\u0416\u05d0\u0627\u0e01\U0001f600")
SAFE_POOL = "abcdefghijklmnopqrstuvwxyz0123456789-_."
PLAIN_WORDS = ["x", "CN", "US", "HK", "unknown", "service", "client", "ai-model", "2026-01-01",
               "2026-02-30", "0", "-1", "1_000", "true", "yes", "No", "null", "~", "9" * 40,
               "0x10", "0o7", "1.5", ".inf", "user.contact.phone", "user", "app", "db", "acme",
               "users", "f1", "aws:us-east-1", "alibaba:cn-hangzhou", "controller", "failover",
               "primary", "io:epo", "a b", "Acme, Inc.", "数据", "2026-01-01T10:00:00",
               "1" * 300 + ".5", "1e999", "0o" + "7" * 300]
HUGE_NUMBERS = ["9" * 4400, "-" + "1" * 5000, "0x" + "f" * 5000, "0o" + "7" * 6000]
KEY_WORDS = [*TOP_LEVEL_KEYS, "name", "name_zh", "evaluation_date", "owner", "from", "to",
             "kind", "location", "operator", "count", "categories", "cohorts", "jurisdiction",
             "subset_of", "routing", "primary", "mechanism", "exporter", "recipients", "system",
             "accessor", "regions", "providers", "jurisdictions", "app", "db", "acme", "users",
             "f1", "<<", "Bad Id", "../../x", "2026-01-01", "1", "true", "null", "a" * 80]
TAGS = ["!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!map ", "!!seq ",
        "!!python/object/apply:os.system ", "!!python/tuple ", "!!python/name:os.system ",
        "!local ", "!!binary ", "!!set ", "!!omap ", "!!timestamp ",
        "!<tag:yaml.org,2002:str> ", "! ", "!<!> "]


def yaml_printable(c: str) -> bool:
    """Characters YAML 1.2 allows raw in a stream (c-printable), minus the BOM."""
    o = ord(c)
    return (c in "\t\n\r" or 0x20 <= o <= 0x7e or o == 0x85 or 0xa0 <= o <= 0xd7ff
            or (0xe000 <= o <= 0xfffd and o != 0xfeff) or o >= 0x10000)


class Doc:
    """A YAML document built from one random seed: nesting in block and flow style, anchors and
    aliases anywhere (defined, undefined, recursive, as keys, merge keys), tags allowed and
    refused, scalars plain, quoted and escaped. Cheap to generate, so many cases fit in CI."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.anchors: list[str] = []
        self.weird = self.r.random() < 0.2  # how often odd characters and structures appear

    def chance(self, p: float) -> bool:
        return self.r.random() < p * (2 if self.weird else 1)

    def text(self, n: int) -> str:
        pool = CHAR_POOL if self.chance(0.5) else SAFE_POOL
        return "".join(self.r.choice(pool) for _ in range(self.r.randint(0, n)))

    def scalar(self) -> str:
        r = self.r
        value = r.choice(PLAIN_WORDS) if not self.chance(0.25) else self.text(10)
        if self.chance(0.002):
            value = r.choice(HUGE_NUMBERS)  # beyond Python's 4300-digit int/str limit
        style = r.random()
        if style < 0.6 and value and value[0] not in "-:?,[]{}#&*!|>'\"%@` " and all(
                c in SAFE_POOL + " :," or (ord(c) > 0xa0 and
                                                                     yaml_printable(c))
                                          for c in value):
            return value
        if style < 0.75 and all(yaml_printable(c) and c not in "\n\r\t" for c in value):
            return "'" + value.replace("'", "''") + "'"
        out = []
        for c in value:
            if c in '"\\':
                out.append("\\" + c)
            elif not yaml_printable(c) or c in "\n\r\t\x85":
                out.append(f"\\u{ord(c):04x}" if ord(c) <= 0xffff else f"\\U{ord(c):08x}")
            else:
                out.append(c)
        return '"' + "".join(out) + '"'

    def key(self) -> str:
        if self.chance(0.1):
            return self.scalar()
        return self.r.choice(KEY_WORDS)

    def props(self) -> tuple[str, str | None]:
        """A tag and/or an anchor for the next node; the anchor becomes usable (``done``) once
        the node is complete (an alias inside its own anchored node is a recursive alias)."""
        out, name = "", None
        if self.chance(0.008):
            out += self.r.choice(TAGS)
        if self.chance(0.08):
            name = self.r.choice(["a", "b", "c", "d", "x1"] if not self.chance(0.01)
                                 else ["\u6570", "a:b"])
            out += f"&{name} "
        return out, name

    def done(self, name: str | None) -> None:
        if name is not None:
            self.anchors.append(name)

    def alias(self) -> str | None:
        if self.anchors and self.chance(0.03):
            return "*" + self.r.choice(self.anchors)
        if self.chance(0.002):
            return "*" + self.r.choice(["a", "nope", "x1"])  # never defined, or not yet
        return None

    def flow(self, depth: int) -> str:
        a = self.alias()
        if a:
            return a
        r = self.r
        kind = r.choice("sssqm") if depth < 6 else "s"
        props, name = self.props()
        if kind == "s":
            out = props + self.scalar()
        elif kind == "q":
            out = props + "[" + ", ".join(self.flow(depth + 1)
                                          for _ in range(r.randint(0, 4))) + "]"
        else:
            out = props + "{" + ", ".join(f"{self.key()}: {self.flow(depth + 1)}"
                                          for _ in range(r.randint(0, 4))) + "}"
        self.done(name)
        return out

    def block(self, depth: int, indent: int) -> str:
        r = self.r
        kind = (r.choice("mmmqf") if depth else r.choice("mmmmmmmmmqf")) if depth < 4 else "f"
        if kind == "f":
            return " " + self.flow(depth)
        a = self.alias()
        if a and depth:
            return " " + a
        step = 2 if not self.chance(0.05) else r.choice([1, 3, 4, 0])
        pad = " " * (indent + step) if depth else ""
        props, name = self.props() if depth else ("", None)
        head = props.rstrip()
        lines = []
        for _ in range(r.randint(1, 4)):
            value = self.block(depth + 1, len(pad))
            if kind == "m":
                if self.chance(0.03):
                    lines.append(f"{pad}? {self.key()}\n{pad}:{value}")
                elif self.anchors and self.chance(0.03):
                    lines.append(f"{pad}<<: *{r.choice(self.anchors)}")
                else:
                    lines.append(f"{pad}{self.key()}:{value}")
            else:
                lines.append(f"{pad}-{value}")
            if self.chance(0.03):
                lines.append(pad + "# " + "".join(c for c in self.text(8) if yaml_printable(c)
                                                  and c not in "\n\r\x85\u2028\u2029"))
        body = "\n".join(lines)
        self.done(name)
        if self.chance(0.005):
            body = body.replace("  ", "\t", 1)
        return (" " + head if head else "") + "\n" + body


def yaml_documents() -> st.SearchStrategy[str]:
    def build(seed: int) -> str:
        doc = Doc(seed)
        r = doc.r
        head = r.choice(["", "", "", "---\n", "%YAML 1.2\n---\n", "\ufeff", "# c\n",
                         "%TAG !e! tag:example.com,2000:\n---\n"])
        body = doc.block(0, 0).lstrip("\n")
        if doc.chance(0.03):  # one raw character YAML refuses (or, for surrogates, UTF-8 does)
            i = r.randrange(len(body) + 1)
            body = body[:i] + r.choice(CONTROLS + SURROGATES + "\ufffe\uffff\x00") + body[i:]
        if doc.chance(0.05):
            body += r.choice(["\n---\nx: 1", "\n...\n", "\n--- a", "\n...\n---\n"])
        if doc.chance(0.05):
            body = body.replace("\n", "\r\n")
        return head + body + "\n"

    return st.integers(0, 2**64 - 1).map(build)


SCHEMA_KEYS = sorted({f.alias or n for cls in MODEL_FOR_COLLECTION.values()
                      for n, f in cls.model_fields.items()} | {"evaluation_date", "owner"})
IDS = ["app", "db", "acme", "users", "f1", "user.contact", "CN", "Bad Id", "../x", "a" * 70,
       "数据", "", "str", "list[int]", "1", "-x", "a..b"]
ODD_VALUES: list[Any] = [None, True, False, 0, -1, 1.5, float("inf"), float("nan"), 10**30,
                         -(10**30), 2**63, "", " ", "CN", "US", "unknown", "aws:us-east-1",
                         "2026-01-01", "2026-02-30", "service", "user.contact.phone",
                         "controller", "failover", "primary", "pipl.standard-contract",
                         "‮evil", "a\x00b", "=HYPERLINK(1)", "x" * 300, [], {}]


class Data:
    """Random plain data shaped like a model: collections of ids mapping to objects whose keys
    are mostly real schema keys, values of every type."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def value(self, depth: int = 0) -> Any:
        r = self.r
        x = r.random()
        if depth < 3 and x < 0.12:
            return [self.value(depth + 1) for _ in range(r.randint(0, 4))]
        if depth < 3 and x < 0.2:
            return {r.choice(SCHEMA_KEYS + IDS): self.value(depth + 1)
                    for _ in range(r.randint(0, 4))}
        if x < 0.3:
            return "".join(r.choice(CHAR_POOL + SAFE_POOL) for _ in range(r.randint(0, 8))
                           ).encode("utf-8", "replace").decode("utf-8")
        if x < 0.45:
            return r.choice(IDS)
        return r.choice(ODD_VALUES)

    def obj(self, coll: str) -> Any:
        r = self.r
        if r.random() < 0.1:
            return self.value()
        fields = sorted(f.alias or n for n, f in MODEL_FOR_COLLECTION[coll].model_fields.items())
        return {r.choice(fields + ["bogus", "Name"]): self.value() for _ in range(r.randint(0, 7))}

    def model(self) -> dict[str, Any]:
        r = self.r
        out: dict[str, Any] = {}
        if r.random() < 0.8:
            out["model"] = {"name": self.value(2) if r.random() < 0.3 else "M",
                            "evaluation_date": r.choice(["2026-10-01", "2026-02-30", 20261001,
                                                         None, "x", "2026-1-1"])}
            if r.random() < 0.3:
                out["model"][r.choice(["owner", "reporting_year", "str", "[", "x"])] = self.value()
        keys = [*TOP_LEVEL_KEYS, "extra", "Systems"]
        for key in r.sample(keys, r.randint(0, 6)):
            if key in MODEL_FOR_COLLECTION and r.random() < 0.85:
                out[key] = {r.choice(IDS): self.obj(key) for _ in range(r.randint(0, 4))}
            else:
                out[key] = self.value()
        return out


def model_like_data() -> st.SearchStrategy[dict[str, Any]]:
    return st.integers(0, 2**64 - 1).map(lambda seed: Data(seed).model())


# ----------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-yaml")


@fuzz_settings(max_examples=2000)
@given(text=st.text(any_char, max_size=200))
def test_arbitrary_text(work: Path, text: str) -> None:
    exercise_text(work / "t", text)


@fuzz_settings(max_examples=2000)
@given(text=token_soup())
def test_token_soup(work: Path, text: str) -> None:
    note(repr(text))
    exercise_text(work / "t", text)


@fuzz_settings(max_examples=4000)
@given(text=yaml_documents())
def test_generated_documents(work: Path, text: str) -> None:
    note(text)
    exercise_text(work / "t", text)


@fuzz_settings(max_examples=2000)
@given(data=model_like_data())
def test_dumped_model_like_data(work: Path, data: dict[str, Any]) -> None:
    text = dump_yaml(data)
    note(text)
    exercise_text(work / "t", text)


@fuzz_settings(max_examples=300)
@given(blob=st.binary(max_size=300))
def test_arbitrary_bytes(work: Path, blob: bytes) -> None:
    exercise_text(work / "t", blob)


SEED_FILES = sorted(p for p in CORPUS_DIR.glob("*.yaml"))


@st.composite
def mutated_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    path = draw(st.sampled_from(SEED_FILES))
    data = bytearray(path.read_bytes())
    rnd = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        op = rnd.randrange(8)
        i = rnd.randrange(len(data))
        if op == 0:  # flip a byte
            data[i] = rnd.randrange(256)
        elif op == 1:  # delete a run
            del data[i:i + rnd.randint(1, 20)]
        elif op == 2:  # insert a special sequence
            data[i:i] = rnd.choice([b"\x00", b"\t", b"\r", b"\xef\xbb\xbf", b"\xff", b"\xc3",
                                    b"\xe2\x80\xae", b": ", b"- ", b"&a ", b"*a", b"!!python/name:x ",
                                    b"{", b"[", b"'", b'"', b"\n  ", b"\n- ", b"#"])
        elif op == 3:  # duplicate a line (duplicate keys, repeated ids)
            lines = bytes(data).split(b"\n")
            j = rnd.randrange(len(lines))
            lines.insert(j, lines[j])
            data = bytearray(b"\n".join(lines))
        elif op == 4:  # swap two lines
            lines = bytes(data).split(b"\n")
            a, b = rnd.randrange(len(lines)), rnd.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            data = bytearray(b"\n".join(lines))
        elif op == 5:  # change a line's indentation
            lines = bytes(data).split(b"\n")
            j = rnd.randrange(len(lines))
            lines[j] = b" " * rnd.randint(0, 7) + lines[j].lstrip(b" ")
            data = bytearray(b"\n".join(lines))
        elif op == 6:  # truncate
            del data[i:]
        else:  # CRLF line ends from here on
            data[i:] = bytes(data[i:]).replace(b"\n", b"\r\n")
    return path.name, bytes(data)


@fuzz_settings(max_examples=2500)
@given(case=mutated_bytes())
def test_byte_mutations_of_seeds(work: Path, case: tuple[str, bytes]) -> None:
    name, blob = case
    note(f"seed {name}: {blob!r}")
    exercise_text(work / "t", blob)


@fuzz_settings(max_examples=600)
@given(files=st.dictionaries(
    st.sampled_from(["dataflow.yaml", "a.yaml", "b.yml", "sub/c.yaml", ".hidden/d.yaml",
                     "sub/.e.yaml", "f.txt"]),
    st.one_of(token_soup(), yaml_documents(), model_like_data().map(dump_yaml)),
    max_size=4))
def test_folders_of_arbitrary_files(work: Path, files: dict[str, str]) -> None:
    note(repr(files))
    exercise_files(work / "folder", files)
