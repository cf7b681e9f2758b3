package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.Concurrently;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import dev.resilience.retry.RetryRegistry;
import dev.resilience.timeout.CallTimeoutException;
import dev.resilience.timeout.TimeoutRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Methods returning Mono and Flux: guarded lazily at subscription, acting on the signals, in virtual time. */
class ReactorBehaviourTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withBean(Catalog.class, Catalog::new)
            .withBean("empty", java.util.function.Predicate.class, () -> (java.util.function.Predicate<Object>) "empty"::equals)
            .withPropertyValues("resilience.retry.instances.catalog.max-attempts=3",
                    "resilience.retry.instances.catalog.wait-duration=500ms",
                    "resilience.bulkhead.instances.catalog.max-concurrent-calls=1",
                    "resilience.timeout.instances.catalog.timeout-duration=2s",
                    "resilience.retry.instances.search.retry-on-result=empty",
                    "resilience.bulkhead.instances.queue.max-concurrent-calls=1",
                    "resilience.bulkhead.instances.queue.max-wait-duration=10s",
                    "resilience.ratelimiter.instances.paced.limit-for-period=1",
                    "resilience.ratelimiter.instances.paced.limit-refresh-period=1h",
                    "resilience.ratelimiter.instances.paced.timeout-duration=2h");

    private void run(Consumer<AssertableApplicationContext> test) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            test.accept(context);
        });
    }

    @Test
    void nothingHappensUntilSubscription() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);

            Mono<String> item = catalog.item();

            assertThat(catalog.calls()).hasValue(0);
            StepVerifier.create(item).expectNext("item").verifyComplete();
            assertThat(catalog.calls()).hasValue(1);
        });
    }

    @Test
    void eachSubscriptionCallsTheMethodAgainUnderItsOwnPolicies() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            Mono<String> item = catalog.item();

            assertThat(item.block(Duration.ofSeconds(5))).isEqualTo("item");
            assertThat(item.block(Duration.ofSeconds(5))).isEqualTo("item");

            assertThat(catalog.calls()).hasValue(2);
            assertThat(context.getBean(CircuitBreakerRegistry.class).get("catalog").getMetrics().bufferedCalls())
                    .isEqualTo(2);
        });
    }

    @Test
    void retryResubscribesAfterTheBackoff() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            catalog.failuresBeforeSuccess().set(2);

            StepVerifier.withVirtualTime(catalog::item).expectSubscription()
                    .expectNoEvent(Duration.ofMillis(500)).thenAwait(Duration.ofMillis(500))
                    .expectNext("item").verifyComplete();

            assertThat(catalog.calls()).hasValue(3);
        });
    }

    @Test
    void retriedMonoIsCountedOnceWithEachRetryAndExhaustionAsAFailure() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.retry.Retry retry = context.getBean(RetryRegistry.class).get("catalog");
            catalog.failuresBeforeSuccess().set(2);
            StepVerifier.withVirtualTime(catalog::item).thenAwait(Duration.ofSeconds(1)).expectNext("item")
                    .verifyComplete();
            assertThat(retry.getMetrics().successfulWithRetry()).isEqualTo(1);
            assertThat(retry.getMetrics().retryAttempts()).isEqualTo(2);

            catalog.failuresBeforeSuccess().set(5);
            StepVerifier.withVirtualTime(catalog::item).thenAwait(Duration.ofSeconds(1))
                    .verifyErrorMessage("down");

            assertThat(retry.getMetrics().failedWithRetry()).isEqualTo(1);
            assertThat(retry.getMetrics().retryAttempts()).isEqualTo(4);
            assertThat(catalog.calls()).as("3 attempts each").hasValue(6);
        });
    }

    @Test
    void cancelledWhileWaitingToRetryItNeverResubscribes() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            catalog.failuresBeforeSuccess().set(1);

            StepVerifier.withVirtualTime(catalog::item).expectSubscription().expectNoEvent(Duration.ofMillis(100))
                    .thenCancel().verify();

            assertThat(catalog.calls()).hasValue(1);
        });
    }

    @Test
    void fluxIsRetriedFromTheStart() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            catalog.failuresBeforeSuccess().set(1);

            StepVerifier.withVirtualTime(catalog::items).expectNext("a").thenAwait(Duration.ofMillis(500))
                    .as("a retry starts the sequence over; items already delivered stay delivered")
                    .expectNext("a", "b", "c").verifyComplete();
        });
    }

    @Test
    void retryOnResultResubscribesForARejectedValueAndDeliversTheLastOnExhaustion() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            catalog.failuresBeforeSuccess().set(1);

            StepVerifier.withVirtualTime(catalog::search).thenAwait(Duration.ofMillis(500)).expectNext("found")
                    .verifyComplete();
            catalog.failuresBeforeSuccess().set(10);
            StepVerifier.withVirtualTime(catalog::search).thenAwait(Duration.ofSeconds(2)).expectNext("empty")
                    .verifyComplete();
        });
    }

    @Test
    void aValueRejectedByRetryOnResultAndRetriedGoesToTheDiscardHook() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            List<Object> discarded = new CopyOnWriteArrayList<>();
            catalog.failuresBeforeSuccess().set(2);

            StepVerifier.withVirtualTime(() -> catalog.search()
                            .contextWrite(current -> Operators.enableOnDiscard(current, discarded::add)))
                    .thenAwait(Duration.ofSeconds(2)).expectNext("found").verifyComplete();
            assertThat(discarded).as("the two rejected attempts' values").containsExactly("empty", "empty");

            discarded.clear();
            catalog.failuresBeforeSuccess().set(10);
            StepVerifier.withVirtualTime(() -> catalog.search()
                            .contextWrite(current -> Operators.enableOnDiscard(current, discarded::add)))
                    .thenAwait(Duration.ofSeconds(2)).expectNext("empty").verifyComplete();
            assertThat(discarded).as("retries exhausted: the last value is delivered, not discarded")
                    .containsExactly("empty", "empty");
        });
    }

    @Test
    void aFluxValueRejectedByRetryOnResultAndRetriedGoesToTheDiscardHook() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            List<Object> discarded = new CopyOnWriteArrayList<>();
            catalog.failuresBeforeSuccess().set(1);

            StepVerifier.withVirtualTime(() -> catalog.searchAll()
                            .contextWrite(current -> Operators.enableOnDiscard(current, discarded::add)))
                    // a retry subscribes again, so "a" comes twice
                    .thenAwait(Duration.ofSeconds(2)).expectNext("a", "a", "found").verifyComplete();
            // (Reactor's own operators discard the backoff's tick too)
            assertThat(discarded).as("the rejected attempt's value").filteredOn(String.class::isInstance)
                    .containsExactly("empty");
        });
    }

    @Test
    void openBreakerRejectsThroughTheErrorSignal() {
        run(context -> {
            context.getBean(CircuitBreakerRegistry.class).get("catalog").transitionToForcedOpen();

            Mono<String> item = context.getBean(Catalog.class).item();

            StepVerifier.create(item).expectError(CircuitBreakerOpenException.class).verify(Duration.ofSeconds(5));
            assertThat(context.getBean(Catalog.class).calls()).hasValue(0);
        });
    }

    @Test
    void switchedOffFeatureShedsTheMonoAtSubscriptionWithoutCallingTheMethod() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.degradation.Feature feature =
                    context.getBean(dev.resilience.degradation.FeatureRegistry.class).get("extras");
            feature.setEnabled(false);
            Mono<String> extras = catalog.extras();

            StepVerifier.create(extras).expectError(dev.resilience.degradation.FeatureDegradedException.class)
                    .verify(Duration.ofSeconds(5));
            assertThat(catalog.calls()).hasValue(0);

            feature.setEnabled(true);
            StepVerifier.create(extras).expectNext("extras").verifyComplete();
            assertThat(catalog.calls()).hasValue(1);
        });
    }

    @Test
    void fallbackAnswersForAFailedMono() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            catalog.failuresBeforeSuccess().set(10);

            StepVerifier.create(catalog.withFallback()).expectNext("cached after IOException")
                    .verifyComplete();
        });
    }

    @Test
    void bulkheadSlotIsHeldUntilTerminationAndGivenBackOnCancel() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("catalog");
            Sinks.One<String> pending = Sinks.one();

            Disposable first = catalog.hold(pending.asMono()).subscribe();
            assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();
            StepVerifier.create(catalog.hold(Mono.just("x"))).expectError(BulkheadFullException.class)
                    .verify(Duration.ofSeconds(5));

            first.dispose();

            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
            StepVerifier.create(catalog.hold(Mono.just("y"))).expectNext("y").verifyComplete();
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    @Test
    void subscriberThatCancelsWhileWaitingLeavesTheQueueAndIsNeverGrantedASlot() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("queue");
            Sinks.One<String> pending = Sinks.one();
            Disposable holder = catalog.queue(pending.asMono()).subscribe();
            Disposable waiter = catalog.queue(Mono.just("never")).subscribe();
            assertThat(bulkhead.getWaitingCalls()).isEqualTo(1);

            waiter.dispose();

            assertThat(bulkhead.getWaitingCalls()).isZero();
            pending.tryEmitValue("done");
            assertThat(holder.isDisposed()).isTrue();
            assertThat(catalog.calls()).as("the cancelled subscription never ran the method").hasValue(1);
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    @Test
    void aSubscriberStillWaitingForASlotAtTheMaximumWaitIsRejectedAndNeverRunsTheMethod() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("queue");
            Disposable holder = catalog.queue(Mono.never()).subscribe();

            StepVerifier.create(catalog.queue(Mono.just("late"))).expectSubscription()
                    .then(() -> time.advance(Duration.ofSeconds(10)))
                    .expectError(BulkheadFullException.class).verify(Duration.ofSeconds(5));

            assertThat(catalog.calls()).as("only the holder ran").hasValue(1);
            assertThat(bulkhead.getWaitingCalls()).isZero();
            holder.dispose();
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    @Test
    void aSubscriberThatSeesTheEndFindsTheSlotAlreadyFree() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("queue");
            AtomicInteger seen = new AtomicInteger(-1);

            catalog.queue(Mono.just("done")).doOnSuccess(value -> seen.set(bulkhead.getAvailableConcurrentCalls()))
                    .block(Duration.ofSeconds(5));

            assertThat(seen).hasValue(1);
        });
    }

    @Test
    void slotGrantedAsItsSubscriberCancelsIsReturned() throws Exception {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("queue");
            for (int round = 0; round < 500; round++) {
                Disposable holder = catalog.queue(Mono.never()).subscribe();
                Disposable waiter = catalog.queue(Mono.never()).subscribe();
                try {
                    // The holder's release hands its slot to the waiter while the waiter cancels.
                    Concurrently.run(2, 10, thread -> (thread == 0 ? holder : waiter).dispose());
                } catch (Exception failure) {
                    throw new AssertionError(failure);
                }
                assertThat(bulkhead.getWaitingCalls()).as("round %d", round).isZero();
                assertThat(bulkhead.getAvailableConcurrentCalls()).as("round %d", round).isEqualTo(1);
            }
        });
    }

    @Test
    void subscriberThatCancelsWhileWaitingForAReservedPermitGivesItBack() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.ratelimiter.RateLimiter limiter = context.getBean(RateLimiterRegistry.class).get("paced");
            StepVerifier.create(catalog.paced()).expectNext("paced").verifyComplete();
            Disposable reserved = catalog.paced().subscribe();
            assertThat(limiter.getAvailablePermissions()).isEqualTo(-1);

            reserved.dispose();

            assertThat(limiter.getAvailablePermissions()).isZero();
            assertThat(catalog.calls()).hasValue(1);
        });
    }

    @Test
    void aMonoWaitsForItsReservedPermitOnReactorsSchedulerThenRuns() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            StepVerifier.create(catalog.paced()).expectNext("paced").verifyComplete();

            StepVerifier.withVirtualTime(catalog::paced).expectSubscription()
                    .expectNoEvent(Duration.ofMinutes(59)).thenAwait(Duration.ofMinutes(1))
                    .expectNext("paced").verifyComplete();

            assertThat(catalog.calls()).hasValue(2);
            assertThat(time.sleeps()).as("no thread slept").isEmpty();
        });
    }

    @Test
    void timeoutIsOneDeadlineForTheWholeSequence() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);

            StepVerifier.withVirtualTime(() -> catalog.slow(Flux.interval(Duration.ofMillis(900)).map(Object::toString)))
                    .thenAwait(Duration.ofMillis(1800)).expectNext("0", "1")
                    .thenAwait(Duration.ofMillis(200)).expectError(CallTimeoutException.class).verify();

            assertThat(context.getBean(TimeoutRegistry.class).get("catalog").getTimedOutCalls()).isEqualTo(1);
        });
    }

    @Test
    void aCancelRacingTheEndReturnsTheSlotOnceAndRecordsTheCallAtMostOnce() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("catalog");
            dev.resilience.circuitbreaker.CircuitBreaker breaker =
                    context.getBean(CircuitBreakerRegistry.class).get("watched");
            for (int round = 0; round < 300; round++) {
                Sinks.One<String> pending = Sinks.one();
                Disposable subscription = catalog.watchedSlot(pending.asMono()).subscribe();
                int recorded = breaker.getMetrics().bufferedCalls();
                try {
                    Concurrently.run(2, 10, thread -> {
                        if (thread == 0) {
                            pending.tryEmitValue("done");
                        } else {
                            subscription.dispose();
                        }
                    });
                } catch (Exception failure) {
                    throw new AssertionError(failure);
                }
                assertThat(bulkhead.getAvailableConcurrentCalls()).as("round %d", round).isEqualTo(1);
                assertThat(breaker.getMetrics().bufferedCalls() - recorded).as("round %d", round)
                        .isBetween(0, 1);
            }
        });
    }

    @Test
    void aSignalAfterTheCancelNeitherRecordsNorReturnsTheSlotAgain() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("catalog");
            dev.resilience.circuitbreaker.CircuitBreaker breaker =
                    context.getBean(CircuitBreakerRegistry.class).get("watched");
            java.util.concurrent.atomic.AtomicReference<org.reactivestreams.Subscriber<? super String>> method =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Mono<String> ignoresCancel = Mono.fromDirect(subscriber -> {
                subscriber.onSubscribe(new org.reactivestreams.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                method.set(subscriber);
            });
            Disposable subscription = catalog.watchedSlot(ignoresCancel).subscribe(value -> { }, failure -> { });
            assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();

            subscription.dispose();
            method.get().onError(new IOException("late"));
            method.get().onComplete();

            assertThat(bulkhead.getAvailableConcurrentCalls()).as("returned once").isEqualTo(1);
            assertThat(breaker.getMetrics().bufferedCalls()).as("a cancelled call counts nothing").isZero();
        });
    }

    @Test
    void theValueWaitsForTheSubscribersDemand() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            java.util.List<Object> signals = new java.util.concurrent.CopyOnWriteArrayList<>();
            reactor.core.publisher.BaseSubscriber<String> slow = new reactor.core.publisher.BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                    // no demand yet
                }

                @Override
                protected void hookOnNext(String value) {
                    signals.add(value);
                }

                @Override
                protected void hookOnComplete() {
                    signals.add("complete");
                }
            };

            catalog.watchedSlot(Mono.just("ready")).subscribe(slow);
            assertThat(signals).as("nothing before a request").isEmpty();
            slow.request(1);

            assertThat(signals).containsExactly("ready", "complete");
            assertThat(context.getBean(BulkheadRegistry.class).get("catalog").getAvailableConcurrentCalls())
                    .isEqualTo(1);
        });
    }

    @Test
    void monoPastItsDeadlineIsCancelledAndFailsWithCallTimeoutException() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();

            StepVerifier.withVirtualTime(() -> catalog.slowItem(Mono.delay(Duration.ofSeconds(3)).map(tick -> "late")
                    .doOnCancel(() -> cancelled.set(true))))
                    .expectSubscription().expectNoEvent(Duration.ofMillis(1999)).thenAwait(Duration.ofMillis(1))
                    .expectError(CallTimeoutException.class).verify(Duration.ofSeconds(5));

            assertThat(cancelled).as("the method's Mono was cancelled at the deadline").isTrue();
            dev.resilience.timeout.Timeout timeout = context.getBean(TimeoutRegistry.class).get("catalog");
            assertThat(timeout.getTimedOutCalls()).isEqualTo(1);
            assertThat(timeout.getSuccessfulCalls()).isZero();
        });
    }

    @Test
    void monoAnsweredBeforeItsDeadlineIsRecordedAsASuccess() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);

            StepVerifier.withVirtualTime(() -> catalog.slowItem(Mono.delay(Duration.ofSeconds(1)).map(tick -> "quick")))
                    .expectSubscription().thenAwait(Duration.ofSeconds(1)).expectNext("quick")
                    .then(() -> reactor.test.scheduler.VirtualTimeScheduler.get().advanceTimeBy(Duration.ofSeconds(5)))
                    .verifyComplete();

            dev.resilience.timeout.Timeout timeout = context.getBean(TimeoutRegistry.class).get("catalog");
            assertThat(timeout.getSuccessfulCalls()).isEqualTo(1);
            assertThat(timeout.getTimedOutCalls()).as("the deadline after the answer counts nothing").isZero();
        });
    }

    @Test
    void aCancelRacingTheEndOfStackedPoliciesReturnsTheSlotOnceAndRecordsTheCallAtMostOnce() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("catalog");
            dev.resilience.circuitbreaker.CircuitBreaker breaker =
                    context.getBean(CircuitBreakerRegistry.class).get("watched");
            for (int round = 0; round < 300; round++) {
                Sinks.One<String> pending = Sinks.one();
                Disposable subscription = catalog.stacked(pending::asMono).subscribe();
                int recorded = breaker.getMetrics().bufferedCalls();
                try {
                    Concurrently.run(2, 10, thread -> {
                        if (thread == 0) {
                            pending.tryEmitValue("done");
                        } else {
                            subscription.dispose();
                        }
                    });
                } catch (Exception failure) {
                    throw new AssertionError(failure);
                }
                assertThat(bulkhead.getAvailableConcurrentCalls()).as("round %d", round).isEqualTo(1);
                assertThat(breaker.getMetrics().bufferedCalls() - recorded).as("round %d", round)
                        .isBetween(0, 1);
            }
        });
    }

    @Test
    void aFailedAttemptGivesItsSlotBackAndACancelDuringTheBackoffOrTheNextAttemptHoldsNothing() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("catalog");
            dev.resilience.circuitbreaker.CircuitBreaker breaker =
                    context.getBean(CircuitBreakerRegistry.class).get("watched");
            AtomicInteger attempts = new AtomicInteger();
            java.util.function.Supplier<Mono<String>> failsThenHangs =
                    () -> attempts.incrementAndGet() == 1 ? Mono.error(new IOException("down")) : Mono.never();

            StepVerifier.withVirtualTime(() -> catalog.stacked(failsThenHangs)).expectSubscription()
                    .expectNoEvent(Duration.ofMillis(100))
                    .then(() -> assertThat(bulkhead.getAvailableConcurrentCalls()).as("free during the backoff")
                            .isEqualTo(1))
                    .thenCancel().verify(Duration.ofSeconds(5));

            assertThat(attempts).as("cancelled before the second attempt").hasValue(1);
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
            assertThat(breaker.getMetrics().bufferedCalls()).as("the failed attempt only").isEqualTo(1);

            attempts.set(0);
            StepVerifier.withVirtualTime(() -> catalog.stacked(failsThenHangs)).expectSubscription()
                    .thenAwait(Duration.ofMillis(500))
                    .then(() -> assertThat(bulkhead.getAvailableConcurrentCalls()).as("held by the second attempt")
                            .isZero())
                    .thenCancel().verify(Duration.ofSeconds(5));

            assertThat(attempts).hasValue(2);
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
            assertThat(breaker.getMetrics().bufferedCalls()).as("a cancelled attempt counts nothing").isEqualTo(2);
        });
    }

    @Test
    void fallbackAnswersOnceTheRetriesAreExhaustedAndEachAttemptReturnedItsSlot() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("catalog");
            dev.resilience.circuitbreaker.CircuitBreaker breaker =
                    context.getBean(CircuitBreakerRegistry.class).get("watched");
            dev.resilience.retry.Retry retry = context.getBean(RetryRegistry.class).get("catalog");

            StepVerifier.withVirtualTime(() -> catalog.stacked(() -> Mono.error(new IOException("down"))))
                    .expectSubscription().thenAwait(Duration.ofSeconds(1))
                    .expectNext("recovered after IOException").verifyComplete();

            assertThat(catalog.calls()).as("3 attempts").hasValue(3);
            assertThat(breaker.getMetrics().failedCalls()).isEqualTo(3);
            assertThat(retry.getMetrics().failedWithRetry()).isEqualTo(1);
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    @Test
    void anAttemptAbandonedAtItsDeadlineCannotSignalIntoTheNextAttempt() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("catalog");
            java.util.concurrent.atomic.AtomicReference<org.reactivestreams.Subscriber<? super String>> first =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Sinks.One<String> second = Sinks.one();
            Mono<String> ignoresCancel = Mono.fromDirect(subscriber -> {
                subscriber.onSubscribe(new org.reactivestreams.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                first.set(subscriber);
            });
            AtomicInteger attempts = new AtomicInteger();

            StepVerifier.withVirtualTime(() -> catalog.timedAttempts(
                    () -> attempts.incrementAndGet() == 1 ? ignoresCancel : second.asMono()))
                    .expectSubscription().thenAwait(Duration.ofMillis(2500))
                    .then(() -> {
                        assertThat(attempts).as("the second attempt runs").hasValue(2);
                        first.get().onNext("late");
                        first.get().onComplete();
                    })
                    .expectNoEvent(Duration.ofMillis(100))
                    .then(() -> second.tryEmitValue("second"))
                    .expectNext("second").verifyComplete();

            dev.resilience.timeout.Timeout timeout = context.getBean(TimeoutRegistry.class).get("catalog");
            assertThat(timeout.getTimedOutCalls()).isEqualTo(1);
            assertThat(timeout.getSuccessfulCalls()).isEqualTo(1);
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    @Test
    void aDeadlineThatPassesWhileWaitingForASlotLeavesTheQueueAndNeverRunsTheMethod() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("queue");
            Disposable holder = catalog.queue(Mono.never()).subscribe();

            StepVerifier.withVirtualTime(() -> catalog.timedQueue(Mono.just("late"))).expectSubscription()
                    .then(() -> assertThat(bulkhead.getWaitingCalls()).isEqualTo(1))
                    .thenAwait(Duration.ofSeconds(2)).expectError(CallTimeoutException.class)
                    .verify(Duration.ofSeconds(5));

            assertThat(bulkhead.getWaitingCalls()).isZero();
            holder.dispose();
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
            assertThat(catalog.calls()).as("only the holder ran").hasValue(1);
        });
    }

    @Test
    void anAttemptAbandonedWhileWaitingForASlotLeavesTheNextAttemptItsOwnWait() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("queue");
            Disposable holder = catalog.queue(Mono.never()).subscribe();

            StepVerifier.withVirtualTime(() -> catalog.timedQueueRetried(Mono.just("served"))).expectSubscription()
                    .thenAwait(Duration.ofMillis(2500))
                    .then(() -> assertThat(bulkhead.getWaitingCalls()).as("the second attempt waits").isEqualTo(1))
                    .then(holder::dispose)
                    .expectNext("served").verifyComplete();

            assertThat(catalog.calls()).as("the holder and the second attempt ran").hasValue(2);
            assertThat(bulkhead.getWaitingCalls()).isZero();
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
            assertThat(context.getBean(TimeoutRegistry.class).get("catalog").getTimedOutCalls()).isEqualTo(1);
        });
    }

    @Test
    void aMonoSubscribedTwiceRunsEachSubscriptionUnderItsOwnPolicies() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            dev.resilience.bulkhead.Bulkhead bulkhead = context.getBean(BulkheadRegistry.class).get("catalog");
            Sinks.One<String> pending = Sinks.one();
            Mono<String> held = catalog.hold(pending.asMono());

            java.util.List<String> firstGot = new java.util.concurrent.CopyOnWriteArrayList<>();
            held.subscribe(firstGot::add);
            StepVerifier.create(held).as("the same Mono again, while the first holds the only slot")
                    .expectError(BulkheadFullException.class).verify(Duration.ofSeconds(5));
            pending.tryEmitValue("done");

            assertThat(firstGot).containsExactly("done");
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
            StepVerifier.create(held).expectNext("done").verifyComplete();
            assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        });
    }

    /** Public: proxied with CGLIB. */
    public static class Catalog {
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger failuresBeforeSuccess = new AtomicInteger();

        public AtomicInteger calls() {
            return calls;
        }

        public AtomicInteger failuresBeforeSuccess() {
            return failuresBeforeSuccess;
        }

        @Retry("catalog")
        @CircuitBreaker("catalog")
        public Mono<String> item() {
            calls.incrementAndGet();
            return failuresBeforeSuccess.getAndDecrement() > 0 ? Mono.error(new IOException("down")) : Mono.just("item");
        }

        @Retry("catalog")
        public Flux<String> items() {
            return failuresBeforeSuccess.getAndDecrement() > 0
                    ? Flux.just("a").concatWith(Flux.error(new IOException("down"))) : Flux.just("a", "b", "c");
        }

        @CircuitBreaker("catalog-fallback")
        @Fallback("cached")
        public Mono<String> withFallback() {
            return Mono.error(new IOException("down"));
        }

        Mono<String> cached(Exception failure) {
            return Mono.just("cached after " + failure.getClass().getSimpleName());
        }

        @Retry("search")
        public Mono<String> search() {
            return Mono.just(failuresBeforeSuccess.getAndDecrement() > 0 ? "empty" : "found");
        }

        @Retry("search")
        public Flux<String> searchAll() {
            return Flux.just("a", failuresBeforeSuccess.getAndDecrement() > 0 ? "empty" : "found");
        }

        @Bulkhead("catalog")
        public Mono<String> hold(Mono<String> work) {
            return work;
        }

        @CircuitBreaker("watched")
        @Bulkhead("catalog")
        public Mono<String> watchedSlot(Mono<String> work) {
            return work;
        }

        @dev.resilience.annotation.Degradable("extras")
        public Mono<String> extras() {
            calls.incrementAndGet();
            return Mono.just("extras");
        }

        @Bulkhead("queue")
        public Mono<String> queue(Mono<String> work) {
            calls.incrementAndGet();
            return work;
        }

        @RateLimiter("paced")
        public Mono<String> paced() {
            calls.incrementAndGet();
            return Mono.just("paced");
        }

        @CircuitBreaker("watched")
        @Retry("catalog")
        @Bulkhead("catalog")
        @Fallback("recovered")
        public Mono<String> stacked(java.util.function.Supplier<Mono<String>> work) {
            calls.incrementAndGet();
            return work.get();
        }

        Mono<String> recovered(java.util.function.Supplier<Mono<String>> work, Exception failure) {
            return Mono.just("recovered after " + failure.getClass().getSimpleName());
        }

        @Retry("catalog")
        @Timeout("catalog")
        @Bulkhead("catalog")
        public Mono<String> timedAttempts(java.util.function.Supplier<Mono<String>> work) {
            return work.get();
        }

        @Retry("catalog")
        @Timeout("catalog")
        @Bulkhead("queue")
        public Mono<String> timedQueueRetried(Mono<String> work) {
            calls.incrementAndGet();
            return work;
        }

        @Timeout("catalog")
        @Bulkhead("queue")
        public Mono<String> timedQueue(Mono<String> work) {
            calls.incrementAndGet();
            return work;
        }

        @Timeout("catalog")
        public Mono<String> slowItem(Mono<String> work) {
            return work;
        }

        @Timeout("catalog")
        public Flux<String> slow(Flux<String> work) {
            return work;
        }
    }
}
