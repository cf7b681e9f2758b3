package dev.resilience.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Time that moves only when a test says so: a ticker, a clock, a sleeper that advances the ticker and records
 * each sleep, and a scheduler that runs tasks when the ticker passes their due time.
 */
public final class FakeTime {

    private final Instant origin = Instant.parse("2026-01-01T00:00:00Z");
    private long nanos = 1_000_000_000_000L;
    private final long start = nanos;
    private final List<Long> sleeps = new ArrayList<>();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long sequence;

    public synchronized long nanos() {
        return nanos;
    }

    /** Moves time forward and runs every scheduled task that becomes due, in due order. */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = nanos + duration.toNanos();
        }
        for (;;) {
            Task due;
            synchronized (this) {
                due = tasks.peek();
                if (due == null || due.at > target) {
                    nanos = target;
                    return;
                }
                tasks.poll();
                nanos = Math.max(nanos, due.at);
            }
            if (!due.cancelled) {
                due.task.run();
            }
        }
    }

    /** The sleeps requested so far, in nanoseconds. */
    public synchronized List<Long> sleeps() {
        return List.copyOf(sleeps);
    }

    public synchronized int pendingTasks() {
        return (int) tasks.stream().filter(task -> !task.cancelled).count();
    }

    public Timing timing() {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return origin.plusNanos(nanos() - start);
            }
        };
        Sleeper sleeper = sleepNanos -> {
            synchronized (this) {
                sleeps.add(sleepNanos);
            }
            advance(Duration.ofNanos(sleepNanos));
        };
        Scheduler scheduler = (task, delayNanos) -> {
            Task scheduled;
            synchronized (this) {
                scheduled = new Task(nanos + delayNanos, sequence++, task);
                tasks.add(scheduled);
            }
            return () -> scheduled.cancelled = true;
        };
        return new Timing(this::nanos, clock, sleeper, scheduler);
    }

    private static final class Task implements Comparable<Task> {
        final long at;
        final long order;
        final Runnable task;
        volatile boolean cancelled;

        Task(long at, long order, Runnable task) {
            this.at = at;
            this.order = order;
            this.task = task;
        }

        @Override
        public int compareTo(Task other) {
            return at != other.at ? Long.compare(at, other.at) : Long.compare(order, other.order);
        }
    }
}
