package dev.resilience.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.FakeTime;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerObservationTest {

    private final FakeTime time = new FakeTime();
    private final CircuitBreaker breaker = new CircuitBreaker("inventory", CircuitBreakerConfig.builder()
            .ignoreExceptions(List.of(IllegalArgumentException.class)).build(), time.timing());

    @Test
    void observerSeesEachCallWithItsOutcomeAndDuration() {
        List<String> seen = new ArrayList<>();
        breaker.setCallObserver((outcome, nanos) -> seen.add(outcome + " " + Duration.ofNanos(nanos).toMillis()));

        call(null, 5);
        call(new IOException(), 7);
        call(new IllegalArgumentException(), 1);

        assertThat(seen).containsExactly("SUCCESSFUL 5", "FAILED 7", "IGNORED 1");
    }

    @Test
    void rejectionsAreReportedToTheEventSink() {
        List<String> events = new ArrayList<>();
        breaker.setEventSink((kind, name, type, detail) -> events.add(kind + " " + name + " " + type + " " + detail));
        breaker.transitionToForcedOpen();

        assertThat(breaker.tryAcquirePermission()).isNull();

        assertThat(events).containsExactly("circuitbreaker inventory REJECTED call not permitted while FORCED_OPEN");
    }

    private void call(Throwable failure, long millis) {
        Object permit = breaker.acquirePermission();
        long start = breaker.now();
        time.advance(Duration.ofMillis(millis));
        breaker.onResult(permit, start, failure);
    }
}
