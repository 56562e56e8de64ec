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
