package dev.resilience.autoconfigure.aop;

import dev.resilience.core.GuardedCallObserver;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.fallback.FallbackResolver;
import dev.resilience.guard.Guard;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInvocation;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link Guard}: instance names per {@link PolicyKind} and fallbacks, turned into the same steps an annotated
 * method gets, by the same walk over the kinds. Each shape of pipeline (synchronous, asynchronous, {@code Mono},
 * {@code Flux}) is built at its first call and kept.
 */
final class GuardBuilder implements Guard {

    private static final Object[] NO_ARGUMENTS = {};

    private final PipelineFactory factory;
    private final String name;
    // Invariant: the instance name of each kind the guard has, by kind index; null where it has none.
    private final String[] instances;
    private final List<Function<? super Throwable, ?>> fallbacks;
    private final List<Class<? extends Throwable>> skipOn;
    private volatile Built built;

    GuardBuilder(PipelineFactory factory, String name) {
        this(factory, requireName(name, "guard"), new String[PolicyKind.OUTERMOST_FIRST.size()], List.of(), List.of());
    }

    private GuardBuilder(PipelineFactory factory, String name, String[] instances,
            List<Function<? super Throwable, ?>> fallbacks, List<Class<? extends Throwable>> skipOn) {
        this.factory = factory;
        this.name = name;
        this.instances = instances;
        this.fallbacks = fallbacks;
        this.skipOn = skipOn;
    }

    private static String requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a " + what + " needs a name, e.g. resilience.guard(\"inventory\")");
        }
        return name.trim();
    }

    @Override
    public String name() {
        return name;
    }

    private Guard with(PolicyKind kind, String instance) {
        String[] names = instances.clone();
        names[kind.index()] = requireName(instance, kind + " instance");
        return new GuardBuilder(factory, name, names, fallbacks, skipOn);
    }

    @Override
    public Guard withCircuitBreaker() {
        return withCircuitBreaker(name);
    }

    @Override
    public Guard withCircuitBreaker(String instance) {
        return with(PolicyKind.CIRCUIT_BREAKER, instance);
    }

    @Override
    public Guard withRetry() {
        return withRetry(name);
    }

    @Override
    public Guard withRetry(String instance) {
        return with(PolicyKind.RETRY, instance);
    }

    @Override
    public Guard withRateLimiter() {
        return withRateLimiter(name);
    }

    @Override
    public Guard withRateLimiter(String instance) {
        return with(PolicyKind.RATE_LIMITER, instance);
    }

    @Override
    public Guard withTimeout() {
        return withTimeout(name);
    }

    @Override
    public Guard withTimeout(String instance) {
        return with(PolicyKind.TIMEOUT, instance);
    }

    @Override
    public Guard withBulkhead() {
        return withBulkhead(name);
    }

    @Override
    public Guard withBulkhead(String instance) {
        return with(PolicyKind.BULKHEAD, instance);
    }

    @Override
    public Guard withDegradable() {
        return withDegradable(name);
    }

    @Override
    public Guard withDegradable(String instance) {
        return with(PolicyKind.DEGRADABLE, instance);
    }

    @Override
    public Guard withLastKnownGood() {
        return withLastKnownGood(name);
    }

    @Override
    public Guard withLastKnownGood(String instance) {
        return with(PolicyKind.LAST_KNOWN_GOOD, instance);
    }

    @Override
    public Guard withFallback(Function<? super Throwable, ?> fallback) {
        List<Function<? super Throwable, ?>> more = new ArrayList<>(fallbacks);
        more.add(Objects.requireNonNull(fallback, "fallback"));
        return new GuardBuilder(factory, name, instances, List.copyOf(more), skipOn);
    }

    @SafeVarargs
    @Override
    public final Guard withFallbackSkipping(Class<? extends Throwable>... failures) {
        List<Class<? extends Throwable>> more = new ArrayList<>(skipOn);
        Arrays.stream(failures).map(Objects::requireNonNull).forEach(more::add);
        return new GuardBuilder(factory, name, instances, fallbacks, List.copyOf(more));
    }

    @Override
    public <T> T call(Callable<T> call) throws Exception {
        return call(new Call(call, null, NO_ARGUMENTS));
    }

    @Override
    public <T> T call(Object key, Callable<T> call) throws Exception {
        return call(new Call(call, null, new Object[] {key}));
    }

    private <T> T call(Call call) throws Exception {
        try {
            return cast(built().synchronous.proceed(call));
        } catch (Exception | Error failure) {
            throw failure;
        } catch (Throwable other) {
            throw new UndeclaredThrowableException(other);
        }
    }

    @Override
    public <T> T get(Supplier<T> call) {
        return get(new Call(null, call, NO_ARGUMENTS));
    }

    @Override
    public <T> T get(Object key, Supplier<T> call) {
        return get(new Call(null, call, new Object[] {key}));
    }

    private <T> T get(Call call) {
        try {
            return cast(built().synchronous.proceed(call));
        } catch (RuntimeException | Error failure) {
            throw failure;
        } catch (Throwable impossible) { // a Supplier throws no checked exception, and no policy does
            throw new UndeclaredThrowableException(impossible);
        }
    }

    @Override
    public void run(Runnable call) {
        get(() -> {
            call.run();
            return null;
        });
    }

    @Override
    public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
        return cast(built().asynchronous.proceed(new Call(null, call, NO_ARGUMENTS)));
    }

    @Override
    public <T> CompletableFuture<T> callAsync(Object key, Supplier<? extends CompletionStage<T>> call) {
        return cast(built().asynchronous.proceed(new Call(null, call, new Object[] {key})));
    }

    @Override
    public <T> Mono<T> mono(Supplier<? extends Mono<T>> call) {
        return cast(built().reactive(true).invoke(new Call(null, call, NO_ARGUMENTS)));
    }

    @Override
    public <T> Mono<T> mono(Object key, Supplier<? extends Mono<T>> call) {
        return cast(built().reactive(true).invoke(new Call(null, call, new Object[] {key})));
    }

    @Override
    public <T> Flux<T> flux(Supplier<? extends Flux<T>> call) {
        return cast(built().reactive(false).invoke(new Call(null, call, NO_ARGUMENTS)));
    }

    @Override
    public <T> Flux<T> flux(Object key, Supplier<? extends Flux<T>> call) {
        return cast(built().reactive(false).invoke(new Call(null, call, new Object[] {key})));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    private Built built() {
        Built current = built;
        return current != null ? current : build();
    }

    /** Once per guard: two threads calling a new guard at once must not register its fallback chain twice. */
    private synchronized Built build() {
        if (built == null) {
            built = new Built(policies());
        }
        return built;
    }

    private Object[] policies() {
        PolicyKind.Context context = factory.context();
        Object[] policies = new Object[PolicyKind.OUTERMOST_FIRST.size()];
        Set<String> names = new LinkedHashSet<>();
        for (PolicyKind kind : PolicyKind.OUTERMOST_FIRST) {
            String instance = instances[kind.index()];
            if (instance != null && kind.isNamed()) {
                policies[kind.index()] = kind.instanceNamed(instance, context);
                names.add(instance);
            }
        }
        String lastKnownGood = instances[PolicyKind.LAST_KNOWN_GOOD.index()];
        if (lastKnownGood != null) {
            if (context.lastKnownGood() == null) {
                throw new IllegalStateException(this + " needs a LastKnownGoodRegistry, and the pipeline factory has "
                        + "none");
            }
            dev.resilience.lastknowngood.LastKnownGood store = context.lastKnownGood().get(lastKnownGood);
            for (boolean outside : new boolean[] {false, true}) {
                PolicyKind kind = outside ? PolicyKind.LAST_KNOWN_GOOD_AFTER_FALLBACK : PolicyKind.LAST_KNOWN_GOOD;
                policies[kind.index()] = LastKnownGoodPolicy.at(store, CallKey.ALL_ARGUMENTS, !fallbacks.isEmpty(),
                        outside);
            }
        }
        if (!fallbacks.isEmpty()) {
            FallbackChain chain = FallbackResolver.of("guard:" + name, fallbacks, List.of(Exception.class), skipOn);
            factory.registerGuard(chain);
            policies[PolicyKind.FALLBACK.index()] = chain;
        }
        policies[PolicyKind.CHAOS.index()] = PolicyKind.chaosFor(names, context.chaos());
        return policies;
    }

    @Override
    public String toString() {
        List<String> kinds = new ArrayList<>();
        for (PolicyKind kind : PolicyKind.OUTERMOST_FIRST) {
            if (instances[kind.index()] != null) {
                kinds.add(kind + "(\"" + instances[kind.index()] + "\")");
            } else if (kind == PolicyKind.FALLBACK && !fallbacks.isEmpty()) {
                kinds.add(kind + " x" + fallbacks.size());
            }
        }
        return "Guard[" + name + ": " + String.join(", ", kinds) + "]";
    }

    /** The guard's pipelines: one set of policies, stepped through by the same steps as an annotated method's. */
    private final class Built {
        final Object[] policies;
        final Step synchronous;
        final AsyncStep asynchronous;
        private final GuardedCallObserver.MethodObserver observed;
        private volatile ReactorPipeline mono;
        private volatile ReactorPipeline flux;

        Built(Object[] policies) {
            this.policies = policies;
            this.observed = factory.observerFor(name, "guard:" + name);
            this.synchronous = factory.synchronous(policies, observed);
            this.asynchronous = AsyncStep.of(policies, observed, factory.context().timing());
        }

        /** Built on first use only, so that a guard used without Reactor never loads it. */
        ReactorPipeline reactive(boolean isMono) {
            ReactorPipeline pipeline = isMono ? mono : flux;
            if (pipeline == null) {
                pipeline = new ReactorPipeline(isMono, policies, observed);
                if (isMono) {
                    mono = pipeline;
                } else {
                    flux = pipeline;
                }
            }
            return pipeline;
        }
    }

    /**
     * The guarded call as the steps see a method invocation: proceeding calls it (again, for a retry). It has no
     * target; its one argument, if any, is the key given to the call (the last-known-good key); a fallback receives
     * only the failure.
     */
    private static final class Call implements MethodInvocation {
        private static final Method CALL = callMethod();

        // Invariant: exactly one is set; holding either directly spares an adapter per call.
        private final Callable<?> callable;
        private final Supplier<?> supplier;
        private final Object[] arguments;

        Call(Callable<?> callable, Supplier<?> supplier, Object[] arguments) {
            if (callable == null && supplier == null) {
                throw new NullPointerException("call");
            }
            this.callable = callable;
            this.supplier = supplier;
            this.arguments = arguments;
        }

        private static Method callMethod() {
            try {
                return Callable.class.getMethod("call");
            } catch (NoSuchMethodException ex) {
                throw new ExceptionInInitializerError(ex);
            }
        }

        @Override
        public Object proceed() throws Throwable {
            return supplier != null ? supplier.get() : callable.call();
        }

        @Override
        public Method getMethod() {
            return CALL;
        }

        @Override
        public Object[] getArguments() {
            return arguments;
        }

        @Override
        public Object getThis() {
            return null;
        }

        @Override
        public AccessibleObject getStaticPart() {
            return CALL;
        }
    }
}
