"""Robot learning on the tasks (caller side): `demos` (oracle episodes -> datasets), `transporter`
(the Transporter-style policy network), `train`, `evaluate`. The worker's half is `worker/`."""
