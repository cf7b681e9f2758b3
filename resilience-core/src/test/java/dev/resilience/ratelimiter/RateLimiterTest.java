package dev.resilience.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.Concurrently;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final FakeTime time = new FakeTime();

    private RateLimiter limiter(int limit, Duration period, Duration timeout) {
        return new RateLimiter("api", new RateLimiterConfig(limit, period, timeout), time.timing());
    }

    @Test
    void allowsTheLimitPerPeriodThenRejects() {
        RateLimiter limiter = limiter(3, Duration.ofSeconds(1), Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            limiter.acquirePermission();
        }

        assertThatThrownBy(limiter::acquirePermission).isInstanceOfSatisfying(RateLimitExceededException.class,
                ex -> assertThat(ex.getInstanceName()).isEqualTo("api"));
        assertThat(limiter.getRejectedCalls()).isEqualTo(1);
        assertThat(limiter.getAvailablePermissions()).isZero();

        time.advance(Duration.ofSeconds(1));
        assertThat(limiter.getAvailablePermissions()).isEqualTo(3);
        limiter.acquirePermission();
    }

    @Test
    void unusedPermitsDoNotAccumulateBeyondTheLimit() {
        RateLimiter limiter = limiter(2, Duration.ofMillis(100), Duration.ZERO);

        time.advance(Duration.ofSeconds(10));

        assertThat(limiter.getAvailablePermissions()).isEqualTo(2);
        limiter.acquirePermission();
        limiter.acquirePermission();
        assertThat(limiter.reservePermission()).isEqualTo(RateLimiter.REJECTED);
    }

    @Test
    void waitsInOrderForPermitsOfLaterPeriodsWithinTheTimeout() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), Duration.ofMillis(2500));
        time.advance(Duration.ofMillis(400));

        assertThat(limiter.reservePermission()).isZero();
        assertThat(limiter.reservePermission()).as("the next period starts in 600 ms").isEqualTo(ms(600));
        assertThat(limiter.reservePermission()).isEqualTo(ms(1600));
        assertThat(limiter.reservePermission()).as("3.6 s is beyond the 2.5 s timeout")
                .isEqualTo(RateLimiter.REJECTED);
        assertThat(limiter.getAvailablePermissions()).isEqualTo(-2);
    }

    @Test
    void releasedReservationGoesBackToTheCurrentPeriodButNeverBeyondTheLimit() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(limiter.reservePermission()).isZero();
        assertThat(limiter.reservePermission()).isEqualTo(ms(1000));

        limiter.releasePermission();

        assertThat(limiter.getAvailablePermissions()).isZero();
        assertThat(limiter.reservePermission()).as("the next caller gets the given-back reservation's turn")
                .isEqualTo(ms(1000));
        limiter.releasePermission();
        limiter.releasePermission();
        assertThat(limiter.getAvailablePermissions()).isEqualTo(1);
    }

    @Test
    void interruptedWaitForAReservedPermitGivesThePermitBack() {
        Timing timing = time.timing();
        Timing interrupting = new Timing(timing.ticker(), timing.clock(), nanos -> {
            throw new InterruptedException();
        }, timing.scheduler());
        RateLimiter limiter = new RateLimiter("api", new RateLimiterConfig(1, Duration.ofSeconds(1),
                Duration.ofSeconds(5)), interrupting);
        limiter.acquirePermission();

        try {
            assertThatThrownBy(limiter::acquirePermission).isInstanceOf(RateLimitExceededException.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(limiter.getAvailablePermissions()).as("no reservation left behind").isZero();
    }

    @Test
    void acquiringAReservedPermitSleepsUntilItsPeriod() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), Duration.ofSeconds(5));
        limiter.acquirePermission();

        limiter.acquirePermission();

        assertThat(time.sleeps()).containsExactly(ms(1000));
    }

    @Test
    void neverGrantsMoreThanTheLimitUnderManyThreads() throws Exception {
        RateLimiter limiter = limiter(50, Duration.ofHours(1), Duration.ZERO);
        AtomicInteger granted = new AtomicInteger();
        int threads = 16;
        Concurrently.run(threads, 30, thread -> {
            for (int i = 0; i < 100; i++) {
                if (limiter.reservePermission() != RateLimiter.REJECTED) {
                    granted.incrementAndGet();
                }
            }
        });

        assertThat(granted).hasValue(50);
        assertThat(limiter.getRejectedCalls()).isEqualTo(threads * 100 - 50);
    }

    @Test
    void reconfigureStartsOverWithTheNewLimit() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), Duration.ZERO);
        limiter.acquirePermission();

        limiter.reconfigure(new RateLimiterConfig(5, Duration.ofSeconds(1), Duration.ZERO));

        assertThat(limiter.getAvailablePermissions()).isEqualTo(5);
    }

    @Test
    void rejectsInvalidConfiguration() {
        assertThatThrownBy(() -> new RateLimiterConfig(0, Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("limit-for-period");
        assertThatThrownBy(() -> new RateLimiterConfig(1, Duration.ofNanos(10), Duration.ZERO))
                .hasMessageContaining("limit-refresh-period").hasMessageContaining("at least 1ms");
        assertThatThrownBy(() -> new RateLimiterConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .hasMessageContaining("timeout-duration");
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
