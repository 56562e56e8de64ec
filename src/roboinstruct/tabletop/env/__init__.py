"""The simulated world (worker side: imports pybullet): `sim` (physics, the suction tip, time in
steps), `bodies` (primitive shapes), `observe` (Ravens-grid RGB + height map), `cameras` (images)."""
