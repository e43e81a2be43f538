-- The URLs a run found, split into the batches its mapped fetch tasks take.
-- A retried fetch task reads `outcome` and does not download again what already succeeded.
CREATE TABLE IF NOT EXISTS discovered_urls (
    run_id       bigint      NOT NULL,
    url          text        NOT NULL,
    batch        integer     NOT NULL,
    published_at timestamptz,
    method       text        NOT NULL,
    outcome      text        NOT NULL DEFAULT 'pending'
                 CHECK (outcome IN ('pending', 'fetched', 'not-modified', 'failed')),
    raw_page_id  bigint,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, url)
);
CREATE INDEX IF NOT EXISTS discovered_urls_batch ON discovered_urls (run_id, batch);
