package dev.resilience.autoconfigure.aop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Timing;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInvocation;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * A {@code Mono} call whose method completes on one thread while the subscriber cancels on another: a cancel that
 * took effect first (it gave back what the stages held) wins, and the value goes to the discard hook, never to the
 * subscriber as well; either way the value goes exactly once to one of them.
 */
class GuardedMonoCancelRaceTest {

    private static final int ITERATIONS = 2_000;

    @Test
    void aCancelThatTookEffectBeforeTheValueIsDeliveredKeepsTheValueFromTheSubscriber() throws Exception {
        race(null, (race, iteration) -> {
            // nothing more than what every race checks: no value after a cancel that took effect, and exactly one
            // of delivered and discarded
        });
    }

    /**
     * The outermost policy settles the end and hands it to the subscriber in one step: a bulkhead's slot comes back
     * exactly once, and a breaker records the call at most once and always when the subscriber gets its value,
     * whichever of the end and a cancel on another thread comes first.
     */
    @Test
    void theOutermostBulkheadGivesItsSlotBackOnceWhenTheEndRacesACancel() throws Exception {
        Bulkhead bulkhead = new Bulkhead("race", BulkheadConfig.defaults(), Timing.system());
        int slots = bulkhead.getAvailableConcurrentCalls();
        race(new MonoPolicies.Slot(bulkhead), (race, iteration) -> assertThat(bulkhead.getAvailableConcurrentCalls())
                .as("iteration %d: free slots", iteration).isEqualTo(slots));
    }

    @Test
    void theOutermostBreakerRecordsTheCallOnlyWhenTheSubscriberGetsIt() throws Exception {
        CircuitBreaker breaker = new CircuitBreaker("race", CircuitBreakerConfig.defaults(), Timing.system());
        AtomicInteger recorded = new AtomicInteger();
        breaker.setCallObserver((outcome, durationNanos) -> recorded.incrementAndGet());
        race(new MonoPolicies.Breaker(breaker), (race, iteration) -> {
            int now = recorded.getAndSet(0);
            // Recorded at most once; a method's end that took the permit before the cancel is recorded even though
            // the cancel then keeps the value from the subscriber.
            assertThat(now).as("iteration %d: calls recorded", iteration)
                    .isBetween(race.delivered.get(), 1);
        });
    }

    /** Races the end against a cancel {@link #ITERATIONS} times, {@code outermost} (or none) outside the stage. */
    private static void race(GuardedMono.Stage outermost, Check check) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int iteration = 0; iteration < ITERATIONS; iteration++) {
                Race race = new Race();
                GuardedMono.Stage[] stages = outermost == null ? new GuardedMono.Stage[] {race.stage}
                        : new GuardedMono.Stage[] {outermost, race.stage};
                GuardedMono.of(stages, race.invocation, true).subscribe(race.subscriber);
                race.upstream.onNext("value");
                AtomicInteger ready = new AtomicInteger();
                Future<?> completing = threads.submit(() -> {
                    startTogether(ready);
                    race.upstream.onComplete();
                });
                Future<?> cancelling = threads.submit(() -> {
                    startTogether(ready);
                    race.subscription.cancel();
                });
                completing.get(10, TimeUnit.SECONDS);
                cancelling.get(10, TimeUnit.SECONDS);

                assertThat(race.cancelTookEffect && race.delivered.get() > 0)
                        .as("iteration %d: the value reached the subscriber after a cancel that took effect", iteration)
                        .isFalse();
                assertThat(race.delivered.get() + race.discarded.get()).as("iteration %d: delivered or discarded",
                        iteration).isEqualTo(1);
                check.after(race, iteration);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** What the outermost policy must show after one race. */
    private interface Check {
        void after(Race race, int iteration);
    }

    /** Both threads go on within a few instructions of each other: a latch's wake-up would miss the window. */
    private static void startTogether(AtomicInteger ready) {
        ready.incrementAndGet();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ready.get() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    /** One subscription: a method whose Mono the test completes by hand, a stage, a subscriber that requests all. */
    private static final class Race {
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger discarded = new AtomicInteger();
        volatile boolean cancelTookEffect;
        volatile CoreSubscriber<? super Object> upstream;
        volatile Subscription subscription;

        /** Told of a cancel only when it came before the end: it then gives back what the stage holds. */
        final GuardedMono.Stage stage = new GuardedMono.Stage() {
            @Override
            void cancelled(GuardedMono call) {
                cancelTookEffect = true;
            }
        };

        final Mono<Object> method = new Mono<>() {
            @Override
            public void subscribe(CoreSubscriber<? super Object> actual) {
                upstream = actual;
                actual.onSubscribe(Operators.emptySubscription());
            }
        };

        final CoreSubscriber<Object> subscriber = new CoreSubscriber<>() {
            private final Context context = Operators.enableOnDiscard(Context.empty(),
                    discardedValue -> discarded.incrementAndGet());

            @Override
            public Context currentContext() {
                return context;
            }

            @Override
            public void onSubscribe(Subscription given) {
                subscription = given;
                given.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Object item) {
                delivered.incrementAndGet();
            }

            @Override
            public void onError(Throwable failure) {
            }

            @Override
            public void onComplete() {
            }
        };

        final MethodInvocation invocation = new MethodInvocation() {
            @Override
            public Method getMethod() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Object[] getArguments() {
                return new Object[0];
            }

            @Override
            public Object proceed() {
                return method;
            }

            @Override
            public Object getThis() {
                return null;
            }

            @Override
            public AccessibleObject getStaticPart() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
