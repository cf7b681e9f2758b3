package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecentEventsTest {

    @Test
    void keepsTheMostRecentEventsOldestFirst() {
        FakeTime time = new FakeTime();
        RecentEvents events = new RecentEvents(3, time.timing().clock());

        for (int i = 1; i <= 5; i++) {
            events.publish("retry", "inventory", "RETRY", "attempt " + i);
            time.advance(Duration.ofSeconds(1));
        }

        assertThat(events.list()).extracting(RecentEvents.Event::detail).containsExactly("attempt 3", "attempt 4",
                "attempt 5");
        assertThat(events.list().get(0).time()).isEqualTo("2026-01-01T00:00:02Z");
    }
}
