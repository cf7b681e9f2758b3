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
import dev.resilience.core.InstanceRegistry;
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
import java.util.function.Function;
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
 * all built by walking that list from the innermost kind out. Adding a kind means adding one descriptor here and
 * its steps.
 *
 * @param <A> the declaring annotation
 * @param <P> the policy a method gets
 */
final class PolicyKind<A extends Annotation, P> {

    /**
     * {@code @LastKnownGood} outside the fallback chain: serves the stored answer once the fallbacks have not
     * answered ({@code before-fallback: false}, the default, on a method with {@code @Fallback}); stores nothing, so
     * a fallback's answer is never stored.
     */
    static final PolicyKind<LastKnownGood, LastKnownGoodPolicy> LAST_KNOWN_GOOD_AFTER_FALLBACK = new PolicyKind<>(LastKnownGood.class, null, null,
            (guarded, declared, context) -> LastKnownGoodPolicy.resolve(guarded, declared, context, true),
            (policy, next, timing) -> new Step.LastKnownGoodStep(policy, next),
            (policy, next, timing) -> new AsyncStep.LastKnownGoodStep(policy, next),
            (steps, policy, next, invocation) -> steps.lastKnownGood(policy, next, invocation));

    static final PolicyKind<Fallback, FallbackChain> FALLBACK = new PolicyKind<>(Fallback.class, null, null,
            (guarded, fallback, context) -> FallbackResolver.resolve(guarded.targetClass(), guarded.method(),
                    guarded.fallbackMethods(fallback), List.of(fallback.applyOn()), List.of(fallback.skipOn())),
            (chain, next, timing) -> new Step.FallbackStep(chain, next),
            (chain, next, timing) -> FusedStep.fallback(chain, next),
            (steps, chain, next, invocation) -> steps.fallback(chain, next, invocation));

    /**
     * {@code @LastKnownGood} inside the fallback chain: stores each good result of the method; also serves the stored
     * answer when the outer step does not (no {@code @Fallback}, or {@code before-fallback: true}).
     */
    static final PolicyKind<LastKnownGood, LastKnownGoodPolicy> LAST_KNOWN_GOOD = new PolicyKind<>(LastKnownGood.class, null, null,
            (guarded, declared, context) -> LastKnownGoodPolicy.resolve(guarded, declared, context, false),
            (policy, next, timing) -> new Step.LastKnownGoodStep(policy, next),
            (policy, next, timing) -> new AsyncStep.LastKnownGoodStep(policy, next),
            (steps, policy, next, invocation) -> steps.lastKnownGood(policy, next, invocation));

    static final PolicyKind<Degradable, Feature> DEGRADABLE = named(Degradable.class,
            annotation -> names(annotation.value(), annotation.name()), PolicyInstances::features,
            (feature, next, timing) -> new Step.DegradableStep(feature, next),
            (feature, next, timing) -> FusedStep.degradable(feature, next),
            (steps, feature, next, invocation) -> steps.degradable(feature, next));

    static final PolicyKind<Retry, dev.resilience.retry.Retry> RETRY = named(Retry.class,
            annotation -> names(annotation.value(), annotation.name()), PolicyInstances::retries,
            (retry, next, timing) -> new Step.RetryStep(retry, timing.sleeper(), next),
            (retry, next, timing) -> FusedStep.retry(retry, timing.scheduler(), next),
            (steps, retry, next, invocation) -> steps.retry(retry, next));

    static final PolicyKind<CircuitBreaker, dev.resilience.circuitbreaker.CircuitBreaker> CIRCUIT_BREAKER = named(CircuitBreaker.class, annotation -> names(annotation.value(), annotation.name()),
            PolicyInstances::circuitBreakers,
            (breaker, next, timing) -> new Step.CircuitBreakerStep(breaker, next),
            (breaker, next, timing) -> FusedStep.circuitBreaker(breaker, next),
            (steps, breaker, next, invocation) -> steps.circuitBreaker(breaker, next));

    static final PolicyKind<RateLimiter, dev.resilience.ratelimiter.RateLimiter> RATE_LIMITER = named(RateLimiter.class, annotation -> names(annotation.value(), annotation.name()),
            PolicyInstances::rateLimiters,
            (limiter, next, timing) -> new Step.RateLimiterStep(limiter, next),
            (limiter, next, timing) -> new AsyncStep.RateLimiterStep(limiter, timing.scheduler(), next),
            (steps, limiter, next, invocation) -> steps.rateLimiter(limiter, next));

    static final PolicyKind<Timeout, dev.resilience.timeout.Timeout> TIMEOUT = named(Timeout.class,
            annotation -> names(annotation.value(), annotation.name()), PolicyInstances::timeouts,
            (timeout, next, timing) -> new Step.TimeoutStep(timeout, next),
            (timeout, next, timing) -> new AsyncStep.TimeoutStep(timeout, next),
            (steps, timeout, next, invocation) -> steps.timeout(timeout, next));

    static final PolicyKind<Bulkhead, dev.resilience.bulkhead.Bulkhead> BULKHEAD = named(Bulkhead.class,
            annotation -> names(annotation.value(), annotation.name()), PolicyInstances::bulkheads,
            (bulkhead, next, timing) -> new Step.BulkheadStep(bulkhead, next),
            (bulkhead, next, timing) -> FusedStep.bulkhead(bulkhead, next),
            (steps, bulkhead, next, invocation) -> steps.bulkhead(bulkhead, next));

    /**
     * Fault injection, innermost, so that every policy reacts to what it injects as to a real fault. It has no
     * annotation of its own: while chaos is enabled, it applies under every instance name the method uses.
     */
    static final PolicyKind<Annotation, List<Chaos>> CHAOS = new PolicyKind<>(null, null, null,
            (guarded, none, context) -> chaosFor(instanceNames(guarded), context.chaos()),
            (chaos, next, timing) -> new Step.ChaosStep(chaos, next),
            (chaos, next, timing) -> new AsyncStep.ChaosStep(chaos, timing.scheduler(), next),
            (steps, chaos, next, invocation) -> steps.chaos(chaos, next));

    /** Every kind, outermost first; a kind's {@link #index()} is its position here. */
    static final List<PolicyKind<?, ?>> OUTERMOST_FIRST = List.of(LAST_KNOWN_GOOD_AFTER_FALLBACK, FALLBACK,
            LAST_KNOWN_GOOD, DEGRADABLE, RETRY, CIRCUIT_BREAKER, RATE_LIMITER, TIMEOUT, BULKHEAD, CHAOS);

    /** Every kind, innermost first: the order in which a pipeline is built around the method. */
    static final List<PolicyKind<?, ?>> INNERMOST_FIRST = reversed(OUTERMOST_FIRST);

    static {
        for (int position = 0; position < OUTERMOST_FIRST.size(); position++) {
            OUTERMOST_FIRST.get(position).index = position;
        }
    }

    // Its position in OUTERMOST_FIRST, set once when the class is initialised, so the list alone states the order.
    private int index = -1;
    private final Class<A> annotation;
    private final Function<A, String[]> names;
    private final Function<PolicyInstances, ? extends InstanceRegistry<P>> registry;
    private final Resolver<A, P> resolver;
    private final StepFactory<P, Step> synchronous;
    private final StepFactory<P, AsyncStep> asynchronous;
    private final ReactiveStep<P> reactive;

    private PolicyKind(Class<A> annotation, Function<A, String[]> names,
            Function<PolicyInstances, ? extends InstanceRegistry<P>> registry, Resolver<A, P> resolver,
            StepFactory<P, Step> synchronous, StepFactory<P, AsyncStep> asynchronous, ReactiveStep<P> reactive) {
        this.annotation = annotation;
        this.names = names;
        this.registry = registry;
        this.resolver = resolver;
        this.synchronous = synchronous;
        this.asynchronous = asynchronous;
        this.reactive = reactive;
    }

    /** A kind whose instances are named by the annotation ({@code value} or {@code name}) and kept in a registry. */
    private static <A extends Annotation, P> PolicyKind<A, P> named(Class<A> annotation,
            Function<A, String[]> names, Function<PolicyInstances, ? extends InstanceRegistry<P>>
                    registry, StepFactory<P, Step> synchronous, StepFactory<P, AsyncStep> asynchronous,
            ReactiveStep<P> reactive) {
        return new PolicyKind<>(annotation, names, registry, (guarded, declared, context) -> registry
                .apply(context.instances()).get(instanceName(guarded, declared, names)), synchronous, asynchronous,
                reactive);
    }

    private static String[] names(String value, String name) {
        return new String[] {value, name};
    }

    private static <A extends Annotation> String instanceName(GuardedMethod guarded, A declared,
            Function<A, String[]> names) {
        String[] valueAndName = names.apply(declared);
        return guarded.instanceName(declared, valueAndName[0], valueAndName[1]);
    }

    /** Every instance name the method's annotations give, in the kinds' order. */
    static Set<String> instanceNames(GuardedMethod guarded) {
        Set<String> names = new LinkedHashSet<>();
        for (PolicyKind<?, ?> kind : OUTERMOST_FIRST) {
            String name = kind.instanceName(guarded);
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /** Fault injection under each of {@code names}, while chaos is enabled ({@code chaos} not null). */
    static List<Chaos> chaosFor(Set<String> names, ChaosRegistry chaos) {
        return chaos == null || names.isEmpty() ? null : names.stream().map(chaos::get).toList();
    }

    private static List<PolicyKind<?, ?>> reversed(List<PolicyKind<?, ?>> kinds) {
        List<PolicyKind<?, ?>> copy = new ArrayList<>(kinds);
        Collections.reverse(copy);
        return List.copyOf(copy);
    }

    /** This kind's position in {@link #OUTERMOST_FIRST}. */
    int index() {
        return index;
    }

    /** The annotation that declares this kind on a method or class; {@code null} for a kind without one. */
    Class<A> annotation() {
        return annotation;
    }

    /** The instance name the method's annotation of this kind gives; {@code null} without one. */
    String instanceName(GuardedMethod guarded) {
        A declared = declaredOn(guarded);
        return declared == null || names == null ? null : instanceName(guarded, declared, names);
    }

    /**
     * This kind's policy for {@code guarded} (its instance, or its resolved fallback chain), or {@code null} when
     * the method has none.
     */
    P policyFor(GuardedMethod guarded, Context context) {
        A declared = declaredOn(guarded);
        return annotation != null && declared == null ? null : resolver.resolve(guarded, declared, context);
    }

    /** Whether this kind's instances are named and kept in a registry (so a guard can ask for one by name). */
    boolean isNamed() {
        return registry != null;
    }

    /** The instance of this kind named {@code name}, created with its configuration on first use. */
    P instanceNamed(String name, Context context) {
        if (registry == null) {
            throw new IllegalStateException(this + " has no named instances");
        }
        return registry.apply(context.instances()).get(name);
    }

    Step synchronous(Object policy, Step next, Timing timing) {
        return synchronous.wrap(cast(policy), next, timing);
    }

    AsyncStep asynchronous(Object policy, AsyncStep next, Timing timing) {
        return asynchronous.wrap(cast(policy), next, timing);
    }

    /** Applies this kind to a reactive sequence through {@code steps}, which alone knows the reactive library. */
    Object reactive(ReactiveSteps steps, Object policy, Object next, MethodInvocation invocation) {
        return reactive.apply(steps, cast(policy), next, invocation);
    }

    @SuppressWarnings("unchecked")
    private A declaredOn(GuardedMethod guarded) {
        return annotation == null ? null : (A) guarded.annotation(this);
    }

    @SuppressWarnings("unchecked")
    private P cast(Object policy) {
        return (P) policy;
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

    @FunctionalInterface
    private interface Resolver<A, P> {
        P resolve(GuardedMethod guarded, A declared, Context context);
    }

    @FunctionalInterface
    private interface StepFactory<P, S> {
        S wrap(P policy, S next, Timing timing);
    }

    @FunctionalInterface
    private interface ReactiveStep<P> {
        Object apply(ReactiveSteps steps, P policy, Object next, MethodInvocation invocation);
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
