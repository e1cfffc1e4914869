-- Runtime changes an operator made to a route through the management API. They outlive restarts and apply over
-- the properties: a null column means "as configured".
CREATE TABLE scheduler_route_override (
    route             VARCHAR(255) PRIMARY KEY,
    paused            BOOLEAN      NOT NULL DEFAULT FALSE,
    messages_per_tick INTEGER      CHECK (messages_per_tick > 0),
    cron              VARCHAR(255),
    updated_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_by        VARCHAR(255) NOT NULL
);

-- ShedLock's lock table: one row per route, the lease of the instance that moves it (times in UTC, database time).
CREATE TABLE scheduler_lease (
    name       VARCHAR(255) PRIMARY KEY,
    lock_until TIMESTAMP    NOT NULL,
    locked_at  TIMESTAMP    NOT NULL,
    locked_by  VARCHAR(255) NOT NULL
);
