"""The look of the readable report (HTML and PDF): the inline CSS and the
banner of each verdict. Verdicts are always written in words
(:func:`signing.model.labels.word`, :func:`signing.model.labels.label`) and
marked by a border style as well as a colour, so a black-and-white print still
tells them apart.
"""

from __future__ import annotations

from signing.model.results import Verdict

#: banner look per verdict: (border colour, background, border style)
BANNER: dict[Verdict, tuple[str, str, str]] = {
    Verdict.VALID: ("#1b5e20", "#e8f5e9", "solid"),
    Verdict.VALID_WITH_WARNINGS: ("#8a5a00", "#fff8e1", "dashed"),
    Verdict.INDETERMINATE: ("#8a5a00", "#fff8e1", "dotted"),
    Verdict.INVALID: ("#b71c1c", "#ffebee", "double"),
}

#: a plain-text mark in front of the verdict word (no special glyphs needed)
MARK: dict[Verdict, str] = {
    Verdict.VALID: "[OK]",
    Verdict.VALID_WITH_WARNINGS: "[!]",
    Verdict.INDETERMINATE: "[?]",
    Verdict.INVALID: "[X]",
}

CSS = """
* { box-sizing: border-box; }
body { font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", "Noto Sans",
       "Segoe UI", Arial, sans-serif; margin: 2em; color: #111; line-height: 1.45; }
h1 { font-size: 1.5em; margin: 0 0 .6em; }
h2 { font-size: 1.25em; margin: 1.6em 0 .4em; border-bottom: 2px solid #444;
     overflow-wrap: anywhere; }
h3 { font-size: 1.1em; margin: 1.2em 0 .3em; overflow-wrap: anywhere; }
h4 { font-size: 1em; margin: .9em 0 .2em; color: #333; }
.banner { border-width: 4px; padding: .5em .8em; margin: .4em 0 .8em; font-weight: bold;
          font-size: 1.15em; }
.banner.small { font-size: 1em; border-width: 3px; }
table { border-collapse: collapse; width: 100%; margin: .2em 0 .6em; }
th, td { border: 1px solid #999; padding: .25em .45em; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #eee; }
table.facts th { width: 32%; font-weight: normal; background: #f4f4f4; }
ul.reasons { margin: .2em 0 .6em; padding-left: 1.4em; }
ul.reasons li .sev { font-weight: bold; }
.sig { page-break-inside: avoid; }
footer { margin-top: 2em; border-top: 1px solid #999; padding-top: .4em; font-size: .85em;
         color: #333; }
@media print {
  body { margin: 0; }
  .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { page-break-before: auto; page-break-after: avoid; }
}
"""
