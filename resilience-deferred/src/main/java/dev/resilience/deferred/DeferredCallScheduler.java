package dev.resilience.deferred;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.event.SchedulerListener;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.resilience.core.Timing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The db-scheduler that replays stored calls on this replica, started and stopped with the application context.
 * Replicas sharing the database share the work: each due call is picked by one of them at a time, and a call whose
 * replica died while replaying it is revived after missed heartbeats.
 */
public final class DeferredCallScheduler implements SmartLifecycle {

    /** The task data is the payload's JSON, stored as UTF-8 bytes (readable in the table, unlike Java serialization). */
    public static final Serializer UTF8 = new Serializer() {
        @Override
        public byte[] serialize(Object data) {
            return data == null ? null : ((String) data).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public <T> T deserialize(Class<T> type, byte[] bytes) {
            return bytes == null ? null : type.cast(new String(bytes, StandardCharsets.UTF_8));
        }
    };

    // db-scheduler's Scheduler cannot start again once stopped (its executors are shut down), and a context may
    // be stopped and started again (Spring's test context pausing does so): each start builds a fresh one.
    private final Supplier<Scheduler> schedulers;
    private volatile Scheduler scheduler;
    private volatile boolean running;

    public DeferredCallScheduler(DataSource dataSource, DeferredCalls calls, RetryLaterMethods methods,
            BeanFactory beans, RetryLaterProperties properties, Timing timing, List<SchedulerListener> listeners) {
        Task<String> task = task(new ReplayHandler(calls, methods, beans));
        this.schedulers = () -> {
            var builder = Scheduler.create(dataSource, task)
                    .tableName(properties.getTableName())
                    .serializer(UTF8)
                    .enablePriority()
                    .clock(() -> timing.clock().instant())
                    .pollingInterval(properties.getPollInterval())
                    .threads(properties.getThreads())
                    .shutdownMaxWait(Duration.ofSeconds(10))
                    .jdbcCustomization(calls.table().jdbcCustomization());
            listeners.forEach(builder::addSchedulerListener);
            if (properties.getSchedulerName() != null) {
                builder.schedulerName(new SchedulerName.Fixed(properties.getSchedulerName()));
            }
            return builder.build();
        };
    }

    /** The one task of stored calls, for a client that stores them. */
    static Task<String> task(ReplayHandler handler) {
        return Tasks.custom(DeferredCalls.TASK_NAME, String.class).onDeadExecutionRevive().execute(handler);
    }

    /** Looks for due calls now instead of at the next poll. */
    public void checkNow() {
        Scheduler current = scheduler;
        if (current != null) {
            current.triggerCheckForDueExecutions();
        }
    }

    @Override
    public synchronized void start() {
        if (!running) {
            scheduler = schedulers.get();
            scheduler.start();
            running = true;
        }
    }

    @Override
    public synchronized void stop() {
        if (running) {
            scheduler.stop();
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
