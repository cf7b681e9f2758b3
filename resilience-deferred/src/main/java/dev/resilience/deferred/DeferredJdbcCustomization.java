package dev.resilience.deferred;

import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcTaskRepositoryContext;
import com.github.kagkarlsson.scheduler.task.Execution;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * db-scheduler's dialect of the database of stored calls, detected the first time the database answers rather than
 * when the client and the scheduler are built: db-scheduler detects it once, and keeps its default dialect for good
 * when the database is down then (a replica started during an outage would write times unlike the others). Until it
 * answers, each use tries {@link DeferredTable#ensure()} (a poll of the scheduler, on its own thread, so that the
 * table is created as soon as the database is back) and answers with the default dialect, for a statement that
 * cannot succeed anyway.
 */
final class DeferredJdbcCustomization implements JdbcCustomization {

    private static final JdbcCustomization UNDETECTED = new DefaultJdbcCustomization(false);

    private final DataSource dataSource;
    private final DeferredTable table;
    private volatile @Nullable JdbcCustomization detected;

    DeferredJdbcCustomization(DataSource dataSource, DeferredTable table) {
        this.dataSource = dataSource;
        this.table = table;
    }

    private JdbcCustomization delegate() {
        JdbcCustomization known = detected;
        if (known != null) {
            return known;
        }
        if (!table.ensure()) {
            return UNDETECTED;
        }
        synchronized (this) {
            if (detected == null) {
                detected = new AutodetectJdbcCustomization(dataSource);
            }
            return detected;
        }
    }

    @Override
    public String getName() {
        return delegate().getName();
    }

    @Override
    public void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        delegate().setInstant(statement, index, value);
    }

    @Override
    public Instant getInstant(ResultSet result, String column) throws SQLException {
        return delegate().getInstant(result, column);
    }

    @Override
    public void setTaskData(PreparedStatement statement, int index, byte[] value) throws SQLException {
        delegate().setTaskData(statement, index, value);
    }

    @Override
    public byte[] getTaskData(ResultSet result, String column) throws SQLException {
        return delegate().getTaskData(result, column);
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
