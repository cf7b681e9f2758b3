package dev.resilience.ratelimiter;

import dev.resilience.core.Durations;
import dev.resilience.core.EventSink;
import dev.resilience.core.InvalidConfigurationException;
import dev.resilience.core.Timing;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Caps calls per period: {@code limit-for-period} permits each {@code limit-refresh-period}. A call that finds
 * none may reserve a permit of a later period, if that comes within {@code timeout-duration}, and waits for it;
 * otherwise it gets {@link RateLimitExceededException}.
 *
 * <p>The whole state is one {@code long} (period number and signed permits) changed by CAS: taking a permit
 * allocates nothing and takes no lock, and reservations are served in the order they were made.
 *
 * <p>With {@code scope: cluster} the permits come from a {@link RateLimiterBackend} shared by every application.
 * While it cannot be reached, the limiter either allows its {@link RateLimiterConfig#localShare() local share}
 * from the same local state, or rejects, as {@code on-backend-failure} says. Whether a limiter is shared is
 * decided when its configuration is applied (a final field of its settings), so a local limiter's call pays one
 * null check for it and nothing more.
 */
public final class RateLimiter {

    /** Returned by {@link #reservePermission()} when the call must be rejected. */
    public static final long REJECTED = -1;

    private static final int PERMIT_BITS = 24;
    private static final long PERMIT_MASK = (1L << PERMIT_BITS) - 1;
    private static final int MIN_PERMITS = -(1 << (PERMIT_BITS - 1)) + 1;

    private final String name;
    private final Timing timing;
    private final RateLimiterBackend backend;
    private volatile Settings settings;
    // Invariant: state = (period number << 24) | (permits & 0xFFFFFF); negative permits are reservations.
    private final AtomicLong state = new AtomicLong();
    private final LongAdder rejected = new LongAdder();
    private volatile EventSink events = EventSink.NONE;

    /** A limiter whose configuration must be {@link RateLimiterConfig.Scope#LOCAL local}. */
    public RateLimiter(String name, RateLimiterConfig config, Timing timing) {
        this(name, config, timing, null);
    }

    /** @param backend where {@code scope: cluster} takes its permits; {@code null} when there is none */
    public RateLimiter(String name, RateLimiterConfig config, Timing timing, RateLimiterBackend backend) {
        this.name = Objects.requireNonNull(name, "name");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.backend = backend;
        reconfigure(config);
    }

    public String getName() {
        return name;
    }

    public RateLimiterConfig getConfig() {
        return settings.config;
    }

    /**
     * Starts over with the new limit and period, with a full period's permits.
     *
     * @throws InvalidConfigurationException for {@code scope: cluster} when the limiter has no backend
     */
    public void reconfigure(RateLimiterConfig config) {
        RateLimiterBackend.Permits shared = null;
        if (config.scope() == RateLimiterConfig.Scope.CLUSTER) {
            if (backend == null) {
                throw new InvalidConfigurationException("scope", "cluster", "needs a shared store, and none is set up");
            }
            shared = backend.permits(name, config);
        }
        Settings next = new Settings(config, shared, timing.ticker().read());
        settings = next;
        state.set(pack(0, next.limit));
    }

    /** Whether a shared store is set up for this limiter, so that it can be (or be switched to) cluster-scoped. */
    public boolean hasBackend() {
        return backend != null;
    }

    /**
     * Whether this limiter's shared store was reachable at the last attempt; always true for a local limiter.
     */
    public boolean isBackendAvailable() {
        RateLimiterBackend.Permits shared = settings.shared;
        return shared == null || shared.available();
    }

    public void setEventSink(EventSink sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    /** Calls rejected since the limiter was created. */
    public long getRejectedCalls() {
        return rejected.sum();
    }

    /** Permits left in the current period; negative while calls wait for permits of later periods. */
    public int getAvailablePermissions() {
        Settings current = settings;
        if (current.shared != null && current.shared.available()) {
            try {
                return (int) Math.min(Integer.MAX_VALUE, current.shared.availablePermits());
            } catch (RateLimiterBackend.Unavailable down) {
                // the local share's figure below
            }
        }
        long packed = state.get();
        long period = current.period(timing.ticker().read());
        return refilled(current, packed, period);
    }

    /**
     * Takes a permit now, or reserves one of a later period if it comes within {@code timeout-duration}.
     *
     * @return how long to wait before calling (0 to call at once), or {@link #REJECTED}
     */
    public long reservePermission() {
        Settings current = settings;
        if (current.shared != null) {
            return reserveShared(current);
        }
        return reserveLocal(current);
    }

    private long reserveShared(Settings current) {
        try {
            long wait = current.shared.reserve(current.timeoutNanos);
            if (wait == REJECTED) {
                reject();
            }
            return wait;
        } catch (RateLimiterBackend.Unavailable down) {
            if (current.config.onBackendFailure() == RateLimiterConfig.OnBackendFailure.REJECT) {
                reject();
                return REJECTED;
            }
            return reserveLocal(current);
        }
    }

    /** From the local state: the whole limit, or a cluster limiter's local share while its store is down. */
    private long reserveLocal(Settings current) {
        long now = timing.ticker().read();
        long period = current.period(now);
        for (;;) {
            long packed = state.get();
            int permits = refilled(current, packed, period) - 1;
            long wait = 0;
            if (permits < 0) {
                long periodsAhead = (-permits + current.limit - 1) / current.limit;
                wait = current.start(period + periodsAhead) - now;
                if (wait > current.timeoutNanos || permits < MIN_PERMITS) {
                    reject();
                    return REJECTED;
                }
            }
            if (state.compareAndSet(packed, pack(Math.max(period, periodOf(packed)), permits))) {
                return wait;
            }
        }
    }

    /**
     * Takes a permit, waiting for it through the {@link dev.resilience.core.Sleeper} if need be.
     *
     * @throws RateLimitExceededException when none comes within {@code timeout-duration}, or the wait is interrupted
     *     (the reserved permit then goes back)
     */
    public void acquirePermission() {
        long wait = reservePermission();
        if (wait == REJECTED) {
            throw rejection();
        }
        if (wait > 0) {
            try {
                timing.sleeper().sleep(wait);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                releasePermission(); // the call will not be made: its reserved permit goes back
                throw new RateLimitExceededException(name, "interrupted while waiting for a permit");
            }
        }
    }

    /**
     * Gives back a permit that {@link #reservePermission()} handed out for a call that was then never made: its
     * caller gave up while waiting for a reserved permit (a deadline passed, the stage was cancelled). The permit
     * goes back to the period current now, never beyond {@code limit-for-period}.
     */
    public void releasePermission() {
        Settings current = settings;
        if (current.shared != null && current.shared.available()) {
            try {
                current.shared.release();
                return;
            } catch (RateLimiterBackend.Unavailable down) {
                // it may as well have come from the local share
            }
        }
        long period = current.period(timing.ticker().read());
        for (;;) {
            long packed = state.get();
            int permits = refilled(current, packed, period);
            if (permits >= current.limit
                    || state.compareAndSet(packed, pack(Math.max(period, periodOf(packed)), permits + 1))) {
                return;
            }
        }
    }

    /** Runs {@code call} once a permit is taken; a convenience for plain-Java use. */
    public <T> T call(Callable<T> call) throws Exception {
        acquirePermission();
        return call.call();
    }

    /** The exception for a call {@link #reservePermission()} rejected, saying why. */
    public RateLimitExceededException rejection() {
        Settings current = settings;
        if (current.shared != null && !current.shared.available()
                && current.config.onBackendFailure() == RateLimiterConfig.OnBackendFailure.REJECT) {
            return new RateLimitExceededException(name, "its shared store is unreachable (on-backend-failure: reject)");
        }
        return new RateLimitExceededException(name, current.rejection);
    }

    private void reject() {
        rejected.increment();
        EventSink sink = events;
        if (sink != EventSink.NONE) {
            sink.publish("ratelimiter", name, "REJECTED", settings.rejection);
        }
    }

    /** Permits at {@code period}: the stored ones plus a refill per period passed, capped at the limit. */
    private static int refilled(Settings settings, long packed, long period) {
        long stored = periodOf(packed);
        int permits = permitsOf(packed);
        if (period <= stored) {
            return permits;
        }
        long refill = (period - stored) * settings.limit;
        return (int) Math.min(settings.limit, permits + refill);
    }

    private static long pack(long period, int permits) {
        return (period << PERMIT_BITS) | (permits & PERMIT_MASK);
    }

    private static long periodOf(long packed) {
        return packed >>> PERMIT_BITS;
    }

    private static int permitsOf(long packed) {
        return (int) ((packed << (64 - PERMIT_BITS)) >> (64 - PERMIT_BITS));
    }

    @Override
    public String toString() {
        return "RateLimiter[" + name + "]";
    }

    private static final class Settings {
        final RateLimiterConfig config;
        final RateLimiterBackend.Permits shared;
        final long origin;
        final long periodNanos;
        final long timeoutNanos;
        final int limit;
        final String rejection;

        Settings(RateLimiterConfig config, RateLimiterBackend.Permits shared, long origin) {
            this.rejection = "no permit within " + config.timeoutDuration();
            this.config = config;
            this.shared = shared;
            this.origin = origin;
            this.periodNanos = Durations.toNanos(config.limitRefreshPeriod());
            this.timeoutNanos = Durations.toNanos(config.timeoutDuration());
            // the local state holds a cluster limiter's local share, used while its store is unreachable
            this.limit = shared == null ? config.limitForPeriod() : config.localShare();
        }

        long period(long now) {
            return Math.max(0, (now - origin) / periodNanos);
        }

        long start(long period) {
            return origin + period * periodNanos;
        }
    }
}
