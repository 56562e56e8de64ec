# class: cross-candidate effect: a child that got past the Python layer imports heavy preloadable packages (numpy, pybullet, the tabletop stack) so the zygote preloads them after its job and every later child starts with their address space already mapped, leaving less of its RLIMIT_AS for its own program | stopped by: mostly not needed: the zygote's growth is bounded (PRELOADABLE packages only, once) and each child's memory limit still stops only that child; measured: a later child starts at VmSize 118 MB instead of 26 MB, under a 2048 MB limit (reported)
# mode: job
# expect: no-escape
import importlib

for name in ("numpy", "pybullet", "pybullet_data", "yaml", "roboinstruct.tabletop", "roboinstruct.tabletop.validate",
             "roboinstruct.benchmark.evaluate", "roboinstruct.quality.agreement"):
    try:
        importlib.import_module(name)
    except Exception:  # noqa: BLE001
        pass
