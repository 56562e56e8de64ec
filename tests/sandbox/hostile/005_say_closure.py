# attack: pull the simulator object out of say.__closure__ cell contents and tamper with it
# expect: rejected
# static: yes
def task_program():
    go_to("kitchen")
    cells = say.__closure__ or ()
    for cell in cells:
        say("leaked cell: " + repr(cell.cell_contents)[:200])
    say("Done")
