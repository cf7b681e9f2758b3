package dev.resilience.autoconfigure.observation;

import dev.resilience.core.GuardedCallObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.function.Function;

/**
 * Guarded calls as Micrometer observations: {@code resilience.call} per call, with the events {@code retry},
 * {@code rejected} and {@code fallback}. A pipeline built while the registry is a no-op one gets no observation
 * step; a call made while every observation is switched off ({@code management.observations.enable.resilience=false})
 * starts none.
 */
public final class ObservationCallObserver implements GuardedCallObserver {

    /** Where Micrometer keeps the current observation in a Reactor context (ObservationThreadLocalAccessor's key). */
    static final String REACTOR_OBSERVATION_KEY = "micrometer.observation";

    private final ObservationRegistry registry;
    private final ResilienceObservationConvention convention;

    /** @param convention the application's convention, or {@code null} for the default */
    public ObservationCallObserver(ObservationRegistry registry, ResilienceObservationConvention convention) {
        this.registry = registry;
        this.convention = convention;
    }

    @Override
    public MethodObserver forMethod(String instance, String method) {
        return registry.isNoop() ? null : new ObservedMethod(instance, method);
    }

    private final class ObservedMethod implements MethodObserver {
        private final String instance;
        private final String method;

        ObservedMethod(String instance, String method) {
            this.instance = instance;
            this.method = method;
        }

        @Override
        public ObservedCall start() {
            return start(null);
        }

        @Override
        public ObservedCall start(Function<Object, Object> subscriberContext) {
            ResilienceObservationContext context = new ResilienceObservationContext(instance, method);
            Observation observation = Observation.createNotStarted(convention,
                    DefaultResilienceObservationConvention.INSTANCE, () -> context, registry);
            if (observation.isNoop()) {
                return null;
            }
            if (subscriberContext != null
                    && subscriberContext.apply(REACTOR_OBSERVATION_KEY) instanceof Observation parent) {
                observation.parentObservation(parent);
            }
            return new Call(observation.start(), context);
        }
    }

    private static final class Call implements ObservedCall {
        private final Observation observation;
        private final ResilienceObservationContext context;

        Call(Observation observation, ResilienceObservationContext context) {
            this.observation = observation;
            this.context = context;
        }

        @Override
        public Scope openScope() {
            Observation.Scope scope = observation.openScope();
            return scope::close;
        }

        @Override
        public Map<Object, Object> subscriberContext() {
            return Map.of(REACTOR_OBSERVATION_KEY, observation);
        }

        @Override
        public void event(CallEvent event, int attempt, Throwable cause) {
            String reason = cause == null ? "a rejected result" : cause.getClass().getSimpleName();
            switch (event) {
                case RETRY -> {
                    context.setAttempts(attempt + 1);
                    observation.event(Observation.Event.of("retry", "retry " + (attempt + 1) + " after " + reason));
                }
                case REJECTED -> observation.event(Observation.Event.of("rejected", "rejected: " + reason));
                case FALLBACK -> observation.event(Observation.Event.of("fallback", "fallback after " + reason));
            }
        }

        @Override
        public void stop(CallOutcome outcome, Throwable failure) {
            context.setOutcome(outcome);
            if (failure != null) { // a call answered by a fallback or from the store did not fail for its caller
                observation.error(failure);
            }
            observation.stop();
        }
    }
}
