package dev.resilience.autoconfigure.properties;

import dev.resilience.ratelimiter.RateLimiterConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Binds {@code resilience.ratelimiter.*}. */
public final class RateLimiterBinder implements ConfigBinder<RateLimiterConfig> {

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
        return result[0];
    }

    @Override
    public Map<String, Object> describe(RateLimiterConfig config) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("limit-for-period", config.limitForPeriod());
        description.put("limit-refresh-period", config.limitRefreshPeriod().toString());
        description.put("timeout-duration", config.timeoutDuration().toString());
        return description;
    }
}
