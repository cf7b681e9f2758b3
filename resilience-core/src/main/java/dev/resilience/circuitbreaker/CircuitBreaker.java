package dev.resilience.circuitbreaker;

import dev.resilience.core.Durations;
import dev.resilience.core.EventSink;
import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.OrderedPublisher;
import dev.resilience.core.ResultPredicateException;
import dev.resilience.core.Ticker;
import dev.resilience.core.Timing;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A circuit breaker: lets calls through while the dependency behind it is healthy, rejects them with
 * {@link CircuitBreakerOpenException} while it is not, and probes with a few trial calls when it may have
 * recovered.
 *
 * <p>A call asks for a permit, runs, and reports its outcome with the permit:
 * <pre>{@code
 * Object permit = breaker.acquirePermission();
 * long start = breaker.now();
 * try {
 *     T result = call();
 *     breaker.onResult(permit, start, null);
 *     return result;
 * } catch (Throwable failure) {
 *     breaker.onResult(permit, start, failure);
 *     throw failure;
 * }
 * }</pre>
 * The permit is the state the call was admitted in, so a call that started while CLOSED and ends after
 * the breaker opened is never mistaken for a half-open trial. On the CLOSED path nothing is allocated and
 * no lock is taken. OPEN turns into HALF_OPEN without a timer: the first call or state read after the wait
 * sees it.
 */
public final class CircuitBreaker {

    private static final String[] REJECTION_DETAILS = Arrays.stream(CircuitBreakerState.values())
            .map(state -> "call not permitted while " + state).toArray(String[]::new);

    private final String name;
    private final Timing timing;
    // Written only by setCallObserver and swapConfig (reconfigure), synchronized so neither loses the other's change.
    private volatile Settings settings;
    // Invariant: the phase object is replaced, never mutated in its state; transitions are CAS-swaps and
    // their side effects (listeners) run only after the swap succeeded. Each phase carries the number of the
    // transition that entered it: one more than the phase it replaced when the state changed, else the same.
    private final AtomicReference<Phase> phase;
    private final LongAdder notPermitted = new LongAdder();
    private final OrderedPublisher<StateTransition> publisher;
    private final CircuitBreakerOpenException[] rejections = new CircuitBreakerOpenException[
            CircuitBreakerState.values().length];
    private volatile CallObserver observer;
    private volatile EventSink events = EventSink.NONE;

    public CircuitBreaker(String name, CircuitBreakerConfig config, Timing timing) {
        this.name = Objects.requireNonNull(name, "name");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.settings = new Settings(config, timing, false);
        this.phase = new AtomicReference<>(new Closed(0, Window.create(config), null));
        this.publisher = new OrderedPublisher<>("circuit breaker '" + name + "'", timing.clock(), CircuitBreaker.class);
        for (CircuitBreakerState state : List.of(CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN,
                CircuitBreakerState.FORCED_OPEN)) {
            rejections[state.ordinal()] = CircuitBreakerOpenException.shared(name, state);
        }
    }

    public String getName() {
        return name;
    }

    public CircuitBreakerConfig getConfig() {
        return settings.config;
    }

    /** The current state; sees OPEN turn into HALF_OPEN (and publishes it) once the wait has passed. */
    public CircuitBreakerState getState() {
        return advance(phase.get()).state;
    }

    /**
     * The state as of the last transition, without moving OPEN to HALF_OPEN; for code that runs inside a
     * transition listener.
     */
    public CircuitBreakerState getRecordedState() {
        return phase.get().state;
    }

    /**
     * Sees every recorded call; replaces any previous observer. An observer is given precise durations, so
     * calls are then timed by the precise ticker whatever the slow-call threshold.
     */
    public synchronized void setCallObserver(CallObserver observer) {
        this.observer = observer;
        this.settings = new Settings(settings.config, timing, observer != null);
    }

    /**
     * Adds {@code observer} beside the one already set, if any: both see every recorded call, the earlier first.
     * Metrics bound to several meter registries (without a composite) add one each.
     */
    public synchronized void addCallObserver(CallObserver observer) {
        Objects.requireNonNull(observer, "observer");
        CallObserver current = this.observer;
        setCallObserver(current == null ? observer : CallObserver.both(current, observer));
    }

    /** Receives rejections; replaces any previous sink. */
    public void setEventSink(EventSink sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Calls {@code listener} after every state transition, one transition at a time and in the order they
     * happened: each one's {@code from} is the previous one's {@code to}, and its {@code at} is not earlier.
     * A listener runs on the thread that caused the transition, except when transitions race: then the thread
     * still delivering an earlier one delivers the later ones too, before it returns. A listener may read the
     * breaker and even cause a transition; that one is delivered after the current one.
     */
    public void addListener(Consumer<StateTransition> listener) {
        publisher.addListener(listener);
    }

    /** The ticker reading to pass to {@link #onResult} as the call's start. */
    public long now() {
        return settings.callTicker.read();
    }

    /**
     * Admits a call or rejects it.
     *
     * @return the permit to pass to {@link #onResult} or {@link #releasePermission}
     * @throws CircuitBreakerOpenException when the breaker does not permit the call
     */
    public Object acquirePermission() {
        Object permit = tryAcquirePermission();
        if (permit == null) {
            throw rejection(phase.get().state);
        }
        return permit;
    }

    /**
     * The rejection for {@code state}: one instance per rejecting state, made once. Rejections come in floods
     * while a dependency is down, and they carry no stack trace and accept no suppressed exceptions, so
     * sharing one costs nothing and allocates nothing per rejected call.
     */
    private CircuitBreakerOpenException rejection(CircuitBreakerState state) {
        CircuitBreakerOpenException rejection = rejections[state.ordinal()];
        return rejection != null ? rejection : new CircuitBreakerOpenException(name, state);
    }

    /** Like {@link #acquirePermission()}, but answers {@code null} instead of throwing. */
    public Object tryAcquirePermission() {
        Phase current = phase.get();
        if (current.permitsFreely) {
            return current;
        }
        current = advance(current);
        if (current.permitsFreely) {
            return current;
        }
        if (current instanceof HalfOpen halfOpen && halfOpen.tryTakeTrial()) {
            return halfOpen;
        }
        notPermitted.increment();
        EventSink sink = events;
        if (sink != EventSink.NONE) {
            sink.publish("circuitbreaker", name, "REJECTED", REJECTION_DETAILS[current.state.ordinal()]);
        }
        return null;
    }

    /**
     * Records the outcome of a permitted call.
     *
     * @param permit what {@link #acquirePermission()} returned
     * @param startNanos what {@link #now()} returned before the call
     * @param failure what the call threw, or {@code null} when it returned
     */
    public void onResult(Object permit, long startNanos, Throwable failure) {
        Settings current = settings;
        long now = current.callTicker.read();
        int outcome = 0;
        if (failure == RejectedResult.INSTANCE) {
            outcome = Window.FAILED;
        } else if (failure != null) {
            ExceptionClassifier.Verdict verdict = current.classifier.classify(failure);
            if (verdict == ExceptionClassifier.Verdict.EXCLUDED) {
                releasePermission(permit);
                observe(CallObserver.Outcome.IGNORED, now - startNanos);
                return;
            }
            if (verdict == ExceptionClassifier.Verdict.INCLUDED) {
                outcome = Window.FAILED;
            }
        }
        if (now - startNanos >= current.slowCallNanos) {
            outcome |= Window.SLOW;
        }
        if (permit instanceof Closed closed) {
            if (closed.window.record(outcome, now) && phase.get() == closed
                    && exceedsThresholds(closed.window, now, current)) {
                transition(closed, new Open(closed.number + 1, current.stateTicker.read(),
                        Figures.of(closed.window, now, current.minimumCalls)));
            }
        } else if (permit instanceof HalfOpen halfOpen) {
            recordTrial(halfOpen, outcome, now, current);
        }
        observe((outcome & Window.FAILED) != 0 ? CallObserver.Outcome.FAILED : CallObserver.Outcome.SUCCESSFUL,
                now - startNanos);
    }

    private void observe(CallObserver.Outcome outcome, long durationNanos) {
        CallObserver current = observer;
        if (current != null) {
            current.onCall(outcome, durationNanos);
        }
    }

    /**
     * Records a call that returned {@code result}: a failure when {@code record-result} marks it so, else a
     * success.
     *
     * @throws ResultPredicateException when {@code record-result} throws instead of answering; the call is then
     *     recorded as having failed with that exception, which the caller should let propagate as its outcome
     */
    public void onSuccess(Object permit, long startNanos, Object result) {
        boolean rejected;
        try {
            rejected = recordsAsFailure(result);
        } catch (ResultPredicateException broken) {
            onResult(permit, startNanos, broken);
            throw broken;
        }
        onResult(permit, startNanos, rejected ? RejectedResult.INSTANCE : null);
    }

    /**
     * Whether {@code record-result} marks {@code result} as a failure; false without one.
     *
     * @throws ResultPredicateException naming this breaker and the predicate, when the predicate throws
     */
    public boolean recordsAsFailure(Object result) {
        Predicate<Object> recordResult = settings.config.recordResult();
        if (recordResult == null) {
            return false;
        }
        try {
            return recordResult.test(result);
        } catch (Exception ex) {
            throw new ResultPredicateException("circuit breaker", name, "record-result", recordResult, result, ex);
        }
    }

    /** Stands for a returned value that {@code record-result} marks as a failure; counted, never thrown. */
    private static final class RejectedResult extends RuntimeException {
        static final RejectedResult INSTANCE = new RejectedResult();

        private RejectedResult() {
            super("result rejected by record-result", null, false, false);
        }
    }

    /** Gives back a permit whose call counts as nothing (an ignored failure, or a call never made). */
    public void releasePermission(Object permit) {
        if (permit instanceof HalfOpen halfOpen) {
            halfOpen.trials.decrementAndGet();
        }
    }

    /** Runs {@code call} through the breaker; a convenience for plain-Java use. */
    public <T> T call(Callable<T> call) throws Exception {
        Object permit = acquirePermission();
        long start = now();
        T result;
        try {
            result = call.call();
        } catch (Throwable failure) {
            onResult(permit, start, failure);
            throw failure;
        }
        onSuccess(permit, start, result);
        return result;
    }

    /** Rejects every call until moved to another state by hand. */
    public void transitionToForcedOpen() {
        moveTo(CircuitBreakerState.FORCED_OPEN, ForcedOpen::new);
    }

    /**
     * Opens the breaker now, as if its window had failed: it rejects calls for {@code wait-duration-in-open-state}
     * and then admits trial calls. For tests and drills; the figures shown stay those of the latest window.
     */
    public void transitionToOpen() {
        moveTo(CircuitBreakerState.OPEN, (number, shown) -> new Open(number, settings.stateTicker.read(), shown));
    }

    /**
     * Moves the breaker to HALF_OPEN now: it admits {@code permitted-number-of-calls-in-half-open-state} trial
     * calls, whose outcome closes or reopens it. For tests and drills.
     */
    public void transitionToHalfOpen() {
        moveTo(CircuitBreakerState.HALF_OPEN, (number, shown) -> new HalfOpen(number, settings.stateTicker.read(),
                settings.config.permittedNumberOfCallsInHalfOpenState()));
    }

    /**
     * Holds the breaker OPEN for as long as the probe named {@code by} says its dependency is down: calls are
     * rejected, and unlike a plain OPEN it does not turn HALF_OPEN after its wait. Several probes may hold one
     * breaker; it stays held until the last lets go. An operator's state wins: a FORCED_OPEN or DISABLED breaker
     * is not held, and forcing, closing or disabling a held breaker ends the hold.
     */
    public void holdOpen(String by) {
        Objects.requireNonNull(by, "by");
        for (;;) {
            Phase current = phase.get();
            Phase next;
            if (current instanceof ForcedOpen || current instanceof Disabled) {
                return;
            } else if (current instanceof HeldOpen held) {
                if (held.by.contains(by)) {
                    return;
                }
                next = held.withHolders(by, true);
            } else {
                boolean changes = current.state != CircuitBreakerState.OPEN;
                next = new HeldOpen(changes ? current.number + 1 : current.number, Set.of(by),
                        current.figures(timing.ticker().read(), settings));
            }
            if (phase.compareAndSet(current, next)) {
                if (current.state != CircuitBreakerState.OPEN) {
                    publish(next.number, current.state, CircuitBreakerState.OPEN);
                }
                return;
            }
        }
    }

    /**
     * Ends the hold of {@code by}; when no probe holds the breaker any more it goes HALF_OPEN, so real calls confirm
     * the recovery.
     */
    public void releaseHold(String by) {
        for (;;) {
            Phase current = phase.get();
            if (!(current instanceof HeldOpen held) || !held.by.contains(by)) {
                return;
            }
            Phase next;
            if (held.by.size() > 1) {
                next = held.withHolders(by, false);
            } else {
                next = new HalfOpen(current.number + 1, settings.stateTicker.read(),
                        settings.config.permittedNumberOfCallsInHalfOpenState());
            }
            if (phase.compareAndSet(current, next)) {
                if (next instanceof HalfOpen) {
                    publish(next.number, CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN);
                }
                return;
            }
        }
    }

    /** The probes holding the breaker open (names joined by ", "), or {@code null}. */
    public String getHeldOpenBy() {
        return phase.get() instanceof HeldOpen held ? String.join(", ", new TreeSet<>(held.by)) : null;
    }

    /** Closes the breaker and starts a new, empty window. */
    public void transitionToClosed() {
        moveTo(CircuitBreakerState.CLOSED, (number, shown) -> new Closed(number, Window.create(settings.config), null));
    }

    /** Lets every call through and records nothing until moved to another state by hand. */
    public void transitionToDisabled() {
        moveTo(CircuitBreakerState.DISABLED, Disabled::new);
    }

    /** Same as {@link #transitionToClosed()}. */
    public void reset() {
        transitionToClosed();
    }

    /**
     * Takes a new configuration and keeps the state. The window is kept when its type and size are
     * unchanged, and then judged at once by the new thresholds; it is restarted otherwise.
     */
    public void reconfigure(CircuitBreakerConfig config) {
        Open opened = swapConfig(config);
        if (opened != null) {
            // Published outside the monitor, so a listener never runs while holding it; the number keeps the order.
            publish(opened.number, CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN);
        }
    }

    /** Takes the new configuration; answers the OPEN phase it moved to when the kept window fails it, or null. */
    private synchronized Open swapConfig(CircuitBreakerConfig config) {
        CircuitBreakerConfig previous = settings.config;
        Settings next = new Settings(config, timing, observer != null);
        settings = next;
        boolean sameWindow = previous.slidingWindowType() == config.slidingWindowType()
                && previous.slidingWindowSize() == config.slidingWindowSize();
        if (sameWindow) {
            // Calls judge the window only when its figures change, so judge it now under the new thresholds.
            Phase current = phase.get();
            long now = next.callTicker.read();
            if (current instanceof Closed closed && exceedsThresholds(closed.window, now, next)) {
                Open open = new Open(closed.number + 1, next.stateTicker.read(),
                        Figures.of(closed.window, now, next.minimumCalls));
                return phase.compareAndSet(closed, open) ? open : null;
            }
            return null;
        }
        for (;;) {
            Phase current = phase.get();
            if (!(current instanceof Closed closed)) {
                return null; // the next CLOSED phase starts with a window of the new shape
            }
            if (phase.compareAndSet(current, new Closed(current.number, Window.create(config), closed.decided))) {
                return null;
            }
        }
    }

    /** Calls rejected since the breaker was created. */
    public long getNotPermittedCalls() {
        return notPermitted.sum();
    }

    /**
     * The rates and counts of the window that decided the latest transition: while CLOSED the live window (or,
     * after HALF_OPEN -> CLOSED and until that window holds {@code minimum-number-of-calls}, the trial calls that
     * closed it); while OPEN the window that opened it, as it was then (the trial calls after HALF_OPEN -> OPEN);
     * while HALF_OPEN the trial calls completed so far. FORCED_OPEN and DISABLED keep the figures shown when
     * they were entered.
     */
    public CircuitBreakerMetrics getMetrics() {
        Phase current = advance(phase.get());
        return current.figures(timing.ticker().read(), settings).metrics(notPermitted.sum());
    }

    /** A count-based window can never hold more calls than its size. */
    private static int minimumCalls(CircuitBreakerConfig config) {
        return config.slidingWindowType() == SlidingWindowType.COUNT_BASED
                ? Math.min(config.minimumNumberOfCalls(), config.slidingWindowSize())
                : config.minimumNumberOfCalls();
    }

    private static boolean exceedsThresholds(Window window, long now, Settings settings) {
        int calls = window.calls(now);
        if (calls < settings.minimumCalls) {
            return false;
        }
        CircuitBreakerConfig config = settings.config;
        return window.failed(now) * 100f >= config.failureRateThreshold() * calls
                || window.slow(now) * 100f >= config.slowCallRateThreshold() * calls;
    }

    private void recordTrial(HalfOpen halfOpen, int outcome, long now, Settings current) {
        if ((outcome & Window.FAILED) != 0) {
            halfOpen.failed.incrementAndGet();
        }
        if ((outcome & Window.SLOW) != 0) {
            if ((outcome & Window.FAILED) != 0) {
                halfOpen.slowFailed.incrementAndGet();
            }
            halfOpen.slow.incrementAndGet();
        }
        // The capacity of the HALF_OPEN it was admitted in, not the current configuration's: see HalfOpen.
        int permitted = halfOpen.permitted;
        if (halfOpen.completed.incrementAndGet() != permitted) {
            return;
        }
        // Every trial counted its failure and slowness before its completion: these are all of them.
        Figures trials = halfOpen.trials();
        CircuitBreakerConfig config = current.config;
        boolean failing = trials.failed() * 100f >= config.failureRateThreshold() * permitted
                || trials.slow() * 100f >= config.slowCallRateThreshold() * permitted;
        long number = halfOpen.number + 1;
        transition(halfOpen, failing ? new Open(number, current.stateTicker.read(), trials)
                : new Closed(number, Window.create(config), trials));
    }

    /** Moves OPEN to HALF_OPEN, and HALF_OPEN back to OPEN, when their time is up. */
    private Phase advance(Phase current) {
        for (;;) {
            Phase next = null;
            if (current instanceof Open open) {
                long now = settings.stateTicker.read();
                if (now - open.openedAt >= settings.waitNanos) {
                    next = new HalfOpen(open.number + 1, now, settings.config.permittedNumberOfCallsInHalfOpenState());
                }
            } else if (current instanceof HalfOpen halfOpen && settings.halfOpenMaxWaitNanos > 0) {
                long now = settings.stateTicker.read();
                if (now - halfOpen.startedAt >= settings.halfOpenMaxWaitNanos) {
                    next = new Open(halfOpen.number + 1, now, halfOpen.trials());
                }
            }
            if (next == null) {
                return current;
            }
            transition(current, next);
            current = phase.get();
        }
    }

    /** Swaps {@code from} for {@code to}, whose number is one more than {@code from}'s, and publishes it if won. */
    private void transition(Phase from, Phase to) {
        if (phase.compareAndSet(from, to)) {
            publish(to.number, from.state, to.state);
        }
    }

    /** Moves to {@code state} from whatever the phase is; publishes only a change of state. */
    private void moveTo(CircuitBreakerState state, PhaseFactory next) {
        for (;;) {
            Phase current = phase.get();
            boolean changes = current.state != state;
            Phase target = next.create(changes ? current.number + 1 : current.number,
                    current.figures(timing.ticker().read(), settings));
            if (phase.compareAndSet(current, target)) {
                if (changes) {
                    publish(target.number, current.state, state);
                }
                return;
            }
        }
    }

    /** Hands transition {@code number} to the publisher, which stamps it and delivers it in chain order. */
    private void publish(long number, CircuitBreakerState from, CircuitBreakerState to) {
        publisher.publish(number, at -> new StateTransition(name, from, to, at));
    }

    /** Makes a phase numbered {@code number}, given the figures the phase it replaces shows. */
    @FunctionalInterface
    private interface PhaseFactory {
        Phase create(long number, Figures shown);
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + name + ", " + getState() + "]";
    }

    /** The configuration with the figures the hot path needs precomputed. */
    private static final class Settings {
        final CircuitBreakerConfig config;
        final ExceptionClassifier classifier;
        final long slowCallNanos;
        final long waitNanos;
        final long halfOpenMaxWaitNanos;
        final int minimumCalls;

        /**
         * Times calls: the coarse ticker when the slow-call threshold is a second or more, where its resolution
         * changes nothing measurable, else the precise one; always the precise one while an observer (the
         * call timer of the meters) needs the durations themselves.
         */
        final Ticker callTicker;

        /**
         * Times the waits in OPEN and HALF_OPEN, on the same rule: a rejected call then costs no clock read.
         */
        final Ticker stateTicker;

        Settings(CircuitBreakerConfig config, Timing timing, boolean observed) {
            this.config = Objects.requireNonNull(config, "config");
            this.callTicker = observed ? timing.ticker() : tickerFor(config.slowCallDurationThreshold(), timing);
            Duration shortestWait = config.maxWaitDurationInHalfOpenState().isZero()
                    ? config.waitDurationInOpenState()
                    : min(config.waitDurationInOpenState(), config.maxWaitDurationInHalfOpenState());
            this.stateTicker = tickerFor(shortestWait, timing);
            this.classifier = ExceptionClassifier.of(config.recordExceptions(), config.ignoreExceptions());
            this.slowCallNanos = Durations.toNanos(config.slowCallDurationThreshold());
            this.waitNanos = Durations.toNanos(config.waitDurationInOpenState());
            this.halfOpenMaxWaitNanos = Durations.toNanos(config.maxWaitDurationInHalfOpenState());
            this.minimumCalls = minimumCalls(config);
        }

        /** The coarse ticker for durations of a second or more, where its resolution is under 1%. */
        private static Ticker tickerFor(Duration duration, Timing timing) {
            return duration.compareTo(Duration.ofSeconds(1)) >= 0 ? timing.coarseTicker() : timing.ticker();
        }

        private static Duration min(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
        }

    }

    private abstract static sealed class Phase permits Closed, Open, HalfOpen, ForcedOpen, Disabled, HeldOpen {
        final CircuitBreakerState state;
        final boolean permitsFreely;
        /** The number of the transition that entered this state; the order in which listeners see them. */
        final long number;

        Phase(CircuitBreakerState state, boolean permitsFreely, long number) {
            this.state = state;
            this.permitsFreely = permitsFreely;
            this.number = number;
        }

        /** The figures the metrics show while in this phase: those of the window that decided the latest transition. */
        abstract Figures figures(long nowNanos, Settings settings);
    }

    private static final class Closed extends Phase {
        final Window window;
        /** The trial calls that closed the breaker, shown until the window can be assessed; null otherwise. */
        final Figures decided;

        Closed(long number, Window window, Figures decided) {
            super(CircuitBreakerState.CLOSED, true, number);
            this.window = window;
            this.decided = decided;
        }

        @Override
        Figures figures(long nowNanos, Settings settings) {
            return decided != null && window.calls(nowNanos) < settings.minimumCalls ? decided
                    : Figures.of(window, nowNanos, settings.minimumCalls);
        }
    }

    private static final class Open extends Phase {
        final long openedAt;
        /** The window that opened the breaker, frozen then: later calls and time do not change what it decided. */
        final Figures decided;

        Open(long number, long openedAt, Figures decided) {
            super(CircuitBreakerState.OPEN, false, number);
            this.openedAt = openedAt;
            this.decided = decided;
        }

        @Override
        Figures figures(long nowNanos, Settings settings) {
            return decided;
        }
    }

    private static final class HalfOpen extends Phase {
        final long startedAt;
        /**
         * The trials this HALF_OPEN admits, fixed when it is entered: a reconfiguration while it lasts applies to
         * the next one, so admission and completion always agree on the number.
         */
        final int permitted;
        final AtomicInteger trials = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger slow = new AtomicInteger();
        final AtomicInteger slowFailed = new AtomicInteger();

        HalfOpen(long number, long startedAt, int permitted) {
            super(CircuitBreakerState.HALF_OPEN, false, number);
            this.startedAt = startedAt;
            this.permitted = permitted;
        }

        /** The trial calls completed so far; their rates are assessed from the first one. */
        Figures trials() {
            return new Figures(completed.get(), failed.get(), slow.get(), slowFailed.get(), 1);
        }

        @Override
        Figures figures(long nowNanos, Settings settings) {
            return trials();
        }

        /** Invariant: trials never exceeds the permitted number, however many threads ask. */
        boolean tryTakeTrial() {
            for (;;) {
                int taken = trials.get();
                if (taken >= permitted) {
                    return false;
                }
                if (trials.compareAndSet(taken, taken + 1)) {
                    return true;
                }
            }
        }
    }

    /** OPEN while a dependency probe says its dependency is down: it waits for the probe, not for a time. */
    private static final class HeldOpen extends Phase {
        final Set<String> by;
        final Figures shown;

        HeldOpen(long number, Set<String> by, Figures shown) {
            super(CircuitBreakerState.OPEN, false, number);
            this.by = by;
            this.shown = shown;
        }

        /** The same hold, with {@code holder} added or taken away. */
        HeldOpen withHolders(String holder, boolean add) {
            Set<String> holders = new TreeSet<>(by);
            if (add) {
                holders.add(holder);
            } else {
                holders.remove(holder);
            }
            return new HeldOpen(number, Set.copyOf(holders), shown);
        }

        @Override
        Figures figures(long nowNanos, Settings settings) {
            return shown;
        }
    }

    private static final class ForcedOpen extends Phase {
        final Figures shown;

        ForcedOpen(long number, Figures shown) {
            super(CircuitBreakerState.FORCED_OPEN, false, number);
            this.shown = shown;
        }

        @Override
        Figures figures(long nowNanos, Settings settings) {
            return shown;
        }
    }

    private static final class Disabled extends Phase {
        final Figures shown;

        Disabled(long number, Figures shown) {
            super(CircuitBreakerState.DISABLED, true, number);
            this.shown = shown;
        }

        @Override
        Figures figures(long nowNanos, Settings settings) {
            return shown;
        }
    }
}
