package dev.resilience.deferred;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * db-scheduler's table (with priority), created when it does not exist: at startup, or, when the database cannot be
 * reached then, at the first store or reading once it answers, so that a database that is down does not stop the
 * application's start.
 */
public final class DeferredTable {

    private final DataSource dataSource;
    private final String table;
    // Invariant: true once the table was created or found; never false again.
    private volatile boolean exists;

    /** @param table the table's name, validated by the properties */
    public DeferredTable(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.table = table;
    }

    /**
     * Creates the table and its indexes if they are missing, unless that was done before (then it costs a field
     * read).
     *
     * @return whether the table exists now; {@code false} when the database cannot be reached (no connection), so
     *         that a later call tries again
     * @throws IllegalStateException when the database answers but does not create the table
     */
    public boolean ensure() {
        if (exists) {
            return true;
        }
        synchronized (this) {
            if (!exists) {
                try {
                    create();
                } catch (SQLException ex) {
                    if (unreachable(ex)) {
                        return false;
                    }
                    throw new IllegalStateException("Could not create the table of stored calls '" + table
                            + "' (resilience.retry-later.table-name): " + ex.getMessage() + "; create it by hand "
                            + "(db-scheduler's layout with a priority column) and set "
                            + "resilience.retry-later.create-table=false", ex);
                }
                exists = true;
            }
            return true;
        }
    }

    /**
     * Whether {@code failure} says that no connection could be made (or it broke): a connection exception, or an
     * SQLState of class 08. A pool that waited in vain for a connection (Hikari) says so with
     * {@link SQLTransientConnectionException}.
     */
    static boolean unreachable(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLException sql && sql.getSQLState() != null
                            && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private void create() throws SQLException {
        String index = table.replace('.', '_');
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
            String bytes = product.contains("postgres") || product.contains("h2") ? "bytea" : "blob";
            statement.execute("create table if not exists " + table + " ("
                    + "task_name varchar(100) not null, "
                    + "task_instance varchar(100) not null, "
                    + "task_data " + bytes + ", "
                    + "execution_time timestamp with time zone not null, "
                    + "picked boolean not null, "
                    + "picked_by varchar(50), "
                    + "last_success timestamp with time zone, "
                    + "last_failure timestamp with time zone, "
                    + "consecutive_failures int, "
                    + "last_heartbeat timestamp with time zone, "
                    + "version bigint not null, "
                    + "priority smallint, "
                    + "primary key (task_name, task_instance))");
            statement.execute("create index if not exists " + index + "_execution_time_idx on " + table
                    + " (execution_time)");
            statement.execute("create index if not exists " + index + "_last_heartbeat_idx on " + table
                    + " (last_heartbeat)");
            statement.execute("create index if not exists " + index + "_priority_idx on " + table
                    + " (priority desc, execution_time asc)");
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
    }
}
