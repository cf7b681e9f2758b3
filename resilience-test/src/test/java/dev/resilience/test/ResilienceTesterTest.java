package dev.resilience.test;

import static dev.resilience.test.ResilienceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Degradable;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.HealthProbe;
import dev.resilience.annotation.Retry;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.degradation.FeatureDegradedException;
import dev.resilience.probe.ProbeSnapshot;
import dev.resilience.probe.ProbeStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/** An application's own test, written with the test support: states on demand, time that moves when told. */
@SpringBootTest(classes = ResilienceTesterTest.PricesApplication.class, properties = {
        "resilience.circuitbreaker.instances.prices.minimum-number-of-calls=4",
        "resilience.circuitbreaker.instances.prices.wait-duration-in-open-state=30s",
        "resilience.circuitbreaker.instances.prices.permitted-number-of-calls-in-half-open-state=2",
        "resilience.retry.instances.prices.max-attempts=3",
        "resilience.retry.instances.prices.wait-duration=10s",
        "resilience.probes.prices-feed.failure-threshold=2",
        "resilience.probes.prices-feed.circuit-breaker=prices"})
@ResilienceTest
class ResilienceTesterTest {

    @Autowired
    Prices prices;

    @Autowired
    ResilienceTester resilience;

    @BeforeEach
    void healthyDependency() {
        resilience.reset();
        prices.down().set(false);
        prices.calls().set(0);
        prices.feedChecks().set(0);
    }

    @Test
    void openBreakerAnswersFromTheFallbackWithoutCallingTheDependency() {
        long rejectedBefore = resilience.circuitBreaker("prices").getNotPermittedCalls();
        resilience.transition("prices", CircuitBreakerState.OPEN);

        assertThat(prices.price("apple")).isEqualTo(-1);

        assertThat(prices.calls()).hasValue(0);
        assertThat(resilience.circuitBreaker("prices")).isOpen().hasNotPermittedCalls(rejectedBefore + 1);
    }

    @Test
    void drivesOpenThenHalfOpenThenClosedWithoutRealWaiting() {
        prices.down().set(true);
        for (int i = 0; i < 2; i++) {
            assertThat(prices.price("apple")).isEqualTo(-1);
        }
        assertThat(resilience.circuitBreaker("prices")).isOpen();
        assertThat(resilience.time().sleeps()).as("each retry waited, in fake time only")
                .containsOnly(Duration.ofSeconds(10).toNanos());

        prices.down().set(false);
        resilience.advance(Duration.ofSeconds(30));
        assertThat(resilience.circuitBreaker("prices")).isHalfOpen();
        assertThat(prices.price("apple")).isEqualTo(42);
        assertThat(prices.price("pear")).isEqualTo(42);

        assertThat(resilience.circuitBreaker("prices")).isClosed();
    }

    @Test
    void halfOpenOnDemandLetsTheTrialsDecide() {
        resilience.transition("prices", CircuitBreakerState.HALF_OPEN);
        prices.down().set(true);

        assertThat(prices.price("apple")).isEqualTo(-1);

        assertThat(resilience.circuitBreaker("prices")).as("its one trial failed with all its retries").isOpen();
    }

    @Test
    void resetClosesBreakersAndSwitchesFeaturesBackOn() {
        resilience.transition("prices", CircuitBreakerState.FORCED_OPEN);
        resilience.feature("recommendations").setEnabled(false);

        resilience.reset();

        assertThat(resilience.circuitBreaker("prices")).isClosed().hasBufferedCalls(0);
        assertThat(prices.recommendations()).isEqualTo("personal");
    }

    @Test
    void probesCheckOnlyWhenTheTestAsksAndResetForgetsThem() {
        resilience.advance(Duration.ofMinutes(10));
        assertThat(prices.feedChecks()).as("no background checks under @ResilienceTest").hasValue(0);
        assertThat(resilience.probe("prices-feed").getStatus()).isEqualTo(ProbeStatus.UNKNOWN);
        prices.down().set(true);

        resilience.checkProbe("prices-feed");
        ProbeSnapshot down = resilience.checkProbe("prices-feed");

        assertThat(down.status()).isEqualTo(ProbeStatus.DOWN);
        assertThat(prices.feedChecks()).hasValue(2);
        assertThat(resilience.circuitBreaker("prices")).isOpen();
        assertThat(prices.price("apple")).as("the held breaker answers from the fallback").isEqualTo(-1);
        assertThat(prices.calls()).hasValue(0);

        resilience.reset();

        assertThat(resilience.probe("prices-feed").getStatus()).isEqualTo(ProbeStatus.UNKNOWN);
        assertThat(resilience.circuitBreaker("prices").getHeldOpenBy()).isNull();
        assertThat(resilience.circuitBreaker("prices")).isClosed();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> resilience.checkProbe("no-such-probe"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prices-feed");
    }

    @Test
    void disabledFeatureIsShed() {
        resilience.feature("recommendations").setEnabled(false);

        org.assertj.core.api.Assertions.assertThatThrownBy(prices::recommendations)
                .isInstanceOf(FeatureDegradedException.class);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PricesApplication {
        @Bean
        Prices prices() {
            return new Prices();
        }
    }

    /** Public: proxied with CGLIB. */
    public static class Prices {
        private final AtomicBoolean down = new AtomicBoolean();
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger feedChecks = new AtomicInteger();

        /** Through a method: the test holds the proxy, whose own fields are not the bean's. */
        public AtomicBoolean down() {
            return down;
        }

        public AtomicInteger calls() {
            return calls;
        }

        public AtomicInteger feedChecks() {
            return feedChecks;
        }

        @HealthProbe("prices-feed")
        public boolean feedAnswers() {
            feedChecks.incrementAndGet();
            return !down.get();
        }

        @Retry("prices")
        @CircuitBreaker("prices")
        @Fallback("cached")
        public int price(String sku) {
            calls.incrementAndGet();
            if (down.get()) {
                throw new UncheckedIOException(new IOException("prices down"));
            }
            return 42;
        }

        int cached(String sku) {
            return -1;
        }

        @Degradable("recommendations")
        public String recommendations() {
            return "personal";
        }
    }
}
