"""Minimal look-alike of RoboEval's State (for tests)."""


class State:
    def __init__(self):
        self.locations, self.objects, self.agents, self.robot_location = [], {}, {}, ""

    def addLocation(self, location):
        self.locations.append(location)
        return self

    def addObject(self, label, location):
        self.objects.setdefault(location, []).append(label)
        return self

    def addAgent(self, name, location, answers):
        self.agents.setdefault(location, []).append((name, answers))
        return self

    def addRobotLocation(self, location):
        self.robot_location = location
        return self
