package dev.resilience.lastknowngood;

import dev.resilience.core.EventSink;
import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.Timing;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stores a guarded method's good results by key and answers a failed call with the one for its key while it is
 * younger than {@code max-staleness}. Which results reach {@link #store} (never a fallback's, never one it served
 * itself) is the caller's part: the pipeline's steps.
 *
 * <p>A store that fails (a cache backend that is down) never fails the call: storing is skipped, and a lookup
 * finds nothing; both are counted as store failures.
 */
public final class LastKnownGood {

    private static final System.Logger LOGGER = System.getLogger(LastKnownGood.class.getName());

    private final String name;
    private final AnswerStore store;
    private final Timing timing;
    private volatile LastKnownGoodConfig config;
    private volatile ExceptionClassifier classifier;
    private final LongAdder stored = new LongAdder();
    private final LongAdder served = new LongAdder();
    private final LongAdder missed = new LongAdder();
    private final LongAdder tooOld = new LongAdder();
    private final LongAdder storeFailures = new LongAdder();
    private volatile EventSink events = EventSink.NONE;
    private volatile Consumer<Duration> servedAges; // null: nobody measures them

    public LastKnownGood(String name, LastKnownGoodConfig config, AnswerStore store, Timing timing) {
        this.name = Objects.requireNonNull(name, "name");
        this.store = Objects.requireNonNull(store, "store");
        this.timing = Objects.requireNonNull(timing, "timing");
        reconfigure(config);
    }

    public String getName() {
        return name;
    }

    public LastKnownGoodConfig getConfig() {
        return config;
    }

    /**
     * Receives {@code SERVED_STALE} for each failure answered from the store and {@code TOO_OLD} for each whose
     * stored answer was too old, with the failure as detail; replaces any previous sink.
     */
    public void setEventSink(EventSink sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Receives the age of each stored answer served, on the calling thread, before the answer is handed on (a meter);
     * replaces any previous one; {@code null} for none.
     */
    public void setServedAgeListener(Consumer<Duration> listener) {
        this.servedAges = listener;
    }

    /**
     * Drops the answer stored for {@code key}, or, when {@code key} is {@code null}, every answer of this instance's
     * store (its whole cache: anything else kept in a cache of the same name goes too). Publishes {@code PURGED}.
     *
     * @throws UnsupportedOperationException when the store cannot drop answers
     */
    public void purge(Object key) {
        if (key == null) {
            store.clear();
        } else {
            store.evict(key);
        }
        EventSink sink = events;
        if (sink != EventSink.NONE) {
            sink.publish("lastknowngood", name, "PURGED", key == null ? "all answers" : "one key");
        }
    }

    /** Applies to later calls; the cache an instance uses is chosen once, when it is created. */
    public void reconfigure(LastKnownGoodConfig newConfig) {
        LastKnownGoodConfig checked = Objects.requireNonNull(newConfig, "config");
        classifier = ExceptionClassifier.of(checked.applyOn(), checked.skipOn());
        config = checked;
    }

    /** Stores {@code value}, a good result, as the answer for {@code key}, stamped with the current time. */
    public void store(Object key, Object value) {
        try {
            store.put(key, new StoredAnswer(value, timing.clock().millis()));
            stored.increment();
        } catch (RuntimeException failure) {
            storeFailed("store", failure);
        }
    }

    /** Whether {@code failure} may be answered from the store ({@code apply-on} matches, {@code skip-on} does not). */
    public boolean appliesTo(Throwable failure) {
        return classifier.includes(failure);
    }

    /**
     * The answer for a call that failed with {@code failure}: the stored one for {@code key} if the failure applies
     * and the answer is younger than {@code max-staleness}, else {@code null} (then the failure should propagate).
     */
    public Served recover(Object key, Throwable failure) {
        if (!appliesTo(failure)) {
            return null;
        }
        StoredAnswer answer;
        try {
            answer = store.get(key);
        } catch (RuntimeException lookupFailure) {
            storeFailed("look up", lookupFailure);
            answer = null;
        }
        if (answer == null) {
            missed.increment();
            return null;
        }
        Duration age = Duration.ofMillis(timing.clock().millis() - answer.storedAtMillis());
        if (age.isNegative()) { // stored by a replica whose clock is ahead
            age = Duration.ZERO;
        }
        if (age.compareTo(config.maxStaleness()) >= 0) {
            tooOld.increment();
            publish("TOO_OLD", failure);
            return null;
        }
        served.increment();
        Consumer<Duration> ages = servedAges;
        if (ages != null) {
            ages.accept(age);
        }
        publish("SERVED_STALE", failure);
        return new Served(answer.value(), age);
    }

    private void publish(String type, Throwable failure) {
        EventSink sink = events;
        if (sink != EventSink.NONE) {
            sink.publish("lastknowngood", name, type, failure);
        }
    }

    private void storeFailed(String action, RuntimeException failure) {
        storeFailures.increment();
        LOGGER.log(System.Logger.Level.DEBUG, () -> "Could not " + action + " a last known good answer of '" + name
                + "'", failure);
    }

    /** Successful results stored since startup. */
    public long getStoredCalls() {
        return stored.sum();
    }

    /** Failed calls answered from the store since startup. */
    public long getServedCalls() {
        return served.sum();
    }

    /** Failed calls for whose key nothing was stored. */
    public long getMissedCalls() {
        return missed.sum();
    }

    /** Failed calls whose stored answer was too old to serve. */
    public long getTooOldCalls() {
        return tooOld.sum();
    }

    /** Stores and lookups that failed because the cache did. */
    public long getStoreFailures() {
        return storeFailures.sum();
    }

    /**
     * A stored answer being served.
     *
     * @param value the stored result
     * @param age how old it is
     */
    public record Served(Object value, Duration age) {
    }
}
