package dev.resilience.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The most recent events, in a fixed ring. Timestamps and descriptions are rendered only when somebody reads
 * the events.
 *
 * <p>An event that repeats the latest one from the same source (same kind, name, type and detail; failures count
 * as the same detail when they have one class and one message) is counted on
 * that one instead of being written again: while a dependency is down, its breaker rejects thousands of calls a
 * second, and one "REJECTED, 4,312 times since 12:00:01" both costs less than a ring full of rejections and
 * keeps the transition that caused them readable. Counting a repeat reads no clock and allocates nothing.
 */
public final class RecentEvents implements EventSink {

    /** How many of the latest events a new one is compared with. */
    private static final int LOOK_BACK = 4;

    /**
     * One event, or a run of identical ones.
     *
     * @param time when it (the first of the run) happened
     * @param kind the kind of policy, e.g. {@code circuitbreaker}
     * @param name the instance name
     * @param type what happened, e.g. {@code STATE_TRANSITION}
     * @param detail a human-readable description
     * @param count how many times it happened in a row, at least 1
     * @param lastTime when it last happened, to {@link Timing#COARSE_RESOLUTION}; {@code time} when it happened once
     */
    public record Event(Instant time, String kind, String name, String type, String detail, long count,
            Instant lastTime) {
    }

    /** An event as written: the clock's millis, the detail not yet rendered, and the repeats counted since. */
    private static final class Raw {
        final long millis;
        final long tick;
        final String kind;
        final String name;
        final String type;
        final Object detail;
        final LongAdder repeats = new LongAdder();
        volatile long lastTick;

        Raw(long millis, long tick, String kind, String name, String type, Object detail) {
            this.millis = millis;
            this.tick = tick;
            this.lastTick = tick;
            this.kind = kind;
            this.name = name;
            this.type = type;
            this.detail = detail;
        }

        boolean sameSource(String kind, String name) {
            return this.kind.equals(kind) && this.name.equals(name);
        }

        boolean repeatedBy(String type, Object detail) {
            return this.type.equals(type) && sameDetail(this.detail, detail);
        }

        /** The same object, equal text, or failures of one class with one message (their traces may differ). */
        private static boolean sameDetail(Object a, Object b) {
            if (a == b) {
                return true;
            }
            if (a instanceof String text) {
                return text.equals(b);
            }
            return a instanceof Throwable failure && b != null && a.getClass() == b.getClass()
                    && Objects.equals(failure.getMessage(), ((Throwable) b).getMessage());
        }

        /** Counts one more; writes the shared time only when the coarse ticker has moved since the last. */
        void repeat(long now) {
            repeats.increment();
            if (lastTick != now) {
                lastTick = now;
            }
        }

        Event render() {
            long lastMillis = millis + Math.max(0, (lastTick - tick) / 1_000_000);
            return new Event(Instant.ofEpochMilli(millis), kind, name, type, String.valueOf(detail),
                    1 + repeats.sum(), Instant.ofEpochMilli(lastMillis));
        }
    }

    private final Clock clock;
    private final Ticker ticker;
    private final AtomicReferenceArray<Raw> ring;
    private final AtomicLong written = new AtomicLong();

    /** Events stamped by {@code timing}'s clock; repeats are timed by its coarse ticker. */
    public RecentEvents(int capacity, Timing timing) {
        Check.atLeast("buffer-size", capacity, 1);
        this.ring = new AtomicReferenceArray<>(capacity);
        this.clock = timing.clock();
        this.ticker = timing.coarseTicker();
    }

    @Override
    public void publish(String kind, String name, String type, Object detail) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        long end = written.get();
        for (long i = end - 1; i >= 0 && i >= end - Math.min(LOOK_BACK, ring.length()); i--) {
            Raw latest = ring.get((int) (i % ring.length()));
            if (latest == null || !latest.sameSource(kind, name)) {
                continue;
            }
            if (latest.repeatedBy(type, detail)) {
                latest.repeat(ticker.read());
                return;
            }
            break; // something else happened to this source since; the order must stay readable
        }
        Raw event = new Raw(clock.millis(), ticker.read(), kind, name, type, detail);
        ring.set((int) (written.getAndIncrement() % ring.length()), event);
    }

    /** The retained events, oldest first. */
    public List<Event> list() {
        long end = written.get();
        long start = Math.max(0, end - ring.length());
        List<Event> events = new ArrayList<>((int) (end - start));
        for (long i = start; i < end; i++) {
            Raw event = ring.get((int) (i % ring.length()));
            if (event != null) {
                events.add(event.render());
            }
        }
        events.sort((a, b) -> a.time().compareTo(b.time()));
        return events;
    }
}
