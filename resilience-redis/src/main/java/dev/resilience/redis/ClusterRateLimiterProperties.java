package dev.resilience.redis;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * {@code resilience.ratelimiter.cluster.*}: how the {@code scope: cluster} limiters of this application use Redis.
 * Bound strictly (an unknown key stops startup) by {@code ResilienceBinding.bindSection}.
 */
@ConfigurationProperties(ClusterRateLimiterProperties.PREFIX)
public class ClusterRateLimiterProperties {

    /** The prefix of these properties. */
    public static final String PREFIX = "resilience.ratelimiter.cluster";

    /** The longest a call waits for Redis before its limiter falls back; spring.data.redis.timeout if shorter. */
    private Duration maxRequestTimeout = Duration.ofSeconds(1);

    public Duration getMaxRequestTimeout() {
        return maxRequestTimeout;
    }

    public void setMaxRequestTimeout(Duration maxRequestTimeout) {
        this.maxRequestTimeout = maxRequestTimeout;
    }

    /** Stops startup on a value that cannot work, naming the property, the value and what is allowed. */
    void validate() {
        if (maxRequestTimeout == null || maxRequestTimeout.isNegative() || maxRequestTimeout.isZero()) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + ".max-request-timeout", maxRequestTimeout,
                    "must be a positive duration");
        }
    }
}
