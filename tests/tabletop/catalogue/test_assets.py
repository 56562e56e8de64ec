"""The catalogue as data, references → shapes, and every asset built in the real simulator."""

import pytest

from roboinstruct.tabletop.catalogue.assets import asset_list_text, catalogue, fill_template, resolve
from roboinstruct.tabletop.errors import TaskDefect, Unsupported
from roboinstruct.tabletop.env.sim import Sim

GENSIM_NAMES = ["stacking/block.urdf", "box/box-template.urdf", "container/container-template.urdf", "bowl/bowl.urdf",
                "zone/zone.urdf", "corner/corner-template.urdf", "cylinder/cylinder-template.urdf",
                "ball/ball-template.urdf", "pallet/pallet.urdf", "insertion/ell.urdf", "insertion/fixture.urdf",
                "line/line-template.urdf", "square/square-template.urdf"]


def _filled(asset):
    if not asset.template:
        return asset.name
    if "DIMX" in asset.template:
        return fill_template(asset.name, {"DIMX": (0.05,), "DIMY": (0.04,)})
    return fill_template(asset.name, {"DIM": asset.size if asset.size[2] else asset.size[:2] + (0.001,)})


def test_gensim_asset_names_resolve():
    for name in GENSIM_NAMES:
        assert name in catalogue(), name


def test_every_asset_builds_a_body_at_its_size():
    sim = Sim()
    try:
        for asset in catalogue().values():
            if asset.shape == "unsupported":
                with pytest.raises(Unsupported):
                    resolve(asset.name)
                continue
            if asset.shape == "mesh":  # a kitting mesh: only from a checkout's own file (below)
                with pytest.raises(Unsupported):
                    resolve(fill_template(asset.name, {"FNAME": ("assets/kitting/05.obj",)}))
                continue
            resolved = resolve(_filled(asset))
            body = sim.add(resolved, (0.5, 0.0, 0.1), (0, 0, 0, 1), fixed=not asset.pickable, color=None)
            assert sim.bodies[body].name == asset.name
            if asset.collision and asset.shape in ("box", "cylinder", "sphere"):
                lo, hi = __import__("pybullet").getAABB(body, physicsClientId=sim.client)
                assert hi[2] - lo[2] == pytest.approx(resolved.size[2], abs=0.01), asset.name
            sim.reset()
    finally:
        sim.close()


def test_unknown_asset_names_its_stage_and_a_close_name():
    with pytest.raises(TaskDefect) as e:
        resolve("stacking/blocks.urdf")
    assert e.value.stage == "assets"
    assert "stacking/block.urdf" in e.value.message


@pytest.mark.parametrize("reference, needle", [
    ("box/box-template.urdf", "was not filled"),
    (fill_template("box/box-template.urdf", {"COLOR": "red"}), "without DIM or HALF"),
    (fill_template("box/box-template.urdf", {"DIM": (3.0, 0.1, 0.1)}), "outside"),
    (fill_template("box/box-template.urdf", {"DIM": (0.1, 0.1, 0.1), "RADIUS": 1}), "no placeholder RADIUS"),
    (fill_template("stacking/block.urdf", {"DIM": (0.1, 0.1, 0.1)}), "not a template"),
])
def test_template_defects(reference, needle):
    with pytest.raises(TaskDefect) as e:
        resolve(reference)
    assert e.value.stage == "templates"
    assert needle in e.value.message


def test_half_and_dim_give_the_same_size():
    a = resolve(fill_template("box/box-template.urdf", {"DIM": (0.1, 0.06, 0.04)}))
    b = resolve(fill_template("box/box-template.urdf", {"HALF": (0.05, 0.03, 0.02)}))
    assert a.size == pytest.approx(b.size)


def test_prompt_asset_list_comes_from_the_catalogue():
    text = asset_list_text()
    assert "'stacking/block.urdf'" in text and "[template: DIM, HALF, COLOR]" in text
    assert "kitting/object-template.urdf" not in text  # unsupported assets are not offered


def test_a_kitting_template_builds_the_checkouts_mesh_scaled():
    from roboinstruct.tabletop.catalogue.urdf import mesh_from_obj

    cube = "\n".join(f"v {x} {y} {z}" for x in (-10, 10) for y in (-10, 10) for z in (0, 20)) + "\nf 1 2 3\n"
    extra = {"kitting/05.obj": mesh_from_obj("kitting/05.obj", cube)}
    ref = fill_template("kitting/object-template.urdf",
                        {"FNAME": ("assets/kitting/05.obj",), "SCALE": [0.003, 0.003, 0.001], "COLOR": [1, 0, 0]})
    resolved = resolve(ref, extra=extra)
    assert resolved.size == pytest.approx((0.06, 0.06, 0.02)) and resolved.asset.shape == "mesh"
    with pytest.raises(TaskDefect):  # the mesh file itself is no body
        resolve("kitting/05.obj", extra=extra)
    sim = Sim()
    try:
        body = sim.add(resolved, (0.5, 0.0, 0.0), (0, 0, 0, 1), fixed=False, color=None)
        lo, hi = __import__("pybullet").getAABB(body, physicsClientId=sim.client)
        assert hi[0] - lo[0] == pytest.approx(0.06, abs=0.01) and sim.bodies[body].pickable
    finally:
        sim.close()

