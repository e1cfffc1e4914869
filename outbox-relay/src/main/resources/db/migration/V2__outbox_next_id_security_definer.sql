-- Producers insert outbox rows with no privilege on the sequence: the id default outbox_next_id() runs with the
-- rights of its owner (the relay's migration user), so a producer needs only INSERT on the payload columns, USAGE on
-- the schema and EXECUTE on this function. A producer that could call nextval() itself could take an id without
-- first taking a transaction id, which breaks the gap rule (see V1 and OffsetBook). search_path is already pinned
-- (SET search_path FROM CURRENT), as a SECURITY DEFINER function needs.
ALTER FUNCTION outbox_next_id() SECURITY DEFINER;
