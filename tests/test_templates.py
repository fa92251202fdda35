"""Tests of the framework templates: the shipped files and the loader's checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import workbench
from workbench import errors
from workbench._paths import builtin_templates_dir
from workbench.templates import SHAPES, Template, get_template, load_template, templates

SHIPPED = ["ccrt", "cmp", "five_ps", "malan", "psychodynamic"]

#: The Okabe-Ito colour-blind-safe palette.
OKABE_ITO = {
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
    "#000000",
}


@pytest.fixture(autouse=True)
def _no_user_templates(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own template folders out of these tests."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("WORKBENCH_TEMPLATE_PATH", raising=False)


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """
id = "{id}"
name = "Mini"
method = "A test method"
references = ["Someone (2024). A book."]
layers = ["Top", "Bottom"]

[[element_kinds]]
id = "thing"
layer = 0
shape = "box"

[[element_kinds]]
id = "other"
layer = 1
shape = "{shape}"

[[link_kinds]]
id = "touches"
verb = "touches"
allow = [ {{ from = ["thing"], to = ["{target}"] }} ]
"""


def minimal(id: str = "mini", shape: str = "ellipse", target: str = "other") -> str:
    return MINIMAL.format(id=id, shape=shape, target=target)


# --- the shipped templates ---------------------------------------------------------


def test_every_shipped_template_is_installed() -> None:
    assert sorted(templates()) == SHIPPED
    files = sorted(p.stem for p in builtin_templates_dir().glob("*.toml"))
    assert files == SHIPPED


@pytest.mark.parametrize("template_id", SHIPPED)
def test_shipped_template_loads_and_cites_its_method(template_id: str) -> None:
    t = get_template(template_id)
    assert t.id == template_id
    assert t.name and t.description and t.method
    assert t.references, "a template must cite the method it follows"
    text = Path(t.path or "").read_text(encoding="utf-8")
    assert text.startswith("#"), "the file opens with a comment that names the method"
    assert t.element_kinds and t.link_kinds


@pytest.mark.parametrize("template_id", SHIPPED)
def test_each_kind_has_its_own_shape_and_an_okabe_ito_colour(template_id: str) -> None:
    t = get_template(template_id)
    shapes = [k.shape for k in t.element_kinds.values()]
    assert len(shapes) == len(set(shapes)), f"shapes repeat in {template_id}: {shapes}"
    assert set(shapes) <= set(SHAPES)
    for kind in t.element_kinds.values():
        assert kind.color.upper() in OKABE_ITO, f"{template_id}.{kind.id} colour {kind.color}"
        assert kind.name and kind.description


@pytest.mark.parametrize("template_id", SHIPPED)
def test_layers_are_named_and_used(template_id: str) -> None:
    t = get_template(template_id)
    used = {k.layer for k in t.element_kinds.values()}
    assert used <= set(range(len(t.layers))), "every layer number has a name"
    assert used == set(range(len(t.layers))), "every named layer holds some kind"


@pytest.mark.parametrize("template_id", SHIPPED)
def test_link_rules_name_existing_kinds_and_every_kind_can_be_linked(template_id: str) -> None:
    t = get_template(template_id)
    linked: set[str] = set()
    for lk in t.link_kinds.values():
        assert lk.verb and lk.description
        assert lk.sign in (1, -1)
        assert lk.allow, f"{lk.id} allows nothing"
        for sources, targets in lk.allow:
            for kind in sources | targets:
                assert kind == "*" or kind in t.element_kinds, f"{lk.id} names {kind}"
            linked |= set(t.element_kinds) if "*" in sources | targets else sources | targets
    assert linked == set(t.element_kinds), "every element kind takes part in some link kind"


@pytest.mark.parametrize("template_id", SHIPPED)
def test_code_sets_reference_clusters_that_exist(template_id: str) -> None:
    t = get_template(template_id)
    for cs in t.code_sets.values():
        assert cs.name and cs.source
        for code in cs.codes.values():
            assert code.cluster is None or code.cluster in cs.clusters
    for kind in t.element_kinds.values():
        assert kind.code_set is None or kind.code_set in t.code_sets


def test_ccrt_has_eight_clusters_per_component() -> None:
    t = get_template("ccrt")
    for kind, prefix in [("wish", "W"), ("response_of_other", "RO"), ("response_of_self", "RS")]:
        cs = t.code_set_for(kind)
        assert cs is not None
        assert list(cs.clusters) == [f"{prefix}{i}" for i in range(1, 9)]
        assert len(set(cs.clusters.values())) == 8
    assert t.code_sets["ccrt_w"].clusters["W6"] == "To be loved and understood"
    assert t.code_sets["ccrt_ro"].clusters["RO5"] == "Rejecting and opposing"
    assert t.code_sets["ccrt_rs"].clusters["RS6"] == "Helpless"


def test_ccrt_layers_read_episode_wish_ro_rs() -> None:
    t = get_template("ccrt")
    layer = {
        k: t.element_kinds[k].layer
        for k in ("episode_current", "wish", "response_of_other", "response_of_self")
    }
    assert layer["episode_current"] < layer["wish"] < layer["response_of_other"] < layer["response_of_self"]
    assert {t.element_kinds[k].layer for k in ("episode_current", "episode_past", "episode_therapist")} == {0}


def test_five_ps_layers_and_protective_sign() -> None:
    t = get_template("five_ps")
    order = [
        t.element_kinds[k].layer for k in ("predisposing", "precipitating", "perpetuating", "presenting")
    ]
    assert order == sorted(order) and len(set(order)) == 4
    assert t.link_kind("protects_against").sign == -1
    assert t.link_kind("predisposes_to").sign == 1


def test_a_ccrt_formulation_can_be_built_and_coded() -> None:
    f = workbench.new("ccrt", case_id="C-1", title="CCRT demo")
    re_ = f.add_element("episode_past", "Father at the dinner table")
    w = f.add_element("wish", "To be listened to", code="W6")
    ro = f.add_element("response_of_other", "He talks over her", code="RO5")
    rs = f.add_element("response_of_self", "Falls silent, feels small", code="RS6")
    f.add_link(re_, w, "expresses")
    f.add_link(re_, ro, "contains")
    met = f.add_link(w, ro, "met_negatively")
    fol = f.add_link(ro, rs, "followed_negatively")
    assert f.sentence(met) == "To be listened to is met negatively by He talks over her"
    assert f.sentence(fol) == "He talks over her is followed negatively by Falls silent, feels small"
    assert f.graph.edges[w, ro, met]["weight"] == -1.0
    with pytest.raises(errors.InvalidValue, match="not a category of CCRT wish clusters"):
        f.add_element("wish", "Something", code="RO5")
    with pytest.raises(errors.LinkNotAllowed, match="allowed here: met_positively, met_negatively"):
        f.add_link(w, ro, "contains")


@pytest.mark.parametrize(
    ("template_id", "chain"),
    [
        (
            "cmp",
            [
                ("expectations_of_others", "shapes", "acts_of_self"),
                ("acts_of_self", "evokes", "acts_of_others"),
                ("acts_of_others", "confirms", "expectations_of_others"),
            ],
        ),
        (
            "malan",
            [
                ("hidden_feeling", "arouses", "anxiety"),
                ("anxiety", "leads_to", "defense"),
                ("defense", "defends_against", "hidden_feeling"),
            ],
        ),
        (
            "five_ps",
            [
                ("predisposing", "predisposes_to", "presenting"),
                ("precipitating", "precipitates", "presenting"),
                ("protective", "protects_against", "presenting"),
            ],
        ),
    ],
)
def test_the_method_core_pattern_can_be_drawn(template_id: str, chain: list[tuple[str, str, str]]) -> None:
    f = workbench.new(template_id, case_id="C-2")
    ids: dict[str, str] = {}
    for source, link_kind, target in chain:
        for kind in (source, target):
            ids.setdefault(kind, f.add_element(kind, kind.replace("_", " ")))
        f.add_link(ids[source], ids[target], link_kind)
    assert f.graph.number_of_edges() == len(chain)


def test_unknown_kind_message_matches_the_issue_example() -> None:
    # Issue 2: "'dream' is not an element kind of template 'ccrt'; kinds are: wish, response_of_other, ..."
    f = workbench.new("ccrt", case_id="C-3")
    with pytest.raises(errors.UnknownKind) as info:
        f.add_element("dream", "A dream")
    message = str(info.value)
    assert message.startswith(
        "'dream' is not an element kind of template 'ccrt'; kinds are: wish, response_of_other, "
    )
    assert message.endswith(".")
    assert re.fullmatch(
        r"'dream' is not an element kind of template 'ccrt'; kinds are: [a-z_]+(, [a-z_]+)*\.", message
    )


# --- user templates ----------------------------------------------------------------


def test_user_template_is_found_through_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "mine"
    _write(folder, "mini.toml", minimal())
    monkeypatch.setenv("WORKBENCH_TEMPLATE_PATH", str(folder))
    assert "mini" in templates()
    t = get_template("mini")
    assert isinstance(t, Template)
    assert t.path == str(folder / "mini.toml")
    f = workbench.new("mini", case_id="C-4")
    a, b = f.add_element("thing", "A"), f.add_element("other", "B")
    assert f.sentence(f.add_link(a, b, "touches")) == "A touches B"


def test_user_template_in_the_config_folder_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    _write(home / ".config" / "formulation-workbench" / "templates", "mine.toml", minimal("mine"))
    monkeypatch.setenv("HOME", str(home))
    assert get_template("mine").name == "Mini"


def test_user_template_can_replace_a_builtin_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "over", "five_ps.toml", minimal("five_ps"))
    monkeypatch.setenv("WORKBENCH_TEMPLATE_PATH", str(tmp_path / "over"))
    assert get_template("five_ps").name == "Mini"
    monkeypatch.delenv("WORKBENCH_TEMPLATE_PATH")
    assert get_template("five_ps").name == "The 5 Ps"


def test_unknown_template_id_lists_installed_ones() -> None:
    with pytest.raises(
        errors.TemplateNotFound, match="There is no template 'nope'; installed templates are: ccrt, cmp"
    ):
        get_template("nope")


# --- bad template files ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id = \n", r"is not valid TOML"),
        (minimal(target="ghost"), r"link kind 'touches' names unknown element kinds: ghost\."),
        (minimal(shape="blob"), r"element kind 'other' has shape 'blob'; shapes are: box, ellipse"),
        (minimal() + '\n[[element_kinds]]\nid = "thing"\n', r"element kind 'thing' appears twice\."),
        (
            minimal() + '\n[[link_kinds]]\nid = "touches"\nallow = []\n',
            r"link kind 'touches' appears twice\.",
        ),
        (minimal().replace('verb = "touches"', 'verb = "touches"\nsign = 0'), r"has sign 0; use 1 or -1"),
        ('id = "x"\nlink_kinds = []\n', r"the template has no 'element_kinds'\."),
        (minimal().replace('id = "mini"', 'name2 = "x"'), r"the template has no 'id'\."),
        (
            minimal().replace('shape = "box"', 'shape = "box"\ncode_set = "nope"'),
            r"element kind 'thing' uses unknown code set 'nope'\.",
        ),
        (
            minimal() + '\n[[code_sets]]\nid = "cs"\nclusters = [ { id = "A" } ]\n'
            '[[code_sets.codes]]\nid = "a1"\ncluster = "B"\n',
            r"code set 'cs' names unknown clusters: B\.",
        ),
        (minimal().replace("layer = 1", 'layer = "deep"'), r"does not have the expected layout"),
        (
            'id = "x"\nelement_kinds = [1, 2]\nlink_kinds = []\n',
            r"an element kind has no 'id'|expected layout",
        ),
    ],
    ids=[
        "bad-toml",
        "unknown-kind-in-allow",
        "bad-shape",
        "duplicate-kind",
        "duplicate-link-kind",
        "bad-sign",
        "no-element-kinds",
        "no-id",
        "unknown-code-set",
        "unknown-cluster",
        "bad-layer",
        "kinds-not-tables",
    ],
)
def test_bad_template_files_give_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, "bad.toml", text)
    with pytest.raises(errors.TemplateError, match=message) as info:
        load_template(path)
    text_of_error = str(info.value)
    assert str(path) in text_of_error, "the message names the file"
    assert "\n" not in text_of_error.strip() or "TOML" in text_of_error


def test_missing_template_file_is_a_template_error(tmp_path: Path) -> None:
    with pytest.raises(errors.TemplateError, match=r"Cannot read template file .*missing\.toml"):
        load_template(tmp_path / "missing.toml")


def test_bad_user_template_is_skipped_with_a_warning_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "bad", "broken.toml", minimal("broken", target="ghost"))
    _write(tmp_path / "bad", "good.toml", minimal("good"))
    monkeypatch.setenv("WORKBENCH_TEMPLATE_PATH", str(tmp_path / "bad"))
    unknown = r"broken\.toml: link kind 'touches' names unknown"
    with pytest.warns(errors.BrokenTemplateWarning, match=unknown) as w:
        installed = templates()
    assert {"psychodynamic", "ccrt", "good"} <= set(installed) and "broken" not in installed
    assert [x.message.path for x in w if isinstance(x.message, errors.BrokenTemplateWarning)] == [
        str(tmp_path / "bad" / "broken.toml")
    ]
    # only a case that uses it fails, with the file named
    with pytest.raises(errors.TemplateError, match=r"template 'broken' cannot be used: .*broken\.toml"):
        get_template("broken")
    assert get_template("psychodynamic").id == "psychodynamic"


def test_half_edited_user_template_locks_no_case_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = tmp_path / "case.formulation.json"
    f = workbench.new("psychodynamic", case_id="C-5")
    f.add_element("defense", "Self-sufficiency")
    workbench.save(f, case, message="first", author="Dr A")
    mine = tmp_path / "mine.formulation.json"
    _write(tmp_path / "t", "mini.toml", minimal("mini"))
    monkeypatch.setenv("WORKBENCH_TEMPLATE_PATH", str(tmp_path / "t"))
    g = workbench.new("mini", case_id="C-6")
    g.add_element("thing", "A")
    workbench.save(g, mine, message="first", author="Dr A")
    _write(tmp_path / "t", "mini.toml", "id = \"mini\"\nname = [unfinished\n")  # a half-edited file
    with pytest.warns(errors.BrokenTemplateWarning, match=r"mini\.toml is not valid TOML"):
        assert workbench.load(case).element_records()[0].label == "Self-sufficiency"
    workbench.validate(case)
    with pytest.raises(errors.TemplateError, match=r"'mini' cannot be used: .*mini\.toml is not valid TOML"):
        workbench.load(mine)


def test_cli_shows_and_lists_despite_a_broken_user_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from workbench.cli import main

    case = tmp_path / "case.formulation.json"
    f = workbench.new("psychodynamic", case_id="C-7")
    f.add_element("defense", "Self-sufficiency")
    workbench.save(f, case, message="first", author="Dr A")
    _write(tmp_path / "t", "half.toml", "id = \"half\"\nname = [unfinished\n")
    monkeypatch.setenv("WORKBENCH_TEMPLATE_PATH", str(tmp_path / "t"))
    warned = []
    for argv in (["show", str(case)], ["validate", str(case)], ["templates"]):
        assert main(argv) == 0, argv
        warned += [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert warned and all("half.toml is not valid TOML" in line for line in warned)  # read once, warned once
    new = tmp_path / "new.formulation.json"
    assert main(["new", str(new), "--template", "half", "--case-id", "C-8"]) == 1
    err = capsys.readouterr().err
    assert "half.toml is not valid TOML" in err and "Traceback" not in err
