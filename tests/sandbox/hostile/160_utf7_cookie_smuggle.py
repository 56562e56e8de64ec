# attack: PEP 263 cookie smuggling, the body means something else when decoded as -*- coding: utf-7 -*-
# expect: contained
def task_program():
    go_to("kitchen")
    note = "+ACI-+AAo-    import os+AAo-    os.close(os.open(+ACI-PWNED_160+ACI-, os.O_CREAT | os.O_WRONLY))+AAo-    note = +ACI-"
    say("done")
