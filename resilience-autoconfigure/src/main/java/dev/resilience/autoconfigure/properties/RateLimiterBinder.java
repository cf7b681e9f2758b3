package dev.resilience.autoconfigure.properties;

import dev.resilience.core.InvalidConfigurationException;
import dev.resilience.ratelimiter.RateLimiterBackend;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RateLimiterConfig.OnBackendFailure;
import dev.resilience.ratelimiter.RateLimiterConfig.Scope;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** Binds {@code resilience.ratelimiter.*}. */
public final class RateLimiterBinder implements ConfigBinder<RateLimiterConfig> {

    /** The name of the resilience-redis module's backend bean (an application's own may have any name). */
    public static final String BACKEND_BEAN = "resilienceRateLimiterBackend";

    private final Supplier<?> backend;

    /**
     * @param backend the application's {@link RateLimiterBackend}, whatever its bean's name, or {@code null}
     *     without one: a {@code scope: cluster} limiter needs it
     */
    public RateLimiterBinder(Supplier<?> backend) {
        this.backend = backend;
    }

    @Override
    public String kind() {
        return "ratelimiter";
    }

    @Override
    public RateLimiterConfig defaults() {
        return RateLimiterConfig.defaults();
    }

    @Override
    public RateLimiterConfig apply(RateLimiterConfig base, PropertyValues values) {
        RateLimiterConfig[] result = {base};
        values.integer("limit-for-period", value -> result[0] = result[0].withLimitForPeriod(value));
        values.duration("limit-refresh-period", value -> result[0] = result[0].withLimitRefreshPeriod(value));
        values.duration("timeout-duration", value -> result[0] = result[0].withTimeoutDuration(value));
        values.enumeration("scope", Scope.class, value -> result[0] = result[0].withScope(value));
        values.integer("expected-replicas", value -> result[0] = result[0].withExpectedReplicas(value));
        values.enumeration("on-backend-failure", OnBackendFailure.class,
                value -> result[0] = result[0].withOnBackendFailure(value));
        if (result[0].scope() == Scope.CLUSTER && !(backend.get() instanceof RateLimiterBackend)) {
            throw new InvalidConfigurationException("scope", "cluster", "needs a shared store: add the module "
                    + "dev.resilience:resilience-redis and a Redis connection (spring.data.redis.*), or use local");
        }
        return result[0];
    }

    @Override
    public Map<String, Object> describe(RateLimiterConfig config) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("limit-for-period", config.limitForPeriod());
        description.put("limit-refresh-period", config.limitRefreshPeriod().toString());
        description.put("timeout-duration", config.timeoutDuration().toString());
        description.put("scope", dashed(config.scope()));
        description.put("expected-replicas", config.expectedReplicas());
        description.put("on-backend-failure", dashed(config.onBackendFailure()));
        return description;
    }

    private static String dashed(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
