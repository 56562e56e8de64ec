from roboinstruct.report import BarChart, Report, Table, Text


def test_report_renders_escaped_tables_and_bars(tmp_path):
    rep = Report("T <1>", meta={"seed": 0})
    rep.add(Table("tab", ["a", "b"], [["<script>", 1.5]]))
    rep.add(BarChart("bars", [("x", 3.0), ("y", 1.0)], unit="%"))
    rep.add(Text("note", "line1\nline2", preformatted=True))
    path = rep.write(tmp_path / "r" / "report.html")
    html = path.read_text()
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert html.count("<rect") == 2 and "3%" in html
    assert "<pre>line1\nline2</pre>" in html
    assert not (tmp_path / "r" / "report.html.tmp").exists()


def test_empty_chart():
    assert "no data" in Report("x").add(BarChart("b", [])).render()


def test_a_programs_text_cannot_hide_the_rows_of_a_browsable_table(tmp_path):
    """A program (an LLM's text) holding "<!--<script>" in a data table's JSON made the HTML parser take
    the real "</script>" after it for text: the rest of the page, every row and table, was never shown."""
    from browser import dump_dom

    from roboinstruct.report.browse import DataTable

    rows = [["honest-1", {"code": "def task_program():\n    say('hi')\n"}],
            ["hostile", {"code": "def task_program():\n    say('<!--<script>')  # </script>\n"}],
            ["honest-2", {"code": "def task_program():\n    go_to('kitchen')\n"}]]
    rep = Report("programs").add(DataTable("programs", ["id", "program"], rows)).add(DataTable("after", ["a"], [["next"]]))
    page = rep.write(tmp_path / "report.html")
    assert "<!--" not in page.read_text() and page.read_text().count("</script>") == 3
    dom = dump_dom(page.as_uri())
    assert "<td>honest-2</td>" in dom and "<td>next</td>" in dom
    assert "say('&lt;!--&lt;script&gt;')" in dom  # shown as the text it is
