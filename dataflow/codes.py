"""Stable diagnostic codes of the loader and validator, with what they mean and how to fix them.

Regime findings keep their own tables next to their rules; ``explain`` reads all of them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CodeInfo:
    code: str
    name: str
    severity: str
    summary: str
    fix: str


_CODES = [
    # files and YAML
    CodeInfo("DF100", "file-unreadable", "error", "A model file or folder cannot be read.",
             "Check the path and permissions; symlink loops are refused."),
    CodeInfo("DF101", "file-too-large", "error",
             "A file is larger than the per-file limit (64 MB by default).",
             "Split the model into several files, or raise the limit with --max-file-size."),
    CodeInfo("DF102", "not-utf8", "error", "A file is not valid UTF-8 text.",
             "Save the file as UTF-8 (a BOM is accepted)."),
    CodeInfo("DF103", "yaml-syntax", "error", "The YAML cannot be parsed (syntax, tabs, control "
             "characters).", "Fix the line shown; indent with spaces, never tabs."),
    CodeInfo("DF104", "duplicate-key", "error", "A key appears twice in the same mapping; YAML "
             "parsers would silently keep the last one.", "Remove or rename one of the two keys."),
    CodeInfo("DF105", "tag-refused", "error", "A YAML tag such as !!python/object is not allowed: "
             "models are plain data.", "Remove the tag."),
    CodeInfo("DF106", "alias-limit", "error", "Aliases expand to far more nodes than the file "
             "contains (an alias bomb), or an alias is unknown.", "Write the data out in full."),
    CodeInfo("DF107", "nesting-too-deep", "error", "Nesting is deeper than any model needs.",
             "Flatten the structure; model objects nest at most a few levels."),
    CodeInfo("DF108", "multiple-documents", "error", "A file holds more than one YAML document.",
             "Split the documents into separate files."),
    CodeInfo("DF109", "not-a-mapping", "error", "The top level of a model file must be a mapping "
             "of collections (model:, systems:, flows: ...).", "Start the file with a top-level key."),
    CodeInfo("DF110", "no-model-key", "error", "No file carries the `model:` block, or several "
             "do.", "Put `model: {name: ..., evaluation_date: ...}` in exactly one file."),
    CodeInfo("DF111", "include-problem", "error", "An `include` glob leaves the model folder "
             "(and is not under include_roots), or matches no file.",
             "Keep included files inside the folder or list their folder in include_roots."),
    CodeInfo("DF112", "no-model-files", "error", "The folder contains no *.yaml or *.yml file.",
             "Point dataflow at a model file or a folder of model files."),
    # shape
    CodeInfo("DF200", "unknown-key", "error", "A key is not part of the model format.",
             "Check the spelling against docs/model-format.md; the hint names the closest key."),
    CodeInfo("DF201", "missing-key", "error", "A required key is missing.",
             "Add the key; required keys are listed in docs/model-format.md."),
    CodeInfo("DF202", "bad-value", "error", "A value is not one of the allowed values.",
             "Use one of the values listed in the message."),
    CodeInfo("DF203", "wrong-type", "error", "A value has the wrong type (e.g. text where a "
             "count is expected, or yes/no where true/false is expected).",
             "Write the value as the message says; booleans are only true or false."),
    CodeInfo("DF204", "bad-id", "error", "An id does not match ^[a-z0-9][a-z0-9._-]*$.",
             "Use lower-case letters, digits, dots, dashes and underscores."),
    CodeInfo("DF205", "duplicate-id", "error", "The same id is defined twice (ids are unique "
             "across all collections and files).", "Rename one of the two objects."),
    CodeInfo("DF206", "unknown-top-level-key", "error", "A top-level key is not a collection "
             "of the model format.", "Use one of model, include, include_roots, entities, "
             "systems, categories, cohorts, flows, access, safeguards, duties, exemptions, "
             "waivers, catalogue."),
    # references and semantics
    CodeInfo("DF300", "unknown-reference", "error", "A reference names an object that does not "
             "exist (entity, system, flow, cohort, category).",
             "Fix the id; the hint names the closest existing one."),
    CodeInfo("DF301", "unknown-location", "error", "A location is not an ISO 3166 code, a cloud "
             "region of the catalogue, an international organisation or `unknown`.",
             "Use e.g. CN, CN-ZJ, HK, aws:us-east-1; add regions through `catalogue:`."),
    CodeInfo("DF302", "location-unknown", "warning", "A system's location is declared `unknown`: "
             "every flow into it is reported as a possible transfer.",
             "Find out where the system runs and write it down."),
    CodeInfo("DF303", "unknown-category", "error", "A category is neither in the model nor in the "
             "built-in taxonomy.", "Define it under `categories:` or use a taxonomy id."),
    CodeInfo("DF304", "cohort-not-laminar", "error", "Two cohorts overlap without one being "
             "`subset_of` the other and without a declared `overlaps` count.",
             "Declare `subset_of`, or the overlap with `overlaps: {other: n}`."),
    CodeInfo("DF305", "cohort-count", "error", "A cohort's count is inconsistent (a subset larger "
             "than its parent, an overlap larger than either cohort, a cycle of subset_of).",
             "Correct the counts."),
    CodeInfo("DF306", "routing", "error", "A fail-over or conditional flow has no `primary`, or "
             "its primary is not a primary flow.", "Name the primary flow it stands in for."),
    CodeInfo("DF307", "no-controller", "error", "A processor's flow has no resolvable controller "
             "(no on_behalf_of, and its operator's processor_for is empty or ambiguous).",
             "Set `on_behalf_of` on the flow or `processor_for` on the entity."),
    CodeInfo("DF308", "bad-period", "error", "A period ends before it starts.", "Swap the dates."),
    CodeInfo("DF309", "catalogue-stale", "warning", "The built-in catalogue is more than six "
             "months older than the evaluation date.", "Upgrade dataflow, or review the "
             "catalogue entries you rely on and overlay them under `catalogue:`."),
    CodeInfo("DF310", "uncertain-catalogue-entry", "warning", "A location resolves through a "
             "catalogue entry tagged U (unverified); conclusions resting on it may be wrong.",
             "Check the entry's source and overlay it under `catalogue:` once verified."),
    CodeInfo("DF311", "genai-model", "error", "A `genai` entry names neither a system nor a "
             "catalogue AI provider, states no filing status or more than one, or (on an "
             "ai-model system) names a model.",
             "Name a system id or provider id and one of filing, registration or unfiled: true."),
    CodeInfo("DF312", "self-flow", "warning", "A flow goes from a system to itself.",
             "Remove it, or model the second system."),
    CodeInfo("DF313", "cohort-overlaps-bounds", "warning", "More than two cohorts overlap "
             "pairwise; only bounds of the distinct total are known.",
             "Model the shared people as a sub-cohort to make counts exact."),
    CodeInfo("DF400", "transit-only", "warning", "A flow is marked transit_only: pure network "
             "transit through a point of presence abroad, with no storage or access, is not "
             "reported as an export (no source settles it) [U].",
             "Check that nothing is stored or accessible there; otherwise drop transit_only."),
    CodeInfo("DF314", "flow-cohort-category", "warning", "A flow carries personal categories but "
             "names no cohort and none reaches it: nobody is counted.",
             "Name the cohorts the data is about."),
]

LOADER_CODES: dict[str, CodeInfo] = {c.code: c for c in _CODES}
CODE_BY_NAME: dict[str, str] = {c.name: c.code for c in _CODES}
