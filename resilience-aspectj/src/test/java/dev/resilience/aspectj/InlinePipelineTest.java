package dev.resilience.aspectj;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.PipelineFactory;
import dev.resilience.autoconfigure.observation.ResilienceObservationAutoConfiguration;
import dev.resilience.bulkhead.BulkheadRegistry;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import dev.resilience.degradation.FeatureRegistry;
import dev.resilience.ratelimiter.RateLimiterRegistry;
import dev.resilience.retry.RetryRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.AopTestUtils;

/**
 * The inline form of a synchronous pipeline (what the AspectJ advice runs without a closure) against the step chain
 * (what the proxy runs): the same script of attempts through both gives the same answers and leaves the policies in
 * the same state, call after call.
 */
class InlinePipelineTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceAspectJAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withBean(Dependency.class)
            .withBean("retryMe", Predicate.class, () -> (Predicate<Object>) result -> "retry-me:r".equals(result))
            .withPropertyValues("resilience.retry.instances.lookups.max-attempts=3",
                    "resilience.retry.instances.lookups.wait-duration=0ms",
                    "resilience.retry.instances.lookups.retry-on-result=retryMe",
                    "resilience.circuitbreaker.instances.lookups.sliding-window-size=20",
                    "resilience.circuitbreaker.instances.lookups.minimum-number-of-calls=20",
                    "resilience.circuitbreaker.instances.lookups.failure-rate-threshold=60",
                    "resilience.bulkhead.instances.lookups.max-concurrent-calls=2",
                    "resilience.ratelimiter.instances.lookups.limit-for-period=30",
                    "resilience.ratelimiter.instances.lookups.limit-refresh-period=1h",
                    "resilience.retry.instances.slow.max-attempts=2",
                    "resilience.retry.instances.slow.wait-duration=0ms",
                    "resilience.timeout.instances.slow.timeout-duration=1s");

    @Test
    void inlineFormAnswersAndCountsAsTheStepChainCallAfterCall() {
        List<String> proxied = new ArrayList<>();
        runner.run(context -> proxied.addAll(script(context, context.getBean(Dependency.class))));
        List<String> inline = new ArrayList<>();
        runner.withPropertyValues("resilience.aop.mode=aspectj")
                .run(context -> inline.addAll(script(context, new Dependency())));

        assertThat(inline).containsExactlyElementsOf(proxied);
        assertThat(inline).as("what the script is meant to show").satisfies(log -> {
            assertThat(log.get(0)).startsWith("ok:a | attempts 1");
            assertThat(log.get(1)).startsWith("ok:b | attempts 4");
            assertThat(log.get(2)).startsWith("fallback:c:io c | attempts 7");
            assertThat(log.get(3)).startsWith("IllegalStateException: down | attempts 10");
            assertThat(log.get(4)).startsWith("ok:r | attempts 12");
            assertThat(log.get(5)).startsWith("retry-me:r | attempts 15");
            assertThat(log.get(6)).startsWith("FeatureDegradedException");
            assertThat(log).anyMatch(line -> line.startsWith("CircuitBreakerOpenException"));
            assertThat(log).anyMatch(line -> line.startsWith("RateLimitExceededException"));
            assertThat(log).allMatch(line -> line.contains("bulkhead 2 free"));
        });
    }

    @Test
    void anObservedCallIsObservedAlikeInBothFormsAndItsObservationIsCurrentWhileTheMethodRuns() {
        List<String> proxied = observedScript(false);
        List<String> inline = observedScript(true);

        assertThat(inline).containsExactlyElementsOf(proxied);
        assertThat(String.join("\n", inline)).as("what the script is meant to show").contains("""
                start resilience.call
                scope opened
                attempt under resilience.call
                scope closed
                stop success
                answer ok:a""", """
                attempt under resilience.call
                event retry
                attempt under resilience.call
                event retry
                attempt under resilience.call
                event fallback
                scope closed
                stop fallback
                answer fallback:c:io""", """
                start resilience.call
                scope opened
                event rejected
                event fallback
                scope closed
                event rejected
                stop shed
                answer FeatureDegradedException""");
    }

    /**
     * Lookups that answer, are retried, fall back and are shed, with every call observed: what the observation
     * handler sees, in order, with each attempt and each answer.
     */
    private List<String> observedScript(boolean woven) {
        List<String> log = new ArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                log.add("start " + context.getName());
            }

            @Override
            public void onEvent(Observation.Event event, Observation.Context context) {
                log.add("event " + event.getName());
            }

            @Override
            public void onScopeOpened(Observation.Context context) {
                log.add("scope opened");
            }

            @Override
            public void onScopeClosed(Observation.Context context) {
                log.add("scope closed");
            }

            @Override
            public void onStop(Observation.Context context) {
                log.add("stop " + context.getLowCardinalityKeyValue("resilience.outcome").getValue());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        ApplicationContextRunner observed = runner
                .withConfiguration(AutoConfigurations.of(ResilienceObservationAutoConfiguration.class))
                .withBean(ObservationRegistry.class, () -> registry);
        (woven ? observed.withPropertyValues("resilience.aop.mode=aspectj") : observed).run(context -> {
            Dependency dependency = woven ? new Dependency() : context.getBean(Dependency.class);
            Dependency target = AopTestUtils.getTargetObject(dependency);
            target.onAttempt = () -> {
                Observation current = registry.getCurrentObservation();
                log.add("attempt under " + (current == null ? "none" : current.getContext().getName()));
            };
            List<String> answers = new ArrayList<>();
            call(context, target, answers, () -> dependency.lookup("a"), "ok");
            log.add("answer " + answers.get(0).replaceFirst(" .*", ""));
            call(context, target, answers, () -> dependency.lookup("c"), new IOException("io c"),
                    new IOException("io c"), new IOException("io c"));
            log.add("answer " + answers.get(1).replaceFirst(" .*", ""));
            context.getBean(FeatureRegistry.class).get("lookups").setEnabled(false);
            call(context, target, answers, () -> dependency.lookup("shed"), "ok");
            log.add("answer " + answers.get(2).replaceFirst(":.*", ""));
            assertThat(registry.getCurrentObservation()).as("none current after the calls").isNull();
        });
        return log;
    }

    @Test
    void injectedFaultsGiveBackTheSlotInBothForms() {
        ApplicationContextRunner chaos = runner.withPropertyValues("resilience.chaos.enabled=true",
                "resilience.chaos.seed=7", "resilience.chaos.instances.lookups.failure-rate=1");
        List<String> proxied = new ArrayList<>();
        chaos.run(context -> proxied.add(unprotected(context, context.getBean(Dependency.class))));
        List<String> inline = new ArrayList<>();
        chaos.withPropertyValues("resilience.aop.mode=aspectj")
                .run(context -> inline.add(unprotected(context, new Dependency())));

        assertThat(inline).containsExactlyElementsOf(proxied);
        assertThat(inline.get(0)).startsWith("InjectedFaultException").contains("attempts 0")
                .contains("bulkhead 2 free");
    }

    @Test
    void anInterruptedWaitBeforeARetryEndsTheCallAlikeInBothFormsAndKeepsTheInterrupt() {
        ApplicationContextRunner interrupting = runner.withAllowBeanDefinitionOverriding(true).withBean(Timing.class, () -> {
            Timing fake = time.timing();
            return new Timing(fake.ticker(), fake.coarseTicker(), fake.clock(), nanos -> {
                throw new InterruptedException("shutting down");
            }, fake.scheduler());
        }).withPropertyValues("resilience.retry.instances.lookups.wait-duration=1s");
        List<String> proxied = new ArrayList<>();
        interrupting.run(context -> proxied.addAll(interrupted(context, context.getBean(Dependency.class))));
        List<String> inline = new ArrayList<>();
        interrupting.withPropertyValues("resilience.aop.mode=aspectj")
                .run(context -> inline.addAll(interrupted(context, new Dependency())));

        assertThat(inline).containsExactlyElementsOf(proxied);
        assertThat(inline.get(0)).as("a rejected result: the last one answers")
                .startsWith("retry-me:r | interrupted true | attempts 1 |").contains("failedWithRetry=0, failedWithoutRetry=1");
        assertThat(inline.get(1)).as("a failure: the fallback answers it")
                .startsWith("fallback:f:io | interrupted true | attempts 2 |");
    }

    @Test
    void onlyPipelinesThatRunOnTheCallingThreadAroundOneInvocationHaveAnInlineForm() throws Exception {
        runner.withPropertyValues("resilience.aop.mode=aspectj").run(context -> {
            PipelineFactory factory = context.getBean(PipelineFactory.class);

            assertThat(factory.methodPipeline(Dependency.class.getMethod("lookup", String.class), Dependency.class)
                    .inline()).isNotNull();
            assertThat(factory.methodPipeline(Dependency.class.getMethod("slow"), Dependency.class).inline())
                    .as("a timeout runs the method on a worker").isNull();
            assertThat(factory.methodPipeline(Answers.class.getDeclaredMethod("answerLater"), Answers.class)
                    .inline()).as("a CompletionStage").isNull();
        });
    }

    @Test
    void aMethodWithoutAnInlineFormIsGuardedOnceThroughTheClosure() {
        runner.withPropertyValues("resilience.aop.mode=aspectj").run(context -> {
            Dependency dependency = new Dependency();

            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return dependency.slow();
                } catch (InterruptedException interrupted) {
                    throw new IllegalStateException(interrupted);
                }
            });
            assertThat(dependency.started.await(5, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (time.pendingTasks() == 0 && System.nanoTime() < deadline) { // the first attempt's deadline
                Thread.onSpinWait();
            }
            // the first attempt times out and the retry makes a second; one second only, so that the second
            // attempt's deadline (scheduled while time advances) is not due too
            time.advance(Duration.ofSeconds(1));
            dependency.release.countDown();

            assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("late");
            assertThat(dependency.attempts).as("one timeout and one retry, not applied twice").hasValue(2);
        });
    }

    /** Runs the script on {@code dependency} (proxied or woven) and logs each call's answer and the policies' state. */
    private static List<String> script(AssertableApplicationContext context, Dependency dependency) {
        Dependency target = AopTestUtils.getTargetObject(dependency);
        List<String> log = new ArrayList<>();
        call(context, target, log, () -> dependency.lookup("a"), "ok");
        call(context, target, log, () -> dependency.lookup("b"), new IOException("io b"), new IOException("io b"),
                "ok");
        call(context, target, log, () -> dependency.lookup("c"), new IOException("io c"), new IOException("io c"),
                new IOException("io c"));
        call(context, target, log, () -> dependency.lookup("d"), new IllegalStateException("down"),
                new IllegalStateException("down"), new IllegalStateException("down"));
        call(context, target, log, () -> dependency.lookup("r"), "retry-me", "ok");
        call(context, target, log, () -> dependency.lookup("r"), "retry-me", "retry-me", "retry-me");
        FeatureRegistry features = context.getBean(FeatureRegistry.class);
        features.get("lookups").setEnabled(false);
        call(context, target, log, () -> dependency.lookup("shed"), "ok");
        features.get("lookups").setEnabled(true);
        for (int i = 0; i < 4; i++) { // fills the breaker's window with failures: it opens
            call(context, target, log, () -> dependency.lookup("e"), new IllegalStateException("down"),
                    new IllegalStateException("down"), new IllegalStateException("down"));
        }
        call(context, target, log, () -> dependency.lookup("open"), "ok");
        context.getBean(CircuitBreakerRegistry.class).get("lookups").transitionToClosed();
        for (int n = 0; n < 12; n++) { // past the rate limiter's 30 permits of the period
            String key = "many" + n;
            call(context, target, log, () -> dependency.lookup(key), new IOException("io"), "ok");
        }
        return log;
    }

    /** A rejected result, then a failure, each followed by a wait that is interrupted. */
    private static List<String> interrupted(AssertableApplicationContext context, Dependency dependency) {
        Dependency target = AopTestUtils.getTargetObject(dependency);
        List<String> log = new ArrayList<>();
        call(context, target, log, () -> dependency.lookup("r"), "retry-me", "ok");
        log.set(0, log.get(0).replaceFirst(" \\| ", " | interrupted " + Thread.interrupted() + " | "));
        call(context, target, log, () -> dependency.lookup("f"), new IOException("io"), "ok");
        log.set(1, log.get(1).replaceFirst(" \\| ", " | interrupted " + Thread.interrupted() + " | "));
        return log;
    }

    private static String unprotected(AssertableApplicationContext context, Dependency dependency) {
        Dependency target = AopTestUtils.getTargetObject(dependency);
        List<String> log = new ArrayList<>();
        call(context, target, log, dependency::unprotected, "ok");
        return log.get(0);
    }

    private static void call(AssertableApplicationContext context, Dependency target, List<String> log,
            Call call, Object... steps) {
        target.script.clear();
        target.script.addAll(List.of(steps));
        String answer;
        try {
            answer = call.run();
        } catch (Exception failure) {
            answer = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        }
        log.add(answer + " | attempts " + target.attempts.get()
                + " | breaker " + context.getBean(CircuitBreakerRegistry.class).get("lookups").getState() + " "
                + context.getBean(CircuitBreakerRegistry.class).get("lookups").getMetrics()
                + " | " + context.getBean(RetryRegistry.class).get("lookups").getMetrics()
                + " | bulkhead " + context.getBean(BulkheadRegistry.class).get("lookups").getAvailableConcurrentCalls()
                + " free | limiter " + context.getBean(RateLimiterRegistry.class).get("lookups")
                        .getAvailablePermissions()
                + " rejected " + context.getBean(RateLimiterRegistry.class).get("lookups").getRejectedCalls()
                + " | shed " + context.getBean(FeatureRegistry.class).get("lookups").getSkippedCalls());
    }

    private interface Call {
        String run() throws Exception;
    }
}
