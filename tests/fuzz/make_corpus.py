"""Write the fuzz corpus: small seed models covering every collection and every key.

    python tests/fuzz/make_corpus.py            # rewrite tests/fuzz/corpus/
    python tests/fuzz/make_corpus.py --check    # exit 1 if the committed corpus is out of date

Deterministic: seed ``i`` is built from ``random.Random(SEED + i)`` and written with sorted
output, so the committed files only change when this script changes. Most seeds are valid models
(the fuzzers mutate them; valid ones also reach transfer analysis and the regimes); a few
``invalid-*`` seeds carry exactly one deliberate mistake each, named in ``MANIFEST.json``
together with the error code dataflow must answer. A few seeds are folders (``dataflow.yaml`` with
``include``/``include_roots``, or a plain folder without a root file).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
SEED = 20_260_101
N_VALID_FILES = 200
N_FOLDERS = 16

CN_PROVINCES = ["CN-ZJ", "CN-GD", "CN-BJ", "CN-SH", "CN-JS", "CN-SC", "CN-HB", "CN-FJ"]
CN_LOCATIONS = ["CN", "CN-ZJ", "CN-GD", "CN-BJ", "alibaba:cn-hangzhou", "alibaba:cn-shanghai",
                "aws:cn-northwest-1", "tencent:ap-beijing", "huawei:cn-north-4",
                "azure:chinaeast3"]
ABROAD = {  # jurisdiction -> locations of systems there
    "US": ["US", "US-CA", "aws:us-east-1", "gcp:us-east1", "azure:eastus2"],
    "SG": ["SG", "aws:ap-southeast-1", "alibaba:ap-southeast-1"],
    "DE": ["DE", "aws:eu-central-1", "gcp:europe-west3"],
    "IE": ["IE", "aws:eu-west-1", "azure:northeurope"],
    "GB": ["GB", "UK", "azure:ukwest"],
    "HK": ["HK", "alibaba:cn-hongkong"],
    "JP": ["JP", "aws:ap-northeast-1"],
    "KR": ["KR", "azure:koreacentral"],
    "IN": ["IN", "aws:ap-south-1"],
    "RU": ["RU"],
    "VN": ["VN"],
    "ID": ["ID", "tencent:ap-jakarta"],
    "SA": ["SA"],
    "FR": ["FR", "EU"],
    "NO": ["NO"],
    "MO": ["MO"],
    "TW": ["TW"],
    "CH": ["CH"],
}
KINDS = ["service", "database", "storage", "saas", "analytics", "relay", "gateway", "other"]
TAXONOMY = ["user.contact.phone", "user.contact.email", "user.account", "user.device.id",
            "user.behavior.app_usage", "user.financial.transactions", "user.content.prompt",
            "user.biometric.face", "user.health", "employee.hr", "employee.contact",
            "system.logs", "business.contract", "user.identity.gender", "user.location"]
DOJ = ["genomic", "omic", "biometric", "precise-geolocation", "health", "financial",
       "identifiers", "government"]
OVERLAYS = ["human-genetic-resources", "surveying-mapping", "finance", "automotive",
            "state-secret"]
MECHANISMS = ["pipl.security-assessment", "pipl.standard-contract", "pipl.certification",
              "pipl.gba-contract", "pipl.exempt", "gdpr.adequacy", "gdpr.scc", "gdpr.bcr",
              "gdpr.derogation", "uk-gdpr.adequacy", "uk-gdpr.idta", "uk-gdpr.addendum", "none"]
DUTIES = ["pipl.pipia", "pipl.notice", "pipl.separate-consent", "pipl.entrustment-agreement",
          "gdpr.tia", "gdpr.dpa", "gdpr.ropa-entry"]
CLAIMS = ["pipl.art3", "pipl.art4", "pipl.art5-1", "pipl.art5-2", "pipl.art5-3", "pipl.art6"]
PROVIDERS = ["openai", "anthropic", "deepseek", "moonshot", "baidu-qianfan", "azure-openai",
             "google-gemini-api", "zhipu-bigmodel"]
GBA = ["shenzhen", "guangzhou", "zhuhai", "hong-kong", "macao", "gba:foshan"]
NAMES = ["Acme", "Beta", "Gamma", "Delta", "Lumen", "Orbit", "Nimbus", "Vega", "Kite", "Harbor"]
ZH = ["杭州阿克米科技有限公司", "深圳中继科技有限公司", "北京数据服务有限公司", "上海云端网络",
      "成都游戏工作室", "广州健康科技"]
ODD_TEXT = ["Café & Co. «test»", "名前テスト", "Ünïcödé GmbH", "O'Brien & Sons, Ltd.",
            "x" * 120, "emoji 🚀 inc", "tab\tinside", "line one\nline two", "ÆØÅ AS",
            "דוגמה בע\"מ", "مثال", "ΑΒΓ Α.Ε."]
PURPOSES = ["Customer support", "Analytics", "Fraud prevention", "Model inference",
            "Backup and recovery", "Payroll", "Marketing", "客服支持", "数据分析"]
FREQUENCIES = ["continuous", "daily", "weekly", "monthly", "one-off"]
METHODS = ["api", "sftp", "replication", "email", "batch"]
RELATIONSHIPS = ["customer", "user", "employee", "applicant", "patient", "student", "other"]


def _date(rng: random.Random, year: int = 2026, lo: int = 1, hi: int = 12) -> str:
    return f"{year}-{rng.randint(lo, hi):02d}-{rng.randint(1, 28):02d}"


def _maybe(rng: random.Random, p: float) -> bool:
    return rng.random() < p


class Builder:
    """One seed model: referentially consistent, valid unless a mistake is planted."""

    def __init__(self, rng: random.Random, idx: int) -> None:
        self.rng = rng
        self.idx = idx
        self.data: dict[str, Any] = {}

    # -- parts -----------------------------------------------------------------------------
    def model_block(self) -> None:
        r = self.rng
        m: dict[str, Any] = {"name": f"Seed {self.idx} — {r.choice(NAMES)}",
                             "evaluation_date": _date(r, 2026, 6, 12)}
        if _maybe(r, 0.5):
            m["name_zh"] = r.choice(ZH)
        if _maybe(r, 0.3):
            m["reporting_year"] = 2026
        if _maybe(r, 0.6):
            m["owner"] = "home"
        if _maybe(r, 0.4):
            m["description"] = r.choice(ODD_TEXT + PURPOSES)
        self.data["model"] = m

    def entities(self) -> None:
        r = self.rng
        ents: dict[str, Any] = {}
        home: dict[str, Any] = {"name": f"{r.choice(NAMES)} (China) Co., Ltd.",
                                "jurisdiction": "CN", "province": r.choice(CN_PROVINCES)}
        if _maybe(r, 0.5):
            home["name_zh"] = r.choice(ZH)
        self._entity_extras(home, cn=True)
        ents["home"] = home
        if _maybe(r, 0.6):
            proc: dict[str, Any] = {"name": "Domestic processor", "jurisdiction": "CN",
                                    "province": r.choice(CN_PROVINCES), "processor_for": ["home"]}
            if _maybe(r, 0.3):
                proc["gba_city"] = r.choice(GBA)
            ents["proc-cn"] = proc
        n_foreign = r.randint(1, 4)
        for k in range(n_foreign):
            j = r.choice(sorted(ABROAD))
            e: dict[str, Any] = {"name": r.choice(NAMES + ODD_TEXT) + f" {j}",
                                 "jurisdiction": j if j != "FR" or _maybe(r, 0.5) else "FR"}
            if _maybe(r, 0.4):
                e["processor_for"] = ["home"]
            if _maybe(r, 0.2):
                e["parent"] = "home"
            self._entity_extras(e, cn=False)
            ents[f"ext-{k}-{j.lower()}"] = e
        self.data["entities"] = ents

    def _entity_extras(self, e: dict[str, Any], cn: bool) -> None:
        r = self.rng
        if _maybe(r, 0.3):
            e["address"] = r.choice(["1 Main Street", "杭州市西湖区文三路 100 号", "Rue 5, Paris"])
        if _maybe(r, 0.3):
            c: dict[str, Any] = {"name": r.choice(["王芳", "Jane Roe", "Tan Wei"])}
            if _maybe(r, 0.5):
                c["title"] = "DPO"
            if _maybe(r, 0.7):
                c["email"] = "privacy@example.com"
            if _maybe(r, 0.5):
                c["phone"] = "+86 571 8888 0000"
            e["contact"] = c
        if cn and _maybe(r, 0.3):
            e["credit_code"] = "91330106MA2XXXXXX1"
        if _maybe(r, 0.2):
            e["legal_representative"] = r.choice(["张伟", "John Doe"])
        if _maybe(r, 0.2):
            e["dpo"] = "dpo@example.com"
        if cn and _maybe(r, 0.15):
            ciio: dict[str, Any] = {"notified": r.choice([True, False])}
            if _maybe(r, 0.5):
                ciio["sector"] = "energy"
            if _maybe(r, 0.5):
                ciio["notice"] = "CIIO-2026-001"
            e["ciio"] = ciio
        if cn and _maybe(r, 0.15):
            e["ftz"] = r.choice(["shanghai-lingang", "hainan", "beijing"])
        if cn and _maybe(r, 0.15):
            e["gba_city"] = r.choice(GBA)
        if not cn and _maybe(r, 0.2):
            dpf: dict[str, Any] = {"status": r.choice(["active", "inactive"])}
            if _maybe(r, 0.5):
                dpf["hr"] = r.choice([True, False])
            if _maybe(r, 0.5):
                dpf["since"] = _date(r, 2024)
            e["dpf"] = dpf
        if _maybe(r, 0.15):
            us: dict[str, Any] = {}
            if _maybe(r, 0.7):
                us["covered_person"] = r.choice([True, False])
            if _maybe(r, 0.7):
                us["data_broker"] = r.choice([True, False])
            e["us"] = us
        if _maybe(r, 0.1):
            e["public_authority"] = r.choice([True, False])
        if _maybe(r, 0.3):
            e["sector"] = r.choice(["internet", "health", "finance", "games"])
        if not cn and _maybe(r, 0.25):
            e["serves_mainland_china"] = r.choice([True, False])
        if _maybe(r, 0.2):
            e["description"] = r.choice(ODD_TEXT)

    def _location_of(self, eid: str) -> Any:
        r = self.rng
        j = self.data["entities"][eid]["jurisdiction"]
        if j == "CN":
            loc: Any = r.choice(CN_LOCATIONS)
        else:
            loc = r.choice(ABROAD.get(j, [j]))
        if _maybe(self.rng, 0.1):
            other = r.choice(sorted(ABROAD))
            loc = [loc, r.choice(ABROAD[other])]
        if _maybe(self.rng, 0.04):
            loc = "unknown"
        return loc

    def systems(self) -> None:
        r = self.rng
        ents = sorted(self.data["entities"])
        sys_: dict[str, Any] = {}
        if _maybe(r, 0.7):
            sys_["client"] = {"name": "Mobile app", "operator": "home", "location": "CN",
                              "kind": "client"}
        sys_["app"] = {"name": "Backend", "operator": "home", "location": self._location_of("home"),
                       "kind": "service"}
        if _maybe(r, 0.4):
            sys_["app"]["public_service"] = True
        if _maybe(r, 0.3):
            sys_["app"]["retention"] = r.choice(["30 days", "1 year", "永久"])
        n = r.randint(1, 5)
        for k in range(n):
            op = r.choice(ents)
            s: dict[str, Any] = {"operator": op, "location": self._location_of(op),
                                 "kind": r.choice(KINDS)}
            if _maybe(r, 0.8):
                s["name"] = r.choice(["Warehouse", "CRM", "Mirror", "Relay", "Analytics"]
                                     + ODD_TEXT)
            if _maybe(r, 0.3):
                s["name_zh"] = r.choice(["数据仓库", "客户关系管理", "镜像"])
            if _maybe(r, 0.2):
                s["description"] = r.choice(ODD_TEXT)
            if _maybe(r, 0.2):
                s["retention"] = "90 days"
            sys_[f"sys-{k}"] = s
        if _maybe(r, 0.35):
            op = r.choice(ents)
            ai: dict[str, Any] = {"name": "Model API", "operator": op,
                                  "location": self._location_of(op), "kind": "ai-model"}
            ai["genai"] = r.choice([{"unfiled": True}, {"filing": "Zhejiang-2024-0001"}])
            sys_["llm"] = ai
            sys_["app"]["genai"] = {"model": "llm", "unfiled": True}
        elif _maybe(r, 0.3):
            g = [{"model": r.choice(PROVIDERS), "unfiled": True}]
            if _maybe(r, 0.5):
                g.append({"model": r.choice(PROVIDERS), "registration": "网信算备 2026-01"})
            sys_["app"]["genai"] = g if len(g) > 1 or _maybe(r, 0.5) else g[0]
        self.data["systems"] = sys_

    def categories(self) -> None:
        r = self.rng
        cats: dict[str, Any] = {}
        for k in range(r.randint(0, 3)):
            cid = r.choice(["user.custom", "user.content.chat", "user.health.notes",
                            "business.plans", "user.vehicle.track", "user.kids"]) + f".c{k}"
            c: dict[str, Any] = {"name": r.choice(["Custom data", "自定义数据"] + ODD_TEXT)}
            if _maybe(r, 0.4):
                c["name_zh"] = "自定义"
            if _maybe(r, 0.6):
                c["personal"] = r.choice([True, False])
            if _maybe(r, 0.3):
                c["sensitive"] = r.choice([True, False])
            if _maybe(r, 0.2):
                c["special"] = r.choice([True, False])
            if _maybe(r, 0.15):
                imp: dict[str, Any] = {"basis": r.choice(["notified", "catalogue"])}
                if _maybe(r, 0.5):
                    imp["ref"] = "Notice 2026-7"
                c["important_data"] = imp
            if _maybe(r, 0.1):
                c["core_data"] = r.choice([True, False])
            if _maybe(r, 0.2):
                c["doj"] = r.choice(DOJ)
            if _maybe(r, 0.15):
                c["overlays"] = r.sample(OVERLAYS, r.randint(1, 2))
            cats[cid] = c
        if cats or _maybe(r, 0.5):
            self.data["categories"] = cats

    def cohorts(self) -> None:
        r = self.rng
        total = r.choice([500, 9_000, 120_000, 1_500_000, 12_000_000])
        coh: dict[str, Any] = {"everyone": {"name": "All users", "count": total}}
        if _maybe(r, 0.2):
            coh["everyone"]["count"] = {_date(r, 2026, 1, 3): total // 2, _date(r, 2026, 5, 9):
                                        total}
        if _maybe(r, 0.2):
            coh["everyone"]["count"] = f"{total:_}"
        e = coh["everyone"]
        if _maybe(r, 0.6):
            e["residence"] = r.choice(["CN", "CN-ZJ", "HK", "DE", "US"])
        if _maybe(r, 0.5):
            e["relationship"] = r.choice(RELATIONSHIPS)
        if _maybe(r, 0.3):
            e["name_zh"] = "全部用户"
        if _maybe(r, 0.1):
            e["unit"] = r.choice(["persons", "devices"])
        subs = []
        for k in range(r.randint(0, 3)):
            cid = f"part-{k}"
            c: dict[str, Any] = {"count": max(1, total // r.choice([3, 5, 10, 100])),
                                 "subset_of": "everyone"}
            if _maybe(r, 0.2):
                c["minors_under_14"] = True
            if _maybe(r, 0.2):
                c["us_persons"] = r.choice([True, False])
            if _maybe(r, 0.3):
                c["relationship"] = r.choice(RELATIONSHIPS)
            if _maybe(r, 0.5):
                c["name"] = r.choice(["Premium", "Kids", "Staff"] + ODD_TEXT)
            coh[cid] = c
            subs.append(cid)
        if len(subs) >= 2 and _maybe(r, 0.5):
            a, b = subs[0], subs[1]
            coh[a]["overlaps"] = {b: max(0, min(coh[a]["count"], coh[b]["count"]) // 4)}
        if _maybe(r, 0.25):
            coh["staff"] = {"name": "Employees", "count": r.randint(10, 5000), "unit": "persons",
                            "relationship": "employee", "residence": "CN"}
        self.data["cohorts"] = coh

    def _cats(self) -> list[str]:
        r = self.rng
        pool = TAXONOMY + sorted(self.data.get("categories") or {})
        return r.sample(pool, r.randint(1, 3))

    def _cohorts(self) -> list[str]:
        pool = sorted(self.data["cohorts"])
        return self.rng.sample(pool, self.rng.randint(1, min(2, len(pool))))

    def flows(self) -> None:
        r = self.rng
        systems = sorted(self.data["systems"])
        fl: dict[str, Any] = {}
        if "client" in systems:
            fl["collect"] = {"from": "client", "to": "app", "categories": self._cats(),
                             "cohorts": ["everyone"], "purpose": r.choice(PURPOSES)}
        others = [s for s in systems if s not in ("client",)]
        for k in range(r.randint(1, 6)):
            src = "app" if k == 0 else r.choice(others)
            dst = r.choice([s for s in others if s != src] or others)
            f: dict[str, Any] = {"from": src, "to": dst, "categories": self._cats()}
            if _maybe(r, 0.7):
                f["cohorts"] = self._cohorts()
            self._flow_extras(f)
            fl[f"flow-{k}"] = f
        primaries = [fid for fid, f in fl.items() if f.get("routing", "primary") == "primary"
                     and fid != "collect"]
        if primaries and _maybe(r, 0.3):
            p = r.choice(primaries)
            dst = r.choice(others)
            fb: dict[str, Any] = {"from": fl[p]["from"], "to": dst,
                                  "categories": fl[p]["categories"][:1],
                                  "routing": r.choice(["failover", "conditional"]), "primary": p}
            if _maybe(r, 0.5) and fl[p].get("cohorts"):
                fb["cohorts"] = fl[p]["cohorts"][:1]
            fl["fallback"] = fb
        self.data["flows"] = fl

    def _flow_extras(self, f: dict[str, Any]) -> None:
        r = self.rng
        ents = sorted(self.data["entities"])
        if _maybe(r, 0.5):
            f["purpose"] = r.choice(PURPOSES + ODD_TEXT)
        if _maybe(r, 0.2):
            f["purpose_zh"] = "业务需要"
        if _maybe(r, 0.25):
            lb = {}
            if _maybe(r, 0.7):
                lb["pipl"] = r.choice(["13(1)(1)", "13(1)(2)"])
            if _maybe(r, 0.5):
                lb["gdpr"] = "6(1)(b)"
            if _maybe(r, 0.3):
                lb["uk-gdpr"] = "6(1)(f)"
            f["legal_basis"] = lb
        if _maybe(r, 0.2):
            f["on_behalf_of"] = r.choice(ents)
        if _maybe(r, 0.4):
            f["recipient_role"] = r.choice(["controller", "processor", "entrusted"])
        if _maybe(r, 0.2):
            per: dict[str, Any] = {}
            if _maybe(r, 0.8):
                per["from"] = _date(r, 2026, 1, 5)
            if _maybe(r, 0.8):
                per["to"] = _date(r, 2026, 7, 12)
            f["period"] = per
        if _maybe(r, 0.3):
            f["frequency"] = r.choice(FREQUENCIES)
        if _maybe(r, 0.3):
            f["method"] = r.choice(METHODS)
        if _maybe(r, 0.1):
            f["routing"] = "primary"
        if _maybe(r, 0.15):
            f["transformations"] = r.sample(["anonymised", "aggregated", "pseudonymised",
                                             "encrypted"], r.randint(1, 2))
        if _maybe(r, 0.08):
            f["transit_only"] = r.choice([True, False])
        if _maybe(r, 0.15):
            f["retention"] = "30 days"
        if _maybe(r, 0.1):
            j = r.choice(sorted(ABROAD))
            f["storage_location"] = r.choice(ABROAD[j])
        if _maybe(r, 0.1):
            f["doj_transaction"] = r.choice(["brokerage", "vendor", "employment", "investment"])

    def access(self) -> None:
        r = self.rng
        if not _maybe(r, 0.45):
            return
        ents = sorted(self.data["entities"])
        systems = sorted(s for s in self.data["systems"] if s != "client")
        acc: dict[str, Any] = {}
        for k in range(r.randint(1, 2)):
            j = r.choice(sorted(ABROAD))
            a: dict[str, Any] = {"system": r.choice(systems), "accessor": r.choice(ents),
                                 "from": r.choice(ABROAD[j]) if _maybe(r, 0.8)
                                 else [j, r.choice(sorted(ABROAD))]}
            if _maybe(r, 0.6):
                a["categories"] = self._cats()
            if _maybe(r, 0.5):
                a["cohorts"] = self._cohorts()
            if _maybe(r, 0.5):
                a["rights"] = r.sample(["read", "write", "admin"], r.randint(1, 2))
            if _maybe(r, 0.4):
                a["purpose"] = r.choice(PURPOSES)
            if _maybe(r, 0.2):
                a["period"] = {"from": _date(r, 2026, 1, 4), "to": _date(r, 2026, 8, 12)}
            if _maybe(r, 0.3):
                a["practice"] = "weekly full-table queries"
            if _maybe(r, 0.3):
                a["legal_basis"] = r.choice([{"pipl": "13(1)(2)"}, {"gdpr": "6(1)(f)"},
                                             {"uk-gdpr": "6(1)(b)", "pipl": "13(1)(1)"}])
            acc[f"grant-{k}"] = a
        self.data["access"] = acc

    def compliance(self) -> None:
        r = self.rng
        ents = sorted(self.data["entities"])
        if _maybe(r, 0.5):
            sg: dict[str, Any] = {}
            for k in range(r.randint(1, 2)):
                g: dict[str, Any] = {"mechanism": r.choice(MECHANISMS), "exporter": "home",
                                     "recipients": r.sample(ents, 1)}
                if g["mechanism"] == "gdpr.scc" or _maybe(r, 0.1):
                    g["module"] = r.randint(1, 4)
                if _maybe(r, 0.4):
                    g["categories"] = self._cats()
                if _maybe(r, 0.5):
                    g["effective"] = _date(r, 2025)
                if _maybe(r, 0.4):
                    g["expires"] = _date(r, r.choice([2026, 2028]))
                if _maybe(r, 0.3):
                    g["filed_on"] = _date(r, 2025)
                if _maybe(r, 0.3):
                    g["authority"] = "浙江省互联网信息办公室"
                if _maybe(r, 0.3):
                    g["reference"] = "SC-2026-0042"
                sg[f"sg-{k}"] = g
            self.data["safeguards"] = sg
        if _maybe(r, 0.5):
            du: dict[str, Any] = {}
            for k in range(r.randint(1, 3)):
                d: dict[str, Any] = {"duty": r.choice(DUTIES), "exporter": "home"}
                if _maybe(r, 0.4):
                    d["recipients"] = r.sample(ents, 1)
                if _maybe(r, 0.6):
                    d["done_on"] = _date(r, 2026, 1, 5)
                if _maybe(r, 0.4):
                    d["reference"] = "PIA-2026-01"
                du[f"duty-{k}"] = d
            self.data["duties"] = du
        flows = sorted(self.data.get("flows") or {}) + sorted(self.data.get("access") or {})
        if flows and _maybe(r, 0.3):
            x: dict[str, Any] = {"claim": r.choice(CLAIMS), "flows": r.sample(flows, 1),
                                 "evidence": "Contract of carriage, clause 4"}
            if _maybe(r, 0.5):
                x["owner"] = "legal@example.com"
            self.data["exemptions"] = {"claim-0": x}
        if _maybe(r, 0.3):
            self.data["waivers"] = {"accept-0": {
                "finding": r.choice(["PIPL*/*", "GDPR*/*", "PIPL110/CN/home/*", "CHK001/*"]),
                "justification": "Accepted by the privacy board, minutes 2026-05",
                "owner": r.choice(["王芳", "dpo@example.com"]),
                "expires": _date(r, r.choice([2026, 2027]), 11, 12)}}

    def catalogue(self) -> None:
        r = self.rng
        if not _maybe(r, 0.12):
            return
        over: dict[str, Any] = {}
        choice = r.randint(0, 2)
        if choice == 0:
            over["regions"] = {"acme:cn-east-9": {"name": "Acme private cloud East 9",
                                                  "jurisdiction": "CN", "subdivision": "CN-ZJ"}}
            self.data["systems"]["app"]["location"] = "acme:cn-east-9"
        elif choice == 1:
            over["jurisdictions"] = {"SG": {"name_zh": "新加坡共和国",
                                            "notes": "overlay from the corpus"}}
        else:
            over["providers"] = {"acme-llm": {"name": "Acme LLM", "jurisdiction": "US"}}
            self.data["systems"]["app"]["genai"] = {"model": "acme-llm", "unfiled": True}
        self.data["catalogue"] = over

    def build(self) -> dict[str, Any]:
        self.model_block()
        self.entities()
        self.systems()
        self.categories()
        self.cohorts()
        self.flows()
        self.access()
        self.compliance()
        self.catalogue()
        return self.data


# ----------------------------------------------------------------------------- invalid seeds
# (name, mistake applied to a valid model, the error code dataflow must answer)

def _drop(path: tuple[str, ...]) -> Any:
    def f(d: dict[str, Any]) -> None:
        cur = d
        for p in path[:-1]:
            cur = cur[p]
        del cur[path[-1]]
    return f


def _set(path: tuple[str, ...], value: Any) -> Any:
    def f(d: dict[str, Any]) -> None:
        cur = d
        for p in path[:-1]:
            cur = cur.setdefault(p, {})
        cur[path[-1]] = value
    return f


INVALID = [
    ("missing-model-name", _drop(("model", "name")), "DF201"),
    ("missing-evaluation-date", _drop(("model", "evaluation_date")), "DF201"),
    ("bad-evaluation-date", _set(("model", "evaluation_date"), "2026-02-30"), "DF203"),
    ("unknown-top-level", _set(("sytems",), {}), "DF206"),
    ("unknown-key", _set(("systems", "app", "kindd"), "service"), "DF200"),
    ("bad-kind", _set(("systems", "app", "kind"), "servce"), "DF202"),
    ("yes-is-not-bool", _set(("systems", "app", "public_service"), "yes"), "DF203"),
    ("bad-id", _set(("systems", "App Server"), {"operator": "home", "location": "CN",
                                                "kind": "service"}), "DF204"),
    ("unknown-operator", _set(("systems", "app", "operator"), "nobody"), "DF300"),
    ("unknown-location", _set(("systems", "app", "location"), "XX-NOWHERE"), "DF301"),
    ("unknown-category", _set(("flows", "bad", "categories"), ["user.nonexistent.thing"]),
     "DF303"),
    ("subset-cycle", _set(("cohorts", "everyone", "subset_of"), "everyone"), "DF305"),
    ("failover-without-primary", _set(("flows", "flow-0", "routing"), "failover"), "DF306"),
    ("period-reversed", _set(("flows", "flow-0", "period"), {"from": "2026-09-01",
                                                             "to": "2026-01-01"}), "DF308"),
    ("negative-count", _set(("cohorts", "everyone", "count"), -5), "DF203"),
    ("unknown-mechanism", _set(("safeguards", "sg-x"), {"mechanism": "pipl.magic",
                                                        "exporter": "home",
                                                        "recipients": ["home"]}), "DF202"),
    ("unknown-duty", _set(("duties", "duty-x"), {"duty": "pipl.nap", "exporter": "home"}),
     "DF202"),
    ("genai-no-status", _set(("systems", "app", "genai"), {"model": "openai"}), "DF311"),
    # the entities are gone, so every reference to them is unknown too
    ("collection-as-list", _set(("entities",), ["home"]), "DF203 DF300"),
    ("exemption-unknown-flow", _set(("exemptions", "x"), {"claim": "pipl.art3",
                                                          "flows": ["nope"],
                                                          "evidence": "e"}), "DF300"),
]


def _fix_unknown_category_seed(d: dict[str, Any]) -> None:
    # the "bad" flow needs its endpoints
    d["flows"]["bad"].update({"from": "app", "to": "app"})


# ----------------------------------------------------------------------------- folders

def folder_seed(rng: random.Random, idx: int, data: dict[str, Any]) -> dict[str, str]:
    """Split a model over several files: root with include, include_roots, or a plain folder."""
    style = idx % 3
    files: dict[str, dict[str, Any]] = {}
    rest = {k: v for k, v in data.items() if k != "model"}
    keys = sorted(rest)
    if style == 0:  # dataflow.yaml + include globs
        root: dict[str, Any] = {"model": data["model"], "include": ["parts/*.yaml"]}
        files["dataflow.yaml"] = root
        for k in keys:
            files[f"parts/{k}.yaml"] = {k: rest[k]}
    elif style == 1:  # include_roots: shared parties outside the model folder
        root = {"model": data["model"], "include": ["*.yaml", "../shared/*.yaml"],
                "include_roots": ["../shared"]}
        files["model/dataflow.yaml"] = root
        for k in keys:
            target = "shared" if k == "entities" else "model"
            files[f"{target}/{k}.yaml"] = {k: rest[k]}
    else:  # no root file: every *.yaml below the folder, one carries model:
        files["team-a/model.yaml"] = {"model": data["model"]}
        for n, k in enumerate(keys):
            files[f"team-{'bc'[n % 2]}/{k}.yml"] = {k: rest[k]}
        # split one collection across two files (collections merge)
        if "systems" in rest and len(rest["systems"]) > 1:
            sids = sorted(rest["systems"])
            half = len(sids) // 2
            files[f"team-{'bc'[keys.index('systems') % 2]}/systems.yml"] = {
                "systems": {s: rest["systems"][s] for s in sids[:half]}}
            files["team-d/more-systems.yaml"] = {"systems": {s: rest["systems"][s]
                                                             for s in sids[half:]}}
    return {name: render(d) for name, d in files.items()}


def render(data: dict[str, Any]) -> str:
    return ("# generated by tests/fuzz/make_corpus.py; do not edit\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=True, width=100,
                             default_flow_style=False))


def generate() -> tuple[dict[str, dict[str, str]], dict[str, Any]]:
    """name -> {relative file -> text}, and the manifest."""
    seeds: dict[str, dict[str, str]] = {}
    manifest: dict[str, Any] = {}
    for i in range(N_VALID_FILES):
        data = Builder(random.Random(SEED + i), i).build()
        name = f"seed-{i:03d}.yaml"
        seeds[name] = {name: render(data)}
        manifest[name] = {"expect": "valid"}
    for k in range(N_FOLDERS):
        i = N_VALID_FILES + k
        data = Builder(random.Random(SEED + i), i).build()
        name = f"folder-{k:02d}"
        files = folder_seed(random.Random(SEED + i), k, data)
        seeds[name] = {f"{name}/{rel}": text for rel, text in files.items()}
        manifest[name] = {"expect": "valid",
                          "path": f"{name}/model" if k % 3 == 1 else name}
    for j, (label, mistake, code) in enumerate(INVALID):
        i = N_VALID_FILES + N_FOLDERS + j
        data = Builder(random.Random(SEED + i), i).build()
        if label == "unknown-category":
            data.setdefault("flows", {})["bad"] = {}
            mistake(data)
            _fix_unknown_category_seed(data)
        else:
            mistake(data)
        name = f"invalid-{j:02d}-{label}.yaml"
        seeds[name] = {name: render(data)}
        manifest[name] = {"expect": code.split()}
    return seeds, manifest


def write(target: Path) -> None:
    seeds, manifest = generate()
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for files in seeds.values():
        for rel, text in files.items():
            p = target / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
    (target / "MANIFEST.json").write_text(
        json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="compare with the committed corpus instead of writing it")
    ap.add_argument("--out", type=Path, default=CORPUS)
    args = ap.parse_args(argv)
    if args.check:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            write(Path(tmp) / "corpus")
            fresh = snapshot(Path(tmp) / "corpus")
        if fresh != snapshot(args.out):
            print("tests/fuzz/corpus is out of date: run python tests/fuzz/make_corpus.py",
                  file=sys.stderr)
            return 1
        return 0
    write(args.out)
    print(f"wrote {len(snapshot(args.out)) - 1} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
