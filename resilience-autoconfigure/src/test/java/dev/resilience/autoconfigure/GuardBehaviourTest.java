package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.autoconfigure.metrics.ResilienceMetricsAutoConfiguration;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.FakeTime;
import dev.resilience.core.RecentEvents;
import dev.resilience.core.Timing;
import dev.resilience.guard.Guard;
import dev.resilience.guard.Resilience;
import dev.resilience.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

/**
 * A guard built in code and an annotated method, on instances configured alike and fed the same outcomes, give
 * the same answers, the same figures, the same meters and the same events: they are one mechanism.
 */
class GuardBehaviourTest {

    /** Each call: the outcome of each attempt, in order. */
    private static final List<List<String>> SCRIPT = List.of(List.of("ok"), List.of("fail", "ok"),
            List.of("fail", "fail"), List.of("fail", "fail"), List.of("fail", "fail"), List.of("ok"), List.of("ok"));

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withBean(Annotated.class, Annotated::new)
            .withPropertyValues("resilience.circuitbreaker.configs.default.minimum-number-of-calls=4",
                    "resilience.circuitbreaker.configs.default.sliding-window-size=4",
                    "resilience.circuitbreaker.configs.default.failure-rate-threshold=50",
                    "resilience.retry.configs.default.max-attempts=2",
                    "resilience.retry.configs.default.wait-duration=10ms",
                    "resilience.retry.configs.default.retry-exceptions=java.io.UncheckedIOException");

    private void run(Consumer<AssertableApplicationContext> test) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            test.accept(context);
        });
    }

    private static String fallback(Throwable failure) {
        return "fallback after " + failure.getClass().getSimpleName();
    }

    private static Guard guard(AssertableApplicationContext context, String name) {
        return context.getBean(Resilience.class).guard(name).withFallback(GuardBehaviourTest::fallback)
                .withCircuitBreaker().withRetry().withBulkhead();
    }

    @Test
    void synchronousGuardMatchesTheAnnotatedMethod() {
        run(context -> {
            Annotated annotated = context.getBean(Annotated.class);
            Guard guard = guard(context, "guarded");

            List<String> fromAnnotation = play(script -> annotated.call(script));
            List<String> fromGuard = play(script -> guard.get(script::next));

            assertThat(fromGuard).isEqualTo(fromAnnotation).contains("fallback after CircuitBreakerOpenException");
            assertSameFiguresMetersAndEvents(context, "annotated", "guarded");
        });
    }

    @Test
    void asynchronousGuardMatchesTheAnnotatedMethod() {
        run(context -> {
            Annotated annotated = context.getBean(Annotated.class);
            Guard guard = guard(context, "guarded-async");

            List<String> fromAnnotation = play(script -> settle(annotated.callAsync(script)));
            List<String> fromGuard = play(script -> settle(guard.callAsync(script::nextAsync)));

            assertThat(fromGuard).isEqualTo(fromAnnotation).contains("fallback after CircuitBreakerOpenException");
            assertSameFiguresMetersAndEvents(context, "annotated-async", "guarded-async");
        });
    }

    @Test
    void reactiveGuardMatchesTheAnnotatedMethod() {
        run(context -> {
            Annotated annotated = context.getBean(Annotated.class);
            Guard guard = guard(context, "guarded-reactive");

            List<String> fromAnnotation = play(script -> annotated.mono(script).block(Duration.ofSeconds(10)));
            List<String> fromGuard = play(script -> guard.mono(script::nextMono).block(Duration.ofSeconds(10)));

            assertThat(fromGuard).isEqualTo(fromAnnotation).contains("fallback after CircuitBreakerOpenException");
            assertSameFiguresMetersAndEvents(context, "annotated-reactive", "guarded-reactive");
        });
    }

    @Test
    void failureOfTheCallPropagatesUnchangedWithoutAFallback() {
        run(context -> {
            Guard guard = context.getBean(Resilience.class).guard("bare").withCircuitBreaker();
            IOException checked = new IOException("down");

            assertThatThrownBy(() -> guard.call(() -> {
                throw checked;
            })).isSameAs(checked);
            context.getBean(CircuitBreakerRegistry.class).get("bare").transitionToForcedOpen();
            assertThatThrownBy(() -> guard.run(() -> { })).isInstanceOf(CircuitBreakerOpenException.class);
        });
    }

    @Test
    void aGuardIsImmutable() {
        run(context -> {
            Guard bare = context.getBean(Resilience.class).guard("immutable");
            Guard withRetry = bare.withRetry();
            List<Integer> attempts = new ArrayList<>();

            assertThatThrownBy(() -> bare.get(() -> {
                attempts.add(1);
                throw new UncheckedIOException(new IOException("down"));
            })).isInstanceOf(UncheckedIOException.class);
            assertThat(attempts).as("the guard it was derived from has no retry").hasSize(1);
            assertThat(withRetry.toString()).contains("@Retry(\"immutable\")");
            assertThat(bare.toString()).doesNotContain("Retry");
        });
    }

    @Test
    void guardsRebuiltForEveryCallStillAnswerButStopBeingMeteredPastABound() {
        run(context -> {
            Resilience resilience = context.getBean(Resilience.class);

            for (int i = 0; i < 100; i++) {
                int call = i;
                Guard rebuilt = resilience.guard("rebuilt").withFallback(failure -> "fallback " + call);
                String answer = rebuilt.get(() -> {
                    throw new IllegalStateException("down");
                });
                assertThat(answer).isEqualTo("fallback " + i);
            }

            assertThat(context.getBean(MeterRegistry.class).get("resilience.fallback.calls")
                    .tags("method", "guard:rebuilt", "kind", "successful").functionCounter().count())
                    .as("only the first chains of the name are kept and metered").isEqualTo(16);
        });
    }

    /** Plays the script through one path; each call's answer or failure, as text. */
    private List<String> play(Function<Script, String> call) {
        List<String> outcomes = new ArrayList<>();
        for (List<String> attempts : SCRIPT) {
            Script script = new Script(attempts);
            try {
                outcomes.add(call.apply(script));
            } catch (RuntimeException failure) {
                outcomes.add("threw " + failure.getClass().getSimpleName());
            }
        }
        return outcomes;
    }

    /** Moves fake time until the stage completes (its retries wait on the fake scheduler). */
    private String settle(CompletableFuture<String> stage) {
        for (int step = 0; step < 100 && !stage.isDone(); step++) {
            time.advance(Duration.ofMillis(10));
        }
        assertThat(stage).isDone();
        return stage.join();
    }

    private static void assertSameFiguresMetersAndEvents(AssertableApplicationContext context, String annotated,
            String guarded) {
        CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
        assertThat(breakers.get(guarded).getState()).isEqualTo(breakers.get(annotated).getState());
        assertThat(breakers.get(guarded).getMetrics()).isEqualTo(breakers.get(annotated).getMetrics());
        RetryRegistry retries = context.getBean(RetryRegistry.class);
        assertThat(retries.get(guarded).getMetrics()).isEqualTo(retries.get(annotated).getMetrics());
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        assertThat(meters(meters, guarded)).isEqualTo(meters(meters, annotated)).isNotEmpty();
        assertThat(events(context, guarded)).isEqualTo(events(context, annotated)).isNotEmpty();
    }

    /** The instance's meters, by name and tags other than its name, as counts. */
    private static Map<String, Double> meters(MeterRegistry registry, String name) {
        Map<String, Double> values = new TreeMap<>();
        registry.find("resilience.circuitbreaker.calls").tag("name", name).timers()
                .forEach(timer -> values.put("calls " + timer.getId().getTag("kind"), (double) timer.count()));
        registry.find("resilience.retry.calls").tag("name", name).functionCounters()
                .forEach(counter -> values.put("retry " + counter.getId().getTag("kind"), counter.count()));
        registry.find("resilience.circuitbreaker.not.permitted.calls").tag("name", name).functionCounters()
                .forEach(counter -> values.put("not permitted", counter.count()));
        return values;
    }

    /** The instance's recent events, without names and times. */
    private static List<String> events(AssertableApplicationContext context, String name) {
        return context.getBean(RecentEvents.class).list().stream().filter(event -> event.name().equals(name))
                .map(event -> event.kind() + " " + event.type() + " x" + event.count()).toList();
    }

    /** The outcomes of one call's attempts, played in order. */
    static final class Script {
        private final Deque<String> attempts;

        Script(List<String> attempts) {
            this.attempts = new ArrayDeque<>(attempts);
        }

        String next() {
            String outcome = attempts.isEmpty() ? "ok" : attempts.poll();
            if (outcome.equals("fail")) {
                throw new UncheckedIOException(new IOException("down"));
            }
            return "answer";
        }

        CompletableFuture<String> nextAsync() {
            try {
                return CompletableFuture.completedFuture(next());
            } catch (UncheckedIOException failure) {
                return CompletableFuture.failedFuture(failure);
            }
        }

        Mono<String> nextMono() {
            return Mono.fromSupplier(this::next);
        }
    }

    /** Public: proxied with CGLIB. */
    public static class Annotated {

        @Retry("annotated")
        @CircuitBreaker("annotated")
        @Bulkhead("annotated")
        @Fallback("fallbackFor")
        public String call(Script script) {
            return script.next();
        }

        @Retry("annotated-async")
        @CircuitBreaker("annotated-async")
        @Bulkhead("annotated-async")
        @Fallback("fallbackForAsync")
        public CompletableFuture<String> callAsync(Script script) {
            return script.nextAsync();
        }

        @Retry("annotated-reactive")
        @CircuitBreaker("annotated-reactive")
        @Bulkhead("annotated-reactive")
        @Fallback("fallbackForMono")
        public Mono<String> mono(Script script) {
            return script.nextMono();
        }

        String fallbackFor(Script script, Throwable failure) {
            return fallback(failure);
        }

        CompletableFuture<String> fallbackForAsync(Script script, Throwable failure) {
            return CompletableFuture.completedFuture(fallback(failure));
        }

        Mono<String> fallbackForMono(Script script, Throwable failure) {
            return Mono.just(fallback(failure));
        }
    }
}
