package dev.resilience.deferred;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import dev.resilience.core.Timing;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The stored calls: stores a failed {@code @RetryLater} call, and lets an operator list, inspect, replay now and
 * discard them. The bean {@code resilienceDeferredCalls}.
 *
 * <p>Storing goes through the application's {@code DataSource} wrapped so that it joins a Spring-managed transaction
 * on the calling thread: a call made inside a transaction is stored only if that transaction commits.
 */
public final class DeferredCalls {

    /** db-scheduler's task name of every stored call. */
    public static final String TASK_NAME = "resilience-deferred-call";

    /** The execution time of a dead call: never due, so never picked, and kept. */
    static final Instant DEAD = Instant.parse("9999-01-01T00:00:00Z");

    /**
     * Between the parts of an id, {@code <instance>:<first stored, epoch milliseconds in hex>:<random>}: the
     * instance name first, so that each instance's calls are a range of the primary key, and the time second, so
     * that the smallest id of an instance is its oldest call.
     */
    static final String ID_SEPARATOR = ":";

    /** Most calls one page of {@link #list} answers. */
    public static final int MAX_PAGE_SIZE = 500;

    private final SchedulerClient client;
    private final DeferredTable table;
    private final DeferredTableQueries queries;
    private final JsonMapper json;
    private final Timing timing;
    private volatile RetryLaterProperties properties;
    private final List<DeferredCallListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param client stores, reschedules and removes calls
     * @param dataSource reads pages and figures of the table named by the properties
     */
    public DeferredCalls(SchedulerClient client, DataSource dataSource, JsonMapper json, Timing timing,
            RetryLaterProperties properties) {
        this(client, dataSource, json, timing, properties,
                new DeferredTable(dataSource, properties.getTableName(), false));
    }

    /**
     * @param client stores, reschedules and removes calls
     * @param dataSource reads pages and figures of the table named by the properties
     * @param table the database as this replica last found it: each store and reading first makes sure it answered
     *        once and its table exists (a field read once so), and fails at once while it cannot be reached
     */
    public DeferredCalls(SchedulerClient client, DataSource dataSource, JsonMapper json, Timing timing,
            RetryLaterProperties properties, DeferredTable table) {
        this.client = client;
        this.table = table;
        this.queries = new DeferredTableQueries(dataSource, properties.getTableName(), table);
        this.json = json;
        this.timing = timing;
        this.properties = properties;
    }

    /**
     * Replays and stores with the instance settings of {@code fresh} from now on (a Spring Cloud refresh); its
     * table, polling and thread settings apply at the next start.
     */
    public void reconfigure(RetryLaterProperties fresh) {
        fresh.validate();
        this.properties = fresh;
    }

    /** Tells {@code listener} from now on what becomes of stored calls. */
    public void addListener(DeferredCallListener listener) {
        listeners.add(listener);
    }

    /**
     * The figures of {@code instances}, each reading shared for a second; a call that became dead counts as recently
     * dead for {@code health-window}.
     */
    public DeferredQueue queue(Supplier<Collection<String>> instances) {
        return new DeferredQueue(queries, instances, timing, () -> properties.getHealthWindow());
    }

    void notify(Consumer<DeferredCallListener> event) {
        for (DeferredCallListener listener : listeners) {
            event.accept(listener);
        }
    }

    /** When the call with this id was first stored. */
    static Instant storedAt(String id) {
        String[] parts = id.split(ID_SEPARATOR, 3);
        return Instant.ofEpochMilli(Long.parseLong(parts[1], 16));
    }

    /**
     * Stores the failed call of {@code target} with {@code arguments}.
     *
     * @return the stored call's id
     * @throws IllegalArgumentException when the arguments cannot be written as JSON and read back as the parameter
     *         types, so that a replay would fail; the call is then not stored
     * @throws IllegalStateException when the database refuses the call; the original failure is attached as suppressed
     */
    String store(RetryLaterMethods.Target target, Object[] arguments, Throwable failure) {
        RetryLaterPolicy policy = properties.policy(target.instance());
        ArrayNode node = json.createArrayNode();
        Type[] types = target.method().getGenericParameterTypes();
        for (int i = 0; i < arguments.length; i++) {
            try {
                JsonNode argument = json.valueToTree(arguments[i]);
                json.treeToValue(argument, json.constructType(types[i]));
                node.add(argument);
            } catch (JacksonException | IllegalArgumentException ex) {
                IllegalArgumentException refused = new IllegalArgumentException("@RetryLater(\"" + target.instance()
                        + "\") could not store the failed call of " + target.bean() + "." + target.signature()
                        + ": argument " + i + " cannot be written as JSON and read back as "
                        + types[i].getTypeName() + " (" + ex.getMessage() + ")", ex);
                refused.addSuppressed(failure);
                throw refused;
            }
        }
        Instant now = timing.clock().instant();
        String error = Payload.describe(failure);
        Payload payload = new Payload(target.instance(), target.bean(), target.method().getName(),
                target.parameterTypes(), node, 1, policy.priority(), false, now, error, error);
        String id = target.instance() + ID_SEPARATOR + String.format("%012x", now.toEpochMilli()) + ID_SEPARATOR
                + UUID.randomUUID().toString().replace("-", "");
        try {
            table.require(); // fails at once while the database cannot be reached, rather than per statement
            client.schedule(new TaskInstance<>(TASK_NAME, id, () -> write(payload), policy.priority()),
                    now.plus(policy.delayAfter(1)));
            afterCommit(() -> notify(listener -> listener.stored(target.instance())));
        } catch (RuntimeException ex) {
            // The database is the one place the call could be kept: the caller must learn that it was not.
            IllegalStateException notStored = new IllegalStateException("@RetryLater(\"" + target.instance()
                    + "\") could not store the failed call of " + target.bean() + "." + target.signature() + ": "
                    + ex.getMessage(), ex);
            notStored.addSuppressed(failure);
            throw notStored;
        }
        return id;
    }

    /** Whether the caller of {@code target} gets the failure after the call is stored. */
    boolean policyPropagates(RetryLaterMethods.Target target) {
        return properties.policy(target.instance()).propagateFailure();
    }

    /** The replay settings of {@code instance}. */
    RetryLaterPolicy policy(String instance) {
        return properties.policy(instance);
    }

    /** The database of stored calls as this replica last found it. */
    DeferredTable table() {
        return table;
    }

    Timing timing() {
        return timing;
    }

    JsonMapper json() {
        return json;
    }

    /**
     * Stored calls by next attempt, dead ones last; {@code limit} (at most {@value #MAX_PAGE_SIZE}) from
     * {@code offset}. Reads that page only, never the whole table.
     */
    public List<StoredCall> list(long offset, int limit) {
        int size = Math.min(Math.max(0, limit), MAX_PAGE_SIZE);
        if (size == 0) {
            return List.of();
        }
        return queries.page(Math.max(0, offset), size).stream()
                .map(row -> view(row.id(), row.data(), row.executionTime())).toList();
    }

    /** How many calls are stored, dead ones included. */
    public long count() {
        return queries.count();
    }

    /** One stored call. */
    public Optional<StoredCall> find(String id) {
        return execution(id).map(this::view);
    }

    /**
     * Makes the call due now (a dead one too, for one more attempt: if it fails, it is dead again).
     *
     * @return false when there is no such call
     */
    public boolean replayNow(String id) {
        Optional<ScheduledExecution<Object>> execution = execution(id);
        if (execution.isEmpty()) {
            return false;
        }
        Payload payload = read((String) execution.get().getData()).withDead(false);
        return client.reschedule(instance(id), timing.clock().instant(), write(payload));
    }

    /**
     * Removes the call for good.
     *
     * @return false when there is no such call
     */
    public boolean discard(String id) {
        if (execution(id).isEmpty()) {
            return false;
        }
        client.cancel(instance(id));
        return true;
    }

    private Optional<ScheduledExecution<Object>> execution(String id) {
        table.require();
        return client.getScheduledExecution(instance(id));
    }

    private static TaskInstanceId instance(String id) {
        return TaskInstanceId.of(TASK_NAME, id);
    }

    private StoredCall view(ScheduledExecution<?> execution) {
        return view(execution.getTaskInstance().getId(), (String) execution.getData(), execution.getExecutionTime());
    }

    private StoredCall view(String id, String data, Instant executionTime) {
        Payload payload = read(data);
        return new StoredCall(id, payload.instance(), payload.bean(), payload.signature(),
                payload.arguments().toString(), payload.attempts(), payload.priority(), payload.dead(),
                payload.dead() ? null : executionTime, payload.firstFailedAt(), payload.firstFailure(),
                payload.lastError());
    }

    /** Runs {@code action} once the caller's transaction commits, or now when there is none. */
    private static void afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    String write(Payload payload) {
        return json.writeValueAsString(payload);
    }

    Payload read(String data) {
        return json.readValue(data, Payload.class);
    }
}
