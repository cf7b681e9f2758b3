package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.ResilienceContext;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import dev.resilience.guard.Guard;
import dev.resilience.guard.Resilience;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;

/** A guard in code with {@code withLastKnownGood()}: the same store, placement and keys as the annotation. */
class LastKnownGoodGuardTest {

    private final FakeTime time = new FakeTime();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withPropertyValues("resilience.last-known-good.instances.prices.max-staleness=10m");

    private static Supplier<Integer> failing() {
        return () -> {
            throw new IllegalStateException("prices down");
        };
    }

    @Test
    void servesEachKeysStoredAnswerWithinMaxStaleness() {
        runner.run(context -> {
            Guard prices = context.getBean(Resilience.class).guard("prices").withLastKnownGood();
            prices.get("apple", () -> 5);
            prices.get("pear", () -> 4);
            time.advance(Duration.ofMinutes(4));

            assertThat(prices.get("apple", failing())).isEqualTo(5);
            assertThat(ResilienceContext.lastCall()).isEqualTo(ResilienceContext.LastCall.stale(Duration.ofMinutes(4)));
            assertThat(prices.get("pear", failing())).isEqualTo(4);
            assertThatThrownBy(() -> prices.get("plum", failing())).hasMessage("prices down");

            time.advance(Duration.ofMinutes(6));
            assertThatThrownBy(() -> prices.get("apple", failing())).as("too old").hasMessage("prices down");
        });
    }

    @Test
    void neverStoresAFallbacksAnswerAndServesWhenTheFallbacksFail() {
        runner.run(context -> {
            Resilience resilience = context.getBean(Resilience.class);
            Guard answering = resilience.guard("prices").withLastKnownGood().withFallback(failure -> -1);
            assertThat(answering.get("apple", failing())).isEqualTo(-1);
            assertThat(context.getBean(LastKnownGoodRegistry.class).get("prices").getStoredCalls()).isZero();

            answering.get("apple", () -> 5);
            assertThat(answering.get("apple", failing())).as("the fallback answers first").isEqualTo(-1);
            Guard failingFallback = resilience.guard("prices").withLastKnownGood().withFallback(failure -> {
                throw new IllegalStateException("fallback down");
            });
            assertThat(failingFallback.get("apple", failing())).as("then the store").isEqualTo(5);
        });
    }

    @Test
    void keyedAsynchronousAndFluxCallsAreStoredAndServed() {
        runner.run(context -> {
            Guard prices = context.getBean(Resilience.class).guard("prices").withLastKnownGood();
            prices.callAsync("apple", () -> CompletableFuture.completedFuture(5)).join();
            prices.flux("fruit", () -> Flux.just(5, 4)).blockLast(Duration.ofSeconds(5));

            assertThat(prices.<Integer>callAsync("apple", () -> CompletableFuture.failedFuture(
                    new IllegalStateException("prices down"))).join()).isEqualTo(5);
            assertThat(prices.<Integer>flux("fruit", () -> Flux.error(new IllegalStateException("prices down")))
                    .collectList().block(Duration.ofSeconds(5))).containsExactly(5, 4);
        });
    }

    @Test
    void callsWithoutAKeyShareOneEntry() {
        runner.run(context -> {
            Guard prices = context.getBean(Resilience.class).guard("prices").withLastKnownGood();
            prices.get(() -> 7);

            assertThat(prices.get(failing())).isEqualTo(7);
        });
    }
}
