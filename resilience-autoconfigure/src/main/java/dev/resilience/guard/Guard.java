package dev.resilience.guard;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Policies around a call, given in code: immutable, thread safe, and built once. Each {@code with...} method
 * answers a new guard with one more policy; the policies always apply in the annotations' fixed order,
 * {@code LastKnownGood ( Fallback ( LastKnownGood ( Degradable ( Retry ( CircuitBreaker ( RateLimiter ( Timeout (
 * Bulkhead ( call ) ) ) ) ) ) ) ) )}, whatever order they were added in (see {@link #withLastKnownGood()}). A policy without an instance name uses the guard's name.
 *
 * <p>A failure of the call itself is rethrown (or completes the stage) as it was, never wrapped; rejections are
 * {@code dev.resilience.ResilienceException}s, as with the annotations.
 */
public interface Guard {

    /** The name of the guard: the default instance name, and the name of its fallback chain in meters and events. */
    String name();

    Guard withCircuitBreaker();

    Guard withCircuitBreaker(String instance);

    Guard withRetry();

    Guard withRetry(String instance);

    Guard withRateLimiter();

    Guard withRateLimiter(String instance);

    Guard withTimeout();

    Guard withTimeout(String instance);

    Guard withBulkhead();

    Guard withBulkhead(String instance);

    /** Sheds the call while the feature is disabled or the degradation level reaches its {@code disable-at}. */
    Guard withDegradable();

    Guard withDegradable(String instance);

    /**
     * Stores each good result of the guarded calls and answers a failed call (one that no fallback answered, or,
     * with {@code before-fallback: true}, before the fallbacks) with the stored result for the call's key while it
     * is younger than {@code max-staleness}, as {@code @LastKnownGood} does; a fallback's answer is never stored.
     * The key is the one given to the call ({@link #get(Object, Supplier)} and the other keyed methods); calls
     * without one share one entry. Configured by {@code resilience.last-known-good.instances.<instance>.*}.
     */
    Guard withLastKnownGood();

    Guard withLastKnownGood(String instance);

    /**
     * Adds a fallback, tried after those added before it: it receives the failure (never a
     * {@code CompletionException}) and answers for the call, or throws to hand over to the next. For
     * {@link #callAsync} it may answer a {@code CompletionStage}; for {@link #mono}/{@link #flux} a publisher.
     */
    Guard withFallback(Function<? super Throwable, ?> fallback);

    /** Failures the fallbacks never handle (subclasses included): they propagate unchanged. */
    @SuppressWarnings("unchecked")
    Guard withFallbackSkipping(Class<? extends Throwable>... failures);

    /** Runs {@code call} under the policies; its own checked exception propagates unchanged. */
    <T> T call(Callable<T> call) throws Exception;

    /** Runs {@code call} under the policies. */
    <T> T get(Supplier<T> call);

    /** Runs {@code call} under the policies. */
    void run(Runnable call);

    /** Runs {@code call} under the policies, with {@code key} as its {@linkplain #withLastKnownGood() stored answer's} key. */
    <T> T call(Object key, Callable<T> call) throws Exception;

    /** Runs {@code call} under the policies, with {@code key} as its stored answer's key. */
    <T> T get(Object key, Supplier<T> call);

    /** Guards an asynchronous call as {@link #callAsync(Supplier)}, with {@code key} as its stored answer's key. */
    <T> CompletableFuture<T> callAsync(Object key, Supplier<? extends CompletionStage<T>> call);

    /** Guards a {@code Mono} as {@link #mono(Supplier)}, with {@code key} as its stored answer's key. */
    <T> Mono<T> mono(Object key, Supplier<? extends Mono<T>> call);

    /**
     * Guards a {@code Flux} as {@link #flux(Supplier)}, with {@code key} as its stored answer's key (the elements,
     * stored as one list).
     */
    <T> Flux<T> flux(Object key, Supplier<? extends Flux<T>> call);

    /**
     * Guards an asynchronous call: the policies act on its stage without blocking a thread (see the README's
     * "Asynchronous methods"). {@code call} is called again for each retry.
     */
    <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> call);

    /** Guards a {@code Mono}, lazily at each subscription; {@code call} is called again for each retry. Needs Reactor. */
    <T> Mono<T> mono(Supplier<? extends Mono<T>> call);

    /** Guards a {@code Flux}, lazily at each subscription; {@code call} is called again for each retry. Needs Reactor. */
    <T> Flux<T> flux(Supplier<? extends Flux<T>> call);
}
