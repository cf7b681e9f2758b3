package dev.resilience.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.core.Concurrently;
import dev.resilience.core.FakeTime;
import dev.resilience.core.InvalidConfigurationException;
import dev.resilience.core.ResultPredicateException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final FakeTime time = new FakeTime();
    private final List<StateTransition> transitions = new CopyOnWriteArrayList<>();

    private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
        CircuitBreaker breaker = new CircuitBreaker("inventory", config.build(), time.timing());
        breaker.addListener(transitions::add);
        return breaker;
    }

    private static CircuitBreakerConfig.Builder small() {
        return CircuitBreakerConfig.builder().slidingWindowSize(10).minimumNumberOfCalls(4).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(30)).permittedNumberOfCallsInHalfOpenState(2);
    }

    private void succeed(CircuitBreaker breaker) {
        Object permit = breaker.acquirePermission();
        breaker.onResult(permit, breaker.now(), null);
    }

    private void fail(CircuitBreaker breaker, Throwable failure) {
        Object permit = breaker.acquirePermission();
        breaker.onResult(permit, breaker.now(), failure);
    }

    private void fail(CircuitBreaker breaker) {
        fail(breaker, new IOException("down"));
    }

    @Test
    void movedToOpenByHandWaitsThenAdmitsTrialsThatCloseIt() {
        CircuitBreaker breaker = breaker(small());

        breaker.transitionToOpen();

        assertThat(breaker.tryAcquirePermission()).isNull();
        time.advance(Duration.ofSeconds(30));
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
        succeed(breaker);
        succeed(breaker);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(transitions).extracting(StateTransition::to).containsExactly(CircuitBreakerState.OPEN,
                CircuitBreakerState.HALF_OPEN, CircuitBreakerState.CLOSED);
    }

    @Test
    void movedToHalfOpenByHandAdmitsExactlyItsTrials() {
        CircuitBreaker breaker = breaker(small());

        breaker.transitionToHalfOpen();

        Object first = breaker.tryAcquirePermission();
        Object second = breaker.tryAcquirePermission();
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(breaker.tryAcquirePermission()).as("only two trials").isNull();
        breaker.onResult(first, breaker.now(), new IOException("still down"));
        breaker.onResult(second, breaker.now(), null);
        assertThat(breaker.getState()).as("one failure in two trials reaches the 50% threshold")
                .isEqualTo(CircuitBreakerState.OPEN);
        assertThat(transitions).extracting(StateTransition::from).containsExactly(CircuitBreakerState.CLOSED,
                CircuitBreakerState.HALF_OPEN);
    }

    @Test
    void heldOpenUntilTheLastHolderLetsGo() {
        CircuitBreaker breaker = breaker(small());

        breaker.holdOpen("primary-probe");
        breaker.holdOpen("replica-probe");
        time.advance(Duration.ofMinutes(5));

        assertThat(breaker.getState()).as("a hold does not end with the wait").isEqualTo(CircuitBreakerState.OPEN);
        assertThat(breaker.getHeldOpenBy()).isEqualTo("primary-probe, replica-probe");
        breaker.releaseHold("primary-probe");
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
        breaker.releaseHold("replica-probe");
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
        assertThat(breaker.getHeldOpenBy()).isNull();
        assertThat(transitions).extracting(StateTransition::to).containsExactly(CircuitBreakerState.OPEN,
                CircuitBreakerState.HALF_OPEN);
    }

    @Test
    void anOperatorsStateWinsOverAProbesHold() {
        CircuitBreaker breaker = breaker(small());
        breaker.transitionToForcedOpen();

        breaker.holdOpen("probe");
        breaker.releaseHold("probe");

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
        breaker.transitionToDisabled();
        breaker.holdOpen("probe");
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.DISABLED);
    }

    @Test
    void staysClosedBeforeMinimumNumberOfCalls() {
        CircuitBreaker breaker = breaker(small());

        fail(breaker);
        fail(breaker);
        fail(breaker);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(breaker.getMetrics().failureRate()).isEqualTo(-1f);
        assertThat(breaker.getMetrics().bufferedCalls()).isEqualTo(3);
    }

    @Test
    void opensExactlyWhenFailureRateReachesThreshold() {
        CircuitBreaker breaker = breaker(small().minimumNumberOfCalls(6));
        for (int i = 0; i < 4; i++) {
            succeed(breaker);
        }
        fail(breaker);
        fail(breaker);
        assertThat(breaker.getState()).as("2 of 6 failed: 33%").isEqualTo(CircuitBreakerState.CLOSED);
        fail(breaker);
        assertThat(breaker.getState()).as("3 of 7 failed: 42%").isEqualTo(CircuitBreakerState.CLOSED);

        fail(breaker);

        assertThat(breaker.getState()).as("4 of 8 failed: 50%").isEqualTo(CircuitBreakerState.OPEN);
        assertThat(transitions).singleElement().satisfies(transition -> {
            assertThat(transition.name()).isEqualTo("inventory");
            assertThat(transition.from()).isEqualTo(CircuitBreakerState.CLOSED);
            assertThat(transition.to()).isEqualTo(CircuitBreakerState.OPEN);
        });
    }

    @Test
    void opensWhenASuccessCompletesTheMinimumWithFailuresAboveThreshold() {
        CircuitBreaker breaker = breaker(small());
        fail(breaker);
        fail(breaker);
        fail(breaker);

        succeed(breaker);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void countBasedWindowForgetsTheOldestCall() {
        CircuitBreaker breaker = breaker(small().slidingWindowSize(4).failureRateThreshold(75));
        fail(breaker);
        fail(breaker);
        succeed(breaker);
        succeed(breaker);
        succeed(breaker);

        fail(breaker);

        assertThat(breaker.getMetrics().bufferedCalls()).isEqualTo(4);
        assertThat(breaker.getMetrics().failedCalls()).as("S S S F remain").isEqualTo(1);
        assertThat(breaker.getMetrics().failureRate()).isEqualTo(25f);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void rejectsWhileOpenAndCountsNotPermittedCalls() {
        CircuitBreaker breaker = breaker(small());
        breaker.transitionToForcedOpen();

        assertThatThrownBy(breaker::acquirePermission).isInstanceOfSatisfying(CircuitBreakerOpenException.class,
                rejection -> {
                    assertThat(rejection.getInstanceName()).isEqualTo("inventory");
                    assertThat(rejection.getState()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
                    assertThat(rejection.getStackTrace()).isEmpty();
                });
        assertThat(breaker.tryAcquirePermission()).isNull();
        assertThat(breaker.getMetrics().notPermittedCalls()).isEqualTo(2);
    }

    @Test
    void becomesHalfOpenOnceTheWaitHasPassedWithoutATimer() {
        CircuitBreaker breaker = breaker(small());
        openByFailures(breaker);

        time.advance(Duration.ofSeconds(29));
        assertThat(breaker.tryAcquirePermission()).isNull();

        time.advance(Duration.ofSeconds(1));

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
        assertThat(transitions).extracting(StateTransition::to)
                .containsExactly(CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN);
        assertThat(transitions.get(1).at()).isEqualTo(transitions.get(0).at().plusSeconds(30));
    }

    @Test
    void closesWhenTheTrialsSucceedAndShowsTheTrialsUntilTheFreshWindowCanBeAssessed() {
        CircuitBreaker breaker = breaker(small());
        openByFailures(breaker);
        time.advance(Duration.ofSeconds(30));

        succeed(breaker);
        assertThat(breaker.getState()).as("one trial of two").isEqualTo(CircuitBreakerState.HALF_OPEN);
        succeed(breaker);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(breaker.getMetrics()).as("the two trials that closed it").satisfies(metrics -> {
            assertThat(metrics.bufferedCalls()).isEqualTo(2);
            assertThat(metrics.failureRate()).isZero();
        });
        fail(breaker);
        fail(breaker);
        fail(breaker);
        assertThat(breaker.getMetrics().bufferedCalls()).as("3 calls of a window assessed from 4").isEqualTo(2);

        succeed(breaker);

        assertThat(breaker.getMetrics()).as("the fresh window, now assessed").satisfies(metrics -> {
            assertThat(metrics.bufferedCalls()).isEqualTo(4);
            assertThat(metrics.failureRate()).isEqualTo(75f);
        });
    }

    @Test
    void afterReopeningShowsTheTrialsThatReopenedItNotTheFirstOpening() {
        CircuitBreaker breaker = breaker(small().slowCallDurationThreshold(Duration.ofSeconds(2)));
        openByFailures(breaker);
        assertThat(breaker.getMetrics().bufferedCalls()).isEqualTo(4);
        time.advance(Duration.ofSeconds(30));

        call(breaker, Duration.ofSeconds(2), null);
        fail(breaker);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(breaker.getMetrics()).satisfies(metrics -> {
            assertThat(metrics.bufferedCalls()).isEqualTo(2);
            assertThat(metrics.failedCalls()).isEqualTo(1);
            assertThat(metrics.failureRate()).isEqualTo(50f);
            assertThat(metrics.slowCalls()).isEqualTo(1);
            assertThat(metrics.slowCallRate()).isEqualTo(50f);
        });
    }

    @Test
    void aTransitionListenerReadsTheFiguresOfTheWindowThatDecidedIt() {
        CircuitBreaker breaker = breaker(small().permittedNumberOfCallsInHalfOpenState(3));
        List<String> seen = new CopyOnWriteArrayList<>();
        breaker.addListener(transition -> seen.add(transition.to() + " " + breaker.getMetrics().bufferedCalls()
                + " calls, " + breaker.getMetrics().failureRate() + "%"));
        openByFailures(breaker);
        time.advance(Duration.ofSeconds(30));
        fail(breaker);
        fail(breaker);
        succeed(breaker);
        time.advance(Duration.ofSeconds(30));
        succeed(breaker);
        succeed(breaker);
        succeed(breaker);

        assertThat(seen).containsExactly("OPEN 4 calls, 100.0%", "HALF_OPEN 0 calls, -1.0%",
                "OPEN 3 calls, 66.666664%", "HALF_OPEN 0 calls, -1.0%", "CLOSED 3 calls, 0.0%");
    }

    @Test
    void anOpenBreakerKeepsTheFiguresThatOpenedItWhileItsTimeWindowMovesOn() {
        CircuitBreaker breaker = breaker(small().slidingWindowType(SlidingWindowType.TIME_BASED).slidingWindowSize(5)
                .waitDurationInOpenState(Duration.ofSeconds(60)));
        openByFailures(breaker);

        time.advance(Duration.ofSeconds(20));

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(breaker.getMetrics().bufferedCalls()).isEqualTo(4);
        assertThat(breaker.getMetrics().failureRate()).isEqualTo(100f);
    }

    @Test
    void reopeningAtTheMaximumWaitShowsTheTrialsCompletedByThen() {
        CircuitBreaker breaker = breaker(small().permittedNumberOfCallsInHalfOpenState(3)
                .maxWaitDurationInHalfOpenState(Duration.ofSeconds(5)));
        openByFailures(breaker);
        time.advance(Duration.ofSeconds(30));
        succeed(breaker);
        breaker.acquirePermission();

        time.advance(Duration.ofSeconds(5));

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(breaker.getMetrics().bufferedCalls()).isEqualTo(1);
        assertThat(breaker.getMetrics().failureRate()).isZero();
    }

    @Test
    void reopensWhenTheTrialsFail() {
        CircuitBreaker breaker = breaker(small());
        openByFailures(breaker);
        time.advance(Duration.ofSeconds(30));

        succeed(breaker);
        fail(breaker);

        assertThat(breaker.getState()).as("1 of 2 trials failed: 50%").isEqualTo(CircuitBreakerState.OPEN);
        assertThat(transitions).extracting(StateTransition::to).containsExactly(CircuitBreakerState.OPEN,
                CircuitBreakerState.HALF_OPEN, CircuitBreakerState.OPEN);
    }

    @Test
    void rejectsCallsBeyondThePermittedTrials() {
        CircuitBreaker breaker = breaker(small());
        openByFailures(breaker);
        time.advance(Duration.ofSeconds(30));

        Object first = breaker.acquirePermission();
        Object second = breaker.acquirePermission();

        assertThatThrownBy(breaker::acquirePermission).isInstanceOf(CircuitBreakerOpenException.class);
        breaker.onResult(first, breaker.now(), null);
        breaker.onResult(second, breaker.now(), null);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void admitsExactlyThePermittedTrialsUnderManyThreads() throws Exception {
        CircuitBreaker breaker = breaker(small().permittedNumberOfCallsInHalfOpenState(5));
        openByFailures(breaker);
        time.advance(Duration.ofSeconds(30));
        int threads = 32;
        AtomicInteger admitted = new AtomicInteger();

        Concurrently.run(threads, 10, thread -> {
            if (breaker.tryAcquirePermission() != null) {
                admitted.incrementAndGet();
            }
        });

        assertThat(admitted).hasValue(5);
        assertThat(breaker.getMetrics().notPermittedCalls()).isEqualTo(threads - 5);
    }

    @Test
    void loweringThePermittedTrialsWhileHalfOpenAppliesFromTheNextHalfOpen() {
        CircuitBreaker breaker = breaker(small().permittedNumberOfCallsInHalfOpenState(4));
        openByFailures(breaker);
        time.advance(Duration.ofSeconds(30));
        succeed(breaker);
        succeed(breaker);
        succeed(breaker);

        breaker.reconfigure(small().permittedNumberOfCallsInHalfOpenState(2).build());

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
        succeed(breaker);
        assertThat(breaker.getState()).as("the fourth of the four trials this HALF_OPEN began with")
                .isEqualTo(CircuitBreakerState.CLOSED);
        openByFailures(breaker);
        time.advance(Duration.ofSeconds(30));
        Object first = breaker.acquirePermission();
        Object second = breaker.acquirePermission();
        assertThat(breaker.tryAcquirePermission()).as("the next HALF_OPEN admits the new two").isNull();
        breaker.onResult(first, breaker.now(), null);
        breaker.onResult(second, breaker.now(), null);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void raisingThePermittedTrialsWhileHalfOpenAdmitsNoMoreThanItBeganWith() {
        CircuitBreaker breaker = breaker(small().permittedNumberOfCallsInHalfOpenState(2));
        openByFailures(breaker);
        time.advance(Duration.ofSeconds(30));
        Object first = breaker.acquirePermission();

        breaker.reconfigure(small().permittedNumberOfCallsInHalfOpenState(5).build());

        Object second = breaker.acquirePermission();
        assertThat(breaker.tryAcquirePermission()).isNull();
        breaker.onResult(first, breaker.now(), null);
        breaker.onResult(second, breaker.now(), null);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void reopensWhenTheTrialsTakeLongerThanTheMaximumWait() {
        CircuitBreaker breaker = breaker(small().maxWaitDurationInHalfOpenState(Duration.ofSeconds(5)));
        openByFailures(breaker);
        time.advance(Duration.ofSeconds(30));
        breaker.acquirePermission();

        time.advance(Duration.ofSeconds(5));

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void slowCallsOpenTheBreaker() {
        CircuitBreaker breaker = breaker(small().slowCallDurationThreshold(Duration.ofSeconds(2))
                .slowCallRateThreshold(50));
        for (int i = 0; i < 2; i++) {
            succeed(breaker);
        }
        for (int i = 0; i < 2; i++) {
            Object permit = breaker.acquirePermission();
            long start = breaker.now();
            time.advance(Duration.ofSeconds(2));
            breaker.onResult(permit, start, null);
        }

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(breaker.getMetrics().slowCallRate()).isEqualTo(50f);
        assertThat(breaker.getMetrics().failureRate()).isZero();
    }

    @Test
    void countWindowTellsSlowSuccessfulFromSlowFailedCallsAndForgetsThemWithTheirSlots() {
        CircuitBreaker breaker = breaker(small().slidingWindowSize(4).failureRateThreshold(100)
                .slowCallRateThreshold(100).slowCallDurationThreshold(Duration.ofSeconds(2)));
        call(breaker, Duration.ofSeconds(2), null);
        call(breaker, Duration.ofSeconds(2), new IOException("slow and down"));
        call(breaker, Duration.ofSeconds(3), new IOException("slow and down"));
        call(breaker, Duration.ZERO, new IOException("down"));

        assertThat(breaker.getMetrics()).satisfies(metrics -> {
            assertThat(metrics.bufferedCalls()).isEqualTo(4);
            assertThat(metrics.successfulCalls()).isEqualTo(1);
            assertThat(metrics.failedCalls()).isEqualTo(3);
            assertThat(metrics.slowCalls()).isEqualTo(3);
            assertThat(metrics.slowSuccessfulCalls()).isEqualTo(1);
            assertThat(metrics.slowFailedCalls()).isEqualTo(2);
        });

        call(breaker, Duration.ZERO, null); // overwrites the slow success
        call(breaker, Duration.ofSeconds(2), null); // overwrites a slow failure

        assertThat(breaker.getMetrics()).satisfies(metrics -> {
            assertThat(metrics.slowSuccessfulCalls()).isEqualTo(1);
            assertThat(metrics.slowFailedCalls()).isEqualTo(1);
            assertThat(metrics.failedCalls()).isEqualTo(2);
        });
    }

    @Test
    void timeWindowTellsSlowSuccessfulFromSlowFailedCallsAndForgetsOldSeconds() {
        CircuitBreaker breaker = breaker(small().slidingWindowType(SlidingWindowType.TIME_BASED).slidingWindowSize(10)
                .minimumNumberOfCalls(10).slowCallDurationThreshold(Duration.ofSeconds(2)));
        call(breaker, Duration.ofSeconds(2), new IOException("slow and down"));
        time.advance(Duration.ofSeconds(4));
        call(breaker, Duration.ofSeconds(2), null);
        call(breaker, Duration.ofSeconds(2), new IOException("slow and down"));

        assertThat(breaker.getMetrics().slowFailedCalls()).isEqualTo(2);
        assertThat(breaker.getMetrics().slowSuccessfulCalls()).isEqualTo(1);

        time.advance(Duration.ofSeconds(3));

        assertThat(breaker.getMetrics().slowFailedCalls()).as("the first second left the window").isEqualTo(1);
        assertThat(breaker.getMetrics().slowSuccessfulCalls()).isEqualTo(1);
    }

    private void call(CircuitBreaker breaker, Duration duration, Throwable failure) {
        Object permit = breaker.acquirePermission();
        long start = breaker.now();
        time.advance(duration);
        breaker.onResult(permit, start, failure);
    }

    @Test
    void ignoredExceptionsCountForNothing() {
        CircuitBreaker breaker = breaker(small().ignoreExceptions(List.of(IllegalArgumentException.class)));

        for (int i = 0; i < 10; i++) {
            fail(breaker, new IllegalArgumentException("bad input"));
        }

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(breaker.getMetrics().bufferedCalls()).isZero();
    }

    @Test
    void ignoredTrialGivesItsPermitBack() {
        CircuitBreaker breaker = breaker(small().ignoreExceptions(List.of(IllegalArgumentException.class)));
        openByFailures(breaker);
        time.advance(Duration.ofSeconds(30));
        fail(breaker, new IllegalArgumentException());

        Object first = breaker.acquirePermission();
        Object second = breaker.acquirePermission();

        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
    }

    @Test
    void failuresOutsideRecordExceptionsCountAsSuccesses() {
        CircuitBreaker breaker = breaker(small().recordExceptions(List.of(IOException.class))
                .ignoreExceptions(List.of(FileNotFoundException.class)));

        for (int i = 0; i < 4; i++) {
            fail(breaker, new IllegalStateException("not a dependency failure"));
        }
        fail(breaker, new FileNotFoundException());

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(breaker.getMetrics().bufferedCalls()).isEqualTo(4);
        assertThat(breaker.getMetrics().failureRate()).isZero();
    }

    @Test
    void valuesThatRecordResultMarksCountAsFailures() throws Exception {
        CircuitBreaker breaker = breaker(small().recordResult("503"::equals));

        for (int i = 0; i < 2; i++) {
            assertThat(breaker.call(() -> "503")).isEqualTo("503");
            assertThat(breaker.call(() -> "200")).isEqualTo("200");
        }

        assertThat(breaker.getMetrics().failedCalls()).isEqualTo(2);
        assertThat(breaker.getState()).as("2 of 4 rejected: 50%").isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void aRecordResultPredicateOfTheWrongTypeFailsTheCallWithAMessageNamingTheBreakerAndThePredicate() {
        Predicate<Throwable> ofFailures = failure -> failure.getMessage() != null;
        @SuppressWarnings({"unchecked", "rawtypes"})
        Predicate<Object> misdeclared = (Predicate) ofFailures;
        CircuitBreaker breaker = breaker(small().recordResult(misdeclared));

        Throwable thrown = catchThrowable(() -> breaker.call(() -> "200"));

        assertThat(thrown).isInstanceOfSatisfying(ResultPredicateException.class, broken -> {
            assertThat(broken.getInstanceName()).isEqualTo("inventory");
            assertThat(broken).hasMessageContaining("record-result predicate")
                    .hasMessageContaining(misdeclared.getClass().getName())
                    .hasMessageContaining("circuit breaker 'inventory'").hasMessageContaining("java.lang.String")
                    .hasCauseInstanceOf(ClassCastException.class);
        });
        assertThat(breaker.getMetrics().failedCalls()).as("recorded like any failure").isEqualTo(1);
    }

    @Test
    void aPredicateWithADescriptionOfItsOwnIsNamedByIt() {
        CircuitBreaker breaker = breaker(small().recordResult(new Predicate<>() {
            @Override
            public boolean test(Object result) {
                throw new IllegalArgumentException("cannot judge " + result);
            }

            @Override
            public String toString() {
                return "bean 'unavailable'";
            }
        }));

        assertThatThrownBy(() -> breaker.call(() -> "200")).isInstanceOf(ResultPredicateException.class)
                .hasMessageContaining("record-result predicate bean 'unavailable' of circuit breaker 'inventory'")
                .hasMessageContaining("cannot judge 200");
    }

    @Test
    void timeBasedWindowForgetsOldBuckets() {
        CircuitBreaker breaker = breaker(small().slidingWindowType(SlidingWindowType.TIME_BASED).slidingWindowSize(10)
                .minimumNumberOfCalls(4));
        fail(breaker);
        fail(breaker);
        fail(breaker);
        time.advance(Duration.ofSeconds(10));

        succeed(breaker);

        assertThat(breaker.getMetrics().bufferedCalls()).isEqualTo(1);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void timeBasedWindowSumsTheSecondsItCovers() {
        CircuitBreaker breaker = breaker(small().slidingWindowType(SlidingWindowType.TIME_BASED).slidingWindowSize(10)
                .minimumNumberOfCalls(4));
        fail(breaker);
        time.advance(Duration.ofSeconds(3));
        fail(breaker);
        succeed(breaker);
        time.advance(Duration.ofSeconds(6));
        assertThat(breaker.getMetrics().bufferedCalls()).isEqualTo(3);

        fail(breaker);

        assertThat(breaker.getState()).as("3 of 4 failed within 10 s").isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void forcedOpenDisabledAndClosedAreSetByHand() {
        CircuitBreaker breaker = breaker(small());
        fail(breaker);

        breaker.transitionToDisabled();
        for (int i = 0; i < 10; i++) {
            fail(breaker);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.DISABLED);

        breaker.transitionToForcedOpen();
        time.advance(Duration.ofHours(1));
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.FORCED_OPEN);

        breaker.transitionToClosed();
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(breaker.getMetrics().bufferedCalls()).as("closing clears the window").isZero();
        assertThat(transitions).extracting(StateTransition::to).containsExactly(CircuitBreakerState.DISABLED,
                CircuitBreakerState.FORCED_OPEN, CircuitBreakerState.CLOSED);
    }

    @Test
    void reconfigureKeepsStateAndWindowOfTheSameShape() {
        CircuitBreaker breaker = breaker(small());
        fail(breaker);
        fail(breaker);

        breaker.reconfigure(small().failureRateThreshold(90).build());

        assertThat(breaker.getMetrics().bufferedCalls()).isEqualTo(2);
        fail(breaker);
        succeed(breaker);
        assertThat(breaker.getState()).as("3 of 4 is below 90%").isEqualTo(CircuitBreakerState.CLOSED);

        breaker.reconfigure(small().slidingWindowSize(20).build());
        assertThat(breaker.getMetrics().bufferedCalls()).as("a new window size restarts it").isZero();
    }

    @Test
    void reconfigureJudgesTheWindowAtOnceByTheNewThresholds() {
        CircuitBreaker breaker = breaker(small());
        succeed(breaker);
        succeed(breaker);
        succeed(breaker);
        fail(breaker);
        fail(breaker);
        assertThat(breaker.getState()).as("2 of 5 is below 50%").isEqualTo(CircuitBreakerState.CLOSED);

        breaker.reconfigure(small().failureRateThreshold(40).build());

        assertThat(breaker.getState()).as("2 of 5 reaches 40%").isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void aWindowFullOfSuccessesStillCountsTheNextFailureAndForgetsItAfterSizeCalls() {
        CircuitBreaker breaker = breaker(small().minimumNumberOfCalls(10).failureRateThreshold(30));
        for (int i = 0; i < 25; i++) {
            succeed(breaker);
        }
        fail(breaker);
        fail(breaker);
        assertThat(breaker.getMetrics().failedCalls()).isEqualTo(2);
        assertThat(breaker.getMetrics().bufferedCalls()).isEqualTo(10);

        for (int i = 0; i < 8; i++) {
            succeed(breaker);
        }
        assertThat(breaker.getMetrics().failedCalls()).as("both failures still among the last 10").isEqualTo(2);
        succeed(breaker);
        assertThat(breaker.getMetrics().failedCalls()).as("the older failure is 11th from last").isEqualTo(1);
        succeed(breaker);
        assertThat(breaker.getMetrics().failedCalls()).isZero();
        fail(breaker);
        fail(breaker);
        fail(breaker);
        assertThat(breaker.getState()).as("3 of the last 10").isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void packedTotalsReadBackSignedFields() {
        long ones = 1L + (1L << 21) + (1L << 42);
        long totals = 1_000_000L + 7 * (1L << 21) + 999_999L * (1L << 42);
        assertThat(CountWindow.field(totals, 0)).isEqualTo(1_000_000);
        assertThat(CountWindow.field(totals, 1)).isEqualTo(7);
        assertThat(CountWindow.field(totals, 2)).isEqualTo(999_999);
        long transient0 = 5L - (1L << 21) + 3 * (1L << 42);
        assertThat(CountWindow.field(transient0, 0)).isEqualTo(5);
        assertThat(CountWindow.field(transient0, 1)).as("a failure taken away before it was added").isEqualTo(-1);
        assertThat(CountWindow.field(transient0, 2)).isEqualTo(3);
        assertThat(CountWindow.field(ones - 2, 0)).isEqualTo(-1);
        assertThat(CountWindow.field(ones - 2, 1)).isEqualTo(1);
    }

    @Test
    void rejectsTheSameSharedExceptionWithoutStackTraceAndCopiesItToCarrySuppressed() {
        CircuitBreaker breaker = breaker(small());
        openByFailures(breaker);

        Throwable first = catchThrowable(breaker::acquirePermission);
        Throwable second = catchThrowable(breaker::acquirePermission);

        assertThat(first).isSameAs(second).isInstanceOf(CircuitBreakerOpenException.class)
                .hasMessage("Circuit breaker 'inventory' is OPEN and does not permit further calls");
        assertThat(first.getStackTrace()).isEmpty();
        first.addSuppressed(new IOException("ignored"));
        assertThat(first.getSuppressed()).as("a shared instance keeps nothing from one caller").isEmpty();
        CircuitBreakerOpenException copy = ((CircuitBreakerOpenException) first).unshared();
        copy.addSuppressed(new IOException("kept"));
        assertThat(copy).isNotSameAs(first).hasMessage(first.getMessage());
        assertThat(copy.getSuppressed()).hasSize(1);
        assertThat(copy.getState()).isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void reconfigureKeepsOpenState() {
        CircuitBreaker breaker = breaker(small());
        openByFailures(breaker);

        breaker.reconfigure(small().slidingWindowSize(50).build());

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void countWindowStaysExactUnderManyThreads() throws Exception {
        CircuitBreaker breaker = breaker(small().slidingWindowSize(64).minimumNumberOfCalls(64)
                .failureRateThreshold(100));
        Concurrently.run(8, 30, thread -> {
            for (int i = 0; i < 10_000; i++) {
                Object permit = breaker.acquirePermission();
                breaker.onResult(permit, breaker.now(), (i + thread) % 2 == 0 ? null : new IOException());
            }
        });
        for (int i = 0; i < 64; i++) {
            succeed(breaker);
        }

        assertThat(breaker.getMetrics().bufferedCalls()).isEqualTo(64);
        assertThat(breaker.getMetrics().failedCalls()).as("every failure was replaced by a success").isZero();
    }

    @Test
    void rejectsInvalidConfigurationNamingThePropertyAndRange() {
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureRateThreshold(0).build())
                .isInstanceOfSatisfying(InvalidConfigurationException.class, ex -> {
                    assertThat(ex.property()).isEqualTo("failure-rate-threshold");
                    assertThat(ex.allowed()).isEqualTo("must be in (0, 100]");
                });
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().slidingWindowSize(0).build())
                .hasMessageContaining("sliding-window-size").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("wait-duration-in-open-state");
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().slidingWindowSize(1_000_001).build())
                .hasMessageContaining("sliding-window-size").hasMessageContaining("1000001")
                .hasMessageContaining("at most 1000000");
    }

    private void openByFailures(CircuitBreaker breaker) {
        for (int i = 0; i < 4; i++) {
            fail(breaker);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
    }
}
