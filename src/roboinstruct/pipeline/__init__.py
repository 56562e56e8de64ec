"""The generation pipeline: Self-Instruct → programs → RoboSim rejection sampling → InstAlign → dataset."""
