"""`crosswalk readiness` through Typer's runner, on the bundled dataset; reports parsed."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from crosswalk.catalog import Catalog
from crosswalk.cli import app, session
from crosswalk.readiness import assess, load_transcript, render_html, to_json


@pytest.fixture(autouse=True)
def _bundled_catalog(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> None:
    monkeypatch.setattr(session, "open_catalog", lambda url: catalog)


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


class Page(HTMLParser):
    """Tags, attributes and text of an HTML document, for assertions."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def names(self) -> list[str]:
        return [tag for tag, _ in self.tags]


def test_table_summary(wv_csv: Path) -> None:
    result = run("readiness", str(wv_csv), "--category", "IFS")
    assert result.exit_code == 0, result.output
    # 14 covered by specific evidence, 13 only touched, 9 not covered: worked out in
    # test_readiness_coverage's docstring.
    text = " ".join(result.output.replace("│", " ").split())
    assert (
        "14 of 36 knowledge areas covered by specific evidence; 13 more touched only; 9 not covered"
    ) in text
    assert "Training hours: 73 h; minimum 30 h — met" in result.output
    # QA: without a Type column the terminal left the reflective-supervision line out.
    assert (
        "Reflective supervision: not in this transcript (add a “Type” column to count them); "
        "minimum 24 h — not yet met"
    ) in " ".join(result.output.replace("│", " ").split())
    assert "supports, but does not decide" in " ".join(result.output.split())


def test_json_format(wv_csv: Path) -> None:
    result = run("readiness", str(wv_csv), "-c", "IMHS", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # 10 covered, 23 touched, 14 not covered (test_readiness_coverage's docstring).
    totals = data["totals"]
    assert (totals["covered"], totals["touched"], totals["not_covered"]) == (10, 23, 14)
    assert data["evidence_rule"]["specific_max_areas"] == 5
    source = data["totals"]["training_hours"]["source"]
    assert data["totals"]["training_hours"] == {
        "total": 73.0,
        "required": 30,
        "met": True,
        "source": source,
        "recorded": True,
        "note": None,
    }
    # QA: without a Type column JSON said null while the HTML stated the minimum.
    assert data["totals"]["reflective_supervision_hours"] == {
        "total": 0,
        "required": 50,
        "met": False,
        "source": source,
        "recorded": False,
        "note": "not in this transcript (add a “Type” column to count them)",
    }
    # QA: areas were listed by bare name (Mentor categories have two "Advocacy").
    areas = {m["code"]: m for m in data["knowledge_areas"]}
    awareness = areas["reflection/self-awareness"]
    assert (awareness["name"], awareness["area_of_expertise"], awareness["level"]) == (
        "Self-awareness",
        "Reflection",
        "",
    )
    assert (awareness["state"], awareness["evidence"], awareness["note"]) == (
        "not_covered",
        [],
        None,
    )
    counseling = areas["direct-service-skills/supportive-counseling"]
    assert counseling["note"].startswith(
        "Cannot be covered through West Virginia Core Knowledge and Competencies (2015 CKC) "
        "codes: the crosswalk states explicitly that no competency there corresponds"
    )
    assert data["problems"] == [
        {
            "row": 31,
            "kind": "link-level",
            "message": "code 'IECMHC 6C.3' counts for no IMHS knowledge area: its link to "
            "Self-awareness is marked MHM (the Mentor level); its link to Developing talent "
            "is marked MHM (the Mentor level)",
            "codes": ["IECMHC 6C.3"],
        }
    ]
    result = run("readiness", str(wv_csv), "-c", "IMHM-C", "--format", "json")
    data = json.loads(result.stdout)
    area = next(a for a in data["knowledge_areas"] if a["name"] == "Self-awareness")
    assert area["area_of_expertise"] == "Reflection"
    # For a Mentor both of 6C.3's MHM links count: it corresponds to 2 areas, specific.
    assert (area["state"], area["covered"]) == ("covered", True)
    assert (area["specific_trainings"], area["specific_hours"]) == ([31], 3)
    assert area["evidence"] == [
        {
            "framework": "iecmhc",
            "code": "6C.3",
            "written": ["IECMHC 6C.3"],
            "path": ["iecmhc 6C.3", "imh reflection/self-awareness"],
            "crosswalks": ["iecmhc-imh"],
            "breadth": 2,
            "specificity": "specific",
            "strength": "Important",
            "trainings": [31],
            "rows": [31],
            "hours": 3,
        }
    ]
    assert len(data["trainings"]) == 40
    assert data["trainings"][29]["codes"] == ["IECMHC 6C.3"]
    assert data["problems"] == []
    advocacy = [m for m in data["knowledge_areas"] if m["name"] == "Advocacy"]
    assert len({m["code"] for m in advocacy}) == len(advocacy)
    assert "does not decide" in data["statement"]


def test_html_to_a_file(wv_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run("readiness", str(wv_csv), "-c", "IFS", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = Page(out.read_text(encoding="utf-8"))
    assert "svg" in page.names()
    assert "script" not in page.names()
    assert not [a for _, a in page.tags if (a.get("src") or a.get("href") or "").startswith("http")]
    text = " ".join(" ".join(page.text).split())
    for words in ("14 of 36 covered by specific evidence", "13 more touched only", "9 not covered"):
        assert words in text
    assert "Resolving Conflict" in text
    assert "How the list is made. Greedy set cover" in text


def test_report_subcommand_spelling_and_twin(wv_csv: Path) -> None:
    result = run("readiness", "report", str(wv_csv), "--category", "ECFS", "-f", "json")
    assert json.loads(result.stdout)["category"]["code"] == "ECFS"


def test_framework_option_and_requirements_file(wv_csv: Path, tmp_path: Path) -> None:
    rules = tmp_path / "ours.toml"
    rules.write_text(
        '[[category]]\ncode = "IFS"\ntitle = "Infant Family Specialist"\nlevels = [""]\n'
        "training_hours = { value = 80 }\n",
        encoding="utf-8",
    )
    result = run(
        "readiness", str(wv_csv), "-c", "IFS", "--framework", "wv-ckc-2015",
        "--requirements", str(rules), "-f", "json",
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert data["totals"]["training_hours"]["met"] is False  # 73 < 80
    assert data["requirements"] == "ours.toml"  # the file has no title of its own


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["nowhere.csv", "-c", "IFS"], "nowhere.csv: no such file"),
        (["{csv}", "-c", "XYZ"], "unknown endorsement category 'XYZ'"),
        (["{csv}", "-c", "IFS", "--framework", "nope"], "unknown framework 'nope'"),
        (["{csv}", "-c", "IFS", "--format", "pdf"], "unknown format 'pdf'"),
        (["{csv}", "-c", "IFS", "--requirements", "none.toml"], "none.toml: no such file"),
        (["{csv}", "-c", "XYZ"], "(try: crosswalk readiness categories)"),
        (["{empty}", "-c", "IFS"], "the file is empty"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(
    args: list[str], reason: str, wv_csv: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    filled = [a.format(csv=wv_csv, empty=empty) for a in args]
    result = run("readiness", *filled)
    assert result.exit_code == 1
    assert reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_requirements_file_does_not_suggest_the_categories_command(
    wv_csv: Path,
) -> None:
    """QA: "none.toml: no such file (try: crosswalk readiness categories)" misled."""
    result = run("readiness", str(wv_csv), "-c", "IFS", "--requirements", "none.toml")
    assert result.exit_code == 1
    assert "readiness categories" not in result.stderr


def test_no_match_areas_are_named_in_the_terminal(wv_csv: Path) -> None:
    result = run("readiness", str(wv_csv), "-c", "IMHS")
    text = " ".join(result.output.split())
    assert "Supportive counseling: Cannot be covered through West Virginia" in text


def test_template_csv_to_stdout_and_xlsx_to_a_file(tmp_path: Path, catalog: Catalog) -> None:
    result = run("readiness", "template")
    assert result.exit_code == 0
    assert result.stdout.startswith("Title,Date,Clock Hours,Provider,Codes,Framework,Type")
    out = tmp_path / "example.xlsx"
    assert run("readiness", "template", "-o", str(out)).exit_code == 0
    report = assess(catalog, load_transcript(out), "IFS")
    assert report.problems == ()
    assert run("readiness", "template", "--format", "xlsx").exit_code == 1


def test_categories_listing() -> None:
    result = run("readiness", "categories", "--format", "json")
    codes = [row["code"] for row in json.loads(result.stdout)]
    assert codes == ["IFA", "IFS", "IFRS", "IMHS", "IMHM-C", "IMHM-P", "IMHM-R/F"]


def test_uploaded_text_is_escaped_in_html(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "evil.csv"
    path.write_text('Title,Hours,Codes\n"<script>alert(1)</script>",1,"1.1; <b>x</b>"\n')
    report = assess(catalog, load_transcript(path), "IFS")
    html = render_html(report)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>x</b>" not in html
    assert to_json(report)["trainings"][0]["title"].startswith("<script>")


def test_csv_format_has_one_row_per_area(wv_csv: Path, tmp_path: Path) -> None:
    result = run("readiness", str(wv_csv), "-c", "IMHS", "-f", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split(",")[:5] == ["code", "name", "area_of_expertise", "level", "state"]
    assert len(lines) == 1 + 47
    out = tmp_path / "areas.csv"
    assert run("readiness", str(wv_csv), "-c", "IFS", "-o", str(out)).exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + 36


def test_the_terminal_report_fits_80_columns_without_breaking_words(
    wv_csv: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    """Every line fits; every word of every knowledge-area name and of the plan's codes
    is printed whole somewhere (Rich folds only words longer than their column)."""
    monkeypatch.setenv("COLUMNS", "80")
    result = run("readiness", str(wv_csv), "-c", "IMHS")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    words = set(result.stdout.replace("│", " ").split())
    report = assess(catalog, load_transcript(wv_csv), "IMHS")
    for area in report.areas:
        for word in area.area.name.replace(",", " ").split():
            assert any(word in w for w in words), word
    for step in report.plan.steps:
        assert f"CKC {step.item.code}" in result.stdout or step.item.code in words
    assert "What to take next" in result.stdout
    assert "Renewal: 15 training hours a year" in result.stdout
