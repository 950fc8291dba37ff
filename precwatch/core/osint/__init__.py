"""OSINT intake: news articles to clean text, facts, events and a timeline (pure; readers live in `precwatch.io.articles`)."""
