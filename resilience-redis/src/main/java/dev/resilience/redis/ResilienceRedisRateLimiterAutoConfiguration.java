package dev.resilience.redis;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.properties.RateLimiterBinder;
import dev.resilience.autoconfigure.properties.ResilienceBinding;
import dev.resilience.autoconfigure.properties.ResilienceSection;
import dev.resilience.core.Timing;
import dev.resilience.ratelimiter.RateLimiterBackend;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@code resilience.ratelimiter.*.scope: cluster}: rate limits shared by every application on the application's
 * Redis ({@link LettuceConnectionFactory}, {@code spring.data.redis.*}), through Bucket4j. Independent of
 * {@code resilience.control.store}; nothing connects to Redis until a cluster limiter exists.
 */
@AutoConfiguration(after = {ResilienceAutoConfiguration.class, DataRedisAutoConfiguration.class})
@ConditionalOnClass({LettuceConnectionFactory.class, Bucket4jLettuce.class})
public final class ResilienceRedisRateLimiterAutoConfiguration {

    /** {@code resilience.ratelimiter.cluster.*} is this module's to bind, not taken for unknown keys. */
    public static final class Section implements ResilienceSection {
        @Override
        public String name() {
            return "ratelimiter.cluster";
        }
    }

    @Bean
    @ConditionalOnMissingBean
    ClusterRateLimiterProperties resilienceClusterRateLimiterProperties(Environment environment) {
        ClusterRateLimiterProperties properties = ResilienceBinding.bindSection(Binder.get(environment),
                "ratelimiter.cluster", ClusterRateLimiterProperties.class);
        properties.validate();
        return properties;
    }

    /**
     * Backs off for any bean of type {@link RateLimiterBackend}, whatever its name: {@code scope: cluster} limiters
     * take the application's one by type.
     */
    @Bean(RateLimiterBinder.BACKEND_BEAN)
    @ConditionalOnMissingBean(RateLimiterBackend.class)
    @ConditionalOnBean(LettuceConnectionFactory.class)
    RedisRateLimiterBackend resilienceRateLimiterBackend(LettuceConnectionFactory connections,
            ClusterRateLimiterProperties properties, Timing timing) {
        Duration commandTimeout = connections.getClientConfiguration().getCommandTimeout();
        Duration cap = properties.getMaxRequestTimeout();
        Duration requestTimeout = commandTimeout.compareTo(cap) < 0 ? commandTimeout : cap;
        return new RedisRateLimiterBackend(connections::getRequiredNativeClient, requestTimeout, timing);
    }

    /** Health component {@code rateLimiters}: whether each cluster limiter reaches Redis. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Health {

        @Bean
        @ConditionalOnBean({LettuceConnectionFactory.class, RateLimiterRegistry.class})
        @ConditionalOnMissingBean(name = "rateLimitersHealthIndicator")
        @ConditionalOnEnabledHealthIndicator("ratelimiters")
        ClusterRateLimitersHealthIndicator rateLimitersHealthIndicator(RateLimiterRegistry limiters) {
            return new ClusterRateLimitersHealthIndicator(limiters);
        }
    }
}
