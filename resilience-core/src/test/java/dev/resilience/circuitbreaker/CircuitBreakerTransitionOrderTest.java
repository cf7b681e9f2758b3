package dev.resilience.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.Concurrently;
import dev.resilience.core.FakeTime;
import java.io.IOException;
import dev.resilience.core.Timing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Listeners see one breaker's transitions in the order they happened, with timestamps that never go back. */
class CircuitBreakerTransitionOrderTest {

    private static final int THREADS = 16;
    private static final int ROUNDS = 5_000;

    private final FakeTime time = new FakeTime();

    private static CircuitBreakerConfig.Builder churning() {
        return CircuitBreakerConfig.builder().slidingWindowSize(10).minimumNumberOfCalls(4).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMillis(1)).permittedNumberOfCallsInHalfOpenState(2)
                .maxWaitDurationInHalfOpenState(Duration.ofMillis(2));
    }

    @Test
    void deliversTransitionsInChainOrderUnderChurn() throws Exception {
        // Given a breaker whose listeners read it back, as the Boot event logger does
        CircuitBreaker breaker = new CircuitBreaker("inventory", churning().build(), time.timing());
        List<StateTransition> delivered = new ArrayList<>();
        breaker.addListener(transition -> {
            breaker.getRecordedState();
            breaker.getConfig();
            breaker.getMetrics();
        });
        breaker.addListener(transition -> {
            synchronized (delivered) {
                delivered.add(transition);
            }
        });
        CircuitBreakerConfig strict = churning().failureRateThreshold(20).build();
        CircuitBreakerConfig lenient = churning().failureRateThreshold(80).build();
        CircuitBreakerConfig resized = churning().slidingWindowSize(8).build();

        // When 16 threads fail and succeed through it while two of them reconfigure it and force it around
        Concurrently.run(THREADS, 30, thread -> {
            for (int round = 0; round < ROUNDS; round++) {
                if (thread == 0 && round % 7 == 0) {
                    breaker.reconfigure(round % 3 == 0 ? strict : round % 3 == 1 ? lenient : resized);
                } else if (thread == 1 && round % 50 == 0) {
                    breaker.transitionToForcedOpen();
                } else if (thread == 1 && round % 50 == 1) {
                    breaker.transitionToClosed();
                }
                Object permit = breaker.tryAcquirePermission();
                if (permit != null) {
                    breaker.onResult(permit, breaker.now(), (round + thread) % 3 == 0 ? new IOException("down") : null);
                }
                if (round % 4 == 0) {
                    time.advance(Duration.ofMillis(1));
                }
            }
        });

        // Then each transition starts where the one delivered before it ended, and no later one is stamped earlier
        List<StateTransition> transitions;
        synchronized (delivered) {
            transitions = List.copyOf(delivered);
        }
        assertThat(transitions).hasSizeGreaterThan(100);
        assertThat(transitions.get(0).from()).isEqualTo(CircuitBreakerState.CLOSED);
        for (int i = 1; i < transitions.size(); i++) {
            StateTransition previous = transitions.get(i - 1);
            StateTransition next = transitions.get(i);
            assertThat(next.from()).as("transition %d of %d: %s after %s", i, transitions.size(), next, previous)
                    .isEqualTo(previous.to());
            assertThat(next.at()).as("transition %d of %d: %s after %s", i, transitions.size(), next, previous)
                    .isAfterOrEqualTo(previous.at());
        }
        assertThat(transitions.get(transitions.size() - 1).to()).isEqualTo(breaker.getRecordedState());
    }

    @Test
    void deliversATransitionCausedByAListenerAfterTheOneBeingDelivered() {
        // Given a listener that closes the breaker again whenever it is forced open
        CircuitBreaker breaker = new CircuitBreaker("inventory", churning().build(), time.timing());
        List<String> delivered = new CopyOnWriteArrayList<>();
        breaker.addListener(transition -> {
            if (transition.to() == CircuitBreakerState.FORCED_OPEN) {
                breaker.transitionToClosed();
            }
        });
        breaker.addListener(transition -> delivered.add(transition.from() + " -> " + transition.to()));

        // When
        breaker.transitionToForcedOpen();

        // Then every listener saw the forced opening before the closing it caused, by the time the call returned
        assertThat(delivered).containsExactly("CLOSED -> FORCED_OPEN", "FORCED_OPEN -> CLOSED");
        assertThat(breaker.getRecordedState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void callsListenersOnTheThreadThatCausedTheTransition() throws Exception {
        CircuitBreaker breaker = new CircuitBreaker("inventory", churning().build(), time.timing());
        List<Thread> threads = new CopyOnWriteArrayList<>();
        breaker.addListener(transition -> threads.add(Thread.currentThread()));

        Thread caller = CompletableFuture.supplyAsync(() -> {
            breaker.transitionToForcedOpen();
            return Thread.currentThread();
        }).get(5, TimeUnit.SECONDS);

        assertThat(threads).containsExactly(caller);
    }

    @Test
    void neverStampsATransitionEarlierThanTheOneBeforeWhenTheClockStepsBack() {
        // Given a wall clock that is set back by a minute between the first and the second transition
        Instant noon = Instant.parse("2026-01-01T12:00:00Z");
        List<Instant> readings = new ArrayList<>(List.of(noon, noon.minusSeconds(60), noon.plusSeconds(1)));
        Clock steppingBack = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return readings.size() > 1 ? readings.remove(0) : readings.get(0);
            }
        };
        Timing fake = time.timing();
        Timing timing = new Timing(fake.ticker(), fake.coarseTicker(), steppingBack, fake.sleeper(), fake.scheduler());
        CircuitBreaker breaker = new CircuitBreaker("inventory", churning().build(), timing);
        List<StateTransition> delivered = new CopyOnWriteArrayList<>();
        breaker.addListener(delivered::add);

        // When
        breaker.transitionToForcedOpen();
        breaker.transitionToClosed();
        breaker.transitionToForcedOpen();

        // Then the second keeps the first one's stamp, and the third has the clock's again
        assertThat(delivered).extracting(StateTransition::at).containsExactly(noon, noon, noon.plusSeconds(1));
    }
}
