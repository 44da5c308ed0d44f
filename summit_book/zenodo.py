"""``.zenodo.json`` generated from ``CITATION.cff``: the metadata a DOI deposit reads.

``python -m summit_book.zenodo`` writes it at the project root; ``--check`` only compares and
exits with status 1 when the committed file is out of date.
"""

from __future__ import annotations

import argparse
import json
import sys

import yaml

from .paths import CITATION_PATH, PROJECT_ROOT

ZENODO_PATH = PROJECT_ROOT / ".zenodo.json"


def _creator(author: dict) -> dict:
    if "name" in author:  # an entity (the editors as a body)
        return {"name": author["name"]}
    name = ", ".join(part for part in (author.get("family-names"), author.get("given-names")) if part)
    creator = {"name": name}
    if author.get("affiliation"):
        creator["affiliation"] = author["affiliation"]
    if author.get("orcid"):
        creator["orcid"] = author["orcid"].rsplit("/", 1)[-1]
    return creator


def zenodo_metadata(citation: dict) -> dict:
    """Zenodo deposit metadata from a parsed ``CITATION.cff`` (its preferred citation, a book)."""
    preferred = citation.get("preferred-citation", citation)
    metadata = {
        "title": preferred.get("title", citation["title"]),
        "upload_type": "publication",
        "publication_type": "book",
        "description": " ".join(str(citation["abstract"]).split()),
        "creators": [_creator(author) for author in preferred.get("authors", citation["authors"])],
        "version": str(citation["version"]),
        "publication_date": str(citation["date-released"]),
        "license": str(citation["license"]).lower(),
        "keywords": list(citation.get("keywords", [])),
        "access_right": "open",
    }
    publisher = preferred.get("publisher", {}).get("name")
    if publisher:
        metadata["imprint_publisher"] = publisher
    if citation.get("url"):
        metadata["related_identifiers"] = [
            {"identifier": citation["url"], "relation": "isIdenticalTo", "scheme": "url"}]
    return metadata


def render() -> str:
    with CITATION_PATH.open(encoding="utf-8") as handle:
        citation = yaml.safe_load(handle)
    return json.dumps(zenodo_metadata(citation), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed .zenodo.json; exit 1 when it differs")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = ZENODO_PATH.read_text(encoding="utf-8") if ZENODO_PATH.exists() else ""
        if current != text:
            print(f"{ZENODO_PATH.name} is out of date: run python -m summit_book.zenodo",
                  file=sys.stderr)
            return 1
        return 0
    ZENODO_PATH.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
