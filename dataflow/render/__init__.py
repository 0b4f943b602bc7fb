"""Renderers: diagrams, documents, tables. They read analysis results and never change them."""
