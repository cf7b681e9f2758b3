package dev.resilience.autoconfigure.properties;

import dev.resilience.timeout.TimeoutConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Binds {@code resilience.timeout.*}. */
public final class TimeoutBinder implements ConfigBinder<TimeoutConfig> {

    @Override
    public String kind() {
        return "timeout";
    }

    @Override
    public TimeoutConfig defaults() {
        return TimeoutConfig.defaults();
    }

    @Override
    public TimeoutConfig apply(TimeoutConfig base, PropertyValues values) {
        TimeoutConfig[] result = {base};
        values.duration("timeout-duration", value -> result[0] = result[0].withTimeoutDuration(value));
        values.bool("cancel-running-future", value -> result[0] = result[0].withCancelRunningFuture(value));
        return result[0];
    }

    @Override
    public Map<String, Object> describe(TimeoutConfig config) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("timeout-duration", config.timeoutDuration().toString());
        description.put("cancel-running-future", config.cancelRunningFuture());
        return description;
    }
}
