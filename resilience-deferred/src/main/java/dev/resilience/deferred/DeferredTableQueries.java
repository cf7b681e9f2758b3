package dev.resilience.deferred;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The read-only queries of the table that db-scheduler's client does not offer: one page of stored calls, their
 * number, and the figures of each instance in one statement. None of them reads the whole table into memory.
 */
final class DeferredTableQueries {

    /** Dead calls wait until {@link DeferredCalls#DEAD}; every call due before this is waiting. */
    private static final Timestamp DEAD_FROM = Timestamp.from(Instant.parse("9000-01-01T00:00:00Z"));

    private final DataSource dataSource;
    private final String table;
    private final DeferredTable database;
    private volatile String pageClause;

    /** A stored row as read: id, task data, execution time. */
    record Row(String id, String data, Instant executionTime) {
    }

    /**
     * @param database the database as this replica last found it: each reading first requires it (fails at once
     *        while it cannot be reached, creates the table first when it could not before)
     */
    DeferredTableQueries(DataSource dataSource, String table, DeferredTable database) {
        this.dataSource = dataSource;
        this.table = table;
        this.database = database;
    }

    /** Stored calls in the order db-scheduler would run them if all were due (dead last), {@code limit} from offset. */
    List<Row> page(long offset, int limit) {
        String sql = "select task_instance, task_data, execution_time from " + table + " where task_name = ? "
                + "order by execution_time, task_instance ";
        database.require();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql + pageClause(connection))) {
            statement.setString(1, DeferredCalls.TASK_NAME);
            statement.setLong(2, offset);
            statement.setInt(3, limit);
            List<Row> rows = new ArrayList<>(limit);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    byte[] data = result.getBytes(2);
                    rows.add(new Row(result.getString(1), data == null ? null : new String(data,
                            StandardCharsets.UTF_8), result.getTimestamp(3).toInstant()));
                }
            }
            return rows;
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not read the stored calls of " + table + ": " + ex.getMessage(), ex);
        }
    }

    long count() {
        database.require();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select count(*) from " + table + " where task_name = ?")) {
            statement.setString(1, DeferredCalls.TASK_NAME);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not count the stored calls of " + table + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Per instance, in one statement (a range of the primary key each, since ids start with the instance name):
     * waiting and dead calls, calls that became dead since {@code deadSince}, and the oldest waiting call's first
     * failure.
     */
    Map<String, DeferredQueue.InstanceFigures> figures(Collection<String> instances, Instant deadSince) {
        Map<String, DeferredQueue.InstanceFigures> figures = new LinkedHashMap<>();
        if (instances.isEmpty()) {
            return figures;
        }
        List<String> names = List.copyOf(instances);
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            if (!sql.isEmpty()) {
                sql.append(" union all ");
            }
            sql.append("select count(case when execution_time < ? then 1 end), ")
                    .append("count(case when execution_time >= ? then 1 end), ")
                    .append("count(case when execution_time >= ? and last_success >= ? then 1 end), ")
                    .append("min(case when execution_time < ? then task_instance end), ").append(i).append(" from ").append(table)
                    .append(" where task_name = ? and task_instance like ? escape '\\'");
        }
        Timestamp since = Timestamp.from(deadSince);
        database.require();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int parameter = 1;
            for (String instance : names) {
                statement.setTimestamp(parameter++, DEAD_FROM);
                statement.setTimestamp(parameter++, DEAD_FROM);
                statement.setTimestamp(parameter++, DEAD_FROM);
                statement.setTimestamp(parameter++, since);
                statement.setTimestamp(parameter++, DEAD_FROM);
                statement.setString(parameter++, DeferredCalls.TASK_NAME);
                statement.setString(parameter++, instance.replace("_", "\\_") + DeferredCalls.ID_SEPARATOR + "%");
            }
            try (ResultSet result = statement.executeQuery()) {
                // One row per branch of the union, in any order: its last column tells which.
                while (result.next()) {
                    String oldest = result.getString(4);
                    figures.put(names.get(result.getInt(5)), new DeferredQueue.InstanceFigures(result.getLong(1), result.getLong(2),
                            result.getLong(3), oldest == null ? null : DeferredCalls.storedAt(oldest)));
                }
            }
            return figures;
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not read the figures of " + table + ": " + ex.getMessage(), ex);
        }
    }

    private String pageClause(Connection connection) throws SQLException {
        String clause = pageClause;
        if (clause == null) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            clause = product.contains("mysql") || product.contains("mariadb") ? "limit ?, ?"
                    : "offset ? rows fetch next ? rows only";
            pageClause = clause;
        }
        return clause;
    }
}
