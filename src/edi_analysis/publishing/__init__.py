"""Publishing built reports: light pages, data downloads and a static site.

- :mod:`~edi_analysis.publishing.page`: the HTML a reader downloads (one shared
  plotly.js, repeated table styles merged, no links to the building machine).
- :mod:`~edi_analysis.publishing.downloads`: the report's data-download section and the
  titles of its published tables.
- :mod:`~edi_analysis.publishing.spreadsheet`: one spreadsheet per report, laid out as
  the Government Analysis Function's "Releasing statistics in spreadsheets" asks.
- :mod:`~edi_analysis.publishing.site`: ``edi-report publish``, a static site of every
  built report with an index page.
"""
