package dev.resilience.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The most recent events, in a fixed ring: writing one is a small record, an index increment and a slot write.
 * Timestamps and descriptions are rendered only when somebody reads the events.
 */
public final class RecentEvents implements EventSink {

    /**
     * One event.
     *
     * @param time when it happened
     * @param kind the kind of policy, e.g. {@code circuitbreaker}
     * @param name the instance name
     * @param type what happened, e.g. {@code STATE_TRANSITION}
     * @param detail a human-readable description
     */
    public record Event(Instant time, String kind, String name, String type, String detail) {
    }

    /** An event as written: the clock's millis and the detail not yet rendered. */
    private record Raw(long millis, String kind, String name, String type, Object detail) {
        Event render() {
            return new Event(Instant.ofEpochMilli(millis), kind, name, type, String.valueOf(detail));
        }
    }

    private final Clock clock;
    private final AtomicReferenceArray<Raw> ring;
    private final AtomicLong written = new AtomicLong();

    public RecentEvents(int capacity, Clock clock) {
        Check.atLeast("buffer-size", capacity, 1);
        this.ring = new AtomicReferenceArray<>(capacity);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void publish(String kind, String name, String type, Object detail) {
        Raw event = new Raw(clock.millis(), kind, name, type, detail);
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
