package dev.resilience.autoconfigure.aop;

import dev.resilience.ResilienceContext;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.chaos.Chaos;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.core.GuardedCallObserver;
import dev.resilience.core.GuardedCallObserver.CallOutcome;
import dev.resilience.degradation.Feature;
import dev.resilience.degradation.FeatureDegradedException;
import dev.resilience.fallback.FallbackChain;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;
import dev.resilience.timeout.CallTimeoutException;
import dev.resilience.timeout.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * The pipeline of a method returning {@code Mono} or {@code Flux}. Nothing happens at the call: the policies act
 * lazily at subscription, on the reactive signals. Retries resubscribe after a backoff on Reactor's parallel
 * scheduler; a bulkhead slot is held until termination or cancellation; a breaker records on termination and gives
 * its permit back on cancellation; a timeout is one deadline for the whole sequence. A {@code Mono} method whose
 * policies all have a {@link MonoStages stage} runs those lean operators instead of the {@code Flux} ones here.
 * Only this class and those it builds ({@link GuardedMono}, {@link MonoStages}, {@link MonoPolicies}) refer to
 * Reactor, and they are loaded only for such methods, so Reactor stays optional.
 */
final class ReactorPipeline extends Pipeline.Reactive implements PolicyKind.ReactiveSteps {

    private final boolean mono;
    private final Object[] policies;
    /** The kinds the method has, innermost first: a kind it lacks costs a call nothing, not even a null check. */
    private final PolicyKind[] present;

    /** Where an observed subscription keeps its {@link ObservedCallState} in the subscriber's context. */
    private static final Object OBSERVED = ObservedCallState.class;

    /** Observes each subscription; {@code null} when calls are not observed (then nothing of it runs). */
    private final GuardedCallObserver.MethodObserver observer;

    /**
     * A {@code Mono} method's stages, outermost first, when each of its policies has one ({@link MonoStages});
     * else {@code null}, and it goes through the {@code Flux} operators below like a {@code Flux} method.
     */
    private final GuardedMono.Stage[] monoStages;

    /** Whether the proxy's invocation can be proceeded again, learnt per proxy (a {@code Mono} call's first try). */
    private final Reinvocation reinvocation = new Reinvocation();

    /** @param policies each {@link PolicyKind}'s policy, by ordinal; {@code null} where the method has none */
    ReactorPipeline(boolean mono, Object[] policies) {
        this(mono, policies, null);
    }

    /**
     * @param policies each {@link PolicyKind}'s policy, by ordinal; {@code null} where the method has none
     * @param observer observes each subscription, or {@code null}
     */
    ReactorPipeline(boolean mono, Object[] policies, GuardedCallObserver.MethodObserver observer) {
        this.observer = observer;
        this.mono = mono;
        this.policies = policies.clone();
        this.present = PolicyKind.INNERMOST_FIRST.stream().filter(kind -> policies[kind.index()] != null)
                .toArray(PolicyKind[]::new);
        this.monoStages = mono ? MonoStages.of(present, this.policies) : null;
    }

    /** The pipeline as a {@link Pipeline}: a factory, so that its callers' code never loads this class until used. */
    static Pipeline of(boolean mono, Object[] policies, GuardedCallObserver.MethodObserver observer) {
        return new ReactorPipeline(mono, policies, observer);
    }

    /** Whether {@code type} is a Reactor type this pipeline handles. */
    static boolean handles(Class<?> type) {
        return type == Mono.class || type == Flux.class;
    }

    static boolean isMono(Class<?> type) {
        return type == Mono.class;
    }

    @Override
    Object invoke(MethodInvocation invocation) {
        if (monoStages != null) {
            Mono<Object> guarded = GuardedMono.of(monoStages, invocation, reinvocation.reusable(invocation));
            return observer == null ? guarded : Mono.fromDirect(observed(Flux.from(guarded)));
        }
        Object flux = invocationFlux(invocation);
        for (PolicyKind kind : present) {
            flux = kind.reactive(this, policies[kind.index()], flux, invocation);
        }
        if (observer != null) {
            flux = observed(flux(flux));
        }
        return mono ? flux(flux).singleOrEmpty() : flux;
    }

    /**
     * One observation per subscription, its parent found in the subscriber's context, ended as the sequence
     * terminates (before the subscriber sees the end) or is cancelled (a subscriber that stops early got what it
     * asked for: not a failure). The steps inside find it in the context, and so does what the method's sequence
     * does (the observer's {@code subscriberContext()}, e.g. the parent of an instrumented client's observation).
     */
    private Flux<Object> observed(Flux<Object> policies) {
        return Flux.deferContextual(view -> {
            GuardedCallObserver.ObservedCall call = observer.start(key -> view.getOrDefault(key, null));
            if (call == null) {
                return policies;
            }
            ObservedCallState observed = new ObservedCallState(call);
            return policies.doOnComplete(() -> observed.stop(null)).doOnError(observed::stop)
                    .doOnCancel(() -> observed.stop(null))
                    .contextWrite(context -> context.putAllMap(call.subscriberContext()).put(OBSERVED, observed));
        });
    }

    /** The observed call of the subscription whose context is {@code view}, or {@code null}. */
    static ObservedCallState observedIn(ContextView view) {
        return view.getOrDefault(OBSERVED, null);
    }

    /** Proceeds at each subscription (a retry resubscribes) a copy of the invocation, which itself is never proceeded. */
    @SuppressWarnings("unchecked")
    private static Flux<Object> invocationFlux(MethodInvocation invocation) {
        return Flux.defer(() -> {
            Object result;
            try {
                result = Reinvocation.copy(invocation).proceed();
            } catch (Throwable failure) {
                return Flux.error(failure);
            }
            return result == null ? Flux.empty() : Flux.from((Publisher<Object>) result);
        });
    }

    /** Fault injection, innermost, drawn at each subscription. */
    @Override
    public Object chaos(List<Chaos> chaos, Object next) {
        Flux<Object> flux = flux(next);
        Chaos[] instances = chaos.toArray(Chaos[]::new);
        return Flux.defer(() -> {
            ChaosDraw drawn = ChaosDraw.of(instances);
            if (drawn == null) {
                return flux;
            }
            Flux<Object> result = drawn.failure() != null ? Flux.error(drawn.failure()) : flux;
            return drawn.latencyNanos() == 0 ? result
                    : Mono.delay(Duration.ofNanos(drawn.latencyNanos())).thenMany(result);
        });
    }

    /** Holds a slot from its grant until termination or cancellation. */
    @Override
    public Object bulkhead(Bulkhead bulkhead, Object next) {
        Flux<Object> flux = flux(next);
        return Flux.defer(() -> {
            SlotClaim claim = new SlotClaim(bulkhead);
            // A slot free at subscription is taken at once, without waiting on the grant through Reactor.
            Flux<Object> started = claim.grantedAtOnce() ? flux
                    : claim.granted().thenMany(Flux.defer(() -> claim.start() ? flux : Flux.empty()));
            // Returned as the sequence terminates, before the signal goes on, so a subscriber that sees the end finds
            // the slot free; or when it is cancelled. The claim returns it once, whichever comes.
            return started.doOnTerminate(claim::finish).doOnCancel(claim::finish);
        });
    }

    /**
     * One subscription's claim on a bulkhead slot. Reactor's operators do not order a grant arriving on one thread
     * against a cancellation on another, so the claim does: it starts the method only while it holds the slot, and
     * gives the slot back exactly once, whichever comes first of the grant and the end of the subscription.
     */
    private static final class SlotClaim extends AtomicInteger {
        private static final int WAITING = 0;
        private static final int GRANTED = 1;
        private static final int STARTED = 2;
        private static final int ABANDONED = 3;
        private static final int RETURNED = 4;

        private final Bulkhead bulkhead;
        private final CompletableFuture<Void> waiter;

        SlotClaim(Bulkhead bulkhead) {
            this.bulkhead = bulkhead;
            this.waiter = bulkhead.acquireAsync().toCompletableFuture();
        }

        /** Completes when the slot is granted; fails when the bulkhead rejects the call. */
        Mono<Void> granted() {
            return Mono.create(sink -> waiter.whenComplete((granted, failure) -> {
                if (failure == null) {
                    if (compareAndSet(WAITING, GRANTED)) {
                        sink.success();
                    } else if (compareAndSet(ABANDONED, RETURNED)) {
                        bulkhead.release(); // granted just after the subscription ended
                    }
                } else if (!(failure instanceof CancellationException)) {
                    sink.error(FallbackChain.unwrap(failure));
                }
            }));
        }

        /** Whether the slot was free at subscription; the method then starts at once, holding it. */
        boolean grantedAtOnce() {
            return waiter.isDone() && !waiter.isCompletedExceptionally() && compareAndSet(WAITING, STARTED);
        }

        /** Whether the method may start: the slot is held and the subscription has not ended. */
        boolean start() {
            return compareAndSet(GRANTED, STARTED);
        }

        /** At the end of the subscription, however it ended. */
        void finish() {
            for (;;) {
                int state = get();
                if (state == WAITING && compareAndSet(WAITING, ABANDONED)) {
                    waiter.cancel(false);
                    return;
                }
                if ((state == GRANTED || state == STARTED) && compareAndSet(state, RETURNED)) {
                    bulkhead.release();
                    return;
                }
                if (state == ABANDONED || state == RETURNED) {
                    return;
                }
            }
        }
    }

    @Override
    public Object timeout(Timeout timeout, Object next) {
        Flux<Object> flux = flux(next);
        return Flux.defer(() -> {
            long budget = timeout.getTimeoutNanos();
            long deadline = now() + budget;
            AtomicBoolean timedOut = new AtomicBoolean();
            Flux<Object> expired = Flux.defer(() -> {
                timedOut.set(true);
                return Flux.error(new CallTimeoutException(timeout.getName(), timeout.getConfig().timeoutDuration()));
            });
            return flux.timeout(Mono.delay(Duration.ofNanos(budget)),
                    item -> Mono.delay(Duration.ofNanos(Math.max(0, deadline - now()))), expired)
                    .doOnComplete(() -> timeout.record(false, null))
                    .doOnError(failure -> timeout.record(timedOut.get(), timedOut.get() ? null : failure));
        });
    }

    @Override
    public Object rateLimiter(RateLimiter limiter, Object next) {
        Flux<Object> flux = flux(next);
        return Flux.defer(() -> {
            long wait = limiter.reservePermission();
            if (wait == RateLimiter.REJECTED) {
                return Flux.error(limiter.rejection());
            }
            if (wait == 0) {
                return flux;
            }
            // Exactly one of: the wait ends and the call starts, or the subscriber cancels first and the reserved
            // permit goes back.
            AtomicBoolean decided = new AtomicBoolean();
            return Mono.delay(Duration.ofNanos(wait))
                    .thenMany(Flux.defer(() -> decided.compareAndSet(false, true) ? flux : Flux.empty()))
                    .doOnCancel(() -> {
                        if (decided.compareAndSet(false, true)) {
                            limiter.releasePermission();
                        }
                    });
        });
    }

    @Override
    public Object circuitBreaker(CircuitBreaker breaker, Object next) {
        Flux<Object> flux = flux(next);
        return Flux.defer(() -> {
            Object permit = breaker.tryAcquirePermission();
            if (permit == null) {
                return Flux.error(new CircuitBreakerOpenException(breaker.getName(), breaker.getState()));
            }
            long start = breaker.now();
            AtomicReference<Object> rejected = new AtomicReference<>();
            // Settled once: a cancel that comes after the end (zip, take(n)) must not also give the permit back.
            AtomicBoolean settled = new AtomicBoolean();
            // A predicate that throws fails the sequence with a ResultPredicateException naming it.
            Flux<Object> watched = breaker.getConfig().recordResult() == null ? flux
                    : flux.doOnNext(item -> {
                        if (breaker.recordsAsFailure(item)) {
                            rejected.compareAndSet(null, item);
                        }
                    });
            return watched.doOnComplete(() -> {
                if (!settled.compareAndSet(false, true)) {
                    return;
                }
                Object item = rejected.get();
                if (item != null) {
                    breaker.onSuccess(permit, start, item);
                } else {
                    breaker.onResult(permit, start, null);
                }
            })
                    .doOnError(failure -> {
                        if (settled.compareAndSet(false, true)) {
                            breaker.onResult(permit, start, failure);
                        }
                    })
                    .doOnCancel(() -> {
                        if (settled.compareAndSet(false, true)) {
                            breaker.releasePermission(permit);
                        }
                    });
        });
    }

    /**
     * A value that {@code retry-on-result} rejects fails the sequence so that it is retried; when retries are
     * exhausted the value is delivered after all. Each retry subscribes again after its backoff on Reactor's
     * parallel scheduler ({@link Attempts}).
     */
    @Override
    public Object retry(Retry retry, Object next) {
        Flux<Object> flux = flux(next);
        return Flux.deferContextual(view -> {
            Flux<Object> checked = retry.getConfig().retryOnResult() == null ? flux
                    : flux.concatMap(item -> retry.rejects(item) ? Flux.error(new RejectedValue(item)) : Flux.just(item));
            Attempts attempts = new Attempts(retry, checked, observedIn(view));
            return attempts.attempt(1).onErrorResume(RejectedValue.class, rejected -> Flux.just(rejected.value))
                    .doOnComplete(attempts::completed)
                    .doOnError(failure -> retry.onFailure(attempts.made));
        });
    }

    /**
     * One subscription's attempts. Built on {@code onErrorResume} rather than {@code retryWhen}, whose companion
     * sequence costs every subscription a sink and its subscribers (about 500 B) even when the first attempt
     * succeeds. The fields are written and read by one attempt's signals at a time: the next attempt starts only
     * after the previous one failed, through the scheduler, which orders the two.
     */
    private static final class Attempts {
        private final Retry retry;
        private final Flux<Object> checked;
        private final long start;
        /** The observed call's state, or {@code null} when the call is not observed. */
        private final ObservedCallState observed;
        private int made = 1;
        private boolean exhaustedOnResult;

        Attempts(Retry retry, Flux<Object> checked, ObservedCallState observed) {
            this.retry = retry;
            this.checked = checked;
            this.observed = observed;
            this.start = retry.begin();
        }

        Flux<Object> attempt(int attempt) {
            return checked.onErrorResume(failure -> {
                boolean rejectedValue = failure instanceof RejectedValue;
                long delay = rejectedValue ? retry.delayBeforeRetryOnResult(attempt, start)
                        : retry.delayBeforeRetry(attempt, start, failure);
                if (delay == Retry.NO_RETRY) {
                    exhaustedOnResult = rejectedValue;
                    return Flux.error(failure);
                }
                made = attempt + 1;
                if (observed != null) {
                    observed.retry(attempt, rejectedValue ? null : failure);
                }
                return Mono.delay(Duration.ofNanos(delay)).thenMany(Flux.defer(() -> attempt(attempt + 1)));
            });
        }

        void completed() {
            if (exhaustedOnResult) {
                retry.onFailure(made);
            } else {
                retry.onSuccess(made);
            }
        }
    }

    /** Carries a rejected value through Reactor's retry; never reaches the subscriber. */
    private static final class RejectedValue extends RuntimeException {
        final transient Object value;

        RejectedValue(Object value) {
            super("value rejected by retry-on-result", null, false, false);
            this.value = value;
        }
    }

    @Override
    public Object degradable(Feature feature, Object next) {
        Flux<Object> flux = flux(next);
        return Flux.defer(() -> {
            try {
                feature.checkAvailable();
            } catch (FeatureDegradedException shed) {
                return Flux.error(shed);
            }
            return flux;
        });
    }

    /**
     * The first applicable fallback answers; one that throws when called hands over to the next, and the
     * publisher it returns is used as it is.
     */
    @SuppressWarnings("unchecked")
    @Override
    public Object fallback(FallbackChain fallback, Object next, MethodInvocation invocation) {
        Flux<Object> flux = flux(next);
        return flux.onErrorResume(fallback::appliesTo, failure -> Flux.deferContextual(view -> {
            ObservedCallState observed = observedIn(view);
            if (observed != null) {
                observed.fallback(failure);
            }
            Object answer;
            try {
                answer = fallback.recover(invocation.getThis(), invocation.getArguments(), failure);
            } catch (Throwable exhausted) {
                return Flux.error(exhausted);
            }
            if (observed != null) { // a publisher that fails still fails the call: its failure decides the outcome
                observed.answeredBy(CallOutcome.FALLBACK);
            }
            if (answer == null) {
                return Flux.empty();
            }
            return answer instanceof Publisher<?> publisher ? Flux.from((Publisher<Object>) publisher)
                    : Flux.just(answer);
        }));
    }

    /**
     * {@code @LastKnownGood} on a {@code Mono} or {@code Flux}, at each subscription (the key is taken then): stores
     * a {@code Mono}'s value before the subscriber sees it (an empty {@code Mono} stores nothing), and a
     * {@code Flux}'s elements as one list once it completes (one list per subscription; an empty {@code Flux}
     * stores an empty list); and/or answers a failure from the store (see {@link LastKnownGoodPolicy}): a
     * {@code Mono} with the stored value, a {@code Flux} by replaying the stored list, but only while the
     * subscriber has seen no element (a {@code Flux} that fails halfway propagates its failure rather than repeat
     * or mix elements). The serving step takes the calling thread's armed {@code ResilienceContext.Capture} when
     * the method is called, and records in it, at each subscription, how the answer came before it is emitted.
     */
    @Override
    public Object lastKnownGood(LastKnownGoodPolicy policy, Object next, MethodInvocation invocation) {
        Flux<Object> flux = flux(next);
        dev.resilience.lastknowngood.LastKnownGood store = policy.store();
        ResilienceContext.Capture capture = policy.serves() ? ResilienceContext.takeCapture() : null;
        return Flux.deferContextual(view -> {
            Object key = policy.stores() ? policy.key().of(invocation) : null;
            Flux<Object> stored = !policy.stores() ? flux : mono ? flux.doOnNext(value -> store.store(key, value))
                    : storingTheList(flux, store, key);
            if (!policy.serves()) {
                return stored;
            }
            boolean[] emitted = {false}; // this subscription's; signals are serial
            Flux<Object> watched = stored.doOnNext(value -> {
                emitted[0] = true;
                if (capture != null) {
                    capture.record(ResilienceContext.LastCall.LIVE);
                }
            });
            if (capture != null) {
                watched = watched.doOnComplete(() -> capture.record(ResilienceContext.LastCall.LIVE));
            }
            return watched.onErrorResume(failure -> {
                dev.resilience.lastknowngood.LastKnownGood.Served served = emitted[0] ? null : store.recover(
                        policy.stores() ? key : policy.key().of(invocation), failure);
                if (capture != null) {
                    capture.record(served == null ? ResilienceContext.LastCall.LIVE
                            : ResilienceContext.LastCall.stale(served.age()));
                }
                if (served == null) {
                    return Flux.error(failure);
                }
                ObservedCallState observed = observedIn(view);
                if (observed != null) {
                    observed.answeredBy(CallOutcome.STALE);
                }
                return replay(served.value());
            });
        });
    }

    private static Flux<Object> storingTheList(Flux<Object> flux,
            dev.resilience.lastknowngood.LastKnownGood store, Object key) {
        return Flux.defer(() -> {
            List<Object> elements = new ArrayList<>();
            return flux.doOnNext(elements::add).doOnComplete(() -> store.store(key, elements));
        });
    }

    /** A stored answer as a sequence: a {@code Flux}'s list element by element, a {@code Mono}'s value alone. */
    private Flux<Object> replay(Object value) {
        if (value == null) {
            return Flux.empty();
        }
        if (!mono && value instanceof Iterable<?> elements) {
            return Flux.fromIterable(elements).cast(Object.class);
        }
        return Flux.just(value);
    }

    @SuppressWarnings("unchecked")
    private static Flux<Object> flux(Object sequence) {
        return (Flux<Object>) sequence;
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.NANOSECONDS);
    }
}
