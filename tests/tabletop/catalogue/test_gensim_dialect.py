"""GenSim's meaning of templates and a checkout's own asset files (catalogue.gensim, catalogue.urdf)."""

import pytest

from roboinstruct.tabletop.catalogue import gensim
from roboinstruct.tabletop.catalogue.assets import fill_template, resolve
from roboinstruct.tabletop.catalogue.urdf import asset_from_urdf
from roboinstruct.tabletop.errors import TaskDefect


def mid(lo, hi, n):
    return [(lo + hi) / 2] * n


def test_an_unfilled_template_is_a_defect_in_our_dialect_and_gets_gensims_dummy_size_in_gensims():
    with pytest.raises(TaskDefect, match="was not filled"):
        resolve("box/box-template.urdf")
    box = resolve("box/box-template.urdf", mid)
    assert box.size == pytest.approx((0.04, 0.04, 0.04))
    corner = resolve("corner/corner-template.urdf", mid)  # DIMX/DIMY filled too
    assert corner.size[:2] == pytest.approx((0.055, 0.055))  # fixed arms; DIMX/DIMY only place them


def test_cylinder_and_ball_dim_is_a_radius_in_gensims_dialect_only():
    ball = fill_template("ball/ball-template.urdf", {"DIM": (0.02, 0.02, 0.02)})
    assert resolve(ball).size == pytest.approx((0.02,) * 3)  # ours: DIM is the full size
    assert resolve(ball, mid).size == pytest.approx((0.04,) * 3)  # GenSim's: radius 2 cm
    cyl = fill_template("cylinder/cylinder-template.urdf", {"DIM": (0.02, 0.02, 0.06)})
    assert resolve(cyl, mid).size == pytest.approx((0.04, 0.04, 0.06))
    assert gensim.size_from("box", {"DIM": [0.1, 0.2, 0.3]}) is None


def test_refilling_a_filled_template_keeps_its_first_fill_and_missing_templates_fall_back_as_gensims_add_object():
    once = fill_template("box/box-template.urdf", {"DIM": (0.05, 0.05, 0.05)})
    assert fill_template(once, {"DIM": (0.1, 0.1, 0.1), "COLOR": "red"}) == once
    with pytest.raises(TaskDefect, match="unknown asset"):
        resolve("block/block-template.urdf")
    assert resolve("block/block-template.urdf", mid).asset.name == "block/block.urdf"


URDF = """<?xml version="1.0"?><robot name="s"><link name="baseLink">
<visual><geometry><sphere radius="DIM0"/></geometry></visual>
<collision><geometry><sphere radius="DIM0"/></geometry></collision></link></robot>"""
LINE = """<robot name="l"><link name="baseLink"><visual><geometry><box size="DIM0 0.01 0.001"/></geometry>
</visual></link></robot>"""


def test_a_checkouts_single_primitive_urdf_becomes_a_catalogue_entry():
    sphere = asset_from_urdf("sphere/sphere-template.urdf", URDF)
    assert sphere.shape == "sphere" and sphere.required == ("DIM",) and sphere.pickable
    r = resolve("sphere/sphere-template.urdf?{\"DIM\": [0.02, 0.02, 0.02]}", mid, {sphere.name: sphere})
    assert r.size == pytest.approx((0.04,) * 3)
    line = asset_from_urdf("line/single-green-line-template.urdf", LINE)
    assert line.shape == "bar" and not line.collision and not line.pickable
    assert asset_from_urdf("x/mesh.urdf", "<robot><link><visual><geometry><mesh filename='a.obj'/></geometry>"
                                          "</visual></link></robot>") is None
    assert asset_from_urdf("x/bad.urdf", "<robot") is None


def test_a_checkouts_urdf_gives_its_mass_and_frictions():
    """GenSim's pybullet takes mass and contact friction from the URDF (and computes the inertia from
    the shape): a 1 g pile block with friction 0.5 weighs and slides as that, not as a catalogue block."""
    from roboinstruct.tabletop.catalogue.urdf import dynamics_from_urdf

    small = """<robot name="small.urdf"><link name="baseLink"><contact><lateral_friction value="0.5"/>
      <rolling_friction value="0.0001"/></contact><inertial><mass value=".001"/>
      <inertia ixx="1" ixy="0" ixz="0" iyy="1" iyz="0" izz="1"/></inertial>
      <collision><geometry><box size="0.01 0.01 0.01"/></geometry></collision></link></robot>"""
    assert dynamics_from_urdf(small) == {"mass": 0.001, "lateral_friction": 0.5, "rolling_friction": 0.0001}
    two = ("<robot><link name='a'><inertial><mass value='0.1'/></inertial></link>"
           "<link name='b'><inertial><mass value='0.05'/></inertial></link></robot>")
    d = dynamics_from_urdf(two)
    assert d["mass"] == pytest.approx(0.15) and d["lateral_friction"] == 0.5  # pybullet's default friction
    assert dynamics_from_urdf("<robot><link name='a'/></robot>") is None      # massless: nothing to say
    assert dynamics_from_urdf("not xml") is None
