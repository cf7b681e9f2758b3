package dev.resilience.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.FakeTime;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChaosTest {

    private final FakeTime time = new FakeTime();

    private Chaos chaos(ChaosConfig config, long seed) {
        return new Chaos("primary", config, time.timing(), new Random(seed)::nextDouble);
    }

    @Test
    void injectionRatesHoldWithinStatisticalBoundsOnAFixedSeed() {
        Chaos chaos = chaos(ChaosConfig.none().withFailureRate(0.3).withLatency(Duration.ofMillis(100))
                .withLatencyRate(0.1), 42);
        int calls = 10_000;
        int failed = 0;

        for (int i = 0; i < calls; i++) {
            try {
                chaos.inject();
            } catch (Throwable injected) {
                assertThat(injected).isInstanceOf(InjectedFaultException.class)
                        .hasMessage("Fault injected by chaos 'primary'");
                failed++;
            }
        }

        // Binomial(10000, 0.3): standard deviation 46; 5 of them either side.
        assertThat(failed).isBetween(2770, 3230).isEqualTo((int) chaos.getInjectedFailures());
        assertThat(chaos.getInjectedLatencies()).isBetween(850L, 1150L);
        assertThat(time.sleeps()).hasSize((int) chaos.getInjectedLatencies())
                .allSatisfy(sleep -> assertThat(sleep).isEqualTo(Duration.ofMillis(100).toNanos()));
    }

    @Test
    void theSameSeedInjectsTheSameFaults() {
        ChaosConfig half = ChaosConfig.none().withFailureRate(0.5);
        Chaos first = chaos(half, 7);
        Chaos second = chaos(half, 7);

        for (int i = 0; i < 100; i++) {
            assertThat(first.drawFailure() == null).isEqualTo(second.drawFailure() == null);
        }
    }

    @Test
    void injectsTheConfiguredException() {
        Chaos chaos = chaos(ChaosConfig.none().withFailureRate(1).withException(IOException.class), 1);

        assertThatThrownBy(chaos::inject).isInstanceOf(IOException.class);
    }

    @Test
    void injectsNothingByDefault() throws Throwable {
        Chaos chaos = chaos(ChaosConfig.none(), 1);

        for (int i = 0; i < 1000; i++) {
            chaos.inject();
        }

        assertThat(chaos.getInjectedFailures()).isZero();
        assertThat(chaos.getInjectedLatencies()).isZero();
    }

    @Test
    void rejectsInvalidConfiguration() {
        assertThatThrownBy(() -> ChaosConfig.none().withFailureRate(1.5)).hasMessageContaining("failure-rate");
        assertThatThrownBy(() -> ChaosConfig.none().withException(Error.class).withException(
                InjectedFaultException.class).withLatencyRate(-1)).hasMessageContaining("latency-rate");
        assertThatThrownBy(() -> ChaosConfig.none().withException(NoStringConstructor.class))
                .hasMessageContaining("constructor taking one String");
    }

    /** Has no constructor taking a message. */
    public static class NoStringConstructor extends RuntimeException {
    }
}
