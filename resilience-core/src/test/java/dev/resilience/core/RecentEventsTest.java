package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentEventsTest {

    private final FakeTime time = new FakeTime();

    @Test
    void keepsTheMostRecentEventsOldestFirst() {
        RecentEvents events = new RecentEvents(3, time.timing());

        for (int i = 1; i <= 5; i++) {
            events.publish("retry", "inventory", "RETRY", "attempt " + i);
            time.advance(Duration.ofSeconds(1));
        }

        assertThat(events.list()).extracting(RecentEvents.Event::detail).containsExactly("attempt 3", "attempt 4",
                "attempt 5");
        assertThat(events.list().get(0).time()).isEqualTo("2026-01-01T00:00:02Z");
        assertThat(events.list()).extracting(RecentEvents.Event::count).containsOnly(1L);
    }

    @Test
    void countsARepeatOnTheLatestEventOfItsSourceWithItsFirstAndLastTime() {
        RecentEvents events = new RecentEvents(3, time.timing());
        Object rejection = new IllegalStateException("open");

        events.publish("circuitbreaker", "inventory", "STATE_TRANSITION", "CLOSED -> OPEN");
        for (int i = 0; i < 1000; i++) {
            events.publish("circuitbreaker", "inventory", "REJECTED", "call not permitted while OPEN");
            events.publish("fallback", "Shop.stock", "FALLBACK", rejection);
            time.advance(Duration.ofMillis(1));
        }

        assertThat(events.list()).extracting(RecentEvents.Event::type, RecentEvents.Event::count).containsExactly(
                tuple("STATE_TRANSITION", 1L),
                tuple("REJECTED", 1000L),
                tuple("FALLBACK", 1000L));
        RecentEvents.Event rejected = events.list().get(1);
        assertThat(rejected.time()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(rejected.lastTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00.999Z"));
    }

    @Test
    void startsANewEventOnceSomethingElseHappenedToTheSameSource() {
        RecentEvents events = new RecentEvents(10, time.timing());

        events.publish("circuitbreaker", "inventory", "REJECTED", "call not permitted while OPEN");
        events.publish("circuitbreaker", "inventory", "STATE_TRANSITION", "OPEN -> HALF_OPEN");
        events.publish("circuitbreaker", "inventory", "STATE_TRANSITION", "HALF_OPEN -> OPEN");
        events.publish("circuitbreaker", "inventory", "REJECTED", "call not permitted while OPEN");

        assertThat(events.list()).extracting(RecentEvents.Event::type).containsExactly("REJECTED",
                "STATE_TRANSITION", "STATE_TRANSITION", "REJECTED");
    }

    @Test
    void mergesFailuresOfOneClassAndMessageButNotOtherInstancesOrOtherFailures() {
        RecentEvents events = new RecentEvents(10, time.timing());

        events.publish("circuitbreaker", "a", "REJECTED", "call not permitted while OPEN");
        events.publish("circuitbreaker", "b", "REJECTED", "call not permitted while OPEN");
        events.publish("fallback", "Shop.stock", "FALLBACK", new IllegalStateException("refused"));
        events.publish("fallback", "Shop.stock", "FALLBACK", new IllegalStateException("refused"));
        events.publish("fallback", "Shop.stock", "FALLBACK", new IllegalStateException("timed out"));
        events.publish("fallback", "Shop.stock", "FALLBACK", new IllegalArgumentException("timed out"));

        assertThat(events.list()).extracting(RecentEvents.Event::name, RecentEvents.Event::detail,
                RecentEvents.Event::count).containsExactly(
                tuple("a", "call not permitted while OPEN", 1L),
                tuple("b", "call not permitted while OPEN", 1L),
                tuple("Shop.stock", "java.lang.IllegalStateException: refused", 2L),
                tuple("Shop.stock", "java.lang.IllegalStateException: timed out", 1L),
                tuple("Shop.stock", "java.lang.IllegalArgumentException: timed out", 1L));
    }
}
