package dev.resilience.autoconfigure.properties;

import dev.resilience.core.InvalidConfigurationException;
import dev.resilience.retry.RetryBudgetConfig;
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
        values.decimal("budget.ratio", ratio -> builder.budget(builder.budget() == null
                ? RetryBudgetConfig.ofRatio(ratio) : builder.budget().withRatio(ratio)));
        values.duration("budget.window", window -> builder.budget(budgetToChange(builder, "budget.window", window)
                .withWindow(window)));
        values.integer("budget.min-retries-per-second", minimum -> builder.budget(budgetToChange(builder,
                "budget.min-retries-per-second", minimum).withMinRetriesPerSecond(minimum)));
        return builder.build();
    }

    private static RetryBudgetConfig budgetToChange(RetryConfig.Builder builder, String property, Object value) {
        if (builder.budget() == null) {
            throw new InvalidConfigurationException(property, value, "needs budget.ratio to be set as well");
        }
        return builder.budget();
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
        RetryBudgetConfig budget = config.budget();
        description.put("budget.ratio", budget == null ? null : budget.ratio());
        description.put("budget.window", budget == null ? null : budget.window().toString());
        description.put("budget.min-retries-per-second", budget == null ? null : budget.minRetriesPerSecond());
        return description;
    }
}
