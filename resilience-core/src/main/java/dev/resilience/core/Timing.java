package dev.resilience.core;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Every source of time a policy uses: a monotonic {@link Ticker} for durations, a coarse one for durations that
 * need no better than {@link #COARSE_RESOLUTION} (reading it costs a field read rather than a clock read), a
 * {@link Clock} for event timestamps, a {@link Sleeper} for synchronous waits and a {@link Scheduler} for
 * asynchronous ones. Policies never read the system time themselves, so tests drive them with fakes.
 *
 * @param ticker the precise monotonic ticker
 * @param coarseTicker a ticker on the same time base, at most {@link #COARSE_RESOLUTION} behind
 * @param clock the wall clock, for event timestamps
 * @param sleeper waits synchronously
 * @param scheduler waits asynchronously
 */
public record Timing(Ticker ticker, Ticker coarseTicker, Clock clock, Sleeper sleeper, Scheduler scheduler) {

    /** How far the coarse ticker may lag the precise one. */
    public static final Duration COARSE_RESOLUTION = Duration.ofMillis(10);

    public Timing {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(coarseTicker, "coarseTicker");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Timing whose coarse ticker is the precise one; for tests and fakes. */
    public Timing(Ticker ticker, Clock clock, Sleeper sleeper, Scheduler scheduler) {
        this(ticker, ticker, clock, sleeper, scheduler);
    }

    /**
     * System time, with asynchronous waits on the given executor, which also refreshes the coarse ticker every
     * {@link #COARSE_RESOLUTION}.
     */
    public static Timing system(ScheduledExecutorService executor) {
        Scheduler scheduler = (task, delayNanos) -> {
            ScheduledFuture<?> future = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
        CoarseTicker coarse = new CoarseTicker();
        long period = COARSE_RESOLUTION.toNanos();
        executor.scheduleAtFixedRate(coarse::refresh, period, period, TimeUnit.NANOSECONDS);
        return new Timing(Ticker.system(), coarse, Clock.systemUTC(), Sleeper.system(), scheduler);
    }

    /** The last reading of the system ticker, refreshed by a scheduled task. */
    private static final class CoarseTicker implements Ticker {
        private volatile long now = System.nanoTime();

        void refresh() {
            now = System.nanoTime();
        }

        @Override
        public long read() {
            return now;
        }
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
