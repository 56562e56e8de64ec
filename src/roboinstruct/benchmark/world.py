"""A concrete benchmark world: locations, objects, people with scripted answers, the robot.

Names, labels and answers are regular expressions matched against what the program says
(RoboEval's convention), so one state can accept "Alice", "alice's office" or "someone".
A world is immutable input; `fresh()` gives the mutable copy one run works on (answer
queues pop, picked objects disappear).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Person:
    name: str  # regex matched against ask()'s person and is_in_room()'s entity
    answers: list[str]  # regex queue: popped while more than one remains, the last repeats
    # absent for the first `arrives_after` is_in_room checks at their location (waiting tasks)
    arrives_after: int = 0


@dataclass
class World:
    locations: list[str]
    objects: dict[str, list[str]] = field(default_factory=dict)
    people: dict[str, list[Person]] = field(default_factory=dict)
    robot: str = ""

    def fresh(self) -> "World":
        return World(list(self.locations), {k: list(v) for k, v in self.objects.items()},
                     {k: [Person(p.name, list(p.answers), p.arrives_after) for p in v] for k, v in self.people.items()},
                     self.robot)

    @classmethod
    def from_dict(cls, d: dict, where: str = "state") -> "World":
        """The YAML form: locations, robot, objects {loc: [labels]}, people {loc: [{name, answers, arrives_after}]}."""
        from ..errors import UserError

        locations = d.get("locations")
        if not isinstance(locations, list) or not locations or not all(isinstance(x, str) for x in locations):
            raise UserError(f"{where}: 'locations' must be a non-empty list of names")
        robot = d.get("robot", locations[-1])
        if robot not in locations:
            raise UserError(f"{where}: robot location {robot!r} is not one of the locations")
        objects = d.get("objects") or {}
        people_raw = d.get("people") or {}
        for loc in list(objects) + list(people_raw):
            if loc not in locations:
                raise UserError(f"{where}: {loc!r} (objects/people) is not one of the locations")
        people: dict[str, list[Person]] = {}
        for loc, entries in people_raw.items():
            for e in entries:
                if isinstance(e, str):
                    e = {"name": e}
                answers = e.get("answers", [".*"])
                if not isinstance(answers, list) or not answers:
                    raise UserError(f"{where}: person {e.get('name')!r} needs a non-empty 'answers' list")
                people.setdefault(loc, []).append(Person(str(e.get("name", ".*")), [str(a) for a in answers],
                                                         int(e.get("arrives_after", 0))))
        return cls(list(locations), {k: [str(x) for x in v] for k, v in objects.items()}, people, robot)
