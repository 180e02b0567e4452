"""Presentation: display bundles, theme, table and chart builders, and the report renderers."""
