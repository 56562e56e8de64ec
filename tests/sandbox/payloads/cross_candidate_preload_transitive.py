# class: cross-candidate effect: a child that got past the Python layer plants a module of ours in its sys.modules (PRELOADABLE: `roboinstruct`) whose own imports are not (the policy-learning model imports torch), so the zygote's preload imports torch after the job: ~540 MB of mappings (VmSize 26 MB -> 540 MB) and a stall of seconds for every later child of that zygote, under its memory limit | stopped by: the zygote's preload (sandbox.worker._OursOnly: on a child's word only modules of PRELOADABLE packages and the standard library are imported, transitively)
# mode: job
# expect: no-escape
import sys
import types

for name in ("roboinstruct.tabletop.learning.transporter", "roboinstruct.tabletop.learning"):
    sys.modules[name] = types.ModuleType(name)
