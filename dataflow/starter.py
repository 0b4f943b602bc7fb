"""The commented starter model written by `dataflow init` (it validates as written)."""

from __future__ import annotations

STARTER_MODEL = """\
# yaml-language-server: $schema=https://raw.githubusercontent.com/dataflow-xborder/dataflow/main/schemas/model.schema.json
# A dataflow model: who holds data, where it runs, and where it goes.
# Reference: docs/model-format.md. Check it with: dataflow validate .
model:
  name: My service                 # shown in every output
  evaluation_date: 2026-10-01      # the "as of" date of the analysis (--as-of overrides it)
  owner: my-company

entities:                          # legal persons; `jurisdiction` is where each is established
  my-company:
    name: My Company (Shanghai) Co., Ltd.
    jurisdiction: CN
    province: CN-SH                # names the filing authority for PIPL documents
  vendor:
    name: Analytics Vendor Inc.
    jurisdiction: US

systems:                           # where data lives; `location` is a country, subdivision or cloud region
  web:
    name: Web app
    operator: my-company
    location: alibaba:cn-shanghai
    kind: service
  analytics:
    name: Vendor analytics
    operator: vendor
    location: aws:us-east-1
    kind: analytics

categories:                        # extend the built-in taxonomy (dotted ids; parents implied)
  customer.contact.email: {name: Customer e-mail, name_zh: 客户电子邮箱, personal: true}

cohorts:                           # who the data is about, with how many people
  customers: {name: Customers, count: 20000, residence: CN, relationship: customer}

flows:                             # data moving from one system to another
  usage-to-vendor:
    from: web
    to: analytics
    categories: [customer.contact.email]
    cohorts: [customers]
    purpose: Product analytics
    recipient_role: processor
"""

STARTER_FILES: dict[str, str] = {"dataflow.yaml": STARTER_MODEL}
