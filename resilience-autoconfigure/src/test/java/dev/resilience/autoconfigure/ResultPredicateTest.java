package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.FakeTime;
import dev.resilience.core.ResultPredicateException;
import dev.resilience.core.Timing;
import dev.resilience.retry.RetryRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * {@code record-result} / {@code retry-on-result} predicates of the wrong type: refused at startup when their type
 * is known, and named (never a bare {@link ClassCastException}) when one fails on a call.
 */
class ResultPredicateTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withUserConfiguration(Predicates.class);

    @Test
    void aPredicateOfThrowablesIsRefusedAtStartupNamingThePropertyAndTheBean() {
        runner.withPropertyValues("resilience.retry.instances.status.retry-on-result=failures").run(context -> {
            assertThat(context).hasFailed();
            assertThat(ResilienceAutoConfigurationTest.messages(context.getStartupFailure()))
                    .contains("resilience.retry.instances.status.retry-on-result").contains("'failures'")
                    .contains("bean 'failures'").contains("Predicate<java.lang.Throwable>");
        });
        runner.withPropertyValues("resilience.circuitbreaker.configs.default.record-result=failures").run(context -> {
            assertThat(context).hasFailed();
            assertThat(ResilienceAutoConfigurationTest.messages(context.getStartupFailure()))
                    .contains("resilience.circuitbreaker.configs.default.record-result").contains("bean 'failures'");
        });
    }

    @Test
    void aPredicateThatCanNeverAcceptAMethodsResultsStopsStartupNamingItTheInstanceAndTheMethod() {
        runner.withUserConfiguration(StatusClientConfiguration.class)
                .withPropertyValues("resilience.circuitbreaker.instances.status.record-result=texts").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(ResilienceAutoConfigurationTest.messages(context.getStartupFailure()))
                            .contains("record-result predicate bean 'texts'").contains("circuit breaker 'status'")
                            .contains("Predicate<java.lang.String>")
                            .contains(StatusClient.class.getName() + ".status") // whichever method is built first
                            .contains("results of type java.lang.Integer");
                });
    }

    @Test
    void aPredicateOfACompatibleTypeIsAccepted() {
        runner.withUserConfiguration(StatusClientConfiguration.class)
                .withPropertyValues("resilience.circuitbreaker.instances.status.record-result=numbers",
                        "resilience.retry.instances.status.retry-on-result=numbers").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(StatusClient.class).status()).isEqualTo(200);
                });
    }

    @Test
    void aPredicateThatFailsOnACallFailsItWithAMessageNamingTheInstanceAndThePredicate() {
        runner.withUserConfiguration(StatusClientConfiguration.class)
                .withPropertyValues("resilience.circuitbreaker.instances.status.record-result=castsToText",
                        "resilience.retry.instances.lookup.retry-on-result=castsToText").run(context -> {
                    assertThat(context).hasNotFailed();
                    StatusClient client = context.getBean(StatusClient.class);

                    assertThatThrownBy(client::status).isInstanceOf(ResultPredicateException.class)
                            .hasMessageContaining("record-result predicate bean 'castsToText'")
                            .hasMessageContaining("circuit breaker 'status'")
                            .hasCauseInstanceOf(ClassCastException.class);
                    assertThat(context.getBean(CircuitBreakerRegistry.class).get("status").getMetrics()
                            .failedCalls()).isEqualTo(1);

                    assertThatThrownBy(client::lookup).isInstanceOf(ResultPredicateException.class)
                            .hasMessageContaining("retry-on-result predicate bean 'castsToText'")
                            .hasMessageContaining("retry 'lookup'");
                    assertThat(client.lookups()).as("not retried").hasValue(1);
                    assertThat(context.getBean(RetryRegistry.class).get("lookup").getMetrics().failedWithoutRetry())
                            .isEqualTo(1);
                });
    }

    @Test
    void aPredicateThatFailsOnAStageFailsTheStageInsteadOfLeavingItPending() {
        runner.withUserConfiguration(StatusClientConfiguration.class)
                .withPropertyValues("resilience.circuitbreaker.instances.status.record-result=castsToText",
                        "resilience.retry.instances.lookup.retry-on-result=castsToText").run(context -> {
                    StatusClient client = context.getBean(StatusClient.class);

                    CompletableFuture<Integer> status = client.statusAsync();
                    CompletableFuture<Integer> lookup = client.lookupAsync();

                    assertThatThrownBy(() -> status.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                            .cause().isInstanceOf(ResultPredicateException.class)
                            .hasMessageContaining("circuit breaker 'status'");
                    assertThatThrownBy(() -> lookup.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                            .cause().isInstanceOf(ResultPredicateException.class)
                            .hasMessageContaining("retry 'lookup'");
                });
    }

    @Test
    void aPredicateThatFailsOnAMonoFailsItWithTheNamedException() {
        runner.withUserConfiguration(StatusClientConfiguration.class)
                .withPropertyValues("resilience.circuitbreaker.instances.status.record-result=castsToText",
                        "resilience.retry.instances.lookup.retry-on-result=castsToText").run(context -> {
                    StatusClient client = context.getBean(StatusClient.class);

                    assertThatThrownBy(() -> client.statusMono().block(Duration.ofSeconds(10)))
                            .isInstanceOf(ResultPredicateException.class)
                            .hasMessageContaining("record-result predicate bean 'castsToText'");
                    assertThatThrownBy(() -> client.lookupMono().block(Duration.ofSeconds(10)))
                            .isInstanceOf(ResultPredicateException.class).hasMessageContaining("retry 'lookup'");
                    assertThat(client.lookups()).as("not retried").hasValue(1);
                });
    }

    @Test
    void aMonosValueDroppedBecauseAPredicateFailedGoesToTheDiscardHook() {
        runner.withUserConfiguration(StatusClientConfiguration.class)
                .withPropertyValues("resilience.circuitbreaker.instances.status.record-result=castsToText",
                        "resilience.retry.instances.lookup.retry-on-result=castsToText").run(context -> {
                    StatusClient client = context.getBean(StatusClient.class);
                    List<Object> discarded = new CopyOnWriteArrayList<>();

                    assertThatThrownBy(() -> client.statusMono()
                            .contextWrite(current -> Operators.enableOnDiscard(current, discarded::add))
                            .block(Duration.ofSeconds(10))).isInstanceOf(ResultPredicateException.class);
                    assertThatThrownBy(() -> client.lookupMono()
                            .contextWrite(current -> Operators.enableOnDiscard(current, discarded::add))
                            .block(Duration.ofSeconds(10))).isInstanceOf(ResultPredicateException.class);

                    assertThat(discarded).containsExactly(200, 200);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Predicates {
        @Bean
        Predicate<Throwable> failures() {
            return failure -> failure.getMessage() != null;
        }

        @Bean
        Predicate<String> texts() {
            return String::isEmpty;
        }

        @Bean
        Predicate<Number> numbers() {
            return number -> number.intValue() == 503;
        }

        /** Declared for any result, but written for texts: the type only shows on a call. */
        @Bean
        Predicate<Object> castsToText() {
            return result -> ((String) result).isEmpty();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class StatusClientConfiguration {
        @Bean
        StatusClient statusClient() {
            return new StatusClient();
        }
    }

    /** Public: CGLIB proxies it. */
    public static class StatusClient {
        private final AtomicInteger lookups = new AtomicInteger();

        AtomicInteger lookups() {
            return lookups;
        }

        @CircuitBreaker("status")
        public Integer status() {
            return 200;
        }

        @CircuitBreaker("status")
        public CompletableFuture<Integer> statusAsync() {
            return CompletableFuture.completedFuture(200);
        }

        @CircuitBreaker("status")
        public Mono<Integer> statusMono() {
            return Mono.just(200);
        }

        @Retry("lookup")
        public Integer lookup() {
            lookups.incrementAndGet();
            return 200;
        }

        @Retry("lookup")
        public CompletableFuture<Integer> lookupAsync() {
            lookups.incrementAndGet();
            return CompletableFuture.completedFuture(200);
        }

        @Retry("lookup")
        public Mono<Integer> lookupMono() {
            return Mono.fromSupplier(() -> {
                lookups.incrementAndGet();
                return 200;
            });
        }
    }
}
