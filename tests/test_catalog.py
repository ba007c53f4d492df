import pytest

from xl766.catalog import CatalogError, available_sets, load_indicator_set

GROUPS_766 = {"CKMB": 18, "TDGQ": 20, "DVCTT": 12, "TTTT": 10, "MDHL": 18, "SHHS": 22}


def test_bundled_sets():
    assert available_sets() == ["766-2024", "766-2026", "dienbien-459-2023", "nd61-2018"]


@pytest.mark.parametrize("set_id", ["766-2024", "766-2026"])
def test_766_groups_and_indicators(set_id):
    s = load_indicator_set(set_id)
    assert {g.code: g.max_points for g in s.groups} == GROUPS_766
    points = {i.code: i.max_points for i in s.indicators}
    assert [points[f"CKMB.{k}"] for k in range(1, 5)] == [6, 4, 2, 6]
    assert [points[c] for c in ("TDGQ.1", "DVCTT.1", "DVCTT.2", "DVCTT.3")] == [20, 2, 4, 6]
    assert [points[f"TTTT.{k}"] for k in range(1, 4)] == [6, 2, 2]
    assert [points[f"MDHL.{k}"] for k in range(1, 4)] == [6, 6, 6]
    assert all(i.source and i.provenance for i in s.indicators)


def test_766_versions_differ_where_the_reference_says():
    old, new = load_indicator_set("766-2024"), load_indicator_set("766-2026")
    rules = lambda s: {i.code: (i.rule.value, i.target_percent) for i in s.indicators}  # noqa: E731
    assert rules(old)["TTTT.1"] == ("target", 30) and rules(new)["TTTT.1"] == ("linear", None)
    assert rules(old)["TTTT.2"] == ("linear", None) and rules(new)["TTTT.2"] == ("target", 80)
    assert [g for g in old.groups if g.code == "SHHS"][0].indicators == ()
    assert [i.max_points for i in new.indicators if i.code.startswith("SHHS")] == [
        6, 4, 2, 2, 4, 2, 2]
    assert {i.code: i.zero_denominator.value for i in new.indicators}["MDHL.2"] == "full"


def test_dienbien_and_nd61():
    db = load_indicator_set("dienbien-459-2023")
    assert [(i.code, i.max_points) for i in db.indicators] == [
        ("CKMB.1", 5), ("CKMB.2", 5), ("CKMB.3", 10), ("TDGQ.1", 30), ("DVTT.1", 10),
        ("DVTT.2", 10), ("SHHS.1", 5), ("SHHS.2", 10), ("MDHL.1", 5), ("MDHL.2", 5),
        ("MDHL.3", 5)]
    assert db.blank.means.value == "not_applicable"
    assert db.conversion.method.value == "applicable_max"
    nd61 = load_indicator_set("nd61-2018")
    assert [i.max_points for i in nd61.indicators] == [2] * 9 and nd61.total_max == 18


def _broken(tmp_path, old, new):
    text = (load_indicator_set.__globals__["_sets_folder"]() / "766-2026.toml").read_text(
        encoding="utf-8")
    assert old in text
    path = tmp_path / "hong.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_indicator_set(path)
    return str(caught.value)


def test_maxima_that_do_not_add_up(tmp_path):
    message = _broken(tmp_path, 'max_points = 6, rule = "linear", actionable = false, '
                      'provenance = "V", source = "Cổng DVCQG: điểm = tỷ lệ × 6." },',
                      'max_points = 7, rule = "linear", provenance = "V", source = "x" },')
    assert "hong.toml" in message and "khóa 'groups[0]'" in message
    assert "tổng điểm tối đa các chỉ số là 19, khác điểm tối đa của nhóm 18" in message


def test_unknown_rule_and_missing_key(tmp_path):
    message = _broken(tmp_path, 'rule = "linear"', 'rule = "tuyen_tinh"')
    assert "groups[0].indicators[0].rule" in message and "giá trị không hợp lệ" in message
    message = _broken(tmp_path, 'name = "Công khai, minh bạch"\n', "")
    assert "khóa 'groups[0].name': thiếu khóa bắt buộc" in message


def test_target_rule_needs_a_target(tmp_path):
    message = _broken(tmp_path, ', target_percent = 50', '')
    assert "chỉ số DVCTT.3: quy tắc 'target' cần 'target_percent'" in message


def test_toml_syntax_error(tmp_path):
    message = _broken(tmp_path, "[conversion]", "[conversion")
    assert "sai cú pháp TOML" in message


def test_unknown_set_lists_the_bundled_ones():
    with pytest.raises(CatalogError, match="Các bộ có sẵn: 766-2024, 766-2026"):
        load_indicator_set("766-2099")
