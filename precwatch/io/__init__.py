"""File adapters: read records from JSONL, CSV and plain text; write results and rejects."""
