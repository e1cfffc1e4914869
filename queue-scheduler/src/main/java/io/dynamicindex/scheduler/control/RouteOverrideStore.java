package io.dynamicindex.scheduler.control;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

import io.dynamicindex.scheduler.config.SchedulerInstance;

/**
 * The runtime overrides of every route in PostgreSQL (table {@code scheduler_route_override}), so that they outlive
 * a restart and every instance sees the same ones. Each change updates only its own column, so two operators
 * changing different things on different instances do not undo each other.
 */
@Component
public class RouteOverrideStore {

    private static final Logger LOG = LoggerFactory.getLogger(RouteOverrideStore.class);
    private static final String COLUMNS = "paused, messages_per_tick, cron";

    private final JdbcTemplate jdbc;
    private final String updatedBy;

    public RouteOverrideStore(JdbcTemplate jdbc, SchedulerInstance instance) {
        this.jdbc = jdbc;
        this.updatedBy = instance.id();
    }

    /** Every stored route's overrides, by route name. */
    public Map<String, RouteOverrides> loadAll() {
        Map<String, RouteOverrides> all = new HashMap<>();
        jdbc.query("SELECT route, " + COLUMNS + " FROM scheduler_route_override", (ResultSet row) -> {
            all.put(row.getString("route"), map(row));
        });
        return all;
    }

    /** The route's overrides, or {@link RouteOverrides#NONE}. */
    public RouteOverrides load(String route) {
        List<RouteOverrides> rows = jdbc.query("SELECT " + COLUMNS + " FROM scheduler_route_override "
                + "WHERE route = ?", (row, i) -> map(row), route);
        return rows.isEmpty() ? RouteOverrides.NONE : rows.get(0);
    }

    public RouteOverrides paused(String route, boolean paused) {
        return upsert(route, "paused", paused);
    }

    public RouteOverrides messagesPerTick(String route, int messagesPerTick) {
        return upsert(route, "messages_per_tick", messagesPerTick);
    }

    public RouteOverrides cron(String route, String cron) {
        return upsert(route, "cron", cron);
    }

    /** Forgets every override of the route: it runs as configured again. */
    public void clear(String route) {
        jdbc.update("DELETE FROM scheduler_route_override WHERE route = ?", route);
    }

    /** column is one of the three above, never user input. */
    private RouteOverrides upsert(String route, String column, Object value) {
        return jdbc.queryForObject("INSERT INTO scheduler_route_override (route, " + column + ", updated_by) "
                        + "VALUES (?, ?, ?) ON CONFLICT (route) DO UPDATE SET " + column + " = EXCLUDED." + column
                        + ", updated_at = now(), updated_by = EXCLUDED.updated_by RETURNING " + COLUMNS,
                (row, i) -> map(row), route, value, updatedBy);
    }

    private static RouteOverrides map(ResultSet row) throws SQLException {
        int count = row.getInt("messages_per_tick");
        Integer messagesPerTick = row.wasNull() ? null : count;
        String cron = row.getString("cron");
        if (cron != null && !CronExpression.isValidExpression(cron)) {
            LOG.warn("scheduler_route_override holds the invalid cron '{}'; the configured cron applies", cron);
            cron = null;
        }
        return new RouteOverrides(row.getBoolean("paused"), messagesPerTick, cron);
    }
}
