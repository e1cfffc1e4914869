-- outbox_next_id() runs with its owner's rights (V2), but V1's search_path (FROM CURRENT: the relay's schema) leaves
-- pg_temp implicitly searched first, so a producer could create a temporary sequence named outbox_id_seq and have
-- the function take ids from it. The function is redefined with pg_temp pinned last and every name qualified: the
-- schema is the one Flyway migrates (the connection's current schema, as in V1), written into the definition here.
-- CREATE OR REPLACE keeps the function's owner and grants; SECURITY DEFINER is restated since it replaces it too.
DO $migration$
BEGIN
    EXECUTE pg_catalog.format($definition$
        CREATE OR REPLACE FUNCTION %1$I.outbox_next_id() RETURNS BIGINT
            LANGUAGE plpgsql
            SECURITY DEFINER
            SET search_path = pg_catalog, %1$I, pg_temp
        AS $body$
        BEGIN
            PERFORM pg_catalog.pg_current_xact_id();
            RETURN pg_catalog.nextval(%2$L::pg_catalog.regclass);
        END
        $body$
        $definition$, pg_catalog.current_schema(),
        pg_catalog.format('%I.outbox_id_seq', pg_catalog.current_schema()));
END
$migration$;
