package dev.resilience.autoconfigure.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the observation of a guarded call and its key values. Define a bean of this type to replace
 * {@link DefaultResilienceObservationConvention} (extend it to keep its keys and add your own):
 *
 * <pre>{@code
 * @Bean
 * ResilienceObservationConvention resilienceObservationConvention() {
 *     return new DefaultResilienceObservationConvention() {
 *         @Override
 *         public KeyValues getLowCardinalityKeyValues(ResilienceObservationContext context) {
 *             return super.getLowCardinalityKeyValues(context).and("team", "checkout");
 *         }
 *     };
 * }
 * }</pre>
 */
public interface ResilienceObservationConvention extends ObservationConvention<ResilienceObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof ResilienceObservationContext;
    }
}
