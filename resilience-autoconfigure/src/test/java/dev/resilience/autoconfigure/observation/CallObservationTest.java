package dev.resilience.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.FakeTime;
import dev.resilience.core.GuardedCallObserver;
import dev.resilience.core.Timing;
import dev.resilience.degradation.FeatureDegradedException;
import dev.resilience.guard.Resilience;
import dev.resilience.timeout.CallTimeoutException;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.test.StepVerifier;

/** One observation per guarded call, with its outcome and its retries, rejections and fallbacks as events. */
class CallObservationTest {

    private final FakeTime time = new FakeTime();
    private final TestObservationRegistry registry = TestObservationRegistry.create();
    /** Each event as "observation contextual name: event name (event contextual name)". */
    private final List<String> events = new CopyOnWriteArrayList<>();

    /** Real time: a timeout's deadline needs it, as the calling thread waits for it. */
    private final ApplicationContextRunner realTime = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceObservationAutoConfiguration.class))
            .withBean(ObservedServices.class, ObservedServices::new).withPropertyValues("resilience.timeout.instances.slow.timeout-duration=50ms",
                    "resilience.degradation.features.recommendations.enabled=false");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceObservationAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withBean(ObservedServices.class, ObservedServices::new)
            .withPropertyValues("resilience.retry.instances.inventory.max-attempts=3",
                    "resilience.retry.instances.inventory.wait-duration=10ms",
                    "resilience.timeout.instances.slow.timeout-duration=50ms",
                    "resilience.degradation.features.recommendations.enabled=false");

    CallObservationTest() {
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onEvent(Observation.Event event, Observation.Context context) {
                events.add(event.getName() + " (" + event.getContextualName() + ")");
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
    }

    private void run(ContextConsumer<AssertableApplicationContext> test) {
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            assertThat(context).hasNotFailed();
            test.accept(context);
        });
    }

    @Test
    void aSuccessfulCallIsOneObservationNamedAfterItsInstance() {
        run(context -> {
            assertThat(context.getBean(ObservedServices.class).stock()).isEqualTo("12");

            TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                    .hasNameEqualTo("resilience.call").hasContextualNameEqualTo("resilience inventory")
                    .hasLowCardinalityKeyValue("resilience.instance", "inventory")
                    .hasLowCardinalityKeyValue("resilience.method", "ObservedServices.stock")
                    .hasLowCardinalityKeyValue("resilience.outcome", "success")
                    .hasHighCardinalityKeyValue("resilience.attempts", "1")
                    .doesNotHaveError().hasBeenStarted().hasBeenStopped();
            assertThat(events).isEmpty();
        });
    }

    @Test
    void retriesAndTheFallbackAreEventsOfTheOneObservation() {
        run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            services.failing().set(3);

            assertThat(services.stockOrCached()).isEqualTo("cached");

            TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                    .hasLowCardinalityKeyValue("resilience.outcome", "fallback")
                    .hasHighCardinalityKeyValue("resilience.attempts", "3")
                    .doesNotHaveError().hasBeenStopped();
            assertThat(events).containsExactly("retry (retry 2 after IOException)",
                    "retry (retry 3 after IOException)", "fallback (fallback after IOException)");
        });
    }

    @Test
    void exhaustedRetriesEndAsAFailureWithTheMethodsError() {
        run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            services.failing().set(3);

            assertThatThrownBy(services::stock).isInstanceOf(IOException.class);

            TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                    .hasLowCardinalityKeyValue("resilience.outcome", "failure")
                    .hasError().hasBeenStopped();
            assertThat(events).containsExactly("retry (retry 2 after IOException)",
                    "retry (retry 3 after IOException)");
        });
    }

    @Test
    void anOpenBreakerIsARejectionToldOnce() {
        run(context -> {
            context.getBean(CircuitBreakerRegistry.class).get("inventory").transitionToForcedOpen();

            assertThatThrownBy(context.getBean(ObservedServices.class)::stock)
                    .isInstanceOf(CircuitBreakerOpenException.class);

            TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                    .hasLowCardinalityKeyValue("resilience.outcome", "rejected").hasError();
            assertThat(events).containsExactly("rejected (rejected: CircuitBreakerOpenException)");
        });
    }

    @Test
    void aTimeoutAndAShedFeatureHaveOutcomesOfTheirOwn() {
        realTime.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);

            assertThatThrownBy(services::slow).isInstanceOf(CallTimeoutException.class);
            assertThatThrownBy(services::recommendations).isInstanceOf(FeatureDegradedException.class);

            TestObservationRegistryAssert.assertThat(registry).hasNumberOfObservationsEqualTo(2)
                    .hasAnObservation(observation -> observation.hasContextualNameEqualTo("resilience slow")
                            .hasLowCardinalityKeyValue("resilience.outcome", "timeout"))
                    .hasAnObservation(observation -> observation
                            .hasContextualNameEqualTo("resilience recommendations")
                            .hasLowCardinalityKeyValue("resilience.outcome", "shed"));
        });
    }

    @Test
    void aStoredAnswerIsStale() {
        run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            services.price("apple");
            services.failing().set(1);

            assertThat(services.price("apple")).isEqualTo("9.99");

            TestObservationRegistryAssert.assertThat(registry).hasNumberOfObservationsEqualTo(2)
                    .hasAnObservation(observation -> observation.hasLowCardinalityKeyValue("resilience.outcome",
                            "stale").doesNotHaveError());
        });
    }

    @Test
    void aCompletionStageCallIsObservedUntilItsStageCompletes() {
        run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            services.failing().set(1);

            var stage = services.stockAsync();
            assertThat(registry.getCurrentObservation()).isNull();
            time.advance(Duration.ofMillis(10)); // the retry's backoff, on the fake scheduler

            assertThat(stage).isCompletedWithValue("12");
            TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                    .hasLowCardinalityKeyValue("resilience.outcome", "success")
                    .hasHighCardinalityKeyValue("resilience.attempts", "2").hasBeenStopped();
            assertThat(events).containsExactly("retry (retry 2 after IOException)");
        });
    }

    @Test
    void aCompletionStageFallbackIsToldAndEndsTheCallAsFallback() {
        run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            services.failing().set(3);

            var stage = services.stockOrCachedAsync();
            time.advance(Duration.ofMillis(10));
            time.advance(Duration.ofMillis(10));

            assertThat(stage).isCompletedWithValue("cached");
            TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                    .hasLowCardinalityKeyValue("resilience.outcome", "fallback").doesNotHaveError();
            assertThat(events).containsExactly("retry (retry 2 after IOException)",
                    "retry (retry 3 after IOException)", "fallback (fallback after IOException)");
        });
    }

    @Test
    void aMonoIsObservedPerSubscription() {
        run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            services.failing().set(3);

            StepVerifier.create(services.stockMono()).expectNext("cached").expectComplete()
                    .verify(Duration.ofSeconds(10));

            TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                    .hasLowCardinalityKeyValue("resilience.method", "ObservedServices.stockMono")
                    .hasLowCardinalityKeyValue("resilience.outcome", "fallback").hasBeenStopped();
            assertThat(events).containsExactly("retry (retry 2 after IOException)",
                    "retry (retry 3 after IOException)", "fallback (fallback after IOException)");
        });
    }

    @Test
    void aMonosSequenceFindsTheCallsObservationInItsContext() {
        run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);

            StepVerifier.create(services.stockMonoInContext()).expectNext("12").expectComplete()
                    .verify(Duration.ofSeconds(10));

            assertThat(services.seen()).containsExactly("resilience.call inventory");
        });
    }

    @Test
    void aMonosObservationIsAChildOfTheObservationInItsSubscribersContext() {
        run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            Observation request = Observation.start("http.server.requests", registry);

            StepVerifier.create(services.stockMono().contextWrite(
                    reactor.util.context.Context.of("micrometer.observation", request)))
                    .expectNext("12").expectComplete().verify(Duration.ofSeconds(10));
            request.stop();

            TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo("resilience.call")
                    .that().hasParentObservationEqualTo(request);
        });
    }

    @Test
    void aGuardBuiltInCodeIsObservedUnderItsName() {
        run(context -> {
            var guard = context.getBean(Resilience.class).guard("pricing").withRetry("inventory");

            assertThat(guard.call(() -> "ok")).isEqualTo("ok");

            TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                    .hasContextualNameEqualTo("resilience pricing")
                    .hasLowCardinalityKeyValue("resilience.method", "guard:pricing");
        });
    }

    @Test
    void theApplicationsConventionReplacesTheDefault() {
        runner.withBean(ObservationRegistry.class, () -> registry)
                .withBean(ResilienceObservationConvention.class, () -> new DefaultResilienceObservationConvention() {
                    @Override
                    public KeyValues getLowCardinalityKeyValues(ResilienceObservationContext context) {
                        return super.getLowCardinalityKeyValues(context).and("team", "checkout");
                    }

                    @Override
                    public String getName() {
                        return "checkout.dependency";
                    }
                })
                .run(context -> {
                    context.getBean(ObservedServices.class).stock();

                    TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                            .hasNameEqualTo("checkout.dependency").hasLowCardinalityKeyValue("team", "checkout")
                            .hasLowCardinalityKeyValue("resilience.outcome", "success");
                });
    }

    @Test
    void pipelinesBuiltWhileTheRegistryIsANoOpOneAreNeverObserved() {
        ObservationRegistry noop = ObservationRegistry.create(); // no handler: a no-op registry
        List<String> started = new CopyOnWriteArrayList<>();
        runner.withBean(ObservationRegistry.class, () -> noop).run(context -> {
            ObservedServices services = context.getBean(ObservedServices.class);
            services.stock(); // builds the pipeline, without an observation step
            noop.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public void onStart(Observation.Context observed) {
                    started.add(observed.getName());
                }

                @Override
                public boolean supportsContext(Observation.Context observed) {
                    return true;
                }
            });

            services.failing().set(1);
            services.stock();

            assertThat(started).isEmpty();
            assertThat(context.getBean(GuardedCallObserver.class).forMethod("inventory", "ObservedServices.stock"))
                    .as("a pipeline built now is observed").isNotNull();
        });
    }

    @Test
    void withoutMicrometerObservationNothingIsObservedAndCallsWork() {
        runner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(GuardedCallObserver.class);
            assertThat(context.getBean(ObservedServices.class).stock()).isEqualTo("12");
        });
    }
}
