"""The worker's half of learning: `jobs` (recording a demonstration, evaluating a policy on a seed)
and `actor` (the policy standing in for the oracle). Runs only inside sandbox workers."""
