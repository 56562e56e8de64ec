# class: killed worker: the candidate's process dies before replying | stopped by: zygote (child's exit status -> crash of this one job; the zygote lives on)
# mode: job
# expect: crash
import os

os._exit(3)
