# attack: NFKC identifier normalisation: ().__ｃｌａｓｓ__ / _＿base_＿ hide dunders from text-based scanners
# expect: rejected
# static: yes
def task_program():
    go_to("kitchen")
    for cls in ().__ｃｌａｓｓ__._＿base_＿.__ｓｕｂｃｌａｓｓｅｓ__():
        if cls.__ｎａｍｅ__ == "_wrap_close":
            g = cls.__ｉｎｉｔ__.__ｇｌｏｂａｌｓ__
            g["close"](g["open"]("PWNED_159", g["O_CREAT"] | g["O_WRONLY"]))
    say("done")
