-- Full-text search over title, summary and body in Devanagari and readable Latin (plus the
-- ISO 15919 title), with the `simple` configuration: no stemming or stop words, which suits
-- Hindi and romanized Hindi alike. Weights: title A, summary B, body C.
ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(title_readable, '') || ' '
                                    || coalesce(title_iso, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(summary, '') || ' ' || coalesce(summary_readable, '')), 'B')
    || setweight(to_tsvector('simple', body || ' ' || coalesce(body_readable, '')), 'C')
) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search_vector);

-- Trigram index for fuzzy Latin title matches. pg_trgm ships with Debian's PostgreSQL 15 but not
-- with pgserver's bundled PostgreSQL 16, so it is optional: search() falls back to ILIKE without it.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX articles_title_readable_trgm_idx ON articles USING gin (title_readable gin_trgm_ops);
    ELSE
        RAISE NOTICE 'pg_trgm is not available on this server: no trigram index, search uses ILIKE';
    END IF;
END
$$;
