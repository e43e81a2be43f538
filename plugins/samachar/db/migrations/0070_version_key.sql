-- Compare version strings such as '1.10.2' numerically, part by part ('1.10' > '1.9').
CREATE OR REPLACE FUNCTION _version_key(version text) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(coalesce(nullif(regexp_replace(part, '\D', '', 'g'), ''), '0')::integer
                              ORDER BY n), '{}')
    FROM unnest(string_to_array(version, '.')) WITH ORDINALITY AS t(part, n)
$$;
