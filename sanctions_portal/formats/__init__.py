"""Date formats per UN language (FORMAT_MODULE_PATH): only what differs from Django's own locale formats.

Templates never spell a date pattern with month names: they ask for DATE_FORMAT (a date in
running text, a document's masthead) or SHORT_DATE_FORMAT (a table cell, a line of history),
and the *_DATETIME_FORMAT pair with the time. English keeps the portal's "12 Jun 2015"; the
other languages write the month in full where an abbreviation would be ambiguous or unusual
(French "juin"/"juil." both abbreviate to "Jui"). Times are 24-hour everywhere; the templates
add "UTC" themselves. Input formats (DATE_INPUT_FORMATS) stay Django's.
"""
