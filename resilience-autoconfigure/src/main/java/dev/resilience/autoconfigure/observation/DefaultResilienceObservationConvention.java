package dev.resilience.autoconfigure.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.util.Locale;

/**
 * The observation {@code resilience.call} (a span named {@code resilience <instance>}) with the low-cardinality key
 * values {@code resilience.instance}, {@code resilience.method} and, once the call has ended,
 * {@code resilience.outcome} ({@code success}, {@code failure}, {@code rejected}, {@code timeout}, {@code shed},
 * {@code fallback}, {@code stale}); and the high-cardinality {@code resilience.attempts}.
 */
public class DefaultResilienceObservationConvention implements ResilienceObservationConvention {

    /** The observation's name; a meter handler times calls under it. */
    public static final String NAME = "resilience.call";

    /** The one shared instance. */
    public static final DefaultResilienceObservationConvention INSTANCE = new DefaultResilienceObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(ResilienceObservationContext context) {
        return "resilience " + context.getInstance();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ResilienceObservationContext context) {
        KeyValues keys = KeyValues.of(KeyValue.of("resilience.instance", context.getInstance()),
                KeyValue.of("resilience.method", context.getGuardedMethod()));
        // Known only at the stop: a long task timer started with the call has no outcome key.
        return context.getOutcome() == null ? keys
                : keys.and("resilience.outcome", context.getOutcome().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ResilienceObservationContext context) {
        return KeyValues.of("resilience.attempts", Integer.toString(context.getAttempts()));
    }
}
