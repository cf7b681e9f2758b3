package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.annotation.Retry;
import dev.resilience.autoconfigure.aop.ResilienceAdvisor;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.Advisor;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.NameMatchMethodPointcut;
import org.springframework.aop.target.PrototypeTargetSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.core.Ordered;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A retry re-runs the interceptors that stand inside the resilience interceptor and the method, once per attempt,
 * and never the interceptors outside it (a transaction or security interceptor around the guarded call).
 */
@ExtendWith(OutputCaptureExtension.class)
class RetryReinvocationTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withUserConfiguration(Beans.class)
            .withPropertyValues("resilience.retry.instances.flaky.max-attempts=3",
                    "resilience.retry.instances.flaky.wait-duration=1s");

    @Test
    void synchronousRetryRunsTheOuterInterceptorOnceAndTheInnerOnePerAttempt() {
        runner.run(context -> {
            Flaky flaky = context.getBean(Flaky.class);

            assertThat(flaky.sync()).isEqualTo("answer");

            assertThat(flaky.calls()).as("attempts").isEqualTo(3);
            assertThat(context.getBean("outer", Counting.class).calls).as("outer interceptor").hasValue(1);
            assertThat(context.getBean("inner", Counting.class).calls).as("inner interceptor").hasValue(3);
        });
    }

    @Test
    void asynchronousRetryRunsTheOuterInterceptorOnceAndTheInnerOnePerAttempt() {
        runner.run(context -> {
            Flaky flaky = context.getBean(Flaky.class);

            CompletableFuture<String> answer = flaky.async();
            time.advance(Duration.ofSeconds(1));
            time.advance(Duration.ofSeconds(1));

            assertThat(answer).isCompletedWithValue("answer");
            assertThat(flaky.calls()).as("attempts").isEqualTo(3);
            assertThat(context.getBean("outer", Counting.class).calls).as("outer interceptor").hasValue(1);
            assertThat(context.getBean("inner", Counting.class).calls).as("inner interceptor").hasValue(3);
        });
    }

    @Test
    void reactiveRetryRunsTheOuterInterceptorOnceAndTheInnerOnePerAttempt() {
        runner.run(context -> {
            Flaky flaky = context.getBean(Flaky.class);

            StepVerifier.withVirtualTime(flaky::reactive).expectSubscription().thenAwait(Duration.ofSeconds(2))
                    .expectNext("answer").verifyComplete();

            assertThat(flaky.calls()).as("attempts").isEqualTo(3);
            assertThat(context.getBean("outer", Counting.class).calls).as("outer interceptor").hasValue(1);
            assertThat(context.getBean("inner", Counting.class).calls).as("inner interceptor").hasValue(3);
        });
    }

    @Test
    void everyAttemptStartsFromTheArgumentsTheProxyReceived() {
        runner.run(context -> {
            Flaky flaky = context.getBean(Flaky.class);

            assertThat(flaky.echo("sku")).isEqualTo("sku!");

            assertThat(flaky.seen()).as("an inner interceptor's rewrite applies once per attempt, not cumulatively")
                    .containsExactly("sku!", "sku!", "sku!");
        });
    }

    @Test
    void asynchronousRetryWorksOnAPrototypeScopedBean(CapturedOutput output) {
        runner.run(context -> {
            PrototypeFlaky flaky = context.getBean(PrototypeFlaky.class);

            CompletableFuture<String> answer = flaky.async();
            time.advance(Duration.ofSeconds(1));
            time.advance(Duration.ofSeconds(1));

            assertThat(answer).isCompletedWithValue("answer");
            assertThat(context.getBean("prototypeAttempts", AtomicInteger.class)).hasValue(3);
            assertThat(output).as("a scoped proxy's target outlives the call").doesNotContain("released its target");
        });
    }

    @Test
    void asynchronousRetryOnAPrototypeTargetSourceWarnsThatTheTargetWasReleased(CapturedOutput output) {
        AtomicInteger attempts = new AtomicInteger();
        String targetName = PrototypeFlaky.class.getName() + ".ORIGINAL"; // not auto-proxied itself
        runner.withBean(targetName, PrototypeFlaky.class, () -> new PrototypeFlaky(attempts),
                definition -> definition.setScope("prototype")).run(context -> {
            PrototypeTargetSource source = new PrototypeTargetSource();
            source.setTargetBeanName(targetName);
            source.setBeanFactory(context.getBeanFactory());
            ProxyFactory factory = new ProxyFactory();
            factory.setProxyTargetClass(true);
            factory.setTargetSource(source);
            factory.addAdvisor(context.getBean(ResilienceAdvisor.class));
            PrototypeFlaky flaky = (PrototypeFlaky) factory.getProxy();

            CompletableFuture<String> answer = flaky.async();
            time.advance(Duration.ofSeconds(1));
            time.advance(Duration.ofSeconds(1));

            assertThat(answer).isCompletedWithValue("answer");
            assertThat(attempts).hasValue(3);
            assertThat(output).contains("Asynchronous retries of").contains("released its target to "
                    + "PrototypeTargetSource");
        });
    }

    @Test
    void synchronousRetryOnAPrototypeBeanRunsEachInstanceAgain() {
        runner.run(context -> {
            PrototypeFlaky flaky = context.getBean(PrototypeFlaky.class);

            for (int call = 1; call <= 20; call++) { // a new instance, and a new proxy, for every call
                assertThat(flaky.sync()).as("call %d", call).isEqualTo("answer");
            }

            assertThat(context.getBean("prototypeAttempts", AtomicInteger.class)).as("attempts").hasValue(60);
        });
    }

    @Test
    void aRetryWithNothingInsideItRunsTheMethodAgain() {
        runner.run(context -> {
            Lonely lonely = context.getBean(Lonely.class);

            assertThat(lonely.sync()).isEqualTo("answer");
            assertThat(lonely.sync()).isEqualTo("answer");

            assertThat(lonely.attempts()).as("attempts of two calls").hasValue(6);
        });
    }

    @Test
    void anAsynchronousRetryWithNothingInsideItRunsTheMethodAgain() {
        runner.run(context -> {
            Lonely lonely = context.getBean(Lonely.class);

            for (int call = 1; call <= 2; call++) {
                CompletableFuture<String> answer = lonely.async();
                time.advance(Duration.ofSeconds(1));
                time.advance(Duration.ofSeconds(1));
                assertThat(answer).as("call %d", call).isCompletedWithValue("answer");
            }

            assertThat(lonely.attempts()).as("attempts of two calls").hasValue(6);
        });
    }

    @Test
    void anInterceptorAddedInsideAtRuntimeIsNeverSkippedByAnAsynchronousRetry() {
        runner.run(context -> {
            Lonely lonely = context.getBean(Lonely.class);
            CompletableFuture<String> first = lonely.async();
            time.advance(Duration.ofSeconds(1));
            time.advance(Duration.ofSeconds(1));
            assertThat(first).isCompletedWithValue("answer");
            Counting added = new Counting();
            NameMatchMethodPointcut pointcut = new NameMatchMethodPointcut();
            pointcut.setMappedName("async");
            ((Advised) lonely).addAdvisor(new DefaultPointcutAdvisor(pointcut,
                    (MethodInterceptor) added::invoke)); // appended: inside the resilience interceptor
            lonely.attempts().set(0);

            CompletableFuture<String> found = lonely.async();
            assertThat(found).as("the call that finds the change is not retried without it")
                    .isCompletedExceptionally();
            assertThatThrownBy(found::join).hasCauseInstanceOf(IllegalStateException.class);
            assertThat(lonely.attempts()).hasValue(1);

            lonely.attempts().set(0);
            CompletableFuture<String> next = lonely.async();
            time.advance(Duration.ofSeconds(1));
            time.advance(Duration.ofSeconds(1));
            assertThat(next).isCompletedWithValue("answer");
            assertThat(lonely.attempts()).as("attempts").hasValue(3);
            assertThat(added.calls).as("the added interceptor, once per attempt of both calls").hasValue(1 + 3);
        });
    }

    @Test
    void anInterceptorAddedInsideAtRuntimeIsNeverSkippedByARetry() {
        runner.run(context -> {
            Lonely lonely = context.getBean(Lonely.class);
            assertThat(lonely.sync()).isEqualTo("answer");
            Counting added = new Counting();
            NameMatchMethodPointcut pointcut = new NameMatchMethodPointcut();
            pointcut.setMappedName("sync");
            ((Advised) lonely).addAdvisor(new DefaultPointcutAdvisor(pointcut,
                    (MethodInterceptor) added::invoke)); // appended: inside the resilience interceptor
            lonely.attempts().set(0);

            assertThatThrownBy(lonely::sync).as("the call that finds the change is not retried without it")
                    .isInstanceOf(IllegalStateException.class).hasMessage("not yet");
            assertThat(lonely.attempts()).hasValue(1);

            lonely.attempts().set(0);
            assertThat(lonely.sync()).isEqualTo("answer");
            assertThat(lonely.attempts()).as("attempts").hasValue(3);
            assertThat(added.calls).as("the added interceptor, once per attempt of both calls").hasValue(1 + 3);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        Lonely lonely() {
            return new Lonely();
        }

        @Bean
        Flaky flaky() {
            return new Flaky();
        }

        @Bean
        AtomicInteger prototypeAttempts() {
            return new AtomicInteger();
        }

        @Bean
        @Scope(scopeName = "prototype", proxyMode = ScopedProxyMode.TARGET_CLASS)
        PrototypeFlaky prototypeFlaky(AtomicInteger prototypeAttempts) {
            return new PrototypeFlaky(prototypeAttempts);
        }

        @Bean
        Counting outer() {
            return new Counting();
        }

        @Bean
        Counting inner() {
            return new Counting();
        }

        @Bean
        static Advisor outerAdvisor(org.springframework.context.ApplicationContext context) {
            return advisor(() -> context.getBean("outer", Counting.class), Ordered.HIGHEST_PRECEDENCE);
        }

        @Bean
        static Advisor innerAdvisor(org.springframework.context.ApplicationContext context) {
            return advisor(() -> context.getBean("inner", Counting.class), Ordered.LOWEST_PRECEDENCE);
        }

        /** Rewrites the argument, inside the resilience interceptor, as a normalising interceptor would. */
        @Bean
        static Advisor rewritingAdvisor() {
            NameMatchMethodPointcut pointcut = new NameMatchMethodPointcut();
            pointcut.setMappedName("echo");
            pointcut.setClassFilter(Flaky.class::equals);
            DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(pointcut, (MethodInterceptor) invocation -> {
                ProxyMethodInvocation proxied = (ProxyMethodInvocation) invocation;
                proxied.setArguments(proxied.getArguments()[0] + "!");
                return invocation.proceed();
            });
            advisor.setOrder(Ordered.LOWEST_PRECEDENCE);
            return advisor;
        }

        private static Advisor advisor(java.util.function.Supplier<Counting> counting, int order) {
            NameMatchMethodPointcut pointcut = new NameMatchMethodPointcut();
            pointcut.setMappedNames("sync", "async", "reactive");
            pointcut.setClassFilter(Flaky.class::equals);
            DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(pointcut,
                    (MethodInterceptor) invocation -> counting.get().invoke(invocation));
            advisor.setOrder(order);
            return advisor;
        }
    }

    /** Counts the calls it sees, as a transaction or security interceptor would see them. */
    static class Counting {
        final AtomicInteger calls = new AtomicInteger();

        Object invoke(MethodInvocation invocation) throws Throwable {
            calls.incrementAndGet();
            return invocation.proceed();
        }
    }

    /** Fails its first two attempts. */
    static class Flaky {
        private final AtomicInteger calls = new AtomicInteger();

        private final java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        public int calls() {
            return calls.get();
        }

        public java.util.List<String> seen() {
            return seen;
        }

        @Retry("flaky")
        public String echo(String argument) {
            seen.add(argument);
            if (seen.size() < 3) {
                throw new IllegalStateException("not yet");
            }
            return argument;
        }

        @Retry("flaky")
        public String sync() {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            return "answer";
        }

        @Retry("flaky")
        public CompletableFuture<String> async() {
            return calls.incrementAndGet() < 3 ? CompletableFuture.failedFuture(new IllegalStateException("not yet"))
                    : CompletableFuture.completedFuture("answer");
        }

        @Retry("flaky")
        public Mono<String> reactive() {
            return calls.incrementAndGet() < 3 ? Mono.error(new IllegalStateException("not yet"))
                    : Mono.just("answer");
        }
    }

    /** Advised by the resilience interceptor alone; each call fails its first two attempts. */
    static class Lonely {
        private final AtomicInteger attempts = new AtomicInteger();

        public AtomicInteger attempts() {
            return attempts;
        }

        @Retry("flaky")
        public String sync() {
            if (attempts.incrementAndGet() % 3 != 0) {
                throw new IllegalStateException("not yet");
            }
            return "answer";
        }

        @Retry("flaky")
        public CompletableFuture<String> async() {
            return attempts.incrementAndGet() % 3 != 0
                    ? CompletableFuture.failedFuture(new IllegalStateException("not yet"))
                    : CompletableFuture.completedFuture("answer");
        }
    }

    /** A new instance for every call through its scoped proxy; counts attempts across instances. */
    static class PrototypeFlaky {
        private final AtomicInteger attempts;
        private int ownAttempts;

        @Retry("flaky")
        public String sync() {
            attempts.incrementAndGet();
            if (++ownAttempts < 3) {
                throw new IllegalStateException("not yet");
            }
            return "answer";
        }

        PrototypeFlaky(AtomicInteger attempts) {
            this.attempts = attempts;
        }

        @Retry("flaky")
        public CompletableFuture<String> async() {
            return attempts.incrementAndGet() < 3
                    ? CompletableFuture.failedFuture(new IllegalStateException("not yet"))
                    : CompletableFuture.completedFuture("answer");
        }
    }
}
