import pytest

from roboinstruct.domain import DomainError, load_domain, parse_domain
from roboinstruct.robosim.explore import explore

SERVICE_API = ["get_current_location", "get_all_rooms", "is_in_room", "go_to", "ask", "say", "pick", "place"]


def test_builtin_domain_declares_the_eight_functions(domain):
    assert list(domain.functions) == SERVICE_API
    assert domain.functions["ask"].signature == "ask(person: str, question: str, options: list[str]) -> str"
    prompt = domain.api_prompt()
    for name in SERVICE_API:
        assert f"def {name}(" in prompt
    assert domain.functions["pick"].doc in prompt


def test_domain_is_what_the_engine_reads(domain):
    # pick's preconditions come from the declaration, not from engine code
    pick = domain.functions["pick"]
    assert [str(r.literal) for r in pick.requires] == ["not holding(*)", "at(here, obj)"]
    assert [str(e) for e in pick.effects] == ["holding(obj)", "unknown at(here, obj)"]


def test_second_domain_verifies_without_engine_changes(drone):
    assert drone.name == "delivery_drone"
    ok = "def task_program():\n    take_off()\n    fly_to('north pad')\n    if can_see('tent'):\n        photograph('tent')\n    land()\n"
    assert explore(ok, drone).valid
    bad = "def task_program():\n    fly_to('north pad')\n"
    v = explore(bad, drone)
    assert not v.valid and v.error_kind == "RobotExecutionError" and "take off first" in v.message
    unseen = "def task_program():\n    take_off()\n    if not can_see('tent'):\n        photograph('tent')\n"
    v = explore(unseen, drone)
    assert not v.valid and "not visible" in v.message
    # the service robot's API does not exist in the drone's world
    v = explore("def task_program():\n    go_to('kitchen')\n", drone)
    assert v.error_kind == "PythonError" and "go_to" in v.message


def test_drone_kinds_and_capacity(drone):
    two = "def task_program():\n    load('kit')\n    load('box')\n"
    v = explore(two, drone)
    assert not v.valid and "already carrying" in v.message


@pytest.mark.parametrize("data, fragment", [
    ({"functions": {}}, "missing required key 'name'"),
    ({"name": "x", "functions": {"f": {"doc": "d", "params": [{"name": "a", "type": "complex"}]}}}, "type 'complex'"),
    ({"name": "x", "functions": {"f": {"doc": "d", "requires": ["flying()"]}}}, "unknown predicate 'flying'"),
    ({"name": "x", "predicates": {"p": {"args": ["location"]}},
      "functions": {"f": {"doc": "d", "requires": ["p(nowhere)"]}}}, "neither a parameter"),
    ({"name": "x", "functions": {"f": {"doc": "d", "params": [{"name": "a", "kind": "ghost"}]}}}, "kind 'ghost'"),
    ({"name": "x", "functions": {"f": {"params": []}}}, "'doc'"),
])
def test_bad_domains_get_one_clear_line(data, fragment):
    with pytest.raises(DomainError) as e:
        parse_domain(data, "my.yaml")
    msg = str(e.value)
    assert fragment in msg and msg.startswith("my.yaml:") and "\n" not in msg


def test_unknown_domain_and_bad_yaml(tmp_path):
    with pytest.raises(DomainError, match="unknown domain 'nope'"):
        load_domain("nope")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(DomainError, match="invalid YAML"):
        load_domain(str(bad))
