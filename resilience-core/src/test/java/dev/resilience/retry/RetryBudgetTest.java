package dev.resilience.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.Concurrently;
import dev.resilience.core.FakeTime;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private final FakeTime time = new FakeTime();

    private Retry retry(RetryBudgetConfig budget) {
        return new Retry("storm", RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ZERO).budget(budget)
                .build(), time.timing());
    }

    @Test
    void underSustainedFailureFromManyThreadsRetriesStayWithinTheBudget() throws Exception {
        Retry retry = retry(new RetryBudgetConfig(0.2, Duration.ofSeconds(10), 10));
        int threads = 8;
        int callsPerThread = 500;
        AtomicInteger attempts = new AtomicInteger();
        Concurrently.run(threads, 60, thread -> {
            for (int i = 0; i < callsPerThread; i++) {
                try {
                    retry.call(() -> {
                        attempts.incrementAndGet();
                        throw new IOException("dependency down");
                    });
                } catch (IOException expected) {
                    // every call fails in the end
                }
            }
        });

        int firstAttempts = threads * callsPerThread;
        long budget = (long) (0.2 * firstAttempts) + 10 * 10;
        assertThat(retry.getMetrics().retryAttempts()).as("without a budget: %d retries", 4 * firstAttempts)
                .isLessThanOrEqualTo(budget).isGreaterThan(budget / 2);
        assertThat(attempts.get() - firstAttempts).isEqualTo(retry.getMetrics().retryAttempts());
        assertThat(retry.getBudgetExhaustedCalls()).isPositive();
    }

    @Test
    void theMinimumLetsLowTrafficRetryAndTheWindowSlides() {
        Retry retry = retry(new RetryBudgetConfig(0, Duration.ofSeconds(2), 1));

        assertThatThrownBy(() -> retry.call(() -> {
            throw new IOException();
        })).isInstanceOf(IOException.class);
        assertThat(retry.getMetrics().retryAttempts()).as("1 per second over a 2 s window").isEqualTo(2);
        assertThat(retry.getBudgetExhaustedCalls()).isEqualTo(1);

        time.advance(Duration.ofSeconds(2));

        assertThatThrownBy(() -> retry.call(() -> {
            throw new IOException();
        })).isInstanceOf(IOException.class);
        assertThat(retry.getMetrics().retryAttempts()).as("the old seconds left the window").isEqualTo(4);
    }

    @Test
    void noBudgetMeansEveryAttemptMayRetry() {
        Retry retry = retry(null);

        assertThatThrownBy(() -> retry.call(() -> {
            throw new IOException();
        })).isInstanceOf(IOException.class);

        assertThat(retry.getMetrics().retryAttempts()).isEqualTo(4);
        assertThat(retry.getBudgetExhaustedCalls()).isZero();
    }

    @Test
    void rejectsInvalidBudgets() {
        assertThatThrownBy(() -> new RetryBudgetConfig(-0.1, Duration.ofSeconds(10), 10))
                .hasMessageContaining("budget.ratio");
        assertThatThrownBy(() -> new RetryBudgetConfig(0.2, Duration.ofMillis(1500), 10))
                .hasMessageContaining("budget.window").hasMessageContaining("whole seconds from 1s to 1h");
        assertThatThrownBy(() -> new RetryBudgetConfig(0.2, Duration.ofSeconds(10), -1))
                .hasMessageContaining("budget.min-retries-per-second");
    }
}
