"""GenSim's task-generation loop on the tabletop domain: config, library (retrieval), answers
(strict parsing), loop (resumable trials), outputs (dataset, card, manifest, report)."""
