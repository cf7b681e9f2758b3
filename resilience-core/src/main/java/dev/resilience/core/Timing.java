package dev.resilience.core;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Every source of time a policy uses: a monotonic {@link Ticker} for durations, a {@link Clock} for
 * event timestamps, a {@link Sleeper} for synchronous waits and a {@link Scheduler} for asynchronous ones.
 * Policies never read the system time themselves, so tests drive them with fakes.
 */
public record Timing(Ticker ticker, Clock clock, Sleeper sleeper, Scheduler scheduler) {

    public Timing {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** System time, with asynchronous waits on the given executor. */
    public static Timing system(ScheduledExecutorService executor) {
        Scheduler scheduler = (task, delayNanos) -> {
            ScheduledFuture<?> future = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
        return new Timing(Ticker.system(), Clock.systemUTC(), Sleeper.system(), scheduler);
    }

    /**
     * System time with a shared single daemon thread for asynchronous waits. The thread only hands
     * work on; it never runs a guarded call for longer than it takes to start it.
     */
    public static Timing system() {
        return SystemTimingHolder.INSTANCE;
    }

    private static final class SystemTimingHolder {
        static final Timing INSTANCE = system(Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "resilience-scheduler");
            thread.setDaemon(true);
            return thread;
        }));
    }
}
