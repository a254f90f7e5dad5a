"""Server-drawn charts: an accessible SVG image and the same figures in a table.

Outside a request the texts are the English msgids and numbers use the site's Vietnamese format;
inside one (app_ctx) they follow the request's language, so those tests ask gettext.
"""

import re
import xml.etree.ElementTree as ET

import pytest
from flask import render_template_string
from flask_babel import gettext

from portal.core.charts import Series, bar_chart, line_chart, nice_ticks
from tests.pages import check_page

SVG = "{http://www.w3.org/2000/svg}"
PAGE = """{% from "components/charts.html" import chart %}<!doctype html>
<html lang="vi"><head><title>Thống kê</title></head><body><main><h1>Thống kê</h1>
{% for c in charts %}{{ chart(c, csv_url=csv_url) }}{% endfor %}
</main></body></html>"""


def parse(chart):
    """Parse the chart's SVG as XML: it must be well-formed on its own."""
    return ET.fromstring(str(chart.svg()))  # noqa: S314 - the app's own output


def bar_widths(chart):
    return [float(r.get("width")) for r in parse(chart).iter(f"{SVG}rect") if r.get("class")]


def texts(chart):
    return ["".join(t.itertext()) for t in parse(chart).iter(f"{SVG}text")]


def render(*charts, csv_url=None):
    return render_template_string(PAGE, charts=charts, csv_url=csv_url)


def topics(**options):
    return bar_chart(
        "by-topic",
        "Vụ việc theo lĩnh vực",
        ["Đất đai", "Môi trường", "Xây dựng"],
        [Series("2025", [10, 20, 40])],
        **options,
    )


def test_the_svg_is_an_image_named_by_its_title_and_described_by_its_desc():
    root = parse(topics(description="Đất đai ít nhất."))

    assert root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 400 ")
    assert root.get("width") is None and root.get("height") is None
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == title.get("id") == "by-topic-title"
    assert root.get("aria-describedby") == desc.get("id") == "by-topic-desc"
    assert title.text == "Vụ việc theo lĩnh vực"
    assert desc.text == "Đất đai ít nhất."


def test_the_output_has_no_inline_styles_for_the_content_security_policy(app_ctx):
    chart = bar_chart(
        "two",
        "Hai nhóm",
        ["A", "B"],
        [Series("2024", [1, 2]), Series("2025", [3, 4]), Series("2026", [5, 6])],
    )
    page = render(chart, line_chart("line", "Theo tháng", ["01", "02"], [Series("x", [1, 2])]))

    assert "style" not in page.lower()


def test_bar_lengths_are_proportional_to_the_values():
    widths = bar_widths(topics())

    assert len(widths) == 3
    assert widths[1] == pytest.approx(2 * widths[0], rel=0.01)
    assert widths[2] == pytest.approx(4 * widths[0], rel=0.01)


def test_a_fixed_scale_keeps_percentages_on_a_0_to_100_axis():
    free = bar_chart("free", "Tự do", ["A", "B"], [Series("Tỷ lệ", [50, 25])])
    fixed = bar_chart("rate", "Đúng hạn", ["A", "B"], [Series("Tỷ lệ", [50, 25])], scale_max=100)
    room, _ = bar_widths(free)  # without a fixed scale the largest value fills the room

    assert bar_widths(fixed) == pytest.approx([room / 2, room / 4], rel=0.01)


def test_every_bar_carries_its_value_as_text_in_vietnamese_format():
    chart = bar_chart(
        "big", "Lớn", ["A", "B"], [Series("Tỷ lệ", [1234567, 87.46])], unit="%", scale_max=100
    )

    assert "1.234.567%" in texts(chart)
    assert "87,5%" in texts(chart)


def test_a_unit_word_is_spaced_from_its_number_and_named_in_the_table_heading():
    chart = bar_chart("days", "Ngày", ["Khiếu nại"], [Series("Trung vị", [3.5])], unit="ngày")

    assert "3,5\u00a0ngày" in texts(chart)
    assert chart.table().headers == ("Category", "Trung vị (ngày)")
    assert chart.table().rows[0].cells == ("3,5",)


def test_escaping_every_text_in_the_svg():
    evil = '<script>alert("x")</script> & co'
    chart = bar_chart("evil", evil, [evil], [Series(evil, [1]), Series("b", [2])], description=evil)
    svg = str(chart.svg())

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(chart)
    assert root.find(f"{SVG}title").text == evil
    assert root.find(f"{SVG}desc").text == evil
    assert evil in texts(chart)  # the category label
    assert any(t.startswith("<script>") for t in texts(chart))  # the legend, maybe shortened


def test_escaping_in_the_table_and_caption(app_ctx):
    evil = "<script>alert(1)</script>"
    page = render(bar_chart("evil", evil, [evil], [Series(evil, [1])], category_label=evil))

    assert "<script>" not in page
    assert page.count("&lt;script&gt;") >= 5  # figcaption, svg title, caption, headings, row
    check_page(page)


def test_a_suppressed_count_draws_no_bar_and_never_shows_its_number(app_ctx):
    chart = bar_chart(
        "small",
        "Tố cáo theo đơn vị",
        ["Phòng A", "Phòng B", "Phòng C"],
        [Series.counts("Số vụ", [3, 10, 0])],
    )

    assert chart.series[0].values == (None, 10, 0)
    assert len(bar_widths(chart)) == 1  # the 10; neither the suppressed 3 nor the zero
    assert texts(chart).count("< 5") == 1
    assert [row.cells for row in chart.table().rows] == [("< 5",), ("10",), ("0",)]
    assert "(3)" not in chart.summary and "Phòng A" not in chart.summary
    page = render(chart)
    assert ">3<" not in page
    assert "&lt; 5" in page


def test_a_suppressed_count_in_a_line_chart_breaks_the_line():
    chart = line_chart(
        "months", "Theo tháng", ["01", "02", "03", "04"], [Series.counts("Số vụ", [7, 8, 2, 9])]
    )
    root = parse(chart)

    assert len(list(root.iter(f"{SVG}polyline"))) == 1  # 01–02; 04 stands alone
    assert "< 5" in texts(chart)


def gaps(chart):
    return [r for r in parse(chart).iter(f"{SVG}rect") if r.get("class") == "chart__gap"]


def test_hidden_counts_break_each_line_into_segments_and_hatch_the_gap():
    months = ["01/2025", "02/2025", "03/2025", "04/2025", "05/2025", "06/2025"]
    chart = line_chart(
        "by-month",
        "Theo tháng",
        months,
        [
            Series.counts("Tiếp nhận", [12, 3, 15, 20, 0, 9]),
            Series.counts("Giải quyết", [10, 8, 7, 2, 18, 9]),
        ],
    )
    root = parse(chart)

    # Received breaks at 02 (01 alone | 03–06: zero is a count, drawn); resolved at 04
    # (01–03 | 05–06). The number of points in each segment:
    points = [p.get("points").count(",") for p in root.iter(f"{SVG}polyline")]
    assert points == [4, 3, 2]
    assert len(gaps(chart)) == 2  # one hatched slot per month where a series is hidden
    assert all(g.get("fill") == "url(#by-month-gap)" for g in gaps(chart))
    assert [p.get("id") for p in root.iter(f"{SVG}pattern")] == ["by-month-gap"]
    labels = texts(chart)
    assert labels.count("< 5") == 2  # above each hatched slot
    assert "Hatched: too few to show (< 5), no point drawn." in labels  # the key
    assert "3" not in labels and "2" not in labels  # the hidden counts never show
    assert "Tiếp nhận: no point is drawn for 02/2025 (< 5: too few to show)." in chart.summary
    assert "Giải quyết: no point is drawn for 04/2025 (< 5: too few to show)." in chart.summary
    assert chart.summary.endswith("The figures are in the table below.")
    assert [row.cells for row in chart.table().rows][1] == ("< 5", "8")


def test_a_hidden_count_between_two_points_leaves_a_lone_point_marked():
    chart = line_chart(
        "alone", "Theo tháng", ["01", "02", "03"], [Series.counts("Số vụ", [2, 9, 1])]
    )
    root = parse(chart)

    assert list(root.iter(f"{SVG}polyline")) == []  # 02 stands alone, with its marker
    assert len(list(root.iter(f"{SVG}circle"))) == 1
    assert len(gaps(chart)) == 2
    assert "9" in texts(chart)


def test_zero_and_no_data_are_not_hatched_as_hidden_counts():
    chart = line_chart("plain", "Theo tháng", ["01", "02", "03"], [Series("x", [0, None, 6])])

    assert gaps(chart) == []
    assert "Hatched" not in " ".join(texts(chart))
    assert "no point is drawn" not in chart.summary


def test_a_bar_chart_has_no_gap_hatching():
    chart = bar_chart("bars", "Theo đơn vị", ["A", "B"], [Series.counts("Số vụ", [3, 10])])

    assert gaps(chart) == []
    assert "no point is drawn" not in chart.summary


def test_the_gap_key_and_notes_follow_the_language(app_ctx):
    chart = line_chart("lang", "Theo tháng", ["01", "02"], [Series.counts("Số vụ", [7, 4])])

    key = gettext("Hatched: too few to show (%(shown)s), no point drawn.", shown="< 5")
    assert key in " ".join(texts(chart))  # wrapped onto as many lines as it needs
    note = gettext(
        "%(series)s: no point is drawn for %(categories)s (%(shown)s: too few to show).",
        series="Số vụ",
        categories="02",
        shown="< 5",
    )
    assert note in chart.summary
    check_page(render(chart))


def test_missing_values_say_no_data_and_draw_nothing():
    chart = bar_chart("gap", "Thiếu", ["A", "B"], [Series("x", [None, 4])])

    assert len(bar_widths(chart)) == 1
    assert "No data" in texts(chart)
    assert chart.table().rows[0].cells == ("No data",)


def test_zero_and_all_zero_series_draw_without_dividing_by_zero():
    bars = bar_chart("zero", "Không", ["A", "B"], [Series("x", [0, 0]), Series("y", [0, 0.0])])
    line = line_chart("zero-line", "Không", ["01", "02"], [Series("x", [0, 0])])

    assert bar_widths(bars) == []
    assert texts(bars).count("0") == 4
    (polyline,) = parse(line).iter(f"{SVG}polyline")
    heights = {point.split(",")[1] for point in polyline.get("points").split()}
    assert len(heights) == 1  # the line lies flat on the baseline
    assert "1" in texts(line)  # an axis from 0 to 1, not from 0 to 0


def test_no_categories_or_no_values_say_no_data():
    empty = bar_chart("empty", "Trống", [], [Series("x", [])])
    blank = line_chart("blank", "Trống", ["01"], [Series("x", [None])])

    for chart in (empty, blank):
        assert texts(chart) == ["No data"]
    assert empty.table().rows == ()


def test_long_labels_are_cut_in_the_picture_and_whole_in_the_table():
    long = "Thanh tra – khiếu nại, tố cáo liên quan đến cán bộ, công chức " * 3
    chart = bar_chart("long", "Dài", [long.strip()], [Series("x", [5])])
    labels = [t for t in parse(chart).iter(f"{SVG}text") if t.find(f"{SVG}title") is not None]

    assert len(labels) == 2  # two lines, both carrying the full text as a tooltip
    assert "".join(labels[-1].itertext()).endswith("…")
    assert labels[-1].find(f"{SVG}title").text == long.strip()
    assert chart.table().rows[0].category == long.strip()


def test_line_chart_labels_only_as_many_months_as_fit():
    months = [f"{m:02d}/2025" for m in range(1, 13)]
    chart = line_chart("year", "Năm", months, [Series("a", list(range(12))), Series("b", [1] * 12)])
    shown = [t for t in texts(chart) if t in months]

    assert "01/2025" in shown
    assert 3 <= len(shown) < 12
    assert len(list(parse(chart).iter(f"{SVG}polyline"))) == 2


def test_nice_ticks():
    assert nice_ticks(170, integers=True) == [0, 50, 100, 150, 200]
    assert nice_ticks(100, integers=True) == [0, 50, 100]
    assert nice_ticks(0, integers=True) == [0, 1]
    assert nice_ticks(3, integers=True) == [0, 1, 2, 3]
    assert nice_ticks(0.8, integers=False) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8])


def test_each_series_gets_its_own_pattern_named_after_the_chart():
    chart = bar_chart("pair", "Cặp", ["A"], [Series("2024", [1]), Series("2025", [2])])
    root = parse(chart)
    patterns = [p.get("id") for p in root.iter(f"{SVG}pattern")]

    assert patterns == ["pair-fill-1"]
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("class")}
    assert fills == {"#1d4f91", "url(#pair-fill-1)"}


def test_two_charts_on_one_page_make_valid_html_with_unique_ids(app_ctx):
    first = topics()
    second = line_chart("by-month", "Theo tháng", ["01", "02"], [Series("a", [1, 2])])
    page = render(first, second, csv_url="/thong-ke.csv")

    check_page(page)  # valid HTML5, no duplicate ids
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert {"by-topic-title", "by-topic-desc", "by-month-title", "by-month-desc"} <= set(ids)
    for referenced in re.findall(r'aria-(?:labelledby|describedby)="([^"]+)"', page):
        assert referenced in ids
    assert page.count("<figure") == 2 and page.count("<figcaption") == 2
    assert page.count("<caption>") == 2
    assert gettext("Figures for the chart: %(title)s", title="Theo tháng") in page
    assert page.count('<th scope="col"') == 4
    assert page.count('<th scope="row">') == 5
    assert page.count('href="/thong-ke.csv"') == 2


def test_the_table_shows_every_series_and_category(app_ctx):
    chart = bar_chart(
        "t",
        "Bảng",
        ["Đất đai", "Khác"],
        [Series("2024", [1000, None]), Series("2025", [1234, 0])],
        category_label="Lĩnh vực",
    )
    table = chart.table()

    assert table.headers == ("Lĩnh vực", "2024", "2025")
    assert [(r.category, r.cells) for r in table.rows] == [
        ("Đất đai", ("1.000", "1.234")),
        ("Khác", (gettext("No data"), "0")),
    ]


def test_the_description_is_written_from_the_data_when_none_is_given():
    summary = topics().summary

    assert "2025: highest Xây dựng (40), lowest Đất đai (10)." in summary
    assert summary.endswith("The figures are in the table below.")


@pytest.mark.parametrize(
    ("chart_id", "values"),
    [("Bad id", [1]), ('"><script>', [1]), ("ok", [1, 2])],
)
def test_a_bad_id_or_a_value_count_unlike_the_categories_is_refused(chart_id, values):
    with pytest.raises(ValueError):
        bar_chart(chart_id, "T", ["A"], [Series("x", values)])


def test_a_chart_needs_a_series():
    with pytest.raises(ValueError):
        bar_chart("ok", "T", ["A"], [])


@pytest.mark.parametrize(
    ("value", "error"), [(-1, ValueError), (float("nan"), ValueError), ("7", TypeError)]
)
def test_values_must_be_numbers_not_negative(value, error):
    with pytest.raises(error):
        Series("x", [value])


def test_shown_needs_one_entry_per_value():
    with pytest.raises(ValueError, match="one entry per value"):
        Series("x", [1, 2], shown=["< 5"])
