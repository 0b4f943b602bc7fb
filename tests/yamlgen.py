"""Random YAML that mostly stays on the fast parser's path (no tags, anchors or escapes), yet
uses every construct where yaml_rs and libyaml could disagree: plain scalars of every spelling
(numbers with signs, exponents, leading zeros, underscores and base prefixes, booleans and nulls in
every case, dates, times, .inf/.nan), quoted and multi-line scalars, block scalars with chomping
and indentation indicators, comments everywhere, flow collections over several lines, explicit
keys, empty values, Unicode. Used by the differential tests of dataflow.fastparse."""

from __future__ import annotations

import random

NUMBERS = ["0", "1", "-1", "+1", "12", "-0", "+0", "010", "00", "007", "0_1", "1_000", "100_000",
           "1_0.5", "_1", "1_", "0x1F", "0X1f", "0o17", "0O17", "0b101", "-0x1F", "+0o7", "0x",
           "0o", "0xG", "1.5", "1.", ".5", "-.5", "+.5", "1e3", "1E3", "1e+3", "1.5e-3", "1e",
           "e3", ".e3", "1.2.3", "12e03", "0.0", "-0.0", "01.5", "0.5", "9" * 25, "-" + "9" * 25,
           "1e400", ".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN", ".iNf",
           ".naN", "inf", "nan", "Infinity", "NaN", "+", "-1-", "1:20", "12:30:45", "1,000",
           "1 000", "0x1p3", "1__0", "-_1", "._5", "._inf", "1e_3", "2026-01-01",
           "2026-10-01T10:00:00Z", "2026-1-1", "20261001", "1/2", "-1.5e10", "+12.5"]
WORDS = ["true", "True", "TRUE", "tRue", "false", "False", "FALSE", "fAlse", "null", "Null",
         "NULL", "nUll", "~", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "off", "OFF",
         "y", "Y", "n", "N", "CN", "US", "unknown", "aws:us-east-1", "user.contact.phone",
         "service", "a b c", "x-y", "key: not", "a #b", "数据出境", "データ", "🚀", "café",
         "a\u00a0b", "a\u200bb", "\u202eevil", "-x", ".x", "?x", ":x", "a:b", "a,b", "a]b", "a}b",
         "!x", "&x", "*x", "x!", "x&y", "x*", "@x", "`x", "%x", "x%", "'q'", '"q"', "a'b",
         "a\"b", "<<", "<", "=x", "|x", ">x", "#", "a #", "x:", "http://a/b?c=d#e"]
KEYS = ["name", "count", "location", "from", "to", "categories", "a", "b", "c", "x y",
        "数据", "1", "01", "1_0", "true", "null", "~", "0x1", ".inf", "-", "a-b", "k:v",
        "evaluation_date", "2026-01-01", "y", "NO"]


SAFE_NUMBERS = [n for n in NUMBERS if "_" not in n and not n.lstrip("+-").startswith(("0x", "0o",
                 "0b", "0X", "0O", "00", "01", "07", ".i", ".I", ".n", ".N"))
                and n != "9" * 25 and n not in ("010", "0_1", "+0o7", "-0x1F")]
SAFE_WORDS = [w for w in WORDS if w[0] not in "!&*@`" and "<<" not in w]


SAFE_KEYS = [k for k in KEYS if k not in ("01", "1_0", "0x1", ".inf")]


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        # most documents avoid the spellings that always go to libyaml, so that the fast path
        # is exercised; the rest use them anywhere
        self.safe = self.r.random() < 0.7

    def plain(self) -> str:
        r = self.r
        numbers, words = (SAFE_NUMBERS, SAFE_WORDS) if self.safe else (NUMBERS, WORDS)
        v = r.choice(numbers) if r.random() < 0.5 else r.choice(words)
        if r.random() < 0.1:
            v = v + r.choice(["", " ", "  x", " 1", "_"]) + r.choice(numbers + words)
        return v

    def quoted(self) -> str:
        r = self.r
        v = self.plain() if r.random() < 0.7 else "".join(
            r.choice("ab 1#:-'\"" if self.safe else "ab 1\n#:-'\"\\")
            for _ in range(r.randint(0, 8)))
        if r.random() < 0.5:
            return "'" + v.replace("'", "''") + "'"
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    def scalar(self, indent: int, flow: bool) -> str:
        r = self.r
        x = r.random()
        if x < 0.55:
            v = self.plain()
            ok = v and v[0] not in "-?:,[]{}#&*!|>'\"%@`" and " #" not in v \
                and ": " not in v and not v.endswith(":")
            if flow and any(c in v for c in ",[]{}"):
                ok = False
            return v if ok else self.quoted()
        if x < 0.8:
            return self.quoted()
        if flow:
            return self.quoted()
        if x < 0.9:  # a block scalar
            head = r.choice(["|", ">", "|-", ">-", "|+", ">+", "|2", ">1-", "|+2"])
            pad = " " * (indent + 2)
            lines = []
            for _ in range(r.randint(0, 4)):
                lines.append(r.choice(["", pad + self.plain(), pad + "  more " + self.plain(),
                                       pad + "# not a comment", pad + "x   ", pad]))
            return head + r.choice(["", " # c"]) + "\n" + "\n".join(lines)
        # a multi-line plain or quoted scalar
        pad = " " * (indent + 2)
        if r.random() < 0.5 or self.safe:
            return "word\n" + pad + r.choice(["two", "three four", "x:y", "5"]) + "\n" + pad + "end"
        return '"first\n' + pad + "second\n\n" + pad + 'third"'

    def flow(self, depth: int) -> str:
        r = self.r
        x = r.random()
        if depth > 4 or x < 0.5:
            return self.scalar(0, True)
        sep = r.choice([", ", ",", " , ", ",\n    "])
        if x < 0.75:
            return "[" + sep.join(self.flow(depth + 1) for _ in range(r.randint(0, 4))) + \
                r.choice(["", ","]) + "]"
        items = [f"{self.key(True)}: {self.flow(depth + 1)}" for _ in range(r.randint(0, 4))]
        return "{" + sep.join(items) + "}"

    def key(self, flow: bool = False) -> str:
        r = self.r
        if r.random() < 0.8:
            k = r.choice(SAFE_KEYS if self.safe else KEYS)
            if (k[0] in "-?:~" and len(k) == 1) or ":" in k or (" " in k and flow):
                return "'" + k + "'"
            return k
        return self.quoted()

    def block(self, depth: int, indent: int) -> str:
        """A value after 'key:' or '-' (with its leading space or newline)."""
        r = self.r
        x = r.random()
        if depth >= 5 or x < 0.45:
            return " " + self.scalar(indent, False) + (" # c" if r.random() < 0.05 else "")
        if x < 0.6:
            return " " + self.flow(depth)
        if x < 0.65:
            return ""  # empty value: null
        pad = " " * (indent + r.choice([1, 2, 2, 2, 4]))
        if x < 0.85:
            seen: set[str] = set()
            lines = []
            for _ in range(r.randint(1, 4)):
                k = self.key()
                if k in seen:
                    continue
                seen.add(k)
                if r.random() < 0.05:
                    lines.append(f"{pad}? {k}\n{pad}:{self.block(depth + 1, len(pad))}")
                else:
                    lines.append(f"{pad}{k}:{self.block(depth + 1, len(pad))}")
                if r.random() < 0.1:
                    lines.append(r.choice(["", pad + "# comment: [x]", "# at col 0", "  "]))
            return "\n" + "\n".join(lines)
        seq_pad = pad if r.random() < 0.7 else " " * indent  # same-indent sequence in a map
        return "\n" + "\n".join(f"{seq_pad}-{self.block(depth + 1, len(seq_pad))}"
                                for _ in range(r.randint(1, 4)))

    def document(self) -> str:
        r = self.r
        lines = []
        seen: set[str] = set()
        for _ in range(r.randint(1, 6)):
            k = self.key()
            if k in seen:
                continue
            seen.add(k)
            lines.append(f"{k}:{self.block(1, 0)}")
        head = r.choice(["", "", "# head\n", "\n"])
        tail = r.choice(["\n", "", "\n\n", "\n# end\n", "\n  \n", "\n\n# end\n\n"])
        return head + "\n".join(lines) + tail


def benign_yaml(seed: int) -> str:
    return Gen(seed).document()
