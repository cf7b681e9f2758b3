package dev.resilience.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.FakeTime;
import dev.resilience.core.InvalidConfigurationException;
import dev.resilience.ratelimiter.RateLimiterConfig.OnBackendFailure;
import dev.resilience.ratelimiter.RateLimiterConfig.Scope;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code scope: cluster} against a backend of the test's own: shared permits, and the fallback while it is down. */
class ClusterScopeTest {

    private final FakeTime time = new FakeTime();
    private final SharedBucket store = new SharedBucket(10);

    private RateLimiter limiter(OnBackendFailure onFailure) {
        RateLimiterConfig config = new RateLimiterConfig(10, Duration.ofSeconds(1), Duration.ZERO)
                .withScope(Scope.CLUSTER).withExpectedReplicas(4).withOnBackendFailure(onFailure);
        return new RateLimiter("quota", config, time.timing(), (name, ignored) -> store);
    }

    @Test
    void twoLimitersShareTheBackendsPermits() {
        RateLimiter here = limiter(OnBackendFailure.LOCAL_SHARE);
        RateLimiter there = limiter(OnBackendFailure.LOCAL_SHARE);

        int granted = 0;
        for (int i = 0; i < 8; i++) {
            granted += here.reservePermission() == 0 ? 1 : 0;
            granted += there.reservePermission() == 0 ? 1 : 0;
        }

        assertThat(granted).isEqualTo(10);
        assertThat(here.getRejectedCalls() + there.getRejectedCalls()).isEqualTo(6);
        assertThat(here.isBackendAvailable()).isTrue();
    }

    @Test
    void whileTheBackendIsDownALimiterAllowsItsLocalSharePerPeriod() {
        RateLimiter limiter = limiter(OnBackendFailure.LOCAL_SHARE);
        store.down = true;

        assertThat(grants(limiter, 5)).as("10 / 4 expected replicas").isEqualTo(2);
        assertThat(limiter.isBackendAvailable()).isFalse();
        time.advance(Duration.ofSeconds(1));
        assertThat(grants(limiter, 5)).isEqualTo(2);

        store.down = false;
        assertThat(grants(limiter, 12)).as("the shared limit again").isEqualTo(10);
    }

    @Test
    void whileTheBackendIsDownARejectingLimiterRejectsSayingWhy() {
        RateLimiter limiter = limiter(OnBackendFailure.REJECT);
        store.down = true;

        assertThatThrownBy(limiter::acquirePermission).isInstanceOf(RateLimitExceededException.class)
                .hasMessageContaining("'quota'").hasMessageContaining("unreachable");
        assertThat(limiter.getRejectedCalls()).isEqualTo(1);
    }

    @Test
    void aClusterLimiterWithoutABackendIsRefused() {
        RateLimiterConfig cluster = RateLimiterConfig.defaults().withScope(Scope.CLUSTER);

        assertThatThrownBy(() -> new RateLimiter("quota", cluster, time.timing()))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        ex -> assertThat(ex.property()).isEqualTo("scope"));
    }

    @Test
    void aLocalLimiterNeverAsksTheBackend() {
        RateLimiter limiter = new RateLimiter("quota", RateLimiterConfig.defaults(), time.timing(),
                (name, config) -> {
                    throw new AssertionError("asked for " + name);
                });

        assertThat(grants(limiter, 60)).isEqualTo(50);
    }

    private static int grants(RateLimiter limiter, int attempts) {
        int granted = 0;
        for (int i = 0; i < attempts; i++) {
            granted += limiter.reservePermission() == 0 ? 1 : 0;
        }
        return granted;
    }

    /** A shared store of {@code limit} permits that never refills, and that the test can take down. */
    private static final class SharedBucket implements RateLimiterBackend.Permits {
        private int left;
        volatile boolean down;

        SharedBucket(int limit) {
            this.left = limit;
        }

        @Override
        public synchronized long reserve(long maxWaitNanos) {
            if (down) {
                throw new RateLimiterBackend.Unavailable("down");
            }
            if (left == 0) {
                return RateLimiter.REJECTED;
            }
            left--;
            return 0;
        }

        @Override
        public synchronized void release() {
            left++;
        }

        @Override
        public synchronized long availablePermits() {
            return left;
        }

        @Override
        public boolean available() {
            return !down;
        }
    }
}
