"""A Beijing online clinic crosses the security-assessment tier mid-year (regulatory.md §2.6
step 5 and 7, §2.7; outputs.md "Counting"; docs/regimes.md "Counting uses ...").

Patients' health data (sensitive, PIPL Art. 28) go daily to a Hong Kong lab (HK is outside the
mainland, §2.2); the patients cohort is a dated series, 6,000 from 2026-01-01 and 12,000 from
2026-06-15, so 10,000 sensitive individuals (以上: included) are reached on 2026-06-15. 50,000
newsletter subscribers' e-mails go to a Singapore mailer (ordinary PI only: its own count stays
under 100,000, Art. 5(4)-exempt). Ordinary count: 50,000 + 12,000 (a person whose sensitive PI
is exported counts in both) = 62,000. The security-assessment draft, the notice and the
inventory must carry these numbers and the crossing date; the [U] re-papering point
(PIPL-U-REPAPER) must show its alternative wherever it is shown."""

from __future__ import annotations

import csv
import io
import tempfile
from functools import cache
from pathlib import Path

from .helpers import (
    Out,
    assessment,
    check,
    exporter_row,
    kv,
    run,
    scenario,
    transfers,
    warning_codes,
)

NAME = "clinic-sa"
OUT = Path(tempfile.mkdtemp(prefix="s4a-clinic-")) / "out"
LAB, MAIL = "CN/clinicco/to-lab", "CN/clinicco/to-mailer"


@cache
def build() -> Out:
    return run("build", scenario(NAME), "-o", str(OUT), "--force")


def doc(name: str) -> str:
    build()
    return (OUT / "documents" / name).read_text()


def test_transfers_counts() -> None:
    t = {x["id"]: x for x in transfers(NAME, "--area", "CN")["transfers"]}
    assert sorted(t) == [LAB, MAIL]
    assert (t[LAB]["individuals"]["total"], t[LAB]["individuals"]["sensitive"]) == (12_000, 12_000)
    assert t[MAIL]["individuals"]["total"] == 50_000
    assert t[LAB]["recipient"]["jurisdiction"] == "HK"


def test_tier_crossed_mid_year() -> None:
    rc, d = check(NAME)
    assert rc == 1
    row = exporter_row(d, "clinicco")
    assert (row["ordinary"], row["sensitive"], row["tier"], row["tier_crossed_on"]) == (
        62_000, 12_000, "security-assessment", "2026-06-15")
    a = assessment(d, LAB, "pipl")
    assert a["required"] == ["pipl.security-assessment"]
    assert "PIPL-U-REPAPER" in warning_codes(a)
    assert assessment(d, MAIL, "pipl")["required"] == ["pipl.exempt"]


def test_build_writes_the_sa_pack_and_the_notice_not_a_standard_contract() -> None:
    assert build().rc == 1
    names = sorted(p.name for p in (OUT / "documents").glob("*.md"))
    assert names == ["pipl-notice_clinicco.md", "pipl-security-assessment_clinicco.md",
                     "transfer-inventory.md"]


def test_sa_draft_carries_the_counts_and_the_crossing_day() -> None:
    text = doc("pipl-security-assessment_clinicco.md")
    assert "须申报数据出境安全评估" in text
    assert kv(text, "本年度出境人数（自1月1日起，不重复计数）") == (
        "一般个人信息 62,000 人；敏感个人信息 12,000 人")
    assert kv(text, "档位") == "安全评估档（2026-06-15 达到）"
    assert kv(text, "申报途径").startswith("北京市互联网信息办公室")
    # only the non-exempt export is declared
    summary = text.split("### （四）数据出境情况概要", 1)[1].split("###", 1)[0]
    assert "| HK Lab Ltd. | 化验检测 | 健康生理信息（user.health） | 12,000 人 | 12,000 | 无 |" in summary
    assert "SG Mail" not in summary
    for heading in ("（一）自评估工作情况", "（二）出境活动整体情况", "（三）拟出境活动风险评估情况",
                    "（四）出境活动风险评估结论"):
        assert heading in text


def test_notice_covers_every_recipient_including_the_exempt_one() -> None:
    text = doc("pipl-notice_clinicco.md")
    assert "## 向境外接收方提供：HK Lab Ltd.（香港）" in text
    assert "## 向境外接收方提供：SG Mail Pte. Ltd.（新加坡）" in text


def test_inventory_one_row_per_transfer_and_regime() -> None:
    out = run("report", scenario(NAME), "--template", "transfer-inventory", "--format", "csv")
    assert out.rc == 0
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    _rc, d = check(NAME)
    assert sorted((r["id"], r["regime"]) for r in rows) == sorted(
        (a["transfer"], a["regime"]) for a in d["assessments"])
    lab = next(r for r in rows if r["id"] == LAB and r["regime"] == "pipl")
    assert lab["required"] == "pipl.security-assessment"
    assert lab["individuals_sensitive"] == "12000"


def test_sa_draft_shows_the_u_alternative() -> None:
    text = doc("pipl-security-assessment_clinicco.md")
    line = next(x for x in text.splitlines() if "before its tier was reached on 2026-06-15" in x)
    assert "would need pipl.security-assessment too" in line
