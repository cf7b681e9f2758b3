package dev.resilience.core;

import java.util.Map;
import java.util.function.Function;

/**
 * Watches whole guarded calls, for tracing and observations: one {@link ObservedCall} from the moment a call enters
 * its pipeline until its caller has the outcome, told of each retry, rejection and fallback on the way. The Spring
 * starter implements it with Micrometer's Observation API; the core knows nothing of that.
 *
 * <p>A pipeline asks {@link #forMethod} once, when it is built. {@code null} means its calls are not observed: the
 * pipeline then has no observation step at all, and its calls pay nothing for this interface (no allocation, no
 * check). Only a pipeline that got a {@link MethodObserver} calls {@link MethodObserver#start()} per call.
 */
@FunctionalInterface
public interface GuardedCallObserver {

    /**
     * The observer of one method's (or one guard's) calls, or {@code null} when they are not observed.
     *
     * @param instance the instance name the calls are known by: the first instance named by the method's policies
     *        in the contract's order, or the guard's name
     * @param method the guarded method as {@code SimpleClassName.methodName}, or {@code guard:<name>}
     */
    MethodObserver forMethod(String instance, String method);

    /** Starts the observation of each call of one method. */
    interface MethodObserver {

        /** Starts observing a call made on the calling thread; {@code null} when this call is not observed. */
        ObservedCall start();

        /**
         * Starts observing a call of a reactive sequence at its subscription, whose caller's context is not the
         * thread's but the subscriber's; {@code null} when this call is not observed.
         *
         * @param subscriberContext looks a key up in the subscriber's context (Reactor's
         *        {@code ContextView.getOrDefault(key, null)}), e.g. the caller's current observation
         */
        default ObservedCall start(Function<Object, Object> subscriberContext) {
            return start();
        }
    }

    /** One observed call. Its methods may be called from any thread, one at a time. */
    interface ObservedCall {

        /**
         * Makes the call the current one on the calling thread until the returned scope is closed, so that what the
         * method does meanwhile (its own spans, its log lines) belongs to it.
         */
        Scope openScope();

        /**
         * What to put in a reactive subscriber's context for the sequence the call guards, the counterpart of
         * {@link #openScope()} there (e.g. the current observation under the key where instrumented publishers look
         * for their parent). Empty by default.
         */
        default Map<Object, Object> subscriberContext() {
            return Map.of();
        }

        /**
         * Something that happened during the call.
         *
         * @param attempt the attempt it happened in (1 for the first call of the method), or 0 where not known
         * @param cause the failure that led to it; {@code null} for a retry on a rejected result
         */
        void event(CallEvent event, int attempt, Throwable cause);

        /** Ends the observation; called exactly once, before the caller sees the outcome where it can be. */
        void stop(CallOutcome outcome, Throwable failure);
    }

    /** Ends an {@link ObservedCall#openScope() open scope}; throws nothing. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** What can happen during a call. */
    enum CallEvent {
        /** A failed attempt is tried again (after its backoff). */
        RETRY,
        /** A policy rejected an attempt (open breaker, full bulkhead, no permit, feature shed). */
        REJECTED,
        /** The call failed and its fallback chain is called. */
        FALLBACK
    }

    /** How a call ended for its caller. */
    enum CallOutcome {
        /** The method's own answer. */
        SUCCESS,
        /** The method's own failure reached the caller. */
        FAILURE,
        /** A circuit breaker, bulkhead or rate limiter rejected the call. */
        REJECTED,
        /** The call took longer than its timeout. */
        TIMEOUT,
        /** The feature was switched off or shed by the degradation level. */
        SHED,
        /** A fallback answered. */
        FALLBACK,
        /** A stored (last known good) answer was served. */
        STALE
    }
}
