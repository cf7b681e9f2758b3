package dev.resilience.autoconfigure.properties;

import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.Criticality;
import dev.resilience.circuitbreaker.SlidingWindowType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Binds {@code resilience.circuitbreaker.*}. */
public final class CircuitBreakerBinder implements ConfigBinder<CircuitBreakerConfig> {

    @Override
    public String kind() {
        return "circuitbreaker";
    }

    @Override
    public CircuitBreakerConfig defaults() {
        return CircuitBreakerConfig.defaults();
    }

    @Override
    public CircuitBreakerConfig apply(CircuitBreakerConfig base, PropertyValues values) {
        CircuitBreakerConfig.Builder builder = base.toBuilder();
        values.enumeration("sliding-window-type", SlidingWindowType.class, builder::slidingWindowType);
        values.integer("sliding-window-size", builder::slidingWindowSize);
        values.integer("minimum-number-of-calls", builder::minimumNumberOfCalls);
        values.decimal("failure-rate-threshold", value -> builder.failureRateThreshold((float) value));
        values.duration("slow-call-duration-threshold", builder::slowCallDurationThreshold);
        values.decimal("slow-call-rate-threshold", value -> builder.slowCallRateThreshold((float) value));
        values.duration("wait-duration-in-open-state", builder::waitDurationInOpenState);
        values.integer("permitted-number-of-calls-in-half-open-state", builder::permittedNumberOfCallsInHalfOpenState);
        values.duration("max-wait-duration-in-half-open-state", builder::maxWaitDurationInHalfOpenState);
        values.exceptions("record-exceptions", builder::recordExceptions);
        values.exceptions("ignore-exceptions", builder::ignoreExceptions);
        values.enumeration("criticality", Criticality.class, builder::criticality);
        values.predicate("record-result", builder::recordResult);
        return builder.build();
    }

    @Override
    public Map<String, Object> describe(CircuitBreakerConfig config) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("sliding-window-type", kebab(config.slidingWindowType()));
        description.put("sliding-window-size", config.slidingWindowSize());
        description.put("minimum-number-of-calls", config.minimumNumberOfCalls());
        description.put("failure-rate-threshold", config.failureRateThreshold());
        description.put("slow-call-duration-threshold", config.slowCallDurationThreshold().toString());
        description.put("slow-call-rate-threshold", config.slowCallRateThreshold());
        description.put("wait-duration-in-open-state", config.waitDurationInOpenState().toString());
        description.put("permitted-number-of-calls-in-half-open-state", config.permittedNumberOfCallsInHalfOpenState());
        description.put("max-wait-duration-in-half-open-state", config.maxWaitDurationInHalfOpenState().toString());
        description.put("record-exceptions", names(config.recordExceptions()));
        description.put("ignore-exceptions", names(config.ignoreExceptions()));
        description.put("criticality", kebab(config.criticality()));
        description.put("record-result", predicateName(config.recordResult()));
        return description;
    }

    /** A predicate as the endpoint shows it: its class, or null for none. */
    static String predicateName(Object predicate) {
        Object shown = predicate instanceof NamedPredicate named ? named.predicate() : predicate;
        return shown == null ? null : shown.getClass().getName();
    }

    static String kebab(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static List<String> names(List<Class<? extends Throwable>> classes) {
        return classes.stream().map(Class::getName).toList();
    }
}
