"""Fill English translations into locale/en/LC_MESSAGES/django.po from a JSON map
{"Indonesian msgid": "English"}; untouched entries keep their translation. Then run
`manage.py compilemessages -l en`. Usage: python scripts/po_fill.py translations.json"""

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale/en/LC_MESSAGES/django.po"


def unquote(block: str) -> str:
    return "".join(json.loads(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', block))


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def main(path: str) -> None:
    mapping = json.loads(Path(path).read_text())
    entries = PO.read_text().split("\n\n")
    filled = 0
    for index, entry in enumerate(entries):
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)$', entry, re.M)
        if not match or "msgid_plural" in entry:
            continue
        msgid = unquote(match.group(1))
        if msgid in mapping and msgid:
            head = entry[: match.start()]
            head = head.replace("#, fuzzy\n", "").replace(", fuzzy", "")
            entries[index] = head + f"msgid {match.group(1).rstrip()}\nmsgstr {quote(mapping[msgid])}"
            filled += 1
    PO.write_text("\n\n".join(entries))
    missing = sum(1 for e in entries if re.search(r'^msgstr ""$', e, re.M) and not e.startswith("# SOME") and 'msgid ""\nmsgstr ""\n"' not in e)
    print(f"filled {filled}; entries still untranslated: {missing}")


if __name__ == "__main__":
    main(sys.argv[1])
