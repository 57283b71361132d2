"""The open data under data/ (raadsarkiv/opendata.py): valid OParl 1.1, one object per URL, public content only."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from jsonschema import Draft7Validator, FormatChecker

from conftest import copy_project
from raadsarkiv import opendata
from raadsarkiv.errors import BuildFailed
from raadsarkiv.pipeline import build, check
from test_safety import PUBLIC, SECRETS

SCHEMAS = Path(__file__).parent / "oparl"
OPARL = "https://schema.oparl.org/1.1/"
BASE = "https://raadsarkiv.example.dk/"  # base_url of the sample's site_config.yaml
TYPES = {"System", "Body", "Organization", "Meeting", "AgendaItem", "File", "Person", "Membership", "Location"}


def _validators() -> dict[str, Draft7Validator]:
    return {name: Draft7Validator(json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8")),
                                  format_checker=FormatChecker()) for name in TYPES}


VALIDATORS = _validators()


def oparl_objects(value: Any) -> list[dict[str, Any]]:
    """Every OParl object in a JSON value, embedded ones included (the schemas name embedded objects with the
    custom keyword `schema`, which jsonschema does not follow: so each is found and validated here)."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        if isinstance(value.get("type"), str) and value["type"].startswith(OPARL):
            found.append(value)
        for child in value.values():
            found += oparl_objects(child)
    elif isinstance(value, list):
        for child in value:
            found += oparl_objects(child)
    return found


def schema_errors(obj: dict[str, Any]) -> list[str]:
    name = obj["type"].removeprefix(OPARL)
    validator = VALIDATORS.get(name)
    if validator is None:
        return [f"{obj.get('id')}: no schema for type {obj['type']}"]
    return [f"{obj.get('id')}: {error.message}" for error in validator.iter_errors(obj)]


def data_files(site: Path) -> dict[str, Any]:
    return {p.relative_to(site).as_posix(): json.loads(p.read_text(encoding="utf-8")) for p in sorted((site / "data").rglob("*.json"))}


def test_the_validation_can_fail() -> None:
    """The schemas reject what they should: a 1.0 type, a missing required key, a date-time without a time zone."""
    assert schema_errors({"id": BASE + "x.json", "type": OPARL + "Meeting", "start": "2024-01-22T16:00:00"})
    assert schema_errors({"id": BASE + "x.json", "type": OPARL + "Body", "name": "X"})  # lists missing
    assert schema_errors({"id": BASE + "x.json", "type": OPARL + "File"})  # accessUrl missing
    assert schema_errors({"id": BASE + "x.json", "type": OPARL + "Membership", "role": 3})
    assert not schema_errors({"id": BASE + "x.json", "type": OPARL + "Meeting", "start": "2024-01-22T16:00:00+01:00"})


def test_every_object_is_valid_oparl_1_1(sample_site: Path) -> None:
    files = data_files(sample_site)
    objects = [obj for value in files.values() for obj in oparl_objects(value)]
    errors = [error for obj in objects for error in schema_errors(obj)]
    assert not errors, "\n".join(errors)
    counts = Counter(obj["type"].removeprefix(OPARL) for obj in objects)
    assert set(counts) == TYPES, counts
    assert len(files) > 100


def test_one_object_per_url_and_every_link_resolves(sample_site: Path) -> None:
    """Each object's id is the absolute URL of the file holding it alone; every URL of the site that the data
    names (objects, lists, pages, bilag files) exists in the output."""
    files = data_files(sample_site)
    for path, value in files.items():
        if "data" in value or "/bulk/" in path:  # a list or a bulk file: objects, each also at its id
            continue
        assert value["id"] == BASE + path, path
    embedded = [obj for value in files.values() for obj in oparl_objects(value)]
    for obj in embedded:
        path = obj["id"].removeprefix(BASE)
        assert files.get(path) == obj, f"{obj['id']} differs from the object published at its URL"

    def urls(value: Any) -> list[str]:
        if isinstance(value, dict):
            return [u for child in value.values() for u in urls(child)]
        if isinstance(value, list):
            return [u for child in value for u in urls(child)]
        return [value] if isinstance(value, str) and value.startswith(BASE) else []

    named = {u for value in files.values() for u in urls(value)}
    assert len(named) > 150
    for url in sorted(named):
        path = unquote(urlsplit(url).path).lstrip("/")
        target = sample_site / path
        assert target.is_file() or (target / "index.html").is_file(), f"{url} does not exist in the output"


def test_lists_and_bulk_hold_the_objects_of_their_body(sample_site: Path) -> None:
    files = data_files(sample_site)
    system = files["data/system.json"]
    assert system["license"] == "https://creativecommons.org/licenses/by/4.0/"
    bodies = files["data/bodies.json"]["data"]
    assert [b["name"] for b in bodies] == ["Aalborg Kommune", "Brønderslev Kommune"]  # Odense has no råd or udvalg here
    assert all(b["license"] == system["license"] for b in bodies)
    # The meeting list: a page per year, oldest first, from the address the Body names, following `next`.
    url, meetings, years = bodies[0]["meeting"], [], []
    while url:
        page = files[url.removeprefix(BASE)]
        meetings += page["data"]
        years.append(sorted({m["raadsarkiv:date"][:4] for m in page["data"]}))
        url = page["links"].get("next")
    assert years == [["2014"], ["2023"], ["2024"]]
    assert [m["raadsarkiv:date"] for m in meetings] == sorted(m["raadsarkiv:date"] for m in meetings)
    # every meeting of Aalborg's bodies once (the joint meeting once; the dagsorden and the referat of 22 January
    # 2024 are one meeting, as on the site)
    assert len(meetings) == 8
    assert len({m["id"] for m in meetings}) == 8
    assert files["data/bodies/aalborg/meetings/2024.json"]["links"] == {
        "first": BASE + "data/bodies/aalborg/meetings.json", "prev": BASE + "data/bodies/aalborg/meetings/2023.json"}
    bulk = files["data/bodies/aalborg/bulk/2024.json"]
    assert bulk["meeting"] == files["data/bodies/aalborg/meetings/2024.json"]["data"]
    assert bulk["body"] == files["data/bodies/aalborg.json"]
    assert {o["name"] for o in bulk["organization"]} == {"Eksempeludvalget", "Eksempelbyrådet", "Integrationsrådet"}
    assert {f["fileName"] for f in bulk["file"]} == {"program-debataften.pdf", "udkast-handleplan-debataften.pdf", "forslag-til-program.pdf"}
    assert {f["fileName"] for f in files["data/bodies/aalborg/bulk/2023.json"]["file"]} >= {"handleplan-maalsaetning-1.pdf"}
    people = {p["name"] for p in files["data/bodies/broenderslev/people.json"]["data"]}
    assert people >= {"Martin Bech", "Klaus Riis Klæstrup", "Abeer Abo Kalefh"} and "Lise Eksempel" not in people


def test_a_meeting_with_closed_items(sample_site: Path) -> None:
    """Closed items are in the data as on the page: number, title, public false; a public decision and nothing else."""
    meeting = data_files(sample_site)["data/meetings/eksempeludvalget/2024-01-22-referat.json"]
    assert meeting["start"] == "2024-01-22T16:00:00+01:00" and meeting["end"] == "2024-01-22T17:45:00+01:00"
    assert meeting["location"]["description"] == "Mødelokale 1 (eksempel)"
    assert meeting["meetingState"] == "durchgeführt"
    items = {item["number"]: item for item in meeting["agendaItem"]}
    assert items["3"] == {
        "id": BASE + "data/agendaitems/eksempeludvalget/2024-01-22-referat/3.json", "type": OPARL + "AgendaItem",
        "meeting": meeting["id"], "number": "3", "name": "Personalesag (eksempel)", "public": False,
        "web": BASE + "udvalg/eksempeludvalget/2024-01-22-referat/#punkt-3",
    }
    assert items["4"]["public"] is False and PUBLIC in items["4"]["resolutionText"]
    assert [s["name"] for s in items["4"]["raadsarkiv:sections"]] == ["Beslutning"]
    assert items["2"]["raadsarkiv:caseNumber"] == "24.00.00-G01-1-24"
    assert items["2"]["raadsarkiv:case"] == BASE + "sager/24.00.00-g01-1-24/"
    # the referat's bilag, then the one the dagsorden's item 2 links; the closed bilag is not there
    assert [f["fileName"] for f in items["2"]["auxiliaryFile"]] == ["program-debataften.pdf", "forslag-til-program.pdf"]
    sub = data_files(sample_site)["data/agendaitems/eksempeludvalget/2024-05-13-referat/16.2.json"]
    assert set(sub) == {"id", "type", "meeting", "number", "name", "public", "web"}  # no case or document number


def test_no_closed_content_and_only_published_facts_about_people(sample_site: Path) -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (sample_site / "data").rglob("*.json"))
    decoded = json.dumps([json.loads(p.read_text(encoding="utf-8")) for p in (sample_site / "data").rglob("*.json")], ensure_ascii=False)
    assert PUBLIC in decoded  # the scan can find what it looks for
    for secret in SECRETS:
        assert secret not in text and secret not in decoded
    for closed_bilag in ("personalesag", "notat-enkeltsag"):
        assert closed_bilag not in decoded
    files = data_files(sample_site)
    for path, person in files.items():
        if path.startswith("data/persons/"):
            assert set(person) <= {"id", "type", "body", "name", "membership", "web", "raadsarkiv:party"}, path
            for membership in person.get("membership", []):
                assert set(membership) <= {"id", "type", "person", "organization", "role",
                                           "raadsarkiv:firstMeeting", "raadsarkiv:lastMeeting"}


def test_the_licence_comes_from_the_settings_and_is_checked(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    config = root / "site_config.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("data_license: https://creativecommons.org/licenses/by/4.0/",
                                   "data_license: https://creativecommons.org/publicdomain/zero/1.0/"), encoding="utf-8")
    checked = check(root)
    assert checked.ok and checked.site is not None
    files = opendata.data_files(checked.site, checked.bilag_text)
    assert json.loads(files["data/system.json"])["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert json.loads(files["data/bodies/aalborg.json"])["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    line = next(n for n, t in enumerate(text.split("\n"), 1) if t.startswith("data_license:"))
    config.write_text(text.replace("data_license: https://creativecommons.org/licenses/by/4.0/", "data_license: CC BY 4.0"),
                      encoding="utf-8")
    messages = [p.format() for p in check(root).problems if p.severity == "error"]
    assert len(messages) == 1 and messages[0].startswith(f"site_config.yaml:{line}: 'data_license'"), messages
    config.write_text(text.replace("data_license: https://creativecommons.org/licenses/by/4.0/\n", ""), encoding="utf-8")
    checked = check(root)
    assert checked.ok and checked.site is not None
    files = opendata.data_files(checked.site, checked.bilag_text)
    assert json.loads(files["data/system.json"])["license"] == "https://creativecommons.org/licenses/by/4.0/"  # the default


CLOSED_SENTENCE = "Sagen vedrører en medarbejders ansættelsesforhold og behandles for lukkede døre."


def test_closed_text_planted_in_the_json_stops_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug that put a closed item's text into the open data (JSON-escaped, as json.dumps writes it) is caught
    by the leak gate, naming the data file, and the output stays as it was."""
    root = copy_project(tmp_path / "project")
    out = root / "output"
    build(root, out)
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    made = opendata.data_builders
    target = "data/meetings/eksempeludvalget/2024-01-22-referat.json"

    def leaky(site, bilag_text):  # type: ignore[no-untyped-def]
        builders = made(site, bilag_text)
        meeting = json.loads(builders[target]())
        meeting["agendaItem"][2]["resolutionText"] = CLOSED_SENTENCE
        builders[target] = lambda: json.dumps(meeting, ensure_ascii=True).encode()  # \u00f8 for ø: the gate decodes JSON escapes
        return builders

    monkeypatch.setattr(opendata, "data_builders", leaky)
    with pytest.raises(BuildFailed) as failure:
        build(root, out, incremental=False)
    leaked_into = {p.message.split("leaked into output/")[1].split(":")[0] for p in failure.value.problems}
    assert leaked_into == {target}
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


MEETING = "data/meetings/eksempeludvalget/2024-01-22-referat.json"


def test_a_meeting_is_one_meeting_object_with_its_agenda_as_invitation(sample_site: Path) -> None:
    """The dagsorden and the referat of 22 January 2024 are one Meeting: the referat's items, attendance and
    place; the dagsorden its `invitation` (the agenda version's page), the referat its `resultsProtocol`."""
    files = data_files(sample_site)
    meeting = files[MEETING]
    assert not any("2024-01-22-dagsorden" in path or "2024-01-22-referat/dagsorden" in path
                   for path in files if not path.startswith("data/documents/"))
    page = BASE + "udvalg/eksempeludvalget/2024-01-22-referat/"
    assert meeting["web"] == page and meeting["meetingState"] == "durchgeführt"
    assert meeting["invitation"] == {
        "id": BASE + "data/documents/eksempeludvalget/2024-01-22-referat/dagsorden.json", "type": OPARL + "File",
        "name": "Dagsorden: Eksempeludvalget, Aalborg Kommune, 22. januar 2024", "mimeType": "text/html",
        "accessUrl": page + "dagsorden/", "meeting": [meeting["id"]], "web": page + "dagsorden/",
    }
    assert meeting["resultsProtocol"]["accessUrl"] == page and meeting["resultsProtocol"]["meeting"] == [meeting["id"]]
    assert files[meeting["invitation"]["id"].removeprefix(BASE)] == meeting["invitation"]
    assert [i["number"] for i in meeting["agendaItem"]] == ["1", "2", "3", "4", "5"]  # the referat's items
    assert BASE + "data/persons/lise-eksempel.json" in meeting["participant"]
    # closed in both documents: closed here, without the dagsorden's closed text
    assert [i["public"] for i in meeting["agendaItem"][2:4]] == [False, False]
    assert "HEMMELIG-DAGSORDEN-D4G8" not in json.dumps(files, ensure_ascii=False)
    # a bilag only the dagsorden links is the meeting's item's bilag
    bilag = files["data/files/eksempeludvalget/2024-01-22/forslag-til-program-pdf.json"]
    assert bilag["meeting"] == [meeting["id"]]
    assert bilag["agendaItem"] == [BASE + "data/agendaitems/eksempeludvalget/2024-01-22-referat/2.json"]


def test_a_meeting_with_only_its_dagsorden_keeps_its_id_when_the_referat_comes(tmp_path: Path) -> None:
    """A meeting's id is named after its referat's address from the start: the referat's coming changes the
    object (state, items, protocol), not its id; `web` is the page the meeting has at the time."""
    root = copy_project(tmp_path / "project")
    agenda = root / "content/meetings/eksempeludvalget/2024-01-15-dagsorden.md"
    path = "data/meetings/eksempeludvalget/2024-01-15-referat.json"

    def meeting() -> dict[str, Any]:
        checked = check(root)
        assert checked.ok and checked.site is not None, [p.format() for p in checked.problems if p.severity == "error"]
        files = opendata.data_files(checked.site, checked.bilag_text)
        assert not any("2024-01-15-dagsorden" in name for name in files)
        return json.loads(files[path])

    before = meeting()
    assert before["meetingState"] == "eingeladen" and "resultsProtocol" not in before
    assert before["web"] == BASE + "udvalg/eksempeludvalget/2024-01-15-dagsorden/"
    assert before["invitation"]["accessUrl"] == before["web"]
    text = agenda.read_text(encoding="utf-8").replace("kind: dagsorden\n", "kind: referat\n", 1)
    (agenda.parent / "2024-01-15-referat.md").write_text(text.replace("## 1. Godkendelse", "## 1. Godkendt", 1), encoding="utf-8")
    after = meeting()
    assert after["id"] == before["id"] == BASE + path
    assert after["meetingState"] == "durchgeführt" and after["web"] == BASE + "udvalg/eksempeludvalget/2024-01-15-referat/"
    assert after["invitation"]["accessUrl"] == after["web"] + "dagsorden/" and after["resultsProtocol"]["accessUrl"] == after["web"]
    assert after["agendaItem"][0]["name"].startswith("Godkendt")
    assert [i["id"] for i in after["agendaItem"]] == [i["id"] for i in before["agendaItem"]]
