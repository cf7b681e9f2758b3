package dev.resilience.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
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
    void anAddedObserverSeesEachCallBesideTheOneAlreadySet() {
        List<String> seen = new ArrayList<>();
        breaker.setCallObserver((outcome, nanos) -> seen.add("first " + outcome));
        breaker.addCallObserver((outcome, nanos) -> seen.add("second " + outcome));

        call(null, 5);
        call(new IOException(), 7);

        assertThat(seen).containsExactly("first SUCCESSFUL", "second SUCCESSFUL", "first FAILED", "second FAILED");
    }

    @Test
    void rejectionsAreReportedToTheEventSink() {
        List<String> events = new ArrayList<>();
        breaker.setEventSink((kind, name, type, detail) -> events.add(kind + " " + name + " " + type + " " + detail));
        breaker.transitionToForcedOpen();

        assertThat(breaker.tryAcquirePermission()).isNull();

        assertThat(events).containsExactly("circuitbreaker inventory REJECTED call not permitted while FORCED_OPEN");
    }

    @Test
    void callsAreTimedWithTheCoarseTickerOnlyWhenTheSlowThresholdIsASecondOrMore() {
        long[] precise = {0};
        long[] coarse = {0};
        Timing timing = new Timing(() -> precise[0], () -> coarse[0], time.timing().clock(), time.timing().sleeper(),
                time.timing().scheduler());
        CircuitBreaker secondsScale = new CircuitBreaker("seconds", CircuitBreakerConfig.builder()
                .slowCallDurationThreshold(Duration.ofSeconds(1)).build(), timing);
        CircuitBreaker millisScale = new CircuitBreaker("millis", CircuitBreakerConfig.builder()
                .slowCallDurationThreshold(Duration.ofMillis(50)).build(), timing);
        Object secondsPermit = secondsScale.acquirePermission();
        long secondsStart = secondsScale.now();
        Object millisPermit = millisScale.acquirePermission();
        long millisStart = millisScale.now();

        coarse[0] += Duration.ofSeconds(2).toNanos();
        secondsScale.onResult(secondsPermit, secondsStart, null);
        millisScale.onResult(millisPermit, millisStart, null);

        assertThat(secondsScale.getMetrics().slowCalls()).as("timed by the coarse ticker").isEqualTo(1);
        assertThat(millisScale.getMetrics().slowCalls()).as("timed by the precise ticker").isZero();
    }

    @Test
    void anObserverIsGivenPreciseDurationsWhateverTheSlowThreshold() {
        long[] precise = {0};
        long[] coarse = {0};
        Timing timing = new Timing(() -> precise[0], () -> coarse[0], time.timing().clock(), time.timing().sleeper(),
                time.timing().scheduler());
        CircuitBreaker observed = new CircuitBreaker("observed", CircuitBreakerConfig.builder()
                .slowCallDurationThreshold(Duration.ofSeconds(1)).build(), timing);
        List<Long> durations = new ArrayList<>();
        observed.setCallObserver((outcome, nanos) -> durations.add(nanos));

        Object permit = observed.acquirePermission();
        long start = observed.now();
        precise[0] += 1_234_567;
        observed.onResult(permit, start, null);
        observed.reconfigure(CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ofSeconds(2)).build());
        permit = observed.acquirePermission();
        start = observed.now();
        precise[0] += 7;
        observed.onResult(permit, start, null);

        assertThat(durations).as("the coarse ticker never moved").containsExactly(1_234_567L, 7L);
    }

    private void call(Throwable failure, long millis) {
        Object permit = breaker.acquirePermission();
        long start = breaker.now();
        time.advance(Duration.ofMillis(millis));
        breaker.onResult(permit, start, failure);
    }
}
