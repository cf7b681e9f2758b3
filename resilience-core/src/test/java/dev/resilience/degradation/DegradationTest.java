package dev.resilience.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.Criticality;
import dev.resilience.core.FakeTime;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DegradationTest {

    private final FakeTime time = new FakeTime();
    private final DegradationMonitor monitor = new DegradationMonitor(time.timing().clock());
    private final List<LevelChange> changes = new ArrayList<>();

    DegradationTest() {
        monitor.addListener(changes::add);
    }

    private CircuitBreaker breaker(String name, Criticality criticality) {
        CircuitBreaker breaker = new CircuitBreaker(name, CircuitBreakerConfig.builder().minimumNumberOfCalls(1)
                .slidingWindowSize(1).waitDurationInOpenState(Duration.ofSeconds(10)).criticality(criticality).build(),
                time.timing());
        monitor.watch(breaker);
        return breaker;
    }

    private static void open(CircuitBreaker breaker) {
        Object permit = breaker.acquirePermission();
        breaker.onResult(permit, breaker.now(), new IOException());
    }

    @Test
    void levelIsTheHighestImpliedByTheOpenBreakers() {
        CircuitBreaker recommendations = breaker("recommendations", Criticality.OPTIONAL);
        CircuitBreaker search = breaker("search", Criticality.IMPORTANT);
        CircuitBreaker payments = breaker("payments", Criticality.CRITICAL);
        assertThat(monitor.level()).isEqualTo(DegradationLevel.NONE);

        open(recommendations);
        assertThat(monitor.level()).isEqualTo(DegradationLevel.MINOR);
        open(payments);
        assertThat(monitor.level()).isEqualTo(DegradationLevel.CRITICAL);
        open(search);

        assertThat(monitor.snapshot().impaired()).containsExactly("payments", "recommendations", "search");
        payments.transitionToClosed();
        assertThat(monitor.level()).isEqualTo(DegradationLevel.MAJOR);
        assertThat(changes).extracting(LevelChange::to).containsExactly(DegradationLevel.MINOR,
                DegradationLevel.CRITICAL, DegradationLevel.MAJOR);
    }

    @Test
    void levelChangesReachListenersInOrderWhenTheyRace() throws Exception {
        // Given a monitor whose first listener is still busy with the first change
        DegradationMonitor racing = new DegradationMonitor(time.timing().clock());
        CircuitBreaker search = watched(racing, "search", Criticality.IMPORTANT);
        CircuitBreaker payments = watched(racing, "payments", Criticality.CRITICAL);
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<LevelChange> seen = new CopyOnWriteArrayList<>();
        racing.addListener(change -> {
            if (change.to() == DegradationLevel.MAJOR && inFirst.getCount() > 0) {
                inFirst.countDown();
                await(release);
            }
        });
        racing.addListener(seen::add);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> first = other.submit(search::transitionToForcedOpen);
            assertThat(inFirst.await(10, TimeUnit.SECONDS)).isTrue();

            // When a second change is made on another thread meanwhile
            payments.transitionToForcedOpen();
            time.advance(Duration.ofSeconds(1));
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }

        // Then every listener saw them in the order they were made, stamped in that order
        assertThat(racing.level()).isEqualTo(DegradationLevel.CRITICAL);
        assertThat(seen).extracting(LevelChange::from, LevelChange::to).containsExactly(
                tuple(DegradationLevel.NONE, DegradationLevel.MAJOR),
                tuple(DegradationLevel.MAJOR, DegradationLevel.CRITICAL));
        assertThat(seen.get(1).at()).isAfterOrEqualTo(seen.get(0).at());
        assertThat(seen.get(1).impaired()).containsExactly("payments", "search");
    }

    private CircuitBreaker watched(DegradationMonitor watching, String name, Criticality criticality) {
        CircuitBreaker breaker = new CircuitBreaker(name, CircuitBreakerConfig.builder().criticality(criticality)
                .build(), time.timing());
        watching.watch(breaker);
        return breaker;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    @Test
    void forcedOpenCountsAsOpenAndHalfOpenDoesNot() {
        CircuitBreaker search = breaker("search", Criticality.IMPORTANT);

        search.transitionToForcedOpen();
        assertThat(monitor.level()).isEqualTo(DegradationLevel.MAJOR);
        search.transitionToClosed();
        open(search);
        time.advance(Duration.ofSeconds(10));

        assertThat(monitor.snapshot().level()).as("the snapshot sees OPEN turn HALF_OPEN")
                .isEqualTo(DegradationLevel.NONE);
    }

    @Test
    void featureIsShedAtItsDisableAtLevelAndSwitchedOffByHand() {
        CircuitBreaker search = breaker("search", Criticality.IMPORTANT);
        Feature recommendations = new Feature("recommendations", new FeatureConfig(true, DegradationLevel.MAJOR),
                monitor);
        Feature enrichment = new Feature("enrichment", new FeatureConfig(true, DegradationLevel.CRITICAL), monitor);

        open(search);

        assertThatThrownBy(recommendations::checkAvailable).isInstanceOfSatisfying(FeatureDegradedException.class,
                ex -> {
                    assertThat(ex.getInstanceName()).isEqualTo("recommendations");
                    assertThat(ex.getMessage()).contains("degradation level MAJOR reached its disable-at MAJOR");
                });
        enrichment.checkAvailable();
        enrichment.setEnabled(false);
        assertThatThrownBy(enrichment::checkAvailable).hasMessageContaining("switched off");
        assertThat(monitor.level()).as("switching off does not change the level").isEqualTo(DegradationLevel.MAJOR);
        assertThat(recommendations.getSkippedCalls()).isEqualTo(1);
    }

    @Test
    void featureWithoutDisableAtIsNeverShed() {
        CircuitBreaker payments = breaker("payments", Criticality.CRITICAL);
        Feature feature = new Feature("always", FeatureConfig.defaults(), monitor);

        open(payments);

        assertThat(feature.isAvailable()).isTrue();
    }
}
