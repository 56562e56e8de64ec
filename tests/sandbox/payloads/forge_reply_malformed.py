# class: malformed reply (schema): a result the parent cannot read as a verdict | stopped by: parent's reply check (verifier.check_result): a crash of this one job
# mode: job
# expect: crash
RESULT.clear()
RESULT.update({"valid": "yes", "paths": "many"})
