package dev.resilience.deferred;

import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The database of stored calls as this replica last found it, and db-scheduler's table (with priority) in it: the
 * table is created when missing (unless {@code create-table} is off) the first time the database answers, at
 * startup or, when it could not be reached then, at a later store, reading or retry; so a database that is down
 * does not stop the application's start. A connection is tried by one thread at a time: the others are told at once
 * that the database cannot be reached, rather than waiting for the pool to give up.
 */
public final class DeferredTable {

    // SQLState classes that say the database answered and refused: a wrong password or database name, a missing
    // privilege. Those are configuration to fix, not an outage to wait out.
    private static final List<String> REFUSED = List.of("28", "3D", "42");

    private final DataSource dataSource;
    private final String table;
    private final boolean create;
    private final ReentrantLock trying = new ReentrantLock();
    private final DeferredJdbcCustomization dialect;
    // Invariant: true once the database answered and the table was created or found; never false again.
    private volatile boolean ready;
    // What the last attempt that could not reach the database failed with; null before any.
    private volatile @Nullable Throwable lastFailure;

    /**
     * @param table the table's name, validated by the properties
     * @param create whether to create the table when it is missing ({@code create-table}); when not, the database
     *        answering once is enough
     */
    public DeferredTable(DataSource dataSource, String table, boolean create) {
        this.dataSource = dataSource;
        this.table = table;
        this.create = create;
        this.dialect = new DeferredJdbcCustomization(this);
    }

    /**
     * db-scheduler's dialect for this database, detected once it answers: for the client and the scheduler that use
     * this table.
     */
    public JdbcCustomization jdbcCustomization() {
        return dialect;
    }

    /**
     * Makes sure the database answered once and the table exists, creating it if missing, unless that was done
     * before (then it costs a field read).
     *
     * @return whether it is so now; {@code false} when the database cannot be reached (no connection could be
     *         made), or another thread is trying it right now, so that a later call tries again
     * @throws IllegalStateException when the database answers but refuses (a wrong password, no privilege to create
     *         the table)
     */
    public boolean ensure() {
        if (ready) {
            return true;
        }
        if (!trying.tryLock()) {
            return false;
        }
        try {
            if (!ready) {
                attempt();
            }
            return ready;
        } finally {
            trying.unlock();
        }
    }

    /**
     * As {@link #ensure()}, for an operation that needs the database now.
     *
     * @throws IllegalStateException when it cannot be reached, naming why, or refuses
     */
    public void require() {
        if (!ensure()) {
            Throwable failure = lastFailure;
            throw new IllegalStateException("The database of stored calls cannot be reached"
                    + (failure == null ? " (another attempt is under way)" : ": " + failure.getMessage()), failure);
        }
    }

    /** Why the database could not be reached at the last attempt, or {@code null}. */
    public @Nullable Throwable lastFailure() {
        return lastFailure;
    }

    /**
     * One attempt: a connection, then (unless {@code create-table} is off) the table, and db-scheduler's dialect read
     * on that same connection. Failing to get a connection is an outage unless the database said why it refused
     * (SQLState classes 28, 3D, 42: a wrong password, database or privilege); a statement that fails is a refusal
     * unless the connection broke meanwhile (class 08, a network exception).
     */
    private void attempt() {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException | RuntimeException ex) {
            if (refused(ex)) {
                throw new IllegalStateException("The database of stored calls refused a connection: "
                        + ex.getMessage() + " (resilience.retry-later uses the application's DataSource)", ex);
            }
            lastFailure = ex;
            return;
        }
        try (connection) {
            if (create) {
                create(connection);
            }
            dialect.detectOn(connection);
            ready = true;
        } catch (SQLException | RuntimeException ex) {
            if (unreachable(ex)) {
                lastFailure = ex;
                return;
            }
            if (create && exists()) {
                dialect.detectOn(dataSource);
                ready = true; // another replica created it meanwhile (concurrent DDL can fail on PostgreSQL)
                return;
            }
            throw new IllegalStateException("Could not create the table of stored calls '" + table
                    + "' (resilience.retry-later.table-name): " + ex.getMessage() + "; create it by hand "
                    + "(db-scheduler's layout with a priority column) and set "
                    + "resilience.retry-later.create-table=false", ex);
        }
    }

    private boolean exists() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeQuery("select count(*) from " + table + " where 1 = 0").close();
            return true;
        } catch (SQLException | RuntimeException ex) {
            return false;
        }
    }

    /** Whether {@code failure}, or a cause, is the database refusing: SQLState class 28, 3D or 42. */
    static boolean refused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String state = cause instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null && state.length() >= 2 && REFUSED.contains(state.substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a statement's {@code failure} says that the connection broke (an SQLState of class 08, a network or
     * connection exception) rather than that the database refused it.
     */
    static boolean unreachable(Throwable failure) {
        if (refused(failure)) {
            return false;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String state = cause instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null && state.startsWith("08") || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException || cause instanceof SocketException
                    || cause instanceof SocketTimeoutException || cause instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private void create(Connection connection) throws SQLException {
        String index = table.replace('.', '_');
        try (Statement statement = connection.createStatement()) {
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
