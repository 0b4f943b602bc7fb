"""Tests of the built-in catalogue (dataflow.catalog) and of tools/build_catalogue.py."""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
import json
import re
import time
from pathlib import Path
from types import ModuleType

import pytest

from dataflow.catalog import (
    Catalogue,
    CatalogueError,
    CategoryDef,
    CloudRegion,
    Jurisdiction,
    Provider,
    ResolvedLocation,
    catalogue_age_warning,
    load_catalogue,
)

REPO = Path(__file__).resolve().parent.parent
CATALOG = REPO / "dataflow" / "catalog"
DATA = CATALOG / "data"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def _resolve(cat: Catalogue, loc: str) -> ResolvedLocation:
    res = cat.resolve_location(loc)
    assert res is not None, loc
    return res


# --- loading -------------------------------------------------------------------------------------


def test_load_is_fast(cat: Catalogue) -> None:
    best = min(_timed(load_catalogue) for _ in range(3))
    assert best < 0.2, f"load_catalogue took {best:.3f} s"


def _timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def test_each_load_is_a_new_object() -> None:
    assert load_catalogue() is not load_catalogue()


def test_version_and_date(cat: Catalogue) -> None:
    assert cat.version == "2026.11.26"
    assert cat.as_of == "2026-11-26"
    dt.date.fromisoformat(cat.as_of)


def test_runtime_needs_no_build_dependencies() -> None:
    for path in CATALOG.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in ("pycountry", "babel", "yaml"), (
                    f"{path.name} imports {name}"
                )


# --- locations -----------------------------------------------------------------------------------


def test_norway_is_a_country_in_the_eea(cat: Catalogue) -> None:
    res = _resolve(cat, "NO")
    assert (res.jurisdiction, res.subdivision, res.region, res.kind) == (
        "NO",
        None,
        None,
        "country",
    )
    assert cat.jurisdictions["NO"].name_en == "Norway"
    assert cat.jurisdictions["NO"].name_zh == "挪威"
    assert cat.in_area("NO", "EEA")
    assert not cat.in_area("NO", "EU")


def test_zhejiang_and_its_cac(cat: Catalogue) -> None:
    res = _resolve(cat, "CN-ZJ")
    assert (res.jurisdiction, res.subdivision, res.kind) == ("CN", "CN-ZJ", "subdivision")
    zj = cat.jurisdictions["CN-ZJ"]
    assert zj.parent == "CN" and zj.kind == "subdivision" and zj.name_zh == "浙江省"
    cac = cat.provincial_cac("CN-ZJ")
    assert cac is not None
    assert cac["cac_name_zh"] == "浙江省互联网信息办公室"
    assert cac["cac_short_zh"] == "浙江省网信办"
    assert cac["confidence"] in ("V", "K", "U") and cac["source"]
    assert cat.in_area("CN-ZJ", "CN")
    assert cat.in_area("CN-ZJ", "CN-ZJ")
    assert not cat.in_area("CN-GD", "CN-ZJ")


def test_all_31_mainland_provinces_have_a_cac(cat: Catalogue) -> None:
    provinces = [
        j for j in cat.jurisdictions.values() if j.kind == "subdivision" and j.parent == "CN"
    ]
    assert len(provinces) == 31
    for p in provinces:
        cac = cat.provincial_cac(p.code)
        assert cac is not None and cac["cac_name_zh"].endswith("互联网信息办公室"), p.code
    assert cat.provincial_cac("US-CA") is None
    assert cat.provincial_cac("CN-HK") is None
    assert cat.provincial_cac("XX-YY") is None


def test_alibaba_hangzhou(cat: Catalogue) -> None:
    res = _resolve(cat, "alibaba:cn-hangzhou")
    assert (res.jurisdiction, res.subdivision, res.region, res.kind) == (
        "CN",
        "CN-ZJ",
        "alibaba:cn-hangzhou",
        "region",
    )
    assert cat.regions["alibaba:cn-hangzhou"].name_zh == "华东1（杭州）"


def test_aws_regions(cat: Catalogue) -> None:
    res = _resolve(cat, "aws:cn-north-1")
    assert (res.jurisdiction, res.subdivision) == ("CN", "CN-BJ")
    assert "Sinnet" in (cat.regions["aws:cn-north-1"].operator_note or "")
    assert _resolve(cat, "aws:cn-northwest-1").jurisdiction == "CN"
    us = _resolve(cat, "aws:us-east-1")
    assert (us.jurisdiction, us.subdivision) == ("US", "US-VA")


def test_azure_china_is_mainland(cat: Catalogue) -> None:
    res = _resolve(cat, "azure:chinaeast2")
    assert res.jurisdiction == "CN"
    assert cat.in_area("azure:chinaeast2", "CN")
    assert "21Vianet" in (cat.regions["azure:chinaeast2"].operator_note or "")


def test_aws_hong_kong_is_outside_the_mainland(cat: Catalogue) -> None:
    res = _resolve(cat, "aws:ap-east-1")
    assert res.jurisdiction == "HK"
    assert not cat.in_area("aws:ap-east-1", "CN")
    assert cat.in_area("aws:ap-east-1", "HK")


def test_epo_is_an_international_organisation(cat: Catalogue) -> None:
    res = _resolve(cat, "io:epo")
    assert (res.jurisdiction, res.kind) == ("io:epo", "io")
    assert cat.jurisdictions["io:epo"].kind == "io"
    assert not cat.in_area("io:epo", "EEA")
    assert not cat.in_area("io:epo", "DE")
    assert cat.adequacy["io:epo"]["adopted"] == "2025-07-15"


def test_unknown_location(cat: Catalogue) -> None:
    res = _resolve(cat, "unknown")
    assert res.jurisdiction == "unknown" and res.is_unknown and res.confidence == "U"
    assert not cat.in_area("unknown", "CN")
    assert not cat.in_area("unknown", "EEA")
    assert cat.areas_of("unknown") == frozenset()


def test_not_locations(cat: Catalogue) -> None:
    for loc in ("cn", "Norway", "aws:mars-1", "io:nothing", "XX", "CN-XX", "", "alibaba"):
        assert cat.resolve_location(loc) is None, loc
    with pytest.raises(CatalogueError):
        cat.in_area("cn", "CN")
    with pytest.raises(CatalogueError):
        cat.in_area("CN", "ASIA")


def test_other_countries_subdivisions(cat: Catalogue) -> None:
    for code, country in (("US-CA", "US"), ("DE-BY", "DE"), ("GB-SCT", "GB"), ("FR-IDF", "FR")):
        res = _resolve(cat, code)
        assert (res.jurisdiction, res.subdivision) == (country, code)
    assert cat.in_area("DE-BY", "EU")
    assert cat.jurisdictions["DE-BY"].groups == ("EEA", "EU")


def test_aliases(cat: Catalogue) -> None:
    assert _resolve(cat, "UK").jurisdiction == "GB"
    assert _resolve(cat, "EL").jurisdiction == "GR"
    for raw, target in (("CN-HK", "HK"), ("CN-MO", "MO"), ("CN-TW", "TW")):
        res = _resolve(cat, raw)
        assert res.jurisdiction == target and res.subdivision is None
        assert not cat.in_area(raw, "CN")
    assert _resolve(cat, "FR-NC").jurisdiction == "NC"
    assert not cat.in_area("FR-NC", "EU")
    assert _resolve(cat, "NO-21").jurisdiction == "SJ"
    assert not cat.in_area("NO-21", "EEA")


def test_in_area(cat: Catalogue) -> None:
    for loc in ("HK", "MO", "TW"):
        assert not cat.in_area(loc, "CN"), loc
    assert cat.in_area("CN", "CN")
    assert cat.in_area("NL", "EEA") and cat.in_area("NL", "EU")
    assert cat.in_area("NO", "EEA")
    assert not cat.in_area("CH", "EEA") and not cat.in_area("CH", "EU")
    assert cat.in_area("GB", "UK") and cat.in_area("GB", "GB") and cat.in_area("UK", "UK")
    assert not cat.in_area("GB", "EEA")
    assert not cat.in_area("JE", "UK") and not cat.in_area("GI", "UK")
    assert cat.in_area("gcp:europe-west4", "EEA")
    assert cat.in_area("RE", "EU")  # an outermost region
    assert cat.in_area("EU", "EEA") and not cat.in_area("EEA", "EU")
    assert cat.areas_of("NL") == {"NL", "EU", "EEA"}
    assert cat.areas_of("GB") == {"GB", "UK"}
    assert cat.areas_of("alibaba:cn-hangzhou") == {"CN", "CN-ZJ"}


def test_eu_and_eea_groups(cat: Catalogue) -> None:
    eu, eea = cat.jurisdictions["EU"], cat.jurisdictions["EEA"]
    assert eu.kind == eea.kind == "group"
    assert len(eu.members) == 27 and len(eea.members) == 30
    assert set(eea.members) - set(eu.members) == {"IS", "LI", "NO"}
    assert {
        c for c, j in cat.jurisdictions.items() if j.kind == "country" and "EU" in j.groups
    } == (set(eu.members) | set(eu.territories))


def test_countries(cat: Catalogue) -> None:
    countries = {c: j for c, j in cat.jurisdictions.items() if j.kind == "country"}
    assert len(countries) >= 249
    for code in ("HK", "MO", "TW", "CN", "US", "GB", "NO"):
        assert code in countries
    assert countries["TW"].name_zh == "台湾"
    assert countries["HK"].name_zh == "香港"
    assert countries["MO"].name_zh == "澳门"
    assert countries["HK"].name_zh_formal == "中国香港特别行政区"
    for code, j in countries.items():
        assert re.fullmatch(r"[A-Z]{2}", code) and j.code == code
        assert j.name_en and j.name_zh and CJK.search(j.name_zh), code
        assert j.parent is None


# --- regions and providers ------------------------------------------------------------------------


def test_region_families(cat: Catalogue) -> None:
    families = {r.provider for r in cat.regions.values()}
    assert families == {"aws", "azure", "gcp", "alibaba", "tencent", "huawei", "oracle"}
    assert set(cat.cloud_providers) == families
    for rid, r in cat.regions.items():
        assert rid == f"{r.provider}:{r.region}"
        res = _resolve(cat, rid)
        assert res.jurisdiction == r.jurisdiction
        assert cat.jurisdictions[r.jurisdiction].kind == "country"
        if r.subdivision:
            assert cat.jurisdictions[r.subdivision].parent == r.jurisdiction
        assert r.name


def test_providers(cat: Catalogue) -> None:
    assert len(cat.providers) >= 30
    openai = cat.providers["openai"]
    assert openai.jurisdiction == "US" and openai.serves_mainland_china is False
    assert openai.cn_genai_filed is None
    assert any("EU" in row.jurisdictions for row in openai.processing_jurisdictions)
    ds = cat.providers["deepseek"]
    assert (
        ds.jurisdiction == "CN"
        and ds.serves_mainland_china is True
        and ds.cn_genai_filed == "unknown"
    )
    assert ds.operator_subdivision == "CN-ZJ"
    relay = cat.providers["generic-openai-compatible-relay"]
    assert relay.jurisdiction == "unknown" and relay.serves_mainland_china is None
    for p in cat.providers.values():
        assert p.jurisdiction == "unknown" or cat.jurisdictions[p.jurisdiction].kind == "country"


# --- taxonomy ------------------------------------------------------------------------------------


def test_taxonomy(cat: Catalogue) -> None:
    cats = cat.categories
    assert len(cats) >= 70
    for cid, c in cats.items():
        assert c.id == cid
        assert c.name and c.name_zh and CJK.search(c.name_zh), cid
        parts = cid.split(".")
        for i in range(1, len(parts)):
            assert ".".join(parts[:i]) in cats, f"parent of {cid} missing"
        assert c.parent == (".".join(parts[:-1]) or None)
        assert c.doj in (
            None,
            "genomic",
            "omic",
            "biometric",
            "precise-geolocation",
            "health",
            "financial",
            "identifiers",
            "government",
        )
        if c.sensitive or c.special:
            assert c.personal, cid
        if c.confidence == "U":
            assert c.note, cid


def test_taxonomy_key_entries(cat: Catalogue) -> None:
    c = cat.categories
    expected = {
        "user.contact.phone": ("手机号码", True, False, False, "identifiers"),
        "user.contact.email": ("电子邮件地址", True, False, False, "identifiers"),
        "user.identity.government_id": ("身份证件号码", True, True, False, "identifiers"),
        "user.biometric.face": ("人脸信息", True, True, True, "biometric"),
        "user.health": ("健康生理信息", True, True, True, "health"),
        "user.financial.bank_account": ("银行账户", True, True, False, "financial"),
        "user.location.trajectory": ("行踪轨迹", True, True, False, "precise-geolocation"),
        "user.location.precise": ("精准定位信息", True, True, False, "precise-geolocation"),
        "user.genetic": ("个人基因信息", True, True, True, "genomic"),
        "user.criminal": ("违法犯罪记录", True, True, True, None),
        "system.telemetry": ("技术遥测数据（非个人信息）", False, False, False, None),
    }
    for cid, (zh, personal, sensitive, special, doj) in expected.items():
        d = c[cid]
        assert (d.name_zh, d.personal, d.sensitive, d.special, d.doj) == (
            zh,
            personal,
            sensitive,
            special,
            doj,
        ), cid
    for cid in (
        "user.location.coarse",
        "user.device.id",
        "user.content.prompt",
        "user.content.message",
        "user.behavior.browsing",
        "user.religion",
        "user.political",
        "user.sexual_orientation",
        "employee.hr",
        "employee.payroll",
        "employee.hr.performance",
        "system.logs",
        "business.trade",
        "business.contract",
        "business.product",
        "user.identity.passport",
        "user.biometric.fingerprint",
    ):
        assert cid in c, cid
    assert not c["business"].personal and not c["business.trade"].personal
    assert "minor" not in " ".join(c)  # minors under 14 are a cohort property
    assert "user.contact.phone" in cat.category_descendants("user.contact")
    assert cat.category_ancestors("user.contact.phone") == ("user.contact", "user")


# --- provenance ----------------------------------------------------------------------------------


def test_every_entry_has_provenance(cat: Catalogue) -> None:
    entries: list[tuple[str, Jurisdiction | CloudRegion | Provider | CategoryDef]] = []
    entries += [(f"jurisdictions.{k}", v) for k, v in cat.jurisdictions.items()]
    entries += [(f"regions.{k}", v) for k, v in cat.regions.items()]
    entries += [(f"providers.{k}", v) for k, v in cat.providers.items()]
    entries += [(f"categories.{k}", v) for k, v in cat.categories.items()]
    for name, e in entries:
        assert e.source, name
        assert e.confidence in ("V", "K", "U"), name
        dt.date.fromisoformat(e.as_of)
    for section in (cat.eea_authorities, cat.gba_cities, cat.adequacy, cat.uk_adequacy):
        for key, d in section.items():
            assert d["source"] and d["confidence"] in ("V", "K", "U") and d["as_of"], key


def test_uncertain_entries_are_detectable(cat: Catalogue) -> None:
    assert cat.regions["huawei:ae-ad-1"].confidence == "U"
    assert cat.regions["huawei:ae-ad-1"].has_uncertainty
    chn3 = cat.regions["azure:chinanorth3"]
    assert (
        chn3.confidence == "V"
        and chn3.uncertain_fields == ("subdivision",)
        and chn3.has_uncertainty
    )
    res = _resolve(cat, "azure:chinanorth3")
    assert res.confidence == "U" and res.uncertain_fields == ("subdivision",)
    assert _resolve(cat, "alibaba:cn-hangzhou").confidence == "V"
    assert cat.providers["zhipu-zai"].confidence == "U"
    assert cat.providers["deepseek"].uncertain_fields == ("cn_genai_filed",)
    assert cat.categories["user.behavior.browsing"].has_uncertainty
    flagged = [r for r in cat.regions.values() if r.has_uncertainty]
    assert 8 <= len(flagged) < len(cat.regions)


# --- US and adequacy lists -----------------------------------------------------------------------


def test_us_lists(cat: Catalogue) -> None:
    assert cat.doj_countries_of_concern == {"CN", "HK", "MO", "CU", "IR", "KP", "RU", "VE"}
    assert "TW" not in cat.doj_countries_of_concern
    assert cat.padfa_countries == {"CN", "IR", "KP", "RU"}
    assert "202.601" in cat.adequacy_meta["doj"]["citation"]


def test_eu_adequacy(cat: Catalogue) -> None:
    a = cat.adequacy
    for code in (
        "AD",
        "AR",
        "CA",
        "FO",
        "GG",
        "IM",
        "IL",
        "JE",
        "NZ",
        "CH",
        "UY",
        "JP",
        "KR",
        "GB",
        "US",
        "io:epo",
        "BR",
    ):
        assert code in a, code
        dt.date.fromisoformat(a[code]["adopted"])
    assert a["US"]["requires"] == "dpf-active"
    assert "C-703/25 P" in a["US"]["pending_challenge"]
    assert a["GB"]["valid_until"] == "2031-12-27" and a["GB"]["renewed"] == "2025-12-19"
    assert "2026/179" in a["BR"]["decision"] and a["BR"]["adopted"] == "2026-01-26"
    assert a["CA"]["scope"] == "commercial"
    assert "CN" not in a and "HK" not in a
    assert cat.adequacy_meta["eu"]["legal_basis"] == "GDPR Art. 45"


def test_uk_adequacy(cat: Catalogue) -> None:
    uk = cat.uk_adequacy
    assert uk["US"]["in_force"] == "2023-10-12"
    for code in cat.jurisdictions["EEA"].members:
        assert code in uk, code
    assert "BR" not in uk and "io:epo" not in uk
    assert "KR" in uk and "GI" in uk


def test_authorities(cat: Catalogue) -> None:
    assert set(cat.jurisdictions["EEA"].members) | {"GB", "CH"} == set(cat.eea_authorities)
    assert cat.eea_authorities["GB"]["acronym"] == "ICO"
    assert cat.eea_authorities["CH"]["acronym"] == "FDPIC"
    assert len(cat.gba_cities) == 11
    assert cat.gba_cities["gba:shenzhen"]["province"] == "CN-GD"


# --- suggestions and age -------------------------------------------------------------------------


def test_suggest(cat: Catalogue) -> None:
    assert cat.suggest("location", "cn")[0] == "CN"
    assert cat.suggest("location", "Norway")[0] == "NO"
    assert cat.suggest("location", "浙江省")[0] == "CN-ZJ"
    assert "alibaba:cn-hangzhou" in cat.suggest("location", "cn-hangzhou")
    assert cat.suggest("location", "alibaba:cn-hangzou")[0] == "alibaba:cn-hangzhou"
    assert cat.suggest("category", "phone")[0] == "user.contact.phone"
    assert cat.suggest("category", "user.contact.emial")[0] == "user.contact.email"
    assert cat.suggest("provider", "openia")[0] == "openai"
    assert cat.suggest("location", "zzzzzzzzzz") == []
    with pytest.raises(ValueError):
        cat.suggest("system", "x")


def test_catalogue_age_warning(cat: Catalogue) -> None:
    assert catalogue_age_warning(cat, dt.date(2026, 10, 1)) is None
    assert catalogue_age_warning(cat, dt.date(2027, 5, 26)) is None
    msg = catalogue_age_warning(cat, dt.date(2027, 5, 27))
    assert msg is not None and "2026-11-26" in msg and "6 months" in msg
    msg = catalogue_age_warning(cat, dt.date(2028, 1, 1))
    assert msg is not None and "13 months" in msg


# --- overlays ------------------------------------------------------------------------------------


def test_overlays_merge_field_by_field(cat: Catalogue) -> None:
    over = cat.with_overlays(
        {
            "regions": {
                "alibaba:cn-hangzhou": {"city": "Hangzhou (Yuhang)"},
                "acme:cn-x": {
                    "name": "Acme private DC",
                    "jurisdiction": "CN",
                    "subdivision": "CN-ZJ",
                },
            },
            "providers": {
                "openai": {"serves_mainland_china": True, "notes": "contract covers CN users"}
            },
            "jurisdictions": {"io:wipo": {"name_en": "World Intellectual Property Organization"}},
        }
    )
    assert over.overlays_used == (
        "jurisdictions:io:wipo",
        "regions:alibaba:cn-hangzhou",
        "regions:acme:cn-x",
        "providers:openai",
    )
    hz = over.regions["alibaba:cn-hangzhou"]
    base = cat.regions["alibaba:cn-hangzhou"]
    assert hz.city == "Hangzhou (Yuhang)"
    assert (hz.name, hz.jurisdiction, hz.subdivision, hz.name_zh) == (
        base.name,
        "CN",
        "CN-ZJ",
        base.name_zh,
    )
    assert hz.overlaid_fields == ("city",) and hz.field_confidence["city"] == "K"
    assert "model overlay (city)" in hz.source
    new = _resolve(over, "acme:cn-x")
    assert (new.jurisdiction, new.subdivision, new.confidence) == ("CN", "CN-ZJ", "K")
    assert over.providers["openai"].serves_mainland_china is True
    assert over.providers["openai"].name == cat.providers["openai"].name
    assert _resolve(over, "io:wipo").kind == "io"
    # the base catalogue is untouched
    assert cat.overlays_used == ()
    assert cat.resolve_location("acme:cn-x") is None
    assert cat.providers["openai"].serves_mainland_china is False
    # overlays accumulate
    again = over.with_overlays({"regions": {"acme:cn-x": {"city": "Hangzhou"}}})
    assert again.overlays_used == over.overlays_used
    assert again.regions["acme:cn-x"].name == "Acme private DC"
    assert again.regions["acme:cn-x"].overlaid_fields == (
        "city",
        "jurisdiction",
        "name",
        "subdivision",
    )


def test_overlay_can_settle_an_uncertain_field(cat: Catalogue) -> None:
    over = cat.with_overlays({"regions": {"azure:chinanorth3": {"subdivision": "CN-BJ"}}})
    assert over.regions["azure:chinanorth3"].uncertain_fields == ()
    assert _resolve(over, "azure:chinanorth3").confidence == "K"
    explicit = cat.with_overlays(
        {"regions": {"huawei:ae-ad-1": {"confidence": "V", "source": "checked 2026-12"}}}
    )
    assert explicit.regions["huawei:ae-ad-1"].confidence == "V"


@pytest.mark.parametrize(
    "overlay, message",
    [
        ({"regions": {"acme:x": {"name": "X"}}}, "must give jurisdiction"),
        ({"regions": {"aws:us-east-1": {"jurisdicton": "US"}}}, "did you mean 'jurisdiction'"),
        ({"regions": {"aws:us-east-1": {"jurisdiction": "XX"}}}, "not an ISO 3166-1 code"),
        (
            {"regions": {"aws:us-east-1": {"subdivision": "CN-ZJ"}}},
            "not an ISO 3166-2 subdivision of US",
        ),
        ({"regions": {"Acme": {"name": "X", "jurisdiction": "CN"}}}, "provider:region"),
        ({"providers": {"x": {"name": "X"}}}, "must give jurisdiction"),
        ({"providers": {"openai": {"serves_mainland_china": "maybe"}}}, "serves_mainland_china"),
        ({"jurisdictions": {"CN": {"groups": ["ASEAN"]}}}, "not a group"),
        ({"jurisdictions": {"Narnia": {"name_en": "Narnia"}}}, "XX, XX-YYY or io:name"),
        ({"regions": {"aws:us-east-1": {"confidence": "maybe"}}}, "confidence"),
        ({"categories": {}}, "unknown section"),
    ],
)
def test_bad_overlays(
    cat: Catalogue, overlay: dict[str, dict[str, dict[str, object]]], message: str
) -> None:
    with pytest.raises(CatalogueError, match=re.escape(message)):
        cat.with_overlays(overlay)


# --- data files and the build script -------------------------------------------------------


def test_data_files_are_canonical_json() -> None:
    names = sorted(p.name for p in DATA.glob("*.json"))
    assert names == [
        "adequacy.json",
        "authorities.json",
        "catalogue.json",
        "jurisdictions.json",
        "providers.json",
        "regions.json",
        "taxonomy.json",
    ]
    for name in names:
        text = (DATA / name).read_text(encoding="utf-8")
        canonical = (
            json.dumps(json.loads(text), sort_keys=True, indent=1, ensure_ascii=False) + "\n"
        )
        assert text == canonical, name


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_catalogue", REPO / "tools" / "build_catalogue.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_is_deterministic_and_up_to_date() -> None:
    pytest.importorskip("pycountry")
    pytest.importorskip("babel")
    build = _build_module()
    first = build.build(build.SOURCES / "catalog-seed.yaml")
    second = build.build(build.SOURCES / "catalog-seed.yaml")
    assert first == second
    for name, text in first.items():
        assert (DATA / name).read_text(encoding="utf-8") == text, (
            f"{name} is stale: run tools/build_catalogue.py"
        )
