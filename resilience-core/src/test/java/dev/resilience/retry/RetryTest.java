package dev.resilience.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.FakeTime;
import dev.resilience.core.ResultPredicateException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class RetryTest {

    private final FakeTime time = new FakeTime();

    private Retry retry(RetryConfig.Builder config) {
        return new Retry("inventory", config.build(), time.timing());
    }

    @Test
    void retriesUntilTheCallSucceeds() throws Exception {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3));
        AtomicInteger calls = new AtomicInteger();

        String answer = retry.call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("flaky");
            }
            return "ok";
        });

        assertThat(answer).isEqualTo("ok");
        assertThat(calls).hasValue(3);
        assertThat(time.sleeps()).containsExactly(ms(500), ms(500));
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 1, 0, 0, 2));
    }

    @Test
    void rethrowsTheLastFailureUnchangedOnExhaustion() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3));
        AtomicInteger calls = new AtomicInteger();
        IOException[] last = new IOException[1];

        assertThatThrownBy(() -> retry.call(() -> {
            last[0] = new IOException("attempt " + calls.incrementAndGet());
            throw last[0];
        })).isSameAs(last[0]).hasMessage("attempt 3");
        assertThat(retry.getMetrics().failedWithRetry()).isEqualTo(1);
    }

    @Test
    void backsOffExponentiallyUpToTheMaximumWait() throws Exception {
        Retry retry = retry(RetryConfig.builder().maxAttempts(6).waitDuration(Duration.ofMillis(100))
                .backoffMultiplier(2).maxWaitDuration(Duration.ofMillis(500)));

        assertThatThrownBy(() -> retry.call(() -> {
            throw new IOException();
        })).isInstanceOf(IOException.class);

        assertThat(time.sleeps()).containsExactly(ms(100), ms(200), ms(400), ms(500), ms(500));
    }

    @Test
    void jitterStaysWithinItsBounds() {
        RetryConfig config = RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ofMillis(1000)).jitter(0.25)
                .build();
        Random seeded = new Random(42);
        Retry retry = new Retry("jittery", config, time.timing(), seeded::nextDouble);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;

        for (int i = 0; i < 10_000; i++) {
            long delay = retry.delayBeforeRetry(1, retry.begin(), new IOException());
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }

        assertThat(min).isBetween(ms(750), ms(760));
        assertThat(max).isBetween(ms(1240), ms(1250));
    }

    @Test
    void jitterDrawsFromTheWholeRange() {
        RetryConfig config = RetryConfig.builder().waitDuration(Duration.ofMillis(1000)).jitter(0.5).build();

        assertThat(new Retry("low", config, time.timing(), () -> 0.0).delayBeforeRetry(1, 0, new IOException()))
                .isEqualTo(ms(500));
        assertThat(new Retry("high", config, time.timing(), () -> 1.0).delayBeforeRetry(1, 0, new IOException()))
                .isEqualTo(ms(1500));
    }

    @Test
    void maxDurationStopsRetrying() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(100).waitDuration(Duration.ofSeconds(1))
                .maxDuration(Duration.ofMillis(3500)));
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new IOException();
        })).isInstanceOf(IOException.class);

        assertThat(calls).as("attempts at 0, 1, 2 and 3 s; the next would start past 3.5 s").hasValue(4);
    }

    @Test
    void ignoredExceptionsAreNotRetried() {
        Retry retry = retry(RetryConfig.builder().ignoreExceptions(List.of(IllegalArgumentException.class)));
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException();
        })).isInstanceOf(IllegalArgumentException.class);

        assertThat(calls).hasValue(1);
        assertThat(retry.getMetrics().failedWithoutRetry()).isEqualTo(1);
    }

    @Test
    void onlyListedExceptionsAreRetried() {
        Retry retry = retry(RetryConfig.builder().retryExceptions(List.of(IOException.class)));

        assertThat(retry.delayBeforeRetry(1, 0, new IOException())).isPositive();
        assertThat(retry.delayBeforeRetry(1, 0, new IllegalStateException())).isEqualTo(Retry.NO_RETRY);
    }

    @Test
    void openBreakerIsNotRetriedUnlessListed() {
        CircuitBreakerOpenException open = new CircuitBreakerOpenException("inventory", CircuitBreakerState.OPEN);

        assertThat(retry(RetryConfig.builder()).delayBeforeRetry(1, 0, open)).isEqualTo(Retry.NO_RETRY);
        assertThat(retry(RetryConfig.builder().retryExceptions(List.of(CircuitBreakerOpenException.class)))
                .delayBeforeRetry(1, 0, open)).isPositive();
    }

    @Test
    void retriesAValueThatRetryOnResultRejectsAndReturnsTheLastOneOnExhaustion() throws Exception {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3).retryOnResult("503"::equals));
        AtomicInteger calls = new AtomicInteger();

        assertThat(retry.call(() -> calls.incrementAndGet() < 2 ? "503" : "200")).isEqualTo("200");
        assertThat(retry.call(() -> "503")).as("exhausted: the last value").isEqualTo("503");

        assertThat(retry.getMetrics().successfulWithRetry()).isEqualTo(1);
        assertThat(retry.getMetrics().failedWithRetry()).isEqualTo(1);
        assertThat(retry.getMetrics().retryAttempts()).isEqualTo(3);
    }

    @Test
    void aRetryOnResultPredicateOfTheWrongTypeFailsTheCallOnceWithAMessageNamingTheRetryAndThePredicate() {
        Predicate<Throwable> ofFailures = failure -> failure.getMessage() != null;
        @SuppressWarnings({"unchecked", "rawtypes"})
        Predicate<Object> misdeclared = (Predicate) ofFailures;
        Retry retry = retry(RetryConfig.builder().maxAttempts(3).retryOnResult(misdeclared));
        AtomicInteger calls = new AtomicInteger();

        Throwable thrown = catchThrowable(() -> retry.call(() -> "200 #" + calls.incrementAndGet()));

        assertThat(thrown).isInstanceOfSatisfying(ResultPredicateException.class, broken -> {
            assertThat(broken.getInstanceName()).isEqualTo("inventory");
            assertThat(broken).hasMessageContaining("retry-on-result predicate")
                    .hasMessageContaining("of retry 'inventory'").hasCauseInstanceOf(ClassCastException.class);
        });
        assertThat(calls).as("not retried: the predicate would fail again").hasValue(1);
        assertThat(retry.getMetrics().failedWithoutRetry()).isEqualTo(1);
    }

    @Test
    void rejectsInvalidConfiguration() {
        assertThatThrownBy(() -> RetryConfig.builder().maxAttempts(0).build()).hasMessageContaining("max-attempts")
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> RetryConfig.builder().jitter(1.5).build()).hasMessageContaining("jitter")
                .hasMessageContaining("[0.0, 1.0]");
        assertThatThrownBy(() -> RetryConfig.builder().backoffMultiplier(0.5).build())
                .hasMessageContaining("backoff-multiplier");
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
