package dev.resilience.probe;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.Durations;
import dev.resilience.core.EventSink;
import dev.resilience.core.OrderedPublisher;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Checks one dependency in the background, every {@code interval}, and decides its {@link ProbeStatus} from
 * consecutive results ({@code failure-threshold}, {@code success-threshold}), as Kubernetes, Envoy and Consul do.
 *
 * <p>Checks never run on a caller's thread, and asking for the status never runs one: {@link #snapshot()} reads
 * the last result. A check runs on a worker; its deadline and the next check are timed by the shared
 * {@link Scheduler}, so no thread waits for a probe and a slow probe delays no other. A check that outlasts
 * {@code timeout} counts as a failure at once and its worker is interrupted; while it still runs, the next due
 * check is skipped and counts as a failure too, so a dependency that hangs the check cannot pile up workers.
 */
public final class Probe {

    private final String name;
    private final ProbeCheck check;
    private final Timing timing;
    private final ExecutorService workers;
    private final OrderedPublisher<ProbeStatusChange> publisher;
    private volatile ProbeConfig config;
    private volatile EventSink events = EventSink.NONE;
    private volatile CheckObserver observer;

    // Guarded by this: the state below changes only under the monitor; a snapshot is taken under it.
    private ProbeSnapshot state;
    private long changes;
    private Attempt inFlight;
    private Scheduler.Cancellable nextRun;
    private boolean started;
    // Which start the scheduled checks belong to: a check in flight across stop() and start() must not keep
    // scheduling for the start that ended, beside the new one.
    private long generation;

    /**
     * @param workers runs the checks (a check blocks: virtual threads where the JDK has them)
     */
    public Probe(String name, ProbeConfig config, ProbeCheck check, Timing timing, ExecutorService workers) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.check = Objects.requireNonNull(check, "check");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.publisher = new OrderedPublisher<>("probe '" + name + "'", timing.clock(), Probe.class);
        this.state = ProbeSnapshot.initial(name, config.criticality());
    }

    public String getName() {
        return name;
    }

    public ProbeConfig getConfig() {
        return config;
    }

    /** The last decided status; never runs a check. */
    public ProbeStatus getStatus() {
        return snapshot().status();
    }

    /** The last results; never runs a check. */
    public synchronized ProbeSnapshot snapshot() {
        return state;
    }

    /** Calls {@code listener} after every status change, in the order of the changes. */
    public void addListener(Consumer<ProbeStatusChange> listener) {
        publisher.addListener(listener);
    }

    /** Told of each check as it is decided: whether it succeeded, and how long it took. */
    @FunctionalInterface
    public interface CheckObserver {
        void onCheck(boolean succeeded, long durationNanos);
    }

    /** Receives every decided check (for meters); replaces any previous observer. */
    public synchronized void setCheckObserver(CheckObserver observer) {
        this.observer = observer;
    }

    /**
     * Adds {@code observer} beside the one already set, if any: both are told of every decided check, the earlier
     * first. Meters bound to several registries (without a composite) add one each.
     */
    public synchronized void addCheckObserver(CheckObserver observer) {
        Objects.requireNonNull(observer, "observer");
        CheckObserver current = this.observer;
        this.observer = current == null ? observer : (succeeded, nanos) -> {
            current.onCheck(succeeded, nanos);
            observer.onCheck(succeeded, nanos);
        };
    }

    /** Receives status changes as events; replaces any previous sink. */
    public void setEventSink(EventSink sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Holds {@code breaker} open while this probe is DOWN, so that calls fail fast without one of them timing out;
     * when the probe comes UP again the breaker goes to HALF_OPEN, and real calls confirm the recovery.
     */
    public void drive(CircuitBreaker breaker) {
        Objects.requireNonNull(breaker, "breaker");
        addListener(change -> {
            if (change.to() == ProbeStatus.DOWN) {
                breaker.holdOpen(name);
            } else if (change.from() == ProbeStatus.DOWN) {
                breaker.releaseHold(name);
            }
        });
        if (getStatus() == ProbeStatus.DOWN) {
            breaker.holdOpen(name);
            if (getStatus() != ProbeStatus.DOWN) { // it came UP in between, and its listener found nothing to release
                breaker.releaseHold(name);
            }
        }
    }

    /** Takes a new configuration; the next check is timed by it. */
    public void reconfigure(ProbeConfig newConfig) {
        config = Objects.requireNonNull(newConfig, "config");
        synchronized (this) {
            state = state.withCriticality(newConfig.criticality());
        }
    }

    /** Starts checking: the first check after {@code initial-delay}, then one every {@code interval}. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        long current = ++generation;
        nextRun = timing.scheduler().schedule(() -> scheduledRun(current), Durations.toNanos(config.initialDelay()));
    }

    /** Stops checking; a check in flight finishes but schedules no other. */
    public synchronized void stop() {
        started = false;
        if (nextRun != null) {
            nextRun.cancel();
            nextRun = null;
        }
    }

    /**
     * Forgets the results so far: the status goes back to UNKNOWN (published as a change, so a breaker this probe
     * holds is released) and the consecutive counts, last latency and error are cleared; the lifetime check counts
     * stay. A check in flight still records its result when it ends. For tests and operators starting afresh.
     */
    public void reset() {
        Runnable change;
        synchronized (this) {
            ProbeSnapshot before = state;
            ProbeSnapshot after = ProbeSnapshot.initial(name, before.criticality())
                    .withCheckCounts(before.successfulChecks(), before.failedChecks());
            state = after;
            if (before.status() != after.status()) {
                long number = ++changes;
                ProbeStatus from = before.status();
                pendingChange = () -> {
                    EventSink sink = events;
                    if (sink != EventSink.NONE) {
                        sink.publish("probe", name, ProbeStatus.UNKNOWN.name(), "reset");
                    }
                    publisher.publish(number, at -> new ProbeStatusChange(name, from, ProbeStatus.UNKNOWN, null, at));
                };
            }
            change = takePendingChange();
        }
        if (change != null) {
            change.run();
        }
    }

    /**
     * Runs a check now (or joins the one in flight) and answers the results once it is decided; the background
     * checks keep their own timing.
     */
    public CompletableFuture<ProbeSnapshot> runNow() {
        return begin().decided.thenApply(ignored -> snapshot());
    }

    private void scheduledRun(long ofGeneration) {
        Runnable change;
        synchronized (this) {
            if (!started || ofGeneration != generation) {
                return;
            }
            if (inFlight == null || !inFlight.decided.isDone()) {
                change = null;
            } else {
                // The previous check still runs past its deadline: this turn fails, and starts no other worker.
                record(new ProbeFailedException("the previous check is still running after its timeout of "
                        + config.timeout()), 0);
                change = takePendingChange();
                scheduleNext(ofGeneration);
            }
        }
        if (change != null) {
            change.run();
            return;
        }
        begin().decided.whenComplete((ignored, failure) -> {
            synchronized (this) {
                scheduleNext(ofGeneration);
            }
        });
    }

    /** Starts a check, or answers the one in flight. */
    private Attempt begin() {
        Attempt attempt;
        synchronized (this) {
            if (inFlight != null) {
                return inFlight;
            }
            attempt = new Attempt(timing.ticker().read());
            inFlight = attempt;
        }
        long timeoutNanos = Durations.toNanos(config.timeout());
        // Set before the worker starts, so that a check that ends at once still finds its deadline to cancel.
        attempt.deadline = timing.scheduler().schedule(() -> attempt.finish(
                new ProbeFailedException("no answer within " + config.timeout()), true), timeoutNanos);
        try {
            attempt.worker = workers.submit(() -> {
                try {
                    check.check();
                    attempt.finish(null, false);
                } catch (Throwable failure) {
                    attempt.finish(failure, false);
                }
            });
        } catch (RejectedExecutionException stopped) {
            attempt.finish(new ProbeFailedException("the probe's workers are shut down"), false);
        }
        return attempt;
    }

    /** Under the monitor. */
    private void scheduleNext(long ofGeneration) {
        if (started && ofGeneration == generation) {
            nextRun = timing.scheduler().schedule(() -> scheduledRun(ofGeneration),
                    Durations.toNanos(config.interval()));
        }
    }

    /** Records one result; under the monitor. A status change is left in {@link #pendingChange} to publish. */
    private void record(Throwable failure, long latencyNanos) {
        ProbeSnapshot before = state;
        ProbeConfig current = config;
        ProbeSnapshot after = failure == null
                ? before.succeeded(Duration.ofNanos(latencyNanos), timing.clock().instant(), current.successThreshold())
                : before.failed(Duration.ofNanos(latencyNanos), message(failure), current.failureThreshold());
        state = after;
        if (after.status() != before.status()) {
            long number = ++changes;
            ProbeStatus from = before.status();
            ProbeStatus to = after.status();
            String error = to == ProbeStatus.DOWN ? after.error() : null;
            pendingChange = () -> {
                EventSink sink = events;
                if (sink != EventSink.NONE) {
                    sink.publish("probe", name, to.name(), error != null ? error : "check succeeded");
                }
                publisher.publish(number, at -> new ProbeStatusChange(name, from, to, error, at));
            };
        }
    }

    // Set by record() under the monitor, run by the thread that recorded, after it leaves the monitor.
    private Runnable pendingChange;

    private Runnable takePendingChange() {
        Runnable change = pendingChange;
        pendingChange = null;
        return change;
    }

    private static String message(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    @Override
    public String toString() {
        return "Probe[" + name + ", " + getStatus() + "]";
    }

    /** One check: decided once, by whichever comes first of its own end and its deadline. */
    private final class Attempt {
        final long startNanos;
        final CompletableFuture<Void> decided = new CompletableFuture<>();
        volatile Future<?> worker;
        volatile Scheduler.Cancellable deadline;

        Attempt(long startNanos) {
            this.startNanos = startNanos;
        }

        // Guarded by the probe's monitor.
        boolean recorded;

        void finish(Throwable failure, boolean timedOut) {
            Runnable change;
            long took;
            Scheduler.Cancellable timer = deadline;
            if (!timedOut && timer != null) {
                timer.cancel(); // before the result shows: whoever sees it sees no deadline left pending
            }
            synchronized (Probe.this) {
                if (!timedOut && inFlight == this) {
                    inFlight = null; // the worker has ended (in time, or at last after its deadline)
                }
                if (recorded) {
                    return;
                }
                recorded = true;
                took = timing.ticker().read() - startNanos;
                record(failure, took);
                change = takePendingChange();
            }
            CheckObserver checks = observer;
            if (checks != null) {
                checks.onCheck(failure == null, took);
            }
            if (timedOut) {
                Future<?> running = worker;
                if (running != null) {
                    running.cancel(true);
                }
            }
            if (change != null) {
                change.run(); // before the result is out, so that whoever waits for it sees the change's effects
            }
            decided.complete(null);
        }
    }
}
