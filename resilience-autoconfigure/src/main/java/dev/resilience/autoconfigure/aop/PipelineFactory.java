package dev.resilience.autoconfigure.aop;

import dev.resilience.chaos.ChaosRegistry;
import dev.resilience.core.GuardedCallObserver;
import dev.resilience.core.Timing;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;


/**
 * Builds the pipeline of each guarded method once, walking {@link PolicyKind}'s fixed order from the innermost
 * kind out, and keeps it: the one cache of pipelines, read on every call by the {@link ResilienceInterceptor} with
 * an identity lookup. Instances are looked up by name here, never per call.
 */
public final class PipelineFactory {

    // Replaced, never changed, by carryContextWith (before pipelines are built, when the context is wired).
    private volatile PolicyKind.Context context;
    // Null while calls are not observed: pipelines built then have no observation step.
    private volatile GuardedCallObserver observer;
    // Invariant: a slot chain holds one pipeline per target class that invoked this Method object.
    private final Map<Method, Slot> pipelines = new ConcurrentHashMap<>();
    // Not copy-on-write: an application of 1,000 guarded methods adds 1,000 chains at startup, each add copying
    // the whole list; listeners, added a few times, read it.
    private final Queue<FallbackChain> fallbackChains = new ConcurrentLinkedQueue<>();
    // Invariant: at most MAX_GUARD_CHAINS chains of one guard name reach the listeners, so that guards rebuilt on
    // every call (against the advice to build them once) cannot pile up chains in the listeners' keeping.
    private final Map<String, AtomicInteger> guardChains = new ConcurrentHashMap<>();
    static final int MAX_GUARD_CHAINS = 16;
    // Guard names are the application's to choose; past this many (names made per request) chains go unmetered.
    static final int MAX_GUARD_NAMES = 1_000;
    private static final AtomicInteger OVERFLOW = new AtomicInteger();
    private static final Log logger = LogFactory.getLog(PipelineFactory.class);
    private final List<Consumer<FallbackChain>> fallbackListeners = new CopyOnWriteArrayList<>();

    /** @param chaos fault injection, or {@code null} while it is disabled: then pipelines have no chaos step */
    public PipelineFactory(PolicyInstances registries, ChaosRegistry chaos, Timing timing) {
        this(registries, chaos, null, timing);
    }

    /**
     * @param chaos fault injection, or {@code null} while it is disabled: then pipelines have no chaos step
     * @param lastKnownGood the {@code @LastKnownGood} instances, or {@code null}: then the annotation is refused
     */
    public PipelineFactory(PolicyInstances registries, ChaosRegistry chaos, LastKnownGoodRegistry lastKnownGood,
            Timing timing) {
        this.context = new PolicyKind.Context(registries, chaos, timing, lastKnownGood);
    }

    /**
     * Observes the calls of the pipelines built from now on (one observation per call, see
     * {@link GuardedCallObserver}); {@code null} observes none. Set when the context is wired, before the guarded
     * beans are created: each pipeline asks the observer once, when it is built, whether its calls are observed.
     */
    public void observeCallsWith(GuardedCallObserver observer) {
        this.observer = observer;
    }

    /**
     * Carries the caller's context to the tasks that the pipelines built from now on schedule to continue a call on
     * the starter's scheduler (an asynchronous retry, the end of a rate limiter's or an injected wait).
     * {@code capture}, called on a thread, takes that thread's context and returns what wraps a task to run with it:
     * a wait takes it when it is scheduled, an asynchronous retry when its call starts.
     */
    public void carryContextWith(Supplier<UnaryOperator<Runnable>> capture) {
        PolicyKind.Context current = context;
        Timing timing = current.timing();
        this.context = new PolicyKind.Context(current.instances(), current.chaos(), new Timing(timing.ticker(),
                timing.coarseTicker(), timing.clock(), timing.sleeper(),
                new CarryingScheduler(timing.scheduler(), capture)), current.lastKnownGood());
    }

    /** Calls {@code listener} for each fallback chain built so far and each one built later. */
    public void onFallbackChain(Consumer<FallbackChain> listener) {
        fallbackListeners.add(listener);
        fallbackChains.forEach(listener);
    }

    /**
     * The pipeline of {@code method} invoked on {@code targetClass}, built on first request.
     *
     * @throws IllegalStateException when a declaration is invalid (e.g. a fallback that does not exist)
     */
    Pipeline pipelineFor(Method method, Class<?> targetClass) {
        // Kept small: it is inlined into every guarded call, and the open-breaker path depends on escape analysis
        // seeing through it (the proxy's invocation is not allocated then).
        for (Slot slot = pipelines.get(method); slot != null; slot = slot.next) {
            if (slot.targetClass == targetClass) {
                return slot.pipeline;
            }
        }
        return register(method, targetClass);
    }

    private Pipeline register(Method method, Class<?> targetClass) {
        return register(method, targetClass, null);
    }

    /** Builds the pipeline from {@code guarded}, or from the annotations resolved anew when it is {@code null}. */
    private Pipeline register(Method method, Class<?> targetClass, GuardedMethod guarded) {
        Slot head = pipelines.compute(method, (key, chain) -> {
            for (Slot slot = chain; slot != null; slot = slot.next) {
                if (slot.targetClass == targetClass) {
                    return chain;
                }
            }
            return new Slot(targetClass, build(guarded != null ? guarded : GuardedMethod.resolve(method, targetClass)),
                    chain);
        });
        for (Slot slot = head;; slot = slot.next) {
            if (slot.targetClass == targetClass) {
                return slot.pipeline;
            }
        }
    }

    /**
     * The pipeline of {@code method} declared by {@code declaringClass}, as a handle that woven code (AspectJ mode)
     * keeps per join point, so that its calls need no lookup here.
     *
     * @throws IllegalStateException when a declaration is invalid (e.g. a fallback that does not exist)
     */
    public MethodPipeline methodPipeline(Method method, Class<?> declaringClass) {
        return new MethodPipeline(pipelineFor(method, declaringClass));
    }

    /**
     * The methods of {@code type} that a policy applies to (each the most specific, declared by the class, a
     * superclass or an interface), from the class's one annotation scan. For the AspectJ module's check that the
     * class is woven.
     */
    public static Set<Method> guardedMethods(Class<?> type) {
        // The JDK's classes cannot carry the annotations: not scanned, as the validator skips them; any other class's
        // scan is the validator's, kept per class.
        return AnnotationUtils.isCandidateClass(type, GuardedMethod.ANNOTATIONS) ? GuardedClass.of(type).methods()
                : Set.of();
    }

    /**
     * Builds (and so validates) the pipelines of the given guarded methods of {@code targetClass}, from the
     * annotations already resolved for each.
     */
    void prepare(Class<?> targetClass, Map<Method, GuardedMethod> guardedMethods) {
        guardedMethods.forEach((method, guarded) -> register(method, targetClass, guarded));
    }

    private Pipeline build(GuardedMethod guarded) {
        if (!guarded.hasPolicy()) {
            return Pipeline.PassThrough.INSTANCE;
        }
        Object[] policies = new Object[PolicyKind.OUTERMOST_FIRST.size()];
        for (PolicyKind kind : PolicyKind.OUTERMOST_FIRST) {
            policies[kind.index()] = kind.policyFor(guarded, context);
        }
        ResultPredicateCheck.check(guarded, policies[PolicyKind.RETRY.index()],
                policies[PolicyKind.CIRCUIT_BREAKER.index()]);
        Class<?> returnType = guarded.method().getReturnType();
        String methodName = guarded.targetClass().getSimpleName() + "." + guarded.method().getName();
        Set<String> instances = PolicyKind.instanceNames(guarded); // none for a method with @Fallback only
        GuardedCallObserver.MethodObserver observed = observerFor(
                instances.isEmpty() ? methodName : instances.iterator().next(), methodName);
        Pipeline pipeline;
        if (returnType == CompletionStage.class || returnType == CompletableFuture.class) {
            pipeline = Pipeline.Asynchronous.of(policies, observed, context.timing());
        } else if (isPublisher(returnType)) {
            pipeline = reactive(guarded, returnType, policies, observed);
        } else {
            pipeline = new Pipeline.Synchronous(synchronous(policies, observed));
        }
        if (policies[PolicyKind.FALLBACK.index()] instanceof FallbackChain fallback) {
            register(fallback);
        }
        return pipeline;
    }

    /** What pipelines are built from. */
    PolicyKind.Context context() {
        return context;
    }

    /** Makes a fallback chain known to the listeners (events, meters). */
    void register(FallbackChain fallback) {
        fallbackChains.add(fallback);
        for (Consumer<FallbackChain> listener : fallbackListeners) {
            listener.accept(fallback);
        }
    }

    /**
     * Makes the fallback chain of a guard known to the listeners, like a method's; past {@value #MAX_GUARD_CHAINS}
     * chains of one guard name (a guard built anew for every call) the chain still answers but is no longer
     * metered or reported, and one warning says why.
     */
    void registerGuard(FallbackChain fallback) {
        String name = fallback.getGuardedMethod();
        AtomicInteger count = guardChains.size() < MAX_GUARD_NAMES ? guardChains.computeIfAbsent(name,
                key -> new AtomicInteger()) : guardChains.getOrDefault(name, OVERFLOW);
        int chains = count.incrementAndGet();
        if (count != OVERFLOW && chains <= MAX_GUARD_CHAINS) {
            register(fallback);
        } else if (count == OVERFLOW ? chains == 1 : chains == MAX_GUARD_CHAINS + 1) {
            logger.warn("The fallbacks of " + name + " were built too often (more than " + MAX_GUARD_CHAINS + " times, or "
                    + "past " + MAX_GUARD_NAMES + " guard names): build a guard once and keep it (it is immutable and "
                    + "thread safe); from now on such new fallback chains are not metered");
        }
    }

    /**
     * The observer of the calls known by {@code instance} and {@code method}, or {@code null} when they are not
     * observed: asked once per pipeline.
     */
    GuardedCallObserver.MethodObserver observerFor(String instance, String method) {
        GuardedCallObserver calls = observer;
        return calls == null ? null : calls.forMethod(instance, method);
    }

    /**
     * The synchronous steps of {@code policies} (by kind index), built around the method innermost first, inside an
     * observation step when {@code observed} is not null.
     */
    Step synchronous(Object[] policies, GuardedCallObserver.MethodObserver observed) {
        Timing timing = context.timing();
        Step step = new Step.Invoke();
        for (PolicyKind kind : PolicyKind.INNERMOST_FIRST) {
            Object policy = policies[kind.index()];
            if (policy != null) {
                step = kind.synchronous(policy, step, timing);
            }
        }
        return observed == null ? step : new Step.ObservationStep(observed, step);
    }

    private static Pipeline reactive(GuardedMethod guarded, Class<?> returnType, Object[] policies,
            GuardedCallObserver.MethodObserver observed) {
        boolean reactor = ClassUtils.isPresent("reactor.core.publisher.Mono", returnType.getClassLoader());
        if (!reactor || !ReactorPipeline.handles(returnType)) {
            throw new IllegalStateException("Resilience annotations on " + guarded.describe() + ", which returns "
                    + returnType.getSimpleName() + ", are not supported: return a Mono, a Flux or a "
                    + "CompletionStage/CompletableFuture instead");
        }
        return ReactorPipeline.of(ReactorPipeline.isMono(returnType), policies, observed);
    }

    /** Whether {@code type} is a Reactive Streams publisher; checked by name so that none need be present. */
    private static boolean isPublisher(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader != null && ClassUtils.isPresent("org.reactivestreams.Publisher", loader)
                && ClassUtils.resolveClassName("org.reactivestreams.Publisher", loader).isAssignableFrom(type);
    }

    private record Slot(Class<?> targetClass, Pipeline pipeline, Slot next) {
    }
}
