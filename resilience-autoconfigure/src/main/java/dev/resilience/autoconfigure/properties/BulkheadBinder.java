package dev.resilience.autoconfigure.properties;

import dev.resilience.bulkhead.BulkheadConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Binds {@code resilience.bulkhead.*}. */
public final class BulkheadBinder implements ConfigBinder<BulkheadConfig> {

    @Override
    public String kind() {
        return "bulkhead";
    }

    @Override
    public BulkheadConfig defaults() {
        return BulkheadConfig.defaults();
    }

    @Override
    public BulkheadConfig apply(BulkheadConfig base, PropertyValues values) {
        BulkheadConfig[] result = {base};
        values.integer("max-concurrent-calls", value -> result[0] = result[0].withMaxConcurrentCalls(value));
        values.duration("max-wait-duration", value -> result[0] = result[0].withMaxWaitDuration(value));
        return result[0];
    }

    @Override
    public Map<String, Object> describe(BulkheadConfig config) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("max-concurrent-calls", config.maxConcurrentCalls());
        description.put("max-wait-duration", config.maxWaitDuration().toString());
        return description;
    }
}
