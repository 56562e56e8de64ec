# class: record that cannot be encoded: an API argument that is an int over Python's 4300-digit str limit (kept as itself in the record, so json.dumps of the child's reply raises), hoping the parent reads the failure as something other than this job's crash | stopped by: the child's reply encoding (sandbox.worker._child: a reply that cannot be written is this job's crash report); the type check still fails the call on either side
# mode: program
# expect: invalid
def task_program():
    n = pow(10, 5000)
    say(n)
