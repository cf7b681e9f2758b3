package dev.resilience.deferred;

import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcTaskRepositoryContext;
import com.github.kagkarlsson.scheduler.task.Execution;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * db-scheduler's dialect of the database of stored calls, detected by {@link DeferredTable} on the connection of its
 * first attempt that reaches the database, rather than when the client and the scheduler are built: db-scheduler
 * detects it once, and keeps its default dialect for good when the database is down then (a replica started during
 * an outage would write times unlike the others). Until it is detected, building a statement tries
 * {@link DeferredTable#ensure()} (a poll of the scheduler, on its own thread, so that the table is made sure of as
 * soon as the database is back) and otherwise takes the default dialect, for a statement that cannot run yet; reading
 * or writing a time or a payload fails, so that nothing is written in a dialect that may not be the database's.
 */
final class DeferredJdbcCustomization implements JdbcCustomization {

    private static final JdbcCustomization UNDETECTED = new DefaultJdbcCustomization(false);

    private final DeferredTable table;
    private volatile @Nullable JdbcCustomization detected;

    DeferredJdbcCustomization(DeferredTable table) {
        this.table = table;
    }

    /** Detects the dialect on {@code connection}, which stays open. */
    void detectOn(Connection connection) {
        detected = new AutodetectJdbcCustomization(new SingleConnectionDataSource(connection, true));
    }

    /** Detects the dialect on a connection of {@code dataSource}. */
    void detectOn(DataSource dataSource) {
        detected = new AutodetectJdbcCustomization(dataSource);
    }

    boolean isDetected() {
        return detected != null;
    }

    /** For building a statement: the detected dialect, or the default one while the database has not answered. */
    private JdbcCustomization delegate() {
        JdbcCustomization known = detected;
        if (known != null) {
            return known;
        }
        table.ensure();
        known = detected;
        return known != null ? known : UNDETECTED;
    }

    /** For reading or writing a value: the detected dialect only. */
    private JdbcCustomization forValues() throws SQLException {
        JdbcCustomization known = delegate();
        if (known == UNDETECTED) {
            throw new SQLTransientConnectionException("The database of stored calls has not answered yet, so its "
                    + "dialect is not known");
        }
        return known;
    }

    @Override
    public String getName() {
        return delegate().getName();
    }

    @Override
    public void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        forValues().setInstant(statement, index, value);
    }

    @Override
    public Instant getInstant(ResultSet result, String column) throws SQLException {
        return forValues().getInstant(result, column);
    }

    @Override
    public void setTaskData(PreparedStatement statement, int index, byte[] value) throws SQLException {
        forValues().setTaskData(statement, index, value);
    }

    @Override
    public byte[] getTaskData(ResultSet result, String column) throws SQLException {
        return forValues().getTaskData(result, column);
    }

    @Override
    public boolean supportsExplicitQueryLimitPart() {
        return delegate().supportsExplicitQueryLimitPart();
    }

    @Override
    public String getQueryLimitPart(int limit) {
        return delegate().getQueryLimitPart(limit);
    }

    @Override
    public boolean supportsSingleStatementLockAndFetch() {
        return delegate().supportsSingleStatementLockAndFetch();
    }

    @Override
    public List<Execution> lockAndFetchSingleStatement(JdbcTaskRepositoryContext context, Instant now, int limit,
            boolean orderByPriority) {
        return delegate().lockAndFetchSingleStatement(context, now, limit, orderByPriority);
    }

    @Override
    public boolean supportsGenericLockAndFetch() {
        return delegate().supportsGenericLockAndFetch();
    }

    @Override
    public String createGenericSelectForUpdateQuery(String table, int limit, String condition,
            boolean orderByPriority) {
        return delegate().createGenericSelectForUpdateQuery(table, limit, condition, orderByPriority);
    }

    @Override
    public String createSelectDueQuery(String table, int limit, String condition, boolean orderByPriority) {
        return delegate().createSelectDueQuery(table, limit, condition, orderByPriority);
    }
}
