package dev.resilience.autoconfigure.aop;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Degradable;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.LastKnownGood;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.chaos.Chaos;
import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.core.Timing;
import dev.resilience.degradation.Feature;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.fallback.FallbackResolver;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.aopalliance.intercept.MethodInvocation;

/**
 * One kind of policy of a pipeline: the annotation that declares it, how a method's policy is found (an
 * instance by name, or a resolved fallback chain), and its step for each kind of return type.
 *
 * <p>{@link #OUTERMOST_FIRST} lists the kinds in the contract's fixed order, outermost first:
 * {@code LastKnownGood ( Fallback ( LastKnownGood ( Degradable ( Retry ( CircuitBreaker ( RateLimiter ( Timeout (
 * Bulkhead ( Chaos ( method ) ) ) ) ) ) ) ) ) )}. {@code @LastKnownGood} sits beside the fallback, outside retry and
 * breaker: inside the fallback chain it stores each good result, and it answers a failure from the store after the
 * fallback chain (outside it, the default) or, with {@code before-fallback: true}, before it (inside it). A method
 * without {@code @Fallback} gets the inner step only.
 * The order is stated there and nowhere else: the synchronous, {@code CompletionStage} and Reactor pipelines are
 * all built by walking that list from the innermost kind out. Adding a kind means adding one constant here and
 * its steps.
 *
 * <p>A kind's behaviour is a {@code switch} over the constants rather than a lambda per kind and shape: the
 * lambdas were about fifty classes spun at the first start of every application (the cold-start profile of 1,000
 * guarded methods), and the {@code CompletionStage} steps are made by {@link AsyncStep#wrap} so that an application
 * without such methods never loads them.
 */
enum PolicyKind {

    /**
     * {@code @LastKnownGood} outside the fallback chain: serves the stored answer once the fallbacks have not
     * answered ({@code before-fallback: false}, the default, on a method with {@code @Fallback}); stores nothing, so
     * a fallback's answer is never stored.
     */
    LAST_KNOWN_GOOD_AFTER_FALLBACK(LastKnownGood.class),

    FALLBACK(Fallback.class),

    /**
     * {@code @LastKnownGood} inside the fallback chain: stores each good result of the method; also serves the stored
     * answer when the outer step does not (no {@code @Fallback}, or {@code before-fallback: true}).
     */
    LAST_KNOWN_GOOD(LastKnownGood.class),

    DEGRADABLE(Degradable.class),

    RETRY(Retry.class),

    CIRCUIT_BREAKER(CircuitBreaker.class),

    RATE_LIMITER(RateLimiter.class),

    TIMEOUT(Timeout.class),

    BULKHEAD(Bulkhead.class),

    /**
     * Fault injection, innermost, so that every policy reacts to what it injects as to a real fault. It has no
     * annotation of its own: while chaos is enabled, it applies under every instance name the method uses.
     */
    CHAOS(null);

    /** Every kind, outermost first; a kind's {@link #index()} is its position here. */
    static final List<PolicyKind> OUTERMOST_FIRST = List.of(values());

    /** Every kind, innermost first: the order in which a pipeline is built around the method. */
    static final List<PolicyKind> INNERMOST_FIRST = reversed(OUTERMOST_FIRST);

    private final Class<? extends Annotation> annotation;

    PolicyKind(Class<? extends Annotation> annotation) {
        this.annotation = annotation;
    }

    /** Every instance name the method's annotations give, in the kinds' order. */
    static Set<String> instanceNames(GuardedMethod guarded) {
        Set<String> names = new LinkedHashSet<>();
        for (PolicyKind kind : OUTERMOST_FIRST) {
            String name = kind.instanceName(guarded);
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /** Fault injection under each of {@code names}, while chaos is enabled ({@code chaos} not null). */
    static List<Chaos> chaosFor(Set<String> names, ChaosRegistry chaos) {
        if (chaos == null || names.isEmpty()) {
            return null;
        }
        List<Chaos> each = new ArrayList<>(names.size());
        for (String name : names) {
            each.add(chaos.get(name));
        }
        return Collections.unmodifiableList(each);
    }

    private static List<PolicyKind> reversed(List<PolicyKind> kinds) {
        List<PolicyKind> copy = new ArrayList<>(kinds);
        Collections.reverse(copy);
        return List.copyOf(copy);
    }

    /** This kind's position in {@link #OUTERMOST_FIRST}. */
    int index() {
        return ordinal();
    }

    /** The annotation that declares this kind on a method or class; {@code null} for a kind without one. */
    Class<? extends Annotation> annotation() {
        return annotation;
    }

    /** The instance name the method's annotation of this kind gives; {@code null} without one. */
    String instanceName(GuardedMethod guarded) {
        Annotation declared = isNamed() ? guarded.annotation(this) : null;
        if (declared == null) {
            return null;
        }
        return switch (this) {
            case DEGRADABLE -> guarded.instanceName(declared, ((Degradable) declared).value(),
                    ((Degradable) declared).name());
            case RETRY -> guarded.instanceName(declared, ((Retry) declared).value(), ((Retry) declared).name());
            case CIRCUIT_BREAKER -> guarded.instanceName(declared, ((CircuitBreaker) declared).value(),
                    ((CircuitBreaker) declared).name());
            case RATE_LIMITER -> guarded.instanceName(declared, ((RateLimiter) declared).value(),
                    ((RateLimiter) declared).name());
            case TIMEOUT -> guarded.instanceName(declared, ((Timeout) declared).value(), ((Timeout) declared).name());
            case BULKHEAD -> guarded.instanceName(declared, ((Bulkhead) declared).value(),
                    ((Bulkhead) declared).name());
            default -> null;
        };
    }

    /**
     * This kind's policy for {@code guarded} (its instance, or its resolved fallback chain), or {@code null} when
     * the method has none.
     */
    Object policyFor(GuardedMethod guarded, Context context) {
        Annotation declared = annotation == null ? null : guarded.annotation(this);
        if (annotation != null && declared == null) {
            return null;
        }
        return switch (this) {
            case LAST_KNOWN_GOOD_AFTER_FALLBACK -> LastKnownGoodPolicy.resolve(guarded, (LastKnownGood) declared,
                    context, true);
            case LAST_KNOWN_GOOD -> LastKnownGoodPolicy.resolve(guarded, (LastKnownGood) declared, context, false);
            case FALLBACK -> {
                Fallback fallback = (Fallback) declared;
                yield FallbackResolver.resolve(guarded.targetClass(), guarded.method(),
                        guarded.fallbackMethods(fallback), List.of(fallback.applyOn()), List.of(fallback.skipOn()));
            }
            // Names only while chaos is enabled; each was checked by its own kind, outside this one.
            case CHAOS -> context.chaos() == null ? null : chaosFor(instanceNames(guarded), context.chaos());
            default -> instanceNamed(instanceName(guarded), context);
        };
    }

    /** Whether this kind's instances are named and kept in a registry (so a guard can ask for one by name). */
    boolean isNamed() {
        return switch (this) {
            case DEGRADABLE, RETRY, CIRCUIT_BREAKER, RATE_LIMITER, TIMEOUT, BULKHEAD -> true;
            default -> false;
        };
    }

    /** The instance of this kind named {@code name}, created with its configuration on first use. */
    Object instanceNamed(String name, Context context) {
        PolicyInstances instances = context.instances();
        return switch (this) {
            case DEGRADABLE -> instances.features().get(name);
            case RETRY -> instances.retries().get(name);
            case CIRCUIT_BREAKER -> instances.circuitBreakers().get(name);
            case RATE_LIMITER -> instances.rateLimiters().get(name);
            case TIMEOUT -> instances.timeouts().get(name);
            case BULKHEAD -> instances.bulkheads().get(name);
            default -> throw new IllegalStateException(this + " has no named instances");
        };
    }

    /** This kind's synchronous step for {@code policy}, around {@code next}. */
    Step synchronous(Object policy, Step next, Timing timing) {
        return switch (this) {
            case LAST_KNOWN_GOOD_AFTER_FALLBACK, LAST_KNOWN_GOOD -> new Step.LastKnownGoodStep(
                    (LastKnownGoodPolicy) policy, next);
            case FALLBACK -> new Step.FallbackStep((FallbackChain) policy, next);
            case DEGRADABLE -> new Step.DegradableStep((Feature) policy, next);
            case RETRY -> new Step.RetryStep((dev.resilience.retry.Retry) policy, timing.sleeper(), next);
            case CIRCUIT_BREAKER -> new Step.CircuitBreakerStep((dev.resilience.circuitbreaker.CircuitBreaker) policy,
                    next);
            case RATE_LIMITER -> new Step.RateLimiterStep((dev.resilience.ratelimiter.RateLimiter) policy, next);
            case TIMEOUT -> new Step.TimeoutStep((dev.resilience.timeout.Timeout) policy, next);
            case BULKHEAD -> new Step.BulkheadStep((dev.resilience.bulkhead.Bulkhead) policy, next);
            case CHAOS -> new Step.ChaosStep(chaos(policy), next);
        };
    }

    /** Applies this kind to a reactive sequence through {@code steps}, which alone knows the reactive library. */
    Object reactive(ReactiveSteps steps, Object policy, Object next, MethodInvocation invocation) {
        return switch (this) {
            case LAST_KNOWN_GOOD_AFTER_FALLBACK, LAST_KNOWN_GOOD -> steps.lastKnownGood((LastKnownGoodPolicy) policy,
                    next, invocation);
            case FALLBACK -> steps.fallback((FallbackChain) policy, next, invocation);
            case DEGRADABLE -> steps.degradable((Feature) policy, next);
            case RETRY -> steps.retry((dev.resilience.retry.Retry) policy, next);
            case CIRCUIT_BREAKER -> steps.circuitBreaker((dev.resilience.circuitbreaker.CircuitBreaker) policy, next);
            case RATE_LIMITER -> steps.rateLimiter((dev.resilience.ratelimiter.RateLimiter) policy, next);
            case TIMEOUT -> steps.timeout((dev.resilience.timeout.Timeout) policy, next);
            case BULKHEAD -> steps.bulkhead((dev.resilience.bulkhead.Bulkhead) policy, next);
            case CHAOS -> steps.chaos(chaos(policy), next);
        };
    }

    /** The chaos kind's policy: fault injection under each of the method's instance names. */
    @SuppressWarnings("unchecked")
    static List<Chaos> chaos(Object policy) {
        return (List<Chaos>) policy;
    }

    @Override
    public String toString() {
        return annotation == null ? "Chaos" : "@" + annotation.getSimpleName()
                + (this == LAST_KNOWN_GOOD_AFTER_FALLBACK ? " (after @Fallback)" : "");
    }

    /**
     * What a pipeline is built from: the named instances, fault injection (null while disabled), time, and the
     * last-known-good instances (null where the factory has none; then {@code @LastKnownGood} is refused).
     */
    record Context(PolicyInstances instances, ChaosRegistry chaos, Timing timing,
            LastKnownGoodRegistry lastKnownGood) {
    }

    /**
     * Each kind's operator on a reactive sequence; implemented where the reactive library is known to be
     * present, so that the descriptors never load it. {@code next} is the sequence to wrap.
     */
    interface ReactiveSteps {
        Object fallback(FallbackChain chain, Object next, MethodInvocation invocation);

        Object degradable(Feature feature, Object next);

        Object retry(dev.resilience.retry.Retry retry, Object next);

        Object circuitBreaker(dev.resilience.circuitbreaker.CircuitBreaker breaker, Object next);

        Object rateLimiter(dev.resilience.ratelimiter.RateLimiter limiter, Object next);

        Object timeout(dev.resilience.timeout.Timeout timeout, Object next);

        Object bulkhead(dev.resilience.bulkhead.Bulkhead bulkhead, Object next);

        Object chaos(List<Chaos> chaos, Object next);

        Object lastKnownGood(LastKnownGoodPolicy policy, Object next, MethodInvocation invocation);
    }
}
