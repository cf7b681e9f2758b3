package dev.resilience.autoconfigure.properties;

import dev.resilience.retry.RetryConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Binds {@code resilience.retry.*}. */
public final class RetryBinder implements ConfigBinder<RetryConfig> {

    @Override
    public String kind() {
        return "retry";
    }

    @Override
    public RetryConfig defaults() {
        return RetryConfig.defaults();
    }

    @Override
    public RetryConfig apply(RetryConfig base, PropertyValues values) {
        RetryConfig.Builder builder = base.toBuilder();
        values.integer("max-attempts", builder::maxAttempts);
        values.duration("wait-duration", builder::waitDuration);
        values.decimal("backoff-multiplier", builder::backoffMultiplier);
        values.duration("max-wait-duration", builder::maxWaitDuration);
        values.decimal("jitter", builder::jitter);
        values.duration("max-duration", builder::maxDuration);
        values.exceptions("retry-exceptions", builder::retryExceptions);
        values.exceptions("ignore-exceptions", builder::ignoreExceptions);
        values.predicate("retry-on-result", builder::retryOnResult);
        return builder.build();
    }

    @Override
    public Map<String, Object> describe(RetryConfig config) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("max-attempts", config.maxAttempts());
        description.put("wait-duration", config.waitDuration().toString());
        description.put("backoff-multiplier", config.backoffMultiplier());
        description.put("max-wait-duration", config.maxWaitDuration().toString());
        description.put("jitter", config.jitter());
        description.put("max-duration", config.maxDuration() == null ? null : config.maxDuration().toString());
        description.put("retry-exceptions", CircuitBreakerBinder.names(config.retryExceptions()));
        description.put("ignore-exceptions", CircuitBreakerBinder.names(config.ignoreExceptions()));
        description.put("retry-on-result", CircuitBreakerBinder.predicateName(config.retryOnResult()));
        return description;
    }
}
