# class: malformed reply: a result far over the reply size limit | stopped by: zygote's frame limit: a crash of this one job
# mode: job
# expect: crash
RESULT["message"] = "x" * (9 * 1024 * 1024)
