"""The ground layer's shared utilities, below every job and domain: `intervals` (confidence
intervals), `similarity` (token edit similarity), `parquet` (typed dataset files), `manifests`
(reading what runs leave behind), `kinds` (the registries domain kinds plug into)."""
