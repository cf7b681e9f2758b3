package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.circuitbreaker.StateTransition;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import dev.resilience.ratelimiter.RateLimitExceededException;
import dev.resilience.retry.RetryRegistry;
import dev.resilience.timeout.CallTimeoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.NameMatchMethodPointcut;
import org.springframework.core.Ordered;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** The policies on real proxied beans, in the contract's order, with fake time. */
class PolicyBehaviourTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withUserConfiguration(Beans.class)
            .withPropertyValues("resilience.circuitbreaker.instances.inventory.minimum-number-of-calls=2",
                    "resilience.circuitbreaker.instances.inventory.sliding-window-size=10",
                    "resilience.circuitbreaker.instances.inventory.failure-rate-threshold=50",
                    "resilience.retry.instances.inventory.max-attempts=5",
                    "resilience.retry.instances.answers.max-attempts=3",
                    "resilience.bulkhead.instances.narrow.max-concurrent-calls=1",
                    "resilience.ratelimiter.instances.api.limit-for-period=2",
                    "resilience.ratelimiter.instances.api.limit-refresh-period=1h",
                    "resilience.timeout.instances.slow.timeout-duration=2s",
                    "resilience.retry.instances.status.retry-on-result=unavailable",
                    "resilience.circuitbreaker.instances.status.record-result=unavailable",
                    "resilience.circuitbreaker.instances.status.minimum-number-of-calls=100");

    private void run(Consumer<AssertableApplicationContext> test) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            test.accept(context);
        });
    }

    @Test
    void annotatedBeansAreProxied() {
        run(context -> assertThat(AopUtils.isAopProxy(context.getBean(Inventory.class))).isTrue());
    }

    @Test
    void retryAroundAnOpeningBreakerStopsAtTheRejection() {
        run(context -> {
            Inventory inventory = context.getBean(Inventory.class);
            inventory.failing().set(true);

            assertThatThrownBy(() -> inventory.stock("sku")).isInstanceOf(CircuitBreakerOpenException.class);

            assertThat(inventory.calls()).as("two failures open the breaker; its rejection is not retried").hasValue(2);
            assertThat(context.getBean(CircuitBreakerRegistry.class).get("inventory").getState())
                    .isEqualTo(CircuitBreakerState.OPEN);
            assertThat(context.getBean(RetryRegistry.class).get("inventory").getMetrics().retryAttempts()).isEqualTo(2);
        });
    }

    @Test
    void eachRetryAttemptPassesThroughTheBreaker() {
        run(context -> {
            Inventory inventory = context.getBean(Inventory.class);
            inventory.failuresBeforeSuccess().set(1);

            assertThat(inventory.stock("sku")).isEqualTo(7);

            assertThat(context.getBean(CircuitBreakerRegistry.class).get("inventory").getMetrics().bufferedCalls())
                    .isEqualTo(2);
            assertThat(time.sleeps()).hasSize(1);
        });
    }

    @Test
    void fallbackAnswersAfterRetriesAreExhausted() {
        run(context -> {
            Answers answers = context.getBean(Answers.class);

            assertThat(answers.ask("why?")).isEqualTo("secondary: why?");

            assertThat(answers.primaryCalls()).as("three attempts").hasValue(3);
        });
    }

    @Test
    void fallbackChainEndsWithTheLastFailureCarryingTheEarlierOnes() {
        run(context -> {
            Answers answers = context.getBean(Answers.class);

            assertThatThrownBy(() -> answers.askAllFailing("why?")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("cache empty").satisfies(last -> assertThat(last.getSuppressed())
                            .extracting(Throwable::getMessage).containsExactly("primary down", "secondary down"));
        });
    }

    @Test
    void skippedFailurePropagatesUnchanged() {
        run(context -> assertThatThrownBy(() -> context.getBean(Answers.class).ask("")).isInstanceOf(
                IllegalArgumentException.class).hasMessage("empty question"));
    }

    @Test
    void fullBulkheadRejectionReachesTheFallbackAsItsFailure() throws Exception {
        runner.run(context -> {
            Narrow narrow = context.getBean(Narrow.class);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<String> inside = pool.submit(narrow::slow);
                assertThat(narrow.entered().await(10, TimeUnit.SECONDS)).isTrue();

                assertThat(narrow.slow()).isEqualTo("rejected by narrow");

                narrow.release().countDown();
                assertThat(inside.get(10, TimeUnit.SECONDS)).isEqualTo("done");
            } finally {
                pool.shutdownNow();
            }
        });
    }

    @Test
    void classLevelAnnotationCoversPublicMethodsAndMethodLevelWins() {
        run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);

            catalog.list();
            catalog.detail();

            assertThat(breakers.get("catalog").getMetrics().bufferedCalls()).isEqualTo(1);
            assertThat(breakers.get("catalog-detail").getMetrics().bufferedCalls()).isEqualTo(1);
        });
    }

    @Test
    void stateTransitionsArePublishedAsApplicationEvents() {
        run(context -> {
            Inventory inventory = context.getBean(Inventory.class);
            inventory.failing().set(true);
            assertThatThrownBy(() -> inventory.stock("sku")).isInstanceOf(CircuitBreakerOpenException.class);

            assertThat(context.getBean(Transitions.class).received()).singleElement()
                    .satisfies(transition -> {
                        assertThat(transition.name()).isEqualTo("inventory");
                        assertThat(transition.to()).isEqualTo(CircuitBreakerState.OPEN);
                    });
        });
    }

    @Test
    void asynchronousRetryIsScheduledAndTheBreakerRecordsOnCompletion() {
        run(context -> {
            AsyncInventory inventory = context.getBean(AsyncInventory.class);
            inventory.failuresBeforeSuccess().set(2);

            CompletableFuture<Integer> stock = inventory.stock("sku");

            assertThat(stock).as("waiting for the scheduled retry").isNotDone();
            time.advance(java.time.Duration.ofMillis(500));
            assertThat(stock).isNotDone();
            time.advance(java.time.Duration.ofMillis(500));
            assertThat(stock).isCompletedWithValue(7);
            assertThat(inventory.calls()).hasValue(3);
            assertThat(context.getBean(CircuitBreakerRegistry.class).get("async-inventory").getMetrics()
                    .failedCalls()).isEqualTo(2);
        });
    }

    @Test
    void asynchronousRejectionArrivesThroughTheStageAndTheFallbackGetsTheUnwrappedFailure() {
        run(context -> {
            AsyncInventory inventory = context.getBean(AsyncInventory.class);
            context.getBean(CircuitBreakerRegistry.class).get("async-inventory").transitionToForcedOpen();

            CompletableFuture<Integer> guarded = inventory.stockWithFallback("sku");

            assertThat(guarded).isCompletedWithValue(-1);
            assertThat(inventory.fallbackFailure().get()).isInstanceOf(CircuitBreakerOpenException.class);
            assertThat(inventory.calls()).hasValue(0);
        });
    }

    @Test
    void asynchronousBulkheadHoldsItsSlotUntilTheStageCompletes() {
        run(context -> {
            AsyncInventory inventory = context.getBean(AsyncInventory.class);
            CompletableFuture<String> pending = new CompletableFuture<>();

            CompletableFuture<String> first = inventory.hold(pending);
            CompletableFuture<String> second = inventory.hold(CompletableFuture.completedFuture("x"));

            assertThat(second).isCompletedExceptionally();
            assertThatThrownBy(second::join).hasCauseInstanceOf(BulkheadFullException.class);
            pending.complete("done");
            assertThat(first).isCompletedWithValue("done");
            assertThat(inventory.hold(CompletableFuture.completedFuture("y"))).isCompletedWithValue("y");
        });
    }

    @Test
    void minimalCompletionStagesAreGuardedLikeFutures() {
        run(context -> {
            AsyncInventory inventory = context.getBean(AsyncInventory.class);
            inventory.failuresBeforeSuccess().set(1);

            CompletableFuture<Integer> stock = inventory.minimalStock("sku").toCompletableFuture();
            time.advance(java.time.Duration.ofMillis(500));

            assertThat(stock).isCompletedWithValue(7);
            assertThat(inventory.calls()).hasValue(2);
            assertThat(context.getBean(CircuitBreakerRegistry.class).get("async-inventory").getMetrics()
                    .failedCalls()).isEqualTo(1);
            assertThat(context.getBean(BulkheadRegistry.class).get("narrow").getAvailableConcurrentCalls())
                    .as("the slot is back").isEqualTo(1);
        });
    }

    @Test
    void eachRetryAttemptPassesThroughTheInterceptorsInsideOurs() {
        run(context -> {
            Inventory inventory = context.getBean(Inventory.class);
            InnerInterceptor inner = context.getBean(InnerInterceptor.class);
            inventory.failuresBeforeSuccess().set(1);

            assertThat(inventory.stock("sku")).isEqualTo(7);

            assertThat(inventory.calls()).hasValue(2);
            assertThat(inner.calls()).as("an advisor ordered inside ours sees every attempt").hasValue(2);
        });
    }

    @Test
    void retryOnResultRetriesARejectedValueAndTheBreakerRecordsItAsAFailure() {
        run(context -> {
            StatusClient client = context.getBean(StatusClient.class);
            client.unavailableResponses().set(2);

            assertThat(client.status()).isEqualTo(200);

            assertThat(client.calls()).hasValue(3);
            assertThat(context.getBean(CircuitBreakerRegistry.class).get("status").getMetrics().failedCalls())
                    .isEqualTo(2);
        });
    }

    @Test
    void retryOnResultWorksForCompletionStages() {
        run(context -> {
            StatusClient client = context.getBean(StatusClient.class);
            client.unavailableResponses().set(1);

            CompletableFuture<Integer> status = client.statusAsync();
            time.advance(java.time.Duration.ofMillis(500));

            assertThat(status).isCompletedWithValue(200);
            assertThat(client.calls()).hasValue(2);
        });
    }

    @Test
    void rateLimiterRejectsBeyondTheLimitAndTheFallbackAnswers() {
        run(context -> {
            Limited limited = context.getBean(Limited.class);

            assertThat(limited.call()).isEqualTo("ok");
            assertThat(limited.call()).isEqualTo("ok");

            assertThat(limited.call()).isEqualTo("limited by api");
            assertThat(limited.calls()).hasValue(2);
        });
    }

    @Test
    void synchronousTimeoutAnswersTheCallerAtTheDeadlineAndInterruptsTheCall() {
        runner.run(context -> {
            Slow slow = context.getBean(Slow.class);
            ExecutorService callers = Executors.newSingleThreadExecutor();
            try {
                Future<String> answer = callers.submit(slow::block);
                assertThat(slow.started().await(10, TimeUnit.SECONDS)).isTrue();
                awaitScheduledDeadline();

                time.advance(java.time.Duration.ofSeconds(2));

                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("timed out after PT2S");
                assertThat(slow.interrupted().get(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                callers.shutdownNow();
            }
        });
    }

    @Test
    void asynchronousTimeoutFailsTheStageAtTheDeadline() {
        run(context -> {
            CompletableFuture<String> pending = new CompletableFuture<>();

            CompletableFuture<String> guarded = context.getBean(Slow.class).later(pending);
            assertThat(guarded).isNotDone();
            time.advance(java.time.Duration.ofSeconds(2));

            assertThatThrownBy(guarded::join).hasCauseInstanceOf(CallTimeoutException.class);
            assertThat(pending).isCancelled();
        });
    }

    private void awaitScheduledDeadline() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (time.pendingTasks() == 0) {
            assertThat(System.nanoTime()).as("deadline scheduled in time").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /** Counts the calls of {@link Inventory#stock} it sees, as a transaction interceptor would see them. */
    static class InnerInterceptor implements MethodInterceptor {
        private final AtomicInteger calls = new AtomicInteger();

        AtomicInteger calls() {
            return calls;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            calls.incrementAndGet();
            return invocation.proceed();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        /** Marks an HTTP 503 status as a failure, for retry-on-result and record-result. */
        @Bean
        java.util.function.Predicate<Object> unavailable() {
            return result -> Integer.valueOf(503).equals(result);
        }

        @Bean
        StatusClient statusClient() {
            return new StatusClient();
        }

        @Bean
        InnerInterceptor innerInterceptor() {
            return new InnerInterceptor();
        }

        @Bean
        static Advisor innerAdvisor(InnerInterceptor interceptor) {
            NameMatchMethodPointcut pointcut = new NameMatchMethodPointcut();
            pointcut.setMappedName("stock");
            pointcut.setClassFilter(Inventory.class::isAssignableFrom);
            DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(pointcut, interceptor);
            advisor.setOrder(Ordered.LOWEST_PRECEDENCE);
            return advisor;
        }

        @Bean
        Limited limited() {
            return new Limited();
        }

        @Bean
        Slow slow() {
            return new Slow();
        }

        @Bean
        Inventory inventory() {
            return new Inventory();
        }

        @Bean
        Answers answers() {
            return new Answers();
        }

        @Bean
        Narrow narrow() {
            return new Narrow();
        }

        @Bean
        Catalog catalog() {
            return new Catalog();
        }

        @Bean
        AsyncInventory asyncInventory() {
            return new AsyncInventory();
        }

        @Bean
        Transitions transitions() {
            return new Transitions();
        }
    }

    static class Inventory {
        final AtomicInteger calls = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
        final AtomicInteger failuresBeforeSuccess = new AtomicInteger();

        public AtomicInteger calls() {
            return calls;
        }

        public java.util.concurrent.atomic.AtomicBoolean failing() {
            return failing;
        }

        public AtomicInteger failuresBeforeSuccess() {
            return failuresBeforeSuccess;
        }

        @Retry("inventory")
        @CircuitBreaker("inventory")
        public int stock(String sku) {
            calls.incrementAndGet();
            if (failing.get() || failuresBeforeSuccess.getAndDecrement() > 0) {
                throw new UncheckedIOException(new IOException("inventory down"));
            }
            return 7;
        }
    }

    static class Answers {
        final AtomicInteger primaryCalls = new AtomicInteger();

        public AtomicInteger primaryCalls() {
            return primaryCalls;
        }

        @Retry("answers")
        @Fallback(method = {"secondary"}, skipOn = IllegalArgumentException.class)
        public String ask(String question) {
            if (question.isEmpty()) {
                throw new IllegalArgumentException("empty question");
            }
            primaryCalls.incrementAndGet();
            throw new IllegalStateException("primary down");
        }

        private String secondary(String question) {
            return "secondary: " + question;
        }

        @Fallback(method = {"secondaryDown", "cacheEmpty"})
        public String askAllFailing(String question) {
            throw new IllegalStateException("primary down");
        }

        private String secondaryDown(String question) {
            throw new IllegalStateException("secondary down");
        }

        private String cacheEmpty(String question, Exception failure) {
            throw new IllegalStateException("cache empty");
        }
    }

    static class Narrow {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        public CountDownLatch entered() {
            return entered;
        }

        public CountDownLatch release() {
            return release;
        }

        @Bulkhead("narrow")
        @Fallback("rejected")
        public String slow() throws InterruptedException {
            entered.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            return "done";
        }

        String rejected(BulkheadFullException failure) {
            return "rejected by " + failure.getInstanceName();
        }
    }

    @CircuitBreaker("catalog")
    static class Catalog {
        public List<String> list() {
            return List.of();
        }

        @CircuitBreaker("catalog-detail")
        public String detail() {
            return "";
        }
    }

    static class AsyncInventory {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger failuresBeforeSuccess = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicReference<Throwable> fallbackFailure =
                new java.util.concurrent.atomic.AtomicReference<>();

        public AtomicInteger calls() {
            return calls;
        }

        public AtomicInteger failuresBeforeSuccess() {
            return failuresBeforeSuccess;
        }

        public java.util.concurrent.atomic.AtomicReference<Throwable> fallbackFailure() {
            return fallbackFailure;
        }

        @Retry("async-inventory")
        @CircuitBreaker("async-inventory")
        public CompletableFuture<Integer> stock(String sku) {
            calls.incrementAndGet();
            if (failuresBeforeSuccess.getAndDecrement() > 0) {
                return CompletableFuture.failedFuture(new IOException("down"));
            }
            return CompletableFuture.completedFuture(7);
        }

        @CircuitBreaker("async-inventory")
        @Fallback("unknownStock")
        public CompletableFuture<Integer> stockWithFallback(String sku) {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(7);
        }

        private Integer unknownStock(String sku, Throwable failure) {
            fallbackFailure.set(failure);
            return -1;
        }

        @Bulkhead("narrow")
        public CompletableFuture<String> hold(CompletableFuture<String> work) {
            return work;
        }

        /** Answers stages that allow nothing but CompletionStage's methods (no isDone, join or cancel). */
        @Retry("async-inventory")
        @CircuitBreaker("async-inventory")
        @Bulkhead("narrow")
        public CompletionStage<Integer> minimalStock(String sku) {
            calls.incrementAndGet();
            if (failuresBeforeSuccess.getAndDecrement() > 0) {
                return CompletableFuture.failedStage(new IOException("down"));
            }
            return CompletableFuture.completedStage(7);
        }
    }

    static class StatusClient {
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger unavailableResponses = new AtomicInteger();

        public AtomicInteger calls() {
            return calls;
        }

        public AtomicInteger unavailableResponses() {
            return unavailableResponses;
        }

        @Retry("status")
        @CircuitBreaker("status")
        public int status() {
            calls.incrementAndGet();
            return unavailableResponses.getAndDecrement() > 0 ? 503 : 200;
        }

        @Retry("status")
        public CompletableFuture<Integer> statusAsync() {
            return CompletableFuture.completedFuture(status());
        }
    }

    static class Limited {
        private final AtomicInteger calls = new AtomicInteger();

        public AtomicInteger calls() {
            return calls;
        }

        @RateLimiter("api")
        @Fallback("limitedAnswer")
        public String call() {
            calls.incrementAndGet();
            return "ok";
        }

        String limitedAnswer(RateLimitExceededException limited) {
            return "limited by " + limited.getInstanceName();
        }
    }

    static class Slow {
        private final CountDownLatch started = new CountDownLatch(1);
        private final CompletableFuture<Boolean> interrupted = new CompletableFuture<>();

        public CountDownLatch started() {
            return started;
        }

        public CompletableFuture<Boolean> interrupted() {
            return interrupted;
        }

        @Timeout("slow")
        @Fallback("timedOut")
        public String block() {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException expected) {
                interrupted.complete(true);
            }
            return "finished";
        }

        String timedOut(CallTimeoutException timeout) {
            return "timed out after " + timeout.getMessage().substring(timeout.getMessage().lastIndexOf(' ') + 1);
        }

        @Timeout("slow")
        public CompletableFuture<String> later(CompletableFuture<String> work) {
            return work;
        }
    }

    static class Transitions {
        final List<StateTransition> received = new CopyOnWriteArrayList<>();

        public List<StateTransition> received() {
            return received;
        }

        @EventListener
        void on(StateTransition transition) {
            received.add(transition);
        }
    }
}
