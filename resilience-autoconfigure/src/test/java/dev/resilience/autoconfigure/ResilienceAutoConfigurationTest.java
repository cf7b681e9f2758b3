package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.circuitbreaker.Criticality;
import dev.resilience.circuitbreaker.SlidingWindowType;
import dev.resilience.core.Timing;
import dev.resilience.retry.RetryConfig;
import dev.resilience.retry.RetryRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ResilienceAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class));

    @Test
    void instancesWithoutEntryGetTheDocumentedDefaults() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(CircuitBreakerRegistry.class).get("anything").getConfig())
                    .isEqualTo(CircuitBreakerConfig.defaults());
            assertThat(context.getBean(RetryRegistry.class).get("anything").getConfig())
                    .isEqualTo(RetryConfig.defaults());
            assertThat(context.getBean(BulkheadRegistry.class).get("anything").getConfig().maxConcurrentCalls())
                    .isEqualTo(25);
        });
    }

    @Test
    void aNewContextReusesTheProxyClassOfAGuardedBean() {
        ApplicationContextRunner withBean = runner.withBean(Guarded.class, Guarded::new);
        AtomicReference<Class<?>> first = new AtomicReference<>();
        withBean.run(context -> first.set(context.getBean(Guarded.class).getClass()));
        withBean.run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            assertThat(AopUtils.isAopProxy(guarded)).isTrue();
            assertThat(guarded.getClass()).as("no proxy class generated again").isSameAs(first.get());
            assertThat(guarded.answer()).isEqualTo(42);
        });
    }

    @Test
    void instancesStartFromConfigsDefaultAndOverrideIt() {
        runner.withPropertyValues("resilience.circuitbreaker.configs.default.failure-rate-threshold=25",
                "resilience.circuitbreaker.configs.default.sliding-window-size=40",
                "resilience.circuitbreaker.instances.inventory.sliding-window-size=10",
                "resilience.circuitbreaker.instances.inventory.sliding-window-type=time-based",
                "resilience.circuitbreaker.instances.inventory.record-exceptions=java.io.IOException",
                "resilience.circuitbreaker.instances.inventory.criticality=critical").run(context -> {
                    CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
                    assertThat(registry.find("inventory")).as("configured instances exist from startup").isPresent();
                    CircuitBreakerConfig inventory = registry.get("inventory").getConfig();
                    assertThat(inventory.failureRateThreshold()).isEqualTo(25f);
                    assertThat(inventory.slidingWindowSize()).isEqualTo(10);
                    assertThat(inventory.slidingWindowType()).isEqualTo(SlidingWindowType.TIME_BASED);
                    assertThat(inventory.recordExceptions()).containsExactly(IOException.class);
                    assertThat(inventory.criticality()).isEqualTo(Criticality.CRITICAL);
                    assertThat(registry.get("unconfigured").getConfig().slidingWindowSize())
                            .as("an unconfigured name gets configs.default").isEqualTo(40);
                });
    }

    @Test
    void baseConfigChainsInheritInOrder() {
        runner.withPropertyValues("resilience.retry.configs.default.max-attempts=7",
                "resilience.retry.configs.default.jitter=0.1",
                "resilience.retry.configs.patient.base-config=default",
                "resilience.retry.configs.patient.wait-duration=2s",
                "resilience.retry.configs.very-patient.base-config=patient",
                "resilience.retry.configs.very-patient.max-duration=1m",
                "resilience.retry.instances.payments.base-config=very-patient",
                "resilience.retry.instances.payments.max-attempts=4").run(context -> {
                    RetryConfig payments = context.getBean(RetryRegistry.class).get("payments").getConfig();
                    assertThat(payments.maxAttempts()).isEqualTo(4);
                    assertThat(payments.waitDuration()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(payments.maxDuration()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(payments.jitter()).isEqualTo(0.1);
                });
    }

    @Test
    void aspectjModeWithoutTheAspectJModuleStopsStartupInsteadOfGuardingNothing() {
        // This module's tests run without resilience-aspectj, as an application that forgot to add it.
        runner.withBean(Guarded.class, Guarded::new).withPropertyValues("resilience.aop.mode=aspectj").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("resilience.aop.mode")
                    .hasStackTraceContaining("aspectj").hasStackTraceContaining("dev.resilience:resilience-aspectj")
                    .hasStackTraceContaining("or use proxy");
        });
    }

    @Test
    void aModeWithSpacesAroundItStopsStartupInsteadOfGuardingNothing() {
        // A properties file keeps trailing spaces; the advisor's condition would not match "proxy ", so nothing
        // would be guarded while the mode read as proxy.
        runner.withBean(Guarded.class, Guarded::new)
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new MapPropertySource("spaces", Map.of("resilience.aop.mode", "proxy "))))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("resilience.aop.mode")
                            .hasStackTraceContaining("must be proxy or aspectj, without spaces around it");
                });
    }

    @Test
    void outOfRangeValueStopsStartupNamingPathValueAndRange() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.inventory.failure-rate-threshold=150")
                .run(context -> assertStartupFailure(context,
                        "resilience.circuitbreaker.instances.inventory.failure-rate-threshold", "150",
                        "must be in (0, 100]"));
    }

    @Test
    void inheritedBadValueIsReportedWhereItWasWritten() {
        runner.withPropertyValues("resilience.bulkhead.configs.default.max-concurrent-calls=0",
                "resilience.bulkhead.instances.inventory.max-wait-duration=1s")
                .run(context -> assertStartupFailure(context, "resilience.bulkhead.configs.default.max-concurrent-calls",
                        "0", "must be at least 1"));
    }

    @Test
    void unusedSharedConfigIsValidatedToo() {
        runner.withPropertyValues("resilience.retry.configs.spare.jitter=2")
                .run(context -> assertStartupFailure(context, "resilience.retry.configs.spare.jitter", "2",
                        "must be in [0.0, 1.0]"));
    }

    @Test
    void negativeDurationStopsStartup() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.inventory.wait-duration-in-open-state=-5s")
                .run(context -> assertStartupFailure(context,
                        "resilience.circuitbreaker.instances.inventory.wait-duration-in-open-state", "PT-5S",
                        "must be zero or positive"));
    }

    @Test
    void unknownExceptionClassStopsStartup() {
        runner.withPropertyValues("resilience.retry.instances.payments.retry-exceptions=com.example.NoSuchException")
                .run(context -> assertStartupFailure(context, "resilience.retry.instances.payments.retry-exceptions",
                        "com.example.NoSuchException", "was not found"));
    }

    @Test
    void unknownWindowTypeStopsStartupListingTheAllowedValues() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.inventory.sliding-window-type=sliding")
                .run(context -> assertStartupFailure(context,
                        "resilience.circuitbreaker.instances.inventory.sliding-window-type", "sliding",
                        "[count-based, time-based]"));
    }

    @Test
    void unknownBaseConfigStopsStartup() {
        runner.withPropertyValues("resilience.retry.configs.fast.max-attempts=2",
                "resilience.retry.instances.payments.base-config=slow")
                .run(context -> assertStartupFailure(context, "resilience.retry.instances.payments.base-config", "slow",
                        "must name an entry of resilience.retry.configs [fast]"));
    }

    @Test
    void backsOffWhenUserDefinesOwnRegistry() {
        CircuitBreakerRegistry own = new CircuitBreakerRegistry(name -> CircuitBreakerConfig.builder()
                .failureRateThreshold(1).build(), Timing.system());
        runner.withBean(CircuitBreakerRegistry.class, () -> own).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(CircuitBreakerRegistry.class)).isSameAs(own);
        });
    }

    @Test
    void missingFallbackStopsStartupNamingClassMethodFallbackAndSignature() {
        runner.withUserConfiguration(MissingFallbackConfiguration.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains(MissingFallback.class.getName() + ".price(String)")
                    .contains("fallback method 'cachedPrice' does not exist")
                    .contains("expected 'int cachedPrice(String)' or 'int cachedPrice(String, Throwable)'");
        });
    }

    @Test
    void fallbackWithWrongSignatureStopsStartup() {
        runner.withUserConfiguration(WrongFallbackConfiguration.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("'cachedPrice' has the wrong signature")
                    .contains("found 'int cachedPrice(Integer)'");
        });
    }

    @Test
    void annotationWithoutInstanceNameStopsStartup() {
        runner.withUserConfiguration(UnnamedConfiguration.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("@Retry on " + Unnamed.class.getName()
                    + ".call() needs an instance name");
        });
    }

    @Test
    void resultPredicateMustNameAPredicateBeanOrClass() {
        runner.withPropertyValues("resilience.retry.instances.payments.retry-on-result=noSuchPredicate")
                .run(context -> assertStartupFailure(context, "resilience.retry.instances.payments.retry-on-result",
                        "noSuchPredicate", "must name a java.util.function.Predicate bean"));
        runner.withPropertyValues("resilience.circuitbreaker.instances.inventory.record-result=java.lang.Object")
                .run(context -> assertStartupFailure(context,
                        "resilience.circuitbreaker.instances.inventory.record-result", "java.lang.Object",
                        "must name a java.util.function.Predicate"));
    }

    @Test
    void retryBudgetBindsAndIsValidated() {
        runner.withPropertyValues("resilience.retry.instances.payments.budget.ratio=0.2",
                "resilience.retry.instances.payments.budget.window=30s").run(context -> {
                    RetryConfig payments = context.getBean(RetryRegistry.class).get("payments").getConfig();
                    assertThat(payments.budget().ratio()).isEqualTo(0.2);
                    assertThat(payments.budget().window()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(payments.budget().minRetriesPerSecond()).isEqualTo(10);
                    assertThat(context.getBean(RetryRegistry.class).get("other").getConfig().budget())
                            .as("no budget by default").isNull();
                });
        runner.withPropertyValues("resilience.retry.instances.payments.budget.window=30s")
                .run(context -> assertStartupFailure(context, "resilience.retry.instances.payments.budget.window",
                        "PT30S", "needs budget.ratio"));
    }

    @Test
    void rateLimiterAndTimeoutValuesAreValidatedAtStartup() {
        runner.withPropertyValues("resilience.ratelimiter.instances.api.limit-refresh-period=0s")
                .run(context -> assertStartupFailure(context,
                        "resilience.ratelimiter.instances.api.limit-refresh-period", "PT0S", "must be positive"));
        runner.withPropertyValues("resilience.timeout.configs.default.cancel-running-future=sometimes")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void publisherOtherThanMonoOrFluxStopsStartupInsteadOfBeingGuardedWrongly() {
        runner.withBean(Reactive.class, Reactive::new).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains(Reactive.class.getName() + ".load()")
                    .contains("returns OwnPublisher").contains("not supported");
        });
    }

    /** A publisher of another library: its signals cannot be guarded. */
    static class Guarded {
        @CircuitBreaker("guarded")
        public int answer() {
            return 42;
        }
    }

    static class OwnPublisher implements org.reactivestreams.Publisher<String> {
        @Override
        public void subscribe(org.reactivestreams.Subscriber<? super String> subscriber) {
        }
    }

    static class Reactive {
        @Retry("reactive")
        public OwnPublisher load() {
            return new OwnPublisher();
        }
    }

    private static void assertStartupFailure(AssertableApplicationContext context, String path, String value,
            String allowed) {
        assertThat(context).hasFailed();
        assertThat(messages(context.getStartupFailure())).contains(path).contains("'" + value).contains(allowed);
    }

    /** Every message in the cause chain, as a user reads them in the startup log. */
    static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable current = failure; current != null; current = current.getCause()) {
            all.append(current.getMessage()).append('\n');
        }
        return all.toString();
    }

    static class MissingFallback {
        @CircuitBreaker("prices")
        @Fallback(method = "cachedPrice")
        public int price(String sku) {
            return 1;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MissingFallbackConfiguration {
        @Bean
        MissingFallback missingFallback() {
            return new MissingFallback();
        }
    }

    static class WrongFallback {
        @Fallback("cachedPrice")
        public int price(String sku) {
            return 1;
        }

        int cachedPrice(Integer sku) {
            return 0;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WrongFallbackConfiguration {
        @Bean
        WrongFallback wrongFallback() {
            return new WrongFallback();
        }
    }

    static class Unnamed {
        @Retry
        public List<String> call() {
            return List.of();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UnnamedConfiguration {
        @Bean
        Unnamed unnamed() {
            return new Unnamed();
        }
    }
}
