package dev.resilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.ResilienceContext;
import dev.resilience.annotation.LastKnownGood;
import dev.resilience.core.FakeTime;
import dev.resilience.core.Timing;
import dev.resilience.lastknowngood.LastKnownGoodRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Asynchronous callers learn that an answer was stale through an armed {@link ResilienceContext.Capture}, also when
 * the answer is decided on another thread; and {@code Flux} methods store their elements as a list.
 */
class LastKnownGoodAsyncTest {

    private final FakeTime time = new FakeTime();

    private final ExecutorService elsewhere = Executors.newSingleThreadExecutor();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withBean(Timing.class, time::timing)
            .withBean(Prices.class, Prices::new)
            .withPropertyValues("resilience.last-known-good.configs.default.max-staleness=10m");

    @AfterEach
    void stop() {
        elsewhere.shutdownNow();
    }

    @Test
    void aStageCompletedOnAnotherThreadTellsItsCaptureItWasStale() {
        runner.run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.next().set(CompletableFuture.completedFuture(5));
            prices.stage("apple").join();
            time.advance(Duration.ofMinutes(3));

            CompletableFuture<Integer> pending = new CompletableFuture<>();
            prices.next().set(pending);
            ResilienceContext.Capture capture = ResilienceContext.capture();
            CompletableFuture<ResilienceContext.LastCall> seen = prices.stage("apple")
                    .thenApply(price -> capture.lastCall());
            assertThat(capture.isRecorded()).as("not answered yet").isFalse();
            elsewhere.execute(() -> pending.completeExceptionally(new IllegalStateException("prices down")));

            assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo(ResilienceContext.LastCall.stale(Duration.ofMinutes(3)));
        });
    }

    @Test
    void aLiveStageTellsItsCaptureItWasLiveAndTheCaptureIsTakenOnce() {
        runner.run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.next().set(CompletableFuture.completedFuture(5));
            prices.stage("apple").join();
            prices.next().set(CompletableFuture.failedFuture(new IllegalStateException("prices down")));

            ResilienceContext.Capture live = ResilienceContext.capture();
            prices.next().set(CompletableFuture.completedFuture(6));
            assertThat(prices.stage("apple").join()).isEqualTo(6);
            prices.next().set(CompletableFuture.failedFuture(new IllegalStateException("prices down")));
            assertThat(prices.stage("apple").join()).as("stale, but the capture was taken by the call before")
                    .isEqualTo(6);

            assertThat(live.isRecorded()).isTrue();
            assertThat(live.lastCall()).isEqualTo(ResilienceContext.LastCall.LIVE);
        });
    }

    @Test
    void aMonoAnsweredOnAnotherThreadTellsItsCapture() {
        runner.run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.mono("apple").block(Duration.ofSeconds(5));
            prices.failing().set(true);
            time.advance(Duration.ofMinutes(2));

            ResilienceContext.Capture capture = ResilienceContext.capture();
            ResilienceContext.LastCall seen = prices.mono("apple").map(price -> capture.lastCall())
                    .block(Duration.ofSeconds(5));

            assertThat(seen).isEqualTo(ResilienceContext.LastCall.stale(Duration.ofMinutes(2)));
        });
    }

    @Test
    void aFluxStoresItsElementsAndReplaysThemWhenItFails() {
        runner.run(context -> {
            Prices prices = context.getBean(Prices.class);
            assertThat(prices.flux("fruit").collectList().block(Duration.ofSeconds(5))).containsExactly(5, 4, 3);
            prices.failing().set(true);
            time.advance(Duration.ofMinutes(1));

            ResilienceContext.Capture capture = ResilienceContext.capture();
            assertThat(prices.flux("fruit").collectList().block(Duration.ofSeconds(5))).containsExactly(5, 4, 3);
            assertThat(capture.lastCall()).isEqualTo(ResilienceContext.LastCall.stale(Duration.ofMinutes(1)));
            assertThatThrownBy(() -> prices.flux("veg").blockLast(Duration.ofSeconds(5)))
                    .hasMessageContaining("prices down");
            assertThat(context.getBean(LastKnownGoodRegistry.class).get("flux").getStoredCalls()).isEqualTo(1);
        });
    }

    @Test
    void aFluxThatFailsAfterAnElementIsNotAnsweredFromTheStore() {
        runner.run(context -> {
            Prices prices = context.getBean(Prices.class);
            prices.flux("fruit").blockLast(Duration.ofSeconds(5));
            prices.failingAfterFirst().set(true);

            AtomicReference<List<Integer>> seen = new AtomicReference<>(new java.util.ArrayList<>());
            assertThatThrownBy(() -> prices.flux("fruit").doOnNext(seen.get()::add).blockLast(Duration.ofSeconds(5)))
                    .hasMessageContaining("prices down");
            assertThat(seen.get()).as("no element twice, no mix of live and stored").containsExactly(5);
        });
    }

    static class Prices {
        private final AtomicBoolean failing = new AtomicBoolean();
        private final AtomicBoolean failingAfterFirst = new AtomicBoolean();
        private final AtomicReference<CompletableFuture<Integer>> next = new AtomicReference<>();
        private final Map<String, List<Integer>> lists = Map.of("fruit", List.of(5, 4, 3), "veg", List.of(1));

        AtomicBoolean failing() {
            return failing;
        }

        AtomicBoolean failingAfterFirst() {
            return failingAfterFirst;
        }

        AtomicReference<CompletableFuture<Integer>> next() {
            return next;
        }

        @LastKnownGood("stage")
        public CompletableFuture<Integer> stage(String sku) {
            return next.get();
        }

        @LastKnownGood("mono")
        public Mono<Integer> mono(String sku) {
            return Mono.fromSupplier(() -> {
                if (failing.get()) {
                    throw new IllegalStateException("prices down");
                }
                return 5;
            }).subscribeOn(Schedulers.boundedElastic());
        }

        @LastKnownGood("flux")
        public Flux<Integer> flux(String list) {
            if (failing.get()) {
                return Flux.error(new IllegalStateException("prices down"));
            }
            Flux<Integer> elements = Flux.fromIterable(lists.get(list));
            return failingAfterFirst.get() ? elements.take(1).concatWith(Flux.error(
                    new IllegalStateException("prices down"))) : elements;
        }
    }
}
