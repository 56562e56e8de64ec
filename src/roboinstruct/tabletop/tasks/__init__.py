"""Task files: `library/` (the base library), `sources` (library, files, GenSim checkouts),
`heldout` (target tasks for `score --tasks tabletop:heldout`: the tabletop suite)."""
