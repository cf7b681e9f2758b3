package dev.resilience.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.ratelimiter.RateLimiterBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * How the cluster rate limiters' backend is set up: its wait for Redis, capped by
 * {@code resilience.ratelimiter.cluster.max-request-timeout}, and its backing off for the application's own backend.
 * Nothing here connects to Redis: no limiter has {@code scope: cluster}.
 */
class ClusterRateLimiterConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    DataRedisAutoConfiguration.class, ResilienceRedisRateLimiterAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.timeout=5s");

    @Test
    void aCallWaitsForRedisAtMostOneSecondByDefault() {
        runner.run(context -> assertThat(context.getBean(RedisRateLimiterBackend.class).requestTimeout())
                .isEqualTo(Duration.ofSeconds(1)));
    }

    @Test
    void aCallWaitsForRedisAtMostTheConfiguredMaxRequestTimeout() {
        runner.withPropertyValues("resilience.ratelimiter.cluster.max-request-timeout=250ms")
                .run(context -> assertThat(context.getBean(RedisRateLimiterBackend.class).requestTimeout())
                        .isEqualTo(Duration.ofMillis(250)));
    }

    @Test
    void aShorterRedisCommandTimeoutStillApplies() {
        runner.withPropertyValues("resilience.ratelimiter.cluster.max-request-timeout=3s",
                "spring.data.redis.timeout=2s").run(context -> assertThat(
                        context.getBean(RedisRateLimiterBackend.class).requestTimeout()).isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void aMaxRequestTimeoutThatIsNotPositiveStopsStartupNamingThePropertyTheValueAndWhatIsAllowed() {
        runner.withPropertyValues("resilience.ratelimiter.cluster.max-request-timeout=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("resilience.ratelimiter.cluster.max-request-timeout").contains("PT0S")
                    .contains("must be a positive duration");
        });
    }

    @Test
    void anUnknownKeyOfTheSectionStopsStartupNamingIt() {
        runner.withPropertyValues("resilience.ratelimiter.cluster.max-request-timout=1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("resilience.ratelimiter.cluster.max-request-timout");
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnBackendUnderAnyName() {
        RateLimiterBackend own = (name, config) -> {
            throw new UnsupportedOperationException("not called: no limiter has scope cluster");
        };
        runner.withBean("ownBackend", RateLimiterBackend.class, () -> own).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(RedisRateLimiterBackend.class);
            assertThat(context.getBeansOfType(RateLimiterBackend.class)).containsOnlyKeys("ownBackend");
        });
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            all.append(cause.getMessage()).append('\n');
        }
        return all.toString();
    }
}
