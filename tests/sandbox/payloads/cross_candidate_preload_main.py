# class: cross-candidate effect: a child that got past the Python layer plants `roboinstruct.__main__` (and numpy.f2py.__main__) in its sys.modules, so its envelope's `imported` list makes the zygote import them after the job: a module that runs the CLI (`sys.exit(main())`) at import, in the zygote, before the next candidate | stopped by: the zygote's preload (sandbox.worker._preload: no `__main__` module, and nothing an import raises, SystemExit included, ends the zygote)
# mode: job
# expect: no-escape
import sys
import types

for name in ("roboinstruct.__main__", "numpy.f2py.__main__"):
    sys.modules[name] = types.ModuleType(name)
