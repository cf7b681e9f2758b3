package dev.resilience.deferred;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Creates db-scheduler's table (with priority) when it does not exist. */
public final class DeferredTable {

    private DeferredTable() {
    }

    /** Creates {@code table} and its indexes if they are missing; the name was validated by the properties. */
    public static void create(DataSource dataSource, String table) {
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
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not create the table of stored calls '" + table
                    + "' (resilience.retry-later.table-name); create it by hand (db-scheduler's layout with a "
                    + "priority column) and set resilience.retry-later.create-table=false", ex);
        }
    }
}
